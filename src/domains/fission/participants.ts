// Participants, their progress, the leaderboard, the review queue of suspicious invites and the
// fulfilment queue of rewards (fission:read to look, fission:write to act).
import type { Config } from '../../config.js';
import { recordAudit } from '../../platform/audit/audit.js';
import { requireAccess, type Actor } from '../../platform/auth/actor.js';
import type { Db } from '../../platform/db/connect.js';
import { inTransaction } from '../../platform/db/transaction.js';
import { conflict, invalid, notFound } from '../../platform/http/errors.js';
import { afterNewestFirst, toPage } from '../../platform/http/pagination.js';
import { requireVisibleContact } from '../contacts/index.js';
import * as invites from './invites-store.js';
import { join, setInviteStatus } from './invites.js';
import { personalLink } from './messages.js';
import { rewardEngine } from './rewards.js';
import { requireCampaign } from './service.js';
import * as store from './store.js';

type ParticipantRow = NonNullable<Awaited<ReturnType<typeof store.findParticipant>>>;

async function shaped(db: Db, config: Config, workspaceId: string, rows: readonly ParticipantRow[]) {
  const ids = rows.map((r) => r.id);
  const progress = await invites.progressOf(db, workspaceId, ids);
  const rewards = await invites.rewardsOf(db, workspaceId, ids);
  return rows.map((r) => ({
    id: r.id,
    contactId: r.contact_id,
    token: r.token,
    url: personalLink(config, r.token),
    joinedVia: r.joined_via,
    joinedAt: r.joined_at,
    validInvites: progress.get(r.id)?.counted ?? 0,
    inReview: progress.get(r.id)?.review ?? 0,
    rewards: rewards.filter((w) => w.participant_id === r.id).map((w) => ({ id: w.id, tier: w.tier, status: w.status, dueAt: w.due_at, couponCode: w.coupon_code })),
  }));
}
export type Participant = Awaited<ReturnType<typeof shaped>>[number];

export async function joinCampaign(db: Db, config: Config, actor: Actor, campaignId: string, contactId: string) {
  requireAccess(actor, 'fission:write');
  return inTransaction(db, async (tx) => {
    const campaign = await requireCampaign(tx, actor.workspaceId, campaignId);
    if (campaign.status === 'ended') throw conflict('The campaign has ended');
    await requireVisibleContact(tx, actor, contactId).catch(() => {
      throw invalid([{ path: 'contactId', message: 'No such contact in this workspace' }]);
    });
    const { participant, joined } = await join(tx, config, actor.workspaceId, campaign, contactId, 'api');
    return { participant: (await shaped(tx, config, actor.workspaceId, [participant]))[0]!, joined };
  });
}

export async function getParticipant(db: Db, config: Config, actor: Actor, campaignId: string, id: string) {
  requireAccess(actor, 'fission:read');
  const row = await store.findParticipant(db, actor.workspaceId, campaignId, id);
  if (!row) throw notFound('Participant');
  return (await shaped(db, config, actor.workspaceId, [row]))[0]!;
}

export async function listParticipants(db: Db, config: Config, actor: Actor, campaignId: string, q: { cursor?: string; limit: number }) {
  requireAccess(actor, 'fission:read');
  await requireCampaign(db, actor.workspaceId, campaignId);
  const rows = await store.listParticipants(db, actor.workspaceId, campaignId, afterNewestFirst('joined_at', 'id', q.cursor), q.limit);
  const page = toPage(rows, q.limit, (r) => [r.joined_at.toISOString(), r.id], (r) => r);
  return { ...page, items: await shaped(db, config, actor.workspaceId, page.items) };
}

export async function leaderboard(db: Db, actor: Actor, campaignId: string, limit: number) {
  requireAccess(actor, 'fission:read');
  await requireCampaign(db, actor.workspaceId, campaignId);
  const rows = await invites.leaderboard(db, actor.workspaceId, campaignId, limit);
  return { items: rows.map((r) => ({ participantId: r.participant_id, contactId: r.contact_id, name: r.name, validInvites: r.valid })) };
}

const toInvite = (r: Pick<Awaited<ReturnType<typeof invites.invitesOf>>[number], 'id' | 'participant_id' | 'invitee_contact_id' | 'status' | 'created_at' | 'voided_at'>) => ({
  id: r.id,
  participantId: r.participant_id,
  inviteeContactId: r.invitee_contact_id,
  status: r.status,
  createdAt: r.created_at,
  voidedAt: r.voided_at,
});

export async function reviewQueue(db: Db, actor: Actor, campaignId: string) {
  requireAccess(actor, 'fission:read');
  await requireCampaign(db, actor.workspaceId, campaignId);
  return { items: (await invites.invitesOf(db, actor.workspaceId, campaignId, 'review', 500)).map(toInvite) };
}

/** Approve: the invite counts (and the inviter's tiers follow); reject: it never will. */
export async function decideInvite(db: Db, config: Config, actor: Actor, campaignId: string, inviteId: string, decision: 'approve' | 'reject') {
  requireAccess(actor, 'fission:write');
  return inTransaction(db, async (tx) => {
    await requireCampaign(tx, actor.workspaceId, campaignId);
    const invite = await invites.findInvite(tx, actor.workspaceId, campaignId, inviteId);
    if (!invite) throw notFound('Invite');
    if (invite.status !== 'review') throw conflict(`The invite is ${invite.status}, not in review`);
    await setInviteStatus(tx, actor.workspaceId, [inviteId], decision === 'approve' ? 'counted' : 'rejected', { reviewedBy: actor.memberId });
    await rewardEngine(config).settle(tx, actor.workspaceId, invite.participant_id);
    await recordAudit(tx, actor, { action: `fission_invite.${decision === 'approve' ? 'approved' : 'rejected'}`, entityType: 'fission_invite', entityId: inviteId });
    return toInvite({ ...invite, status: decision === 'approve' ? 'counted' : 'rejected' });
  });
}

export async function rewardQueue(db: Db, actor: Actor, campaignId: string) {
  requireAccess(actor, 'fission:read');
  await requireCampaign(db, actor.workspaceId, campaignId);
  const rows = await invites.rewardQueue(db, actor.workspaceId, campaignId, 'awaiting_fulfilment', 500);
  return { items: rows.map((r) => ({ id: r.id, participantId: r.participant_id, contactId: r.contact_id, tier: r.tier, rewardName: r.reward_name, status: r.status, dueAt: r.due_at })) };
}

/** An admin handed the reward over (custom rewards, coupons the pool had none for). */
export async function fulfilReward(db: Db, actor: Actor, campaignId: string, rewardId: string) {
  requireAccess(actor, 'fission:write');
  await inTransaction(db, async (tx) => {
    await requireCampaign(tx, actor.workspaceId, campaignId);
    const reward = await invites.lockReward(tx, actor.workspaceId, rewardId);
    if (!reward || reward.campaign_id !== campaignId) throw notFound('Reward');
    if (reward.status !== 'awaiting_fulfilment') throw conflict(`The reward is ${reward.status}, not awaiting fulfilment`);
    await invites.setReward(tx, actor.workspaceId, rewardId, 'fulfilled', { by: actor.memberId });
    await recordAudit(tx, actor, { action: 'fission_reward.fulfilled', entityType: 'fission_reward', entityId: rewardId });
  });
}
