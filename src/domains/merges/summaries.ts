import type { Db } from '../../platform/db/connect.js';

/** The few fields a duplicate group shows for each contact, fetched for all groups at once. */
export async function contactSummaries(db: Db, workspaceId: string, ids: string[]) {
  if (!ids.length) return new Map();
  const rows = await db
    .selectFrom('contacts')
    .select(['id', 'name', 'phone', 'email', 'company', 'created_at'])
    .where('workspace_id', '=', workspaceId)
    .where('id', 'in', [...new Set(ids)])
    .execute();
  return new Map(rows.map((r) => [r.id, { id: r.id, name: r.name, phone: r.phone, email: r.email, company: r.company, createdAt: r.created_at }]));
}
