// SQL of the invite tree (invite_edges). Every query is scoped to its workspace; walks up and down
// the forest are recursive CTEs over the parent → child indexes.
import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../../platform/db/connect.js';
import { withOurs } from './db.js';
import type { EdgeSource, EdgeStatus } from './tables.js';

/** A node of the forest: a contact, or a member (a root only: members are nobody's invitee). */
export type NodeRef = { contactId: string } | { memberId: string };
export const nodeKey = (n: NodeRef) => ('contactId' in n ? n.contactId : n.memberId);

const edgeColumns = ['invitee_contact_id', 'inviter_contact_id', 'inviter_member_id', 'root_contact_id', 'root_member_id', 'depth', 'source', 'scope_id', 'scope_depth', 'status', 'created_at'] as const;

/**
 * The children of the node named by `parent` (a column of the walk): in a recursive walk, a
 * lateral subquery fenced by OFFSET 0 is an index lookup per node of the frontier, whatever the
 * planner guessed of the frontier's size (a hash join would scan every edge at every level).
 */
const children = (workspaceId: string, parent: RawBuilder<unknown>) =>
  sql`select * from invite_edges k where k.workspace_id = ${workspaceId} and k.inviter_contact_id = ${parent} offset 0`;

/** Serialises tree writes touching these nodes (sorted: two writers never wait on each other crosswise). */
export async function lockNodes(db: Db, workspaceId: string, keys: readonly string[]) {
  for (const key of [...new Set(keys)].sort()) await sql`select pg_advisory_xact_lock(hashtextextended(${`invite-tree:${workspaceId}:${key}`}, 0))`.execute(db);
}

/** The edge that brought the contact in, if any. */
export const edgeOf = (db: Db, workspaceId: string, inviteeContactId: string) =>
  withOurs(db).selectFrom('invite_edges').select(edgeColumns).where('workspace_id', '=', workspaceId).where('invitee_contact_id', '=', inviteeContactId).executeTakeFirst();
export type EdgeRow = NonNullable<Awaited<ReturnType<typeof edgeOf>>>;

export interface NewEdge {
  inviteeContactId: string;
  inviter: NodeRef;
  root: NodeRef;
  depth: number;
  source: EdgeSource;
  scopeId: string;
  scopeDepth: number;
  fissionInviteId: string | null;
  referralCodeId: string | null;
  status: EdgeStatus;
}

/** The edge; undefined when the invitee already has a parent (the key: one parent per invitee). */
export const insertEdge = (db: Db, workspaceId: string, e: NewEdge) =>
  withOurs(db)
    .insertInto('invite_edges')
    .values({
      workspace_id: workspaceId,
      invitee_contact_id: e.inviteeContactId,
      inviter_contact_id: 'contactId' in e.inviter ? e.inviter.contactId : null,
      inviter_member_id: 'memberId' in e.inviter ? e.inviter.memberId : null,
      root_contact_id: 'contactId' in e.root ? e.root.contactId : null,
      root_member_id: 'memberId' in e.root ? e.root.memberId : null,
      depth: e.depth,
      source: e.source,
      scope_id: e.scopeId,
      scope_depth: e.scopeDepth,
      fission_invite_id: e.fissionInviteId,
      referral_code_id: e.referralCodeId,
      status: e.status,
    })
    .onConflict((oc) => oc.doNothing())
    .returning(edgeColumns)
    .executeTakeFirst();

/**
 * The contact was a root with a subtree and has just got a parent (its arrival was handled after
 * its invitees'): its descendants' generations, scope generations and root are recomputed from
 * its new edge, top-down.
 */
export const reroot = (db: Db, workspaceId: string, top: EdgeRow) =>
  sql`
    with recursive walk(invitee, depth, scope_id, scope_depth) as (
      select c.invitee_contact_id, ${top.depth} + 1, c.scope_id, case when c.scope_id = ${top.scope_id} then ${top.scope_depth} + 1 else 1 end
      from invite_edges c where c.workspace_id = ${workspaceId} and c.inviter_contact_id = ${top.invitee_contact_id}
      union all
      select c.invitee_contact_id, w.depth + 1, c.scope_id, case when c.scope_id = w.scope_id then w.scope_depth + 1 else 1 end
      from walk w cross join lateral (${children(workspaceId, sql.ref('w.invitee'))}) c
    )
    update invite_edges e set depth = w.depth, scope_depth = w.scope_depth, root_contact_id = ${top.root_contact_id}, root_member_id = ${top.root_member_id}
    from walk w where e.workspace_id = ${workspaceId} and e.invitee_contact_id = w.invitee`.execute(db);

