// The database with this domain's tables (declared here, not in the platform's Database type).
import type { Db } from '../../platform/db/connect.js';
import type { ReferralTables } from './tables.js';

export const withOurs = (db: Db) => db.withTables<ReferralTables>();
