// SQL for the widget's own table (widget_visitors). Every function takes the workspace first.
import { sql } from 'kysely';
import type { Db } from '../../platform/db/connect.js';
import type { WidgetTables } from './tables.js';

// The table is declared here rather than in platform/db/schema.ts's Database (one line there
// would do the same; kept out while that shared file is being edited by others).
const w = (db: Db) => db.withTables<WidgetTables>();

export interface VisitorKey {
  workspaceId: string;
  channelId: string;
  visitorId: string;
}

export const findVisitor = (db: Db, k: VisitorKey) =>
  w(db)
    .selectFrom('widget_visitors')
    .selectAll()
    .where('workspace_id', '=', k.workspaceId)
    .where('channel_id', '=', k.channelId)
    .where('visitor_id', '=', k.visitorId)
    .executeTakeFirst();
export type VisitorRow = NonNullable<Awaited<ReturnType<typeof findVisitor>>>;

export interface ProfileInput {
  name?: string | null;
  email?: string | null;
  phone?: string | null;
  custom?: Record<string, string>;
  prechat?: boolean;
}

/** Records what the visitor typed (given fields replace earlier ones) and marks it for the contact. */
export const saveProfile = (db: Db, k: VisitorKey, p: ProfileInput) => {
  const set = {
    ...(p.name !== undefined ? { name: p.name } : {}),
    ...(p.email !== undefined ? { email: p.email } : {}),
    ...(p.phone !== undefined ? { phone: p.phone } : {}),
    ...(p.custom ? { custom: JSON.stringify(p.custom) } : {}),
    ...(p.prechat ? { prechat_at: sql<Date>`now()` } : {}),
    profile_pending: true,
  };
  return w(db)
    .insertInto('widget_visitors')
    .values({ workspace_id: k.workspaceId, channel_id: k.channelId, visitor_id: k.visitorId, custom: '{}', ...set })
    .onConflict((oc) => oc.columns(['workspace_id', 'channel_id', 'visitor_id']).doUpdateSet({ ...set, updated_at: sql<Date>`now()` }))
    .returningAll()
    .executeTakeFirstOrThrow();
};

export const profileApplied = (db: Db, k: VisitorKey) =>
  w(db)
    .updateTable('widget_visitors')
    .set({ profile_pending: false, updated_at: sql<Date>`now()` })
    .where('workspace_id', '=', k.workspaceId)
    .where('channel_id', '=', k.channelId)
    .where('visitor_id', '=', k.visitorId)
    .execute();

/** Everything agents wrote up to `at` is read. */
export const markRead = (db: Db, k: VisitorKey, at: Date) =>
  w(db)
    .insertInto('widget_visitors')
    .values({ workspace_id: k.workspaceId, channel_id: k.channelId, visitor_id: k.visitorId, custom: '{}', read_at: at })
    .onConflict((oc) => oc.columns(['workspace_id', 'channel_id', 'visitor_id']).doUpdateSet({ read_at: sql<Date>`greatest(widget_visitors.read_at, excluded.read_at)`, updated_at: sql<Date>`now()` }))
    .execute();
