// Arrivals and departures. An arrival (follow, friend added, or a first message) whose source is
// `fc_<campaign slug>` joins the campaign; one whose source is `f_<participant token>` is an
// invite by that participant, which counts only if
//   - the campaign is active and within its period,
//   - the invitee is not the inviter (self-invites are refused),
//   - the invitee is new to the workspace (contacts' isNewcomer: their contact was created
//     by this arrival), and
//   - the invitee counts for nobody yet (one inviter per invitee in the workspace: a unique index,
//     so two inviters racing for one person cannot both get them).
// The invite takes the IP hash of the latest unmatched visit of the inviter's link; when the
// inviter then has `burst_count` or more invites from that IP hash within `burst_minutes`, all
// of them go to review and stop counting until an admin approves them.
// Each invite is also an edge of the workspace's invite tree (the referrals domain), whose state
// follows the invite's. Invitees join the campaign themselves. A departure (unfollow, friend
// removed) within the void window voids the invitee's invite and the inviter's rewards follow
// (rewards.ts).
import type { Config } from '../../config.js';
import type { Tx } from '../../platform/db/transaction.js';
import { isNewcomer } from '../contacts/index.js';
import { recordEdge, setFissionEdgeStatus } from '../referrals/index.js';
import * as invites from './invites-store.js';
import { personalLink, tell } from './messages.js';
import { rewardEngine } from './rewards.js';
import * as store from './store.js';
import type { InviteStatus } from './tables.js';
import { newToken } from './tokens.js';

const DAY_MS = 86_400_000;
export const CAMPAIGN_SOURCE = 'fc_';
export const PARTICIPANT_SOURCE = 'f_';

export interface Arrival {
  contactId: string;
  channelId: string | null;
  source: string;
  /** When the intake recorded it (the event's occurred_at). */
  at: Date;
}

/** Sets the invites' state, and their edges' in the invite tree. */
export async function setInviteStatus(tx: Tx, workspaceId: string, ids: readonly string[], status: InviteStatus, extra: { reviewedBy?: string; voided?: boolean } = {}) {
  await invites.setInviteStatus(tx, workspaceId, ids, status, extra);
  await setFissionEdgeStatus(tx, workspaceId, ids, status);
}

const running = (c: store.CampaignRow, at: Date) => c.status === 'active' && c.starts_at <= at && at < c.ends_at;

/** Makes the contact a participant (if not yet); returns the participant and whether they are new. */
export async function join(tx: Tx, config: Config, workspaceId: string, campaign: store.CampaignRow, contactId: string, via: 'api' | 'link') {
  for (let i = 0; i < 5; i++) {
    const existing = await store.participantOfContact(tx, workspaceId, campaign.id, contactId);
    if (existing) return { participant: existing, joined: false };
    const inserted = await store.insertParticipant(tx, workspaceId, { campaignId: campaign.id, contactId, token: newToken(), joinedVia: via });
    if (inserted) {
      if (campaign.progress_messages) await tell(tx, config, workspaceId, { contactId, channelId: campaign.channel_id }, { kind: 'joined', link: personalLink(config, inserted.token) });
      return { participant: inserted, joined: true };
    }
  }
  throw new Error('fission: could not draw a free participant token');
}

async function countInvite(tx: Tx, config: Config, workspaceId: string, a: Arrival, token: string) {
  const inviter = await store.participantByToken(tx, workspaceId, token);
  if (!inviter) return 'unknown_token';
  const campaign = (await store.findCampaign(tx, workspaceId, inviter.campaign_id))!;
  if (!running(campaign, a.at)) return 'campaign_not_running';
  if (inviter.contact_id === a.contactId) return 'self_invite';
  if (!(await isNewcomer(tx, workspaceId, a.contactId, a.at))) return 'not_new';
  const invite = await invites.insertInvite(tx, workspaceId, { campaignId: campaign.id, participantId: inviter.id, inviteeContactId: a.contactId, channelId: a.channelId });
  if (!invite) return 'already_invited';
  await recordEdge(tx, workspaceId, { inviteeContactId: a.contactId, inviter: { contactId: inviter.contact_id }, source: 'fission', scopeId: campaign.id, fissionInviteId: invite.id });
  const ipHash = await invites.claimVisit(tx, workspaceId, inviter.id, invite.id);
  let flagged = false;
  if (ipHash) {
    await invites.setInviteIp(tx, workspaceId, invite.id, ipHash);
    const burst = await invites.burstOf(tx, workspaceId, inviter.id, ipHash, campaign.burst_minutes);
    if (burst.length >= campaign.burst_count) {
      await setInviteStatus(tx, workspaceId, burst.map((b) => b.id), 'review');
      flagged = true;
    }
  }
  await join(tx, config, workspaceId, campaign, a.contactId, 'link');
  const progress = await rewardEngine(config).settle(tx, workspaceId, inviter.id);
  if (progress && !flagged && campaign.progress_messages) {
    const next = progress.tiers.find((t) => t.goal > progress.valid);
    await tell(tx, config, workspaceId, { contactId: inviter.contact_id, channelId: campaign.channel_id }, { kind: 'progress', valid: progress.valid, next: next && { goal: next.goal, rewardName: next.reward_name } });
  }
  return flagged ? 'review' : 'counted';
}

/** What an arrival with a source did: joined, counted, review, or why it counted nothing. */
export async function arrive(tx: Tx, config: Config, workspaceId: string, a: Arrival): Promise<string> {
  if (a.source.startsWith(CAMPAIGN_SOURCE)) {
    const campaign = await store.findCampaignBySlug(tx, workspaceId, a.source.slice(CAMPAIGN_SOURCE.length));
    if (!campaign || !running(campaign, a.at)) return 'campaign_not_running';
    return (await join(tx, config, workspaceId, campaign, a.contactId, 'link')).joined ? 'joined' : 'already_joined';
  }
  if (a.source.startsWith(PARTICIPANT_SOURCE)) return countInvite(tx, config, workspaceId, a, a.source.slice(PARTICIPANT_SOURCE.length));
  return 'not_ours';
}

/** The contact left (unfollow, friend removed): their invite is voided if still inside the void window. */
export async function depart(tx: Tx, config: Config, workspaceId: string, contactId: string, at: Date) {
  const invite = await invites.inviteOfInvitee(tx, workspaceId, contactId);
  if (!invite || (invite.status !== 'counted' && invite.status !== 'review')) return 'no_invite';
  const campaign = (await store.findCampaign(tx, workspaceId, invite.campaign_id))!;
  if (at.getTime() - invite.created_at.getTime() > campaign.void_days * DAY_MS) return 'outside_void_window';
  await setInviteStatus(tx, workspaceId, [invite.id], 'voided', { voided: true });
  const progress = await rewardEngine(config).settle(tx, workspaceId, invite.participant_id);
  if (progress && invite.status === 'counted' && campaign.progress_messages) {
    await tell(tx, config, workspaceId, { contactId: progress.contactId, channelId: campaign.channel_id }, { kind: 'voided', valid: progress.valid });
  }
  return 'voided';
}
