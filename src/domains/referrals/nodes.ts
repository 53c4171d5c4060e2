// How the tree's nodes are shown: a contact with their name and influence score, or a member.
import type { Db } from '../../platform/db/connect.js';
import { memberNames } from '../workspaces/index.js';
import { contactCards } from './queries/refs.js';
import type { NodeRef } from './tree-store.js';

export interface ShownNode {
  kind: 'contact' | 'member';
  id: string;
  name: string | null;
  influence: number | null;
}

/** A lookup of the nodes' names and influence, read in two queries. */
export async function nodeCards(db: Db, workspaceId: string, nodes: readonly NodeRef[]) {
  const contacts = await contactCards(db, workspaceId, nodes.flatMap((n) => ('contactId' in n ? [n.contactId] : [])));
  const members = await memberNames(db, workspaceId, nodes.flatMap((n) => ('memberId' in n ? [n.memberId] : [])));
  return (n: NodeRef): ShownNode =>
    'contactId' in n
      ? { kind: 'contact', id: n.contactId, name: contacts.get(n.contactId)?.name ?? null, influence: contacts.get(n.contactId)?.influence ?? null }
      : { kind: 'member', id: n.memberId, name: members.get(n.memberId) ?? null, influence: null };
}

export const refOf = (contactId: string | null, memberId: string | null): NodeRef => (contactId ? { contactId } : { memberId: memberId! });
