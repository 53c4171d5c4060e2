// Adding to the invite tree: one parent per invitee (so the tree is a forest), no cycles, and each
// edge's generation, root and generation within its campaign or programme taken from its
// parent's edge when it is inserted. Writers touching the same nodes go one at a time (advisory
// locks on the inviter and invitee), so a child is never placed while its parent moves.
import type { Db } from '../../platform/db/connect.js';
import * as store from './tree-store.js';
import type { EdgeSource, EdgeStatus } from './tables.js';

export interface InviteEdge {
  inviteeContactId: string;
  inviter: store.NodeRef;
  source: EdgeSource;
  /** The fission campaign or the referral programme. */
  scopeId: string;
  fissionInviteId?: string;
  referralCodeId?: string;
  status?: EdgeStatus;
}

/** Records who brought the invitee: `recorded`, or why not (`already_invited`: they have a parent; `cycle`). */
export async function recordEdge(db: Db, workspaceId: string, e: InviteEdge): Promise<'recorded' | 'already_invited' | 'cycle'> {
  const inviterKey = store.nodeKey(e.inviter);
  if (inviterKey === e.inviteeContactId) return 'cycle';
  await store.lockNodes(db, workspaceId, [inviterKey, e.inviteeContactId]);
  const parent = 'contactId' in e.inviter ? await store.edgeOf(db, workspaceId, e.inviter.contactId) : undefined;
  if (parent && parent.root_contact_id === e.inviteeContactId) return 'cycle';
  const edge = await store.insertEdge(db, workspaceId, {
    inviteeContactId: e.inviteeContactId,
    inviter: e.inviter,
    root: parent ? (parent.root_contact_id ? { contactId: parent.root_contact_id } : { memberId: parent.root_member_id! }) : e.inviter,
    depth: parent ? parent.depth + 1 : 1,
    source: e.source,
    scopeId: e.scopeId,
    scopeDepth: parent?.scope_id === e.scopeId ? parent.scope_depth + 1 : 1,
    fissionInviteId: e.fissionInviteId ?? null,
    referralCodeId: e.referralCodeId ?? null,
    status: e.status ?? 'counted',
  });
  if (!edge) return 'already_invited';
  if (await store.hasChildren(db, workspaceId, e.inviteeContactId)) await store.reroot(db, workspaceId, edge);
  return 'recorded';
}

/** A fission invite changed state (review, voided, approved, rejected): its edge follows. */
export const setFissionEdgeStatus = (db: Db, workspaceId: string, fissionInviteIds: readonly string[], status: EdgeStatus) => store.setFissionStatus(db, workspaceId, fissionInviteIds, status);
