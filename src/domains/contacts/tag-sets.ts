// Tag conditions on a contact, answered by contact_tag_sets (each tagged contact's tag ids,
// GIN-indexed, kept by triggers on contact_tags): one probe per candidate contact, or a GIN
// bitmap the planner joins for counts. The contact list's filter and the segment compiler both
// ask here, so the two read tags the same way.
import { sql, type RawBuilder, type SqlBool } from 'kysely';

export type TagMatch = 'any' | 'all' | 'none';

/** `contact` is the alias of a contacts row in the surrounding query. */
export function contactTagsMatch(contact: string, op: TagMatch, tagIds: readonly string[]): RawBuilder<SqlBool> {
  const ids = sql`${sql.val([...new Set(tagIds)])}::uuid[]`;
  const holds = (test: RawBuilder<unknown>) => sql<SqlBool>`exists (select 1 from contact_tag_sets ts
    where ts.workspace_id = ${sql.ref(`${contact}.workspace_id`)} and ts.contact_id = ${sql.ref(`${contact}.id`)} and ${test})`;
  if (op === 'any') return holds(sql`ts.tag_ids && ${ids}`);
  if (op === 'all') return holds(sql`ts.tag_ids @> ${ids}`);
  return sql<SqlBool>`not ${holds(sql`ts.tag_ids && ${ids}`)}`;
}
