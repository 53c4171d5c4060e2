// An arrival (follow, friend added, or a first message) whose source is r_<code slug>: recorded
// as the code's arrival (new or known, once per contact), and — when the contact is new to the
// workspace by fission's rule (isNewcomer: this arrival created the contact) and is not the
// code's owner — an edge owner → contact in the invite tree, where the one-parent key makes the
// first referrer the only one.
import type { Tx } from '../../platform/db/transaction.js';
import { isNewcomer } from '../contacts/index.js';
import { CODE_SOURCE } from './codes.js';
import * as store from './codes-store.js';
import { recordEdge } from './tree.js';

const SLUG = /^[a-z0-9]{12}$/;

export interface Arrival {
  contactId: string;
  source: string;
  /** When the intake recorded it (the event's occurred_at). */
  at: Date;
}

/** What the arrival did: `recorded` (a new edge), or why it added none. */
export async function arrive(tx: Tx, workspaceId: string, a: Arrival) {
  const slug = a.source.slice(CODE_SOURCE.length);
  if (!a.source.startsWith(CODE_SOURCE) || !SLUG.test(slug)) return 'not_ours';
  const code = await store.findCodeBySlug(tx, workspaceId, slug);
  const program = code && (await store.findProgram(tx, workspaceId, code.program_id));
  if (!code || !program?.enabled) return 'unknown_code';
  await store.insertArrival(tx, workspaceId, code.id, a.contactId);
  if (code.owner_contact_id === a.contactId) return 'self_invite';
  if (!(await isNewcomer(tx, workspaceId, a.contactId, a.at))) return 'not_new';
  const owner = code.owner_contact_id ? { contactId: code.owner_contact_id } : { memberId: code.owner_member_id! };
  return recordEdge(tx, workspaceId, { inviteeContactId: a.contactId, inviter: owner, source: 'referral', scopeId: program.id, referralCodeId: code.id });
}
