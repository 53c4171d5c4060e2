// The fission report of a campaign, a referral programme or the whole workspace (fission:read):
// K-factor, generation distribution, top spreaders and each one's reach (README, "The report").
import { requireAccess, type Actor } from '../../platform/auth/actor.js';
import type { Db } from '../../platform/db/connect.js';
import { inTransaction } from '../../platform/db/transaction.js';
import { notFound } from '../../platform/http/errors.js';
import * as codes from './codes-store.js';
import { nodeCards, refOf } from './nodes.js';
import { campaignExists } from './queries/refs.js';
import * as store from './report-store.js';
import { reachOf } from './tree-store.js';

const ratio = (a: number, b: number) => (b ? Math.round((a / b) * 10_000) / 10_000 : 0);

export async function inviteReport(db: Db, actor: Actor, q: { campaignId?: string; programId?: string; top: number }) {
  requireAccess(actor, 'fission:read');
  const ws = actor.workspaceId;
  let scope: store.Scope = { kind: 'workspace' };
  if (q.campaignId) {
    if (!(await campaignExists(db, ws, q.campaignId))) throw notFound('Campaign');
    scope = { kind: 'campaign', id: q.campaignId };
  } else if (q.programId) {
    if (!(await codes.findProgram(db, ws, q.programId))) throw notFound('Program');
    scope = { kind: 'program', id: q.programId };
  }
  const rows = await inTransaction(db, async (tx) => {
    await store.reportMemory(tx);
    return store.summary(tx, ws, scope, q.top);
  });
  const totals = rows[0]!;
  const generations = (totals.generations ?? []).map(([depth, invites, valid]) => ({ depth, invites: Number(invites), validInvites: Number(valid) }));
  const top = rows.filter((t) => t.inviter_valid !== null);
  const refs = top.map((t) => refOf(t.inviter_contact_id, t.inviter_member_id));
  const reach = await reachOf(db, ws, refs);
  const card = await nodeCards(db, ws, refs);
  return {
    scope: { kind: scope.kind, id: scope.kind === 'workspace' ? null : scope.id },
    invites: totals.invites,
    validInvites: totals.valid,
    inviters: totals.inviters,
    invitesPerInviter: ratio(totals.valid, totals.inviters),
    reinviterShare: ratio(totals.reinviters, totals.valid),
    kFactor: ratio(totals.later, totals.valid),
    generations,
    maxDepth: generations.at(-1)?.depth ?? 0,
    topSpreaders: top.map((t, i) => ({ ...card(refs[i]!), validInvites: t.inviter_valid!, reach: reach.get(t.inviter_contact_id ?? t.inviter_member_id!) ?? 0 })),
  };
}