export const hasChildren = async (db: Db, workspaceId: string, contactId: string) =>
  Boolean(await withOurs(db).selectFrom('invite_edges').select('invitee_contact_id').where('workspace_id', '=', workspaceId).where('inviter_contact_id', '=', contactId).limit(1).executeTakeFirst());

export const setFissionStatus = (db: Db, workspaceId: string, fissionInviteIds: readonly string[], status: EdgeStatus) =>
  fissionInviteIds.length
    ? withOurs(db).updateTable('invite_edges').set({ status }).where('workspace_id', '=', workspaceId).where('fission_invite_id', 'in', fissionInviteIds).execute()
    : Promise.resolve([]);

/** The edges from the contact up to its root, nearest first (recursive; at most the tree's depth). */
export const upline = async (db: Db, workspaceId: string, contactId: string) =>
  (
    await sql<EdgeRow & { step: number }>`
      with recursive up as (
        select e.*, 1 as step from invite_edges e where e.workspace_id = ${workspaceId} and e.invitee_contact_id = ${contactId}
        union all
        select p.*, up.step + 1 from up cross join lateral (
          select * from invite_edges k where k.workspace_id = ${workspaceId} and k.invitee_contact_id = up.inviter_contact_id offset 0) p
      )
      select ${sql.join(edgeColumns.map((c) => sql.ref(c)))}, step from up order by step`.execute(db)
  ).rows;

export interface DownlineRow extends EdgeRow {
  level: number;
  children: number;
}

/**
 * The node's descendants down to `maxDepth` levels below it (recursive), ordered by level, then
 * arrival, then id; a page of `limit` + 1 rows after the keyset cursor (level, created_at, id).
 */
export const downline = async (db: Db, workspaceId: string, node: NodeRef, q: { maxDepth: number; limit: number; after?: { level: number; at: Date; id: string } }) =>
  (
    await sql<DownlineRow>`
      with recursive down as (
        select e.*, 1 as level from invite_edges e
        where e.workspace_id = ${workspaceId} and ${'contactId' in node ? sql`e.inviter_contact_id = ${node.contactId}` : sql`e.inviter_member_id = ${node.memberId}`}
        union all
        select c.*, d.level + 1 from down d cross join lateral (${children(workspaceId, sql.ref('d.invitee_contact_id'))}) c
        where d.level < ${q.maxDepth}
      )
      select ${sql.join(edgeColumns.map((c) => sql.ref(`d.${c}`)))}, d.level,
        (select count(*)::int from invite_edges k where k.workspace_id = ${workspaceId} and k.inviter_contact_id = d.invitee_contact_id) as children
      from down d
      ${q.after ? sql`where (d.level, d.created_at, d.invitee_contact_id) > (${q.after.level}, ${q.after.at}, ${q.after.id})` : sql``}
      order by d.level, d.created_at, d.invitee_contact_id
      limit ${q.limit + 1}`.execute(db)
  ).rows;

/** Each node's reach: how many people are below it in the forest, to any depth (recursive). */
export async function reachOf(db: Db, workspaceId: string, nodes: readonly NodeRef[]) {
  const contacts = nodes.flatMap((n) => ('contactId' in n ? [n.contactId] : []));
  const members = nodes.flatMap((n) => ('memberId' in n ? [n.memberId] : []));
  if (!nodes.length) return new Map<string, number>();
  const { rows } = await sql<{ origin: string; reach: number }>`
    with recursive sub(origin, invitee) as (
      select coalesce(e.inviter_contact_id, e.inviter_member_id), e.invitee_contact_id from invite_edges e
      where e.workspace_id = ${workspaceId} and (e.inviter_contact_id = any(${contacts}::uuid[]) or e.inviter_member_id = any(${members}::uuid[]))
      union all
      select s.origin, c.invitee_contact_id from sub s cross join lateral (${children(workspaceId, sql.ref('s.invitee'))}) c
    )
    select origin, count(*)::int as reach from sub group by origin`.execute(db);
  return new Map(rows.map((r) => [r.origin, r.reach]));
}
