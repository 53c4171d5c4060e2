// Reading the invite tree (fission:read): a contact's upline to the root, and the downline of a
// contact or member to any depth, page by page, shaped for a tree picture (each node with its
// parent and level).
import { requireAccess, type Actor } from '../../platform/auth/actor.js';
import type { Db } from '../../platform/db/connect.js';
import { invalid, notFound } from '../../platform/http/errors.js';
import { decodeCursor, encodeCursor } from '../../platform/http/pagination.js';
import { requireVisibleContact } from '../contacts/index.js';
import { nodeCards, refOf, type ShownNode } from './nodes.js';
import { memberOf } from './queries/refs.js';
import * as store from './tree-store.js';

const toNode = (e: store.EdgeRow, level: number, card: (n: store.NodeRef) => ShownNode) => {
  const shown = card({ contactId: e.invitee_contact_id });
  return {
    contactId: e.invitee_contact_id,
    name: shown.name,
    influence: shown.influence,
    parent: card(refOf(e.inviter_contact_id, e.inviter_member_id)),
    level,
    depth: e.depth,
    source: e.source,
    scopeId: e.scope_id,
    status: e.status,
    createdAt: e.created_at,
  };
};

export async function upline(db: Db, actor: Actor, contactId: string) {
  requireAccess(actor, 'fission:read');
  await requireVisibleContact(db, actor, contactId);
  const edges = await store.upline(db, actor.workspaceId, contactId);
  const self = { contactId };
  const top = edges.at(-1);
  const root = top ? refOf(top.inviter_contact_id, top.inviter_member_id) : self;
  const card = await nodeCards(db, actor.workspaceId, [self, root, ...edges.flatMap((e) => [{ contactId: e.invitee_contact_id }, refOf(e.inviter_contact_id, e.inviter_member_id)])]);
  const reach = (await store.reachOf(db, actor.workspaceId, [self])).get(contactId) ?? 0;
  return {
    contact: { ...card(self), depth: edges[0]?.depth ?? 0, reach },
    items: edges.map((e) => toNode(e, e.step, card)),
    root: card(root),
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
type DownlineQuery = { maxDepth: number; limit: number; cursor?: string };

function afterOf(cursor: string | undefined) {
  if (!cursor) return undefined;
  const [level, at, id] = decodeCursor(cursor, 3);
  const date = new Date(String(at));
  if (typeof level !== 'number' || Number.isNaN(date.getTime()) || !UUID.test(String(id))) throw invalid([{ path: 'cursor', message: 'Invalid cursor' }]);
  return { level, at: date, id: String(id) };
}

export async function downline(db: Db, actor: Actor, node: store.NodeRef, q: DownlineQuery) {
  requireAccess(actor, 'fission:read');
  if ('contactId' in node) await requireVisibleContact(db, actor, node.contactId);
  else if (!(await memberOf(db, actor.workspaceId, node.memberId))) throw notFound('Member');
  const rows = await store.downline(db, actor.workspaceId, node, { maxDepth: q.maxDepth, limit: q.limit, after: afterOf(q.cursor) });
  const kept = rows.slice(0, q.limit);
  const card = await nodeCards(db, actor.workspaceId, kept.flatMap((e) => [{ contactId: e.invitee_contact_id }, refOf(e.inviter_contact_id, e.inviter_member_id)]));
  const last = kept.at(-1);
  return {
    items: kept.map((e) => ({ ...toNode(e, e.level, card), children: e.children })),
    nextCursor: rows.length > q.limit && last ? encodeCursor([last.level, last.created_at.toISOString(), last.invitee_contact_id]) : null,
  };
}
