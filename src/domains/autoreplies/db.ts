// The database with this domain's tables: they are declared here rather than in the platform's
// Database type, so the domain stays one folder (Kysely's withTables adds them per query).
import type { Db } from '../../platform/db/connect.js';
import type { AutoreplyTables } from './tables.js';

export const withOurs = (db: Db) => db.withTables<AutoreplyTables>();
