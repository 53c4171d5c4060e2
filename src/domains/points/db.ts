// The database with the points ledger (declared here, not in the platform's Database type).
import type { Db } from '../../platform/db/connect.js';
import type { PointsTables } from './tables.js';

export const withOurs = (db: Db) => db.withTables<PointsTables>();
