// Progress and rewards. A participant's progress is their counted invites. Reaching a tier holds
// its reward for the campaign's hold period: a delayed job (fission.grant-reward) runs when it is
// due, looks at the progress again, and grants the reward only if the tier is still reached
// (points credited to the points ledger, a coupon code taken from the tier's pool, a custom reward
// — or a coupon when the pool is dry — put in the fulfilment queue); otherwise it is revoked.
// When the progress drops (an invite voided or rejected), rewards of tiers no longer reached are
// revoked while unclaimed (held, or waiting for fulfilment) and a granted points reward is
// clawed back: a reversal row in the ledger. A coupon already handed out or a reward fulfilled is
// not taken back. Every change of one participant's progress runs under their row lock.
import { z } from 'zod';
import type { Config } from '../../config.js';
import type { Tx } from '../../platform/db/transaction.js';
import { defineJob, enqueue, type JobDefinition } from '../../platform/queue/index.js';
import { credit, reverse } from '../points/index.js';
import * as invites from './invites-store.js';
import { tell } from './messages.js';
import * as store from './store.js';

const DAY_MS = 86_400_000;
const grantPayload = z.object({ workspaceId: z.uuid(), rewardId: z.uuid() });

export interface RewardEngine {
  grantJob: JobDefinition<typeof grantPayload>;
  /** Brings the participant's rewards in line with their progress; returns the progress. */
  settle(tx: Tx, workspaceId: string, participantId: string): Promise<{ valid: number; campaign: store.CampaignRow; tiers: store.TierRow[]; contactId: string } | undefined>;
}

const built = new WeakMap<Config, RewardEngine>();

export function rewardEngine(config: Config): RewardEngine {
  const found = built.get(config);
  if (found) return found;

  async function settle(tx: Tx, workspaceId: string, participantId: string) {
    const participant = await invites.lockParticipant(tx, workspaceId, participantId);
    if (!participant) return undefined;
    const campaign = (await store.findCampaign(tx, workspaceId, participant.campaign_id))!;
    const tiers = await store.tiersOf(tx, workspaceId, [campaign.id]);
    const valid = (await invites.progressOf(tx, workspaceId, [participantId])).get(participantId)?.counted ?? 0;
    const rewards = await invites.rewardsOf(tx, workspaceId, [participantId]);
    for (const tier of tiers) {
      const reward = rewards.find((r) => r.tier === tier.tier);
      if (tier.goal <= valid) {
        if (reward && reward.status !== 'revoked') continue;
        const held = await invites.holdReward(tx, workspaceId, { campaignId: campaign.id, participantId, tier: tier.tier, dueAt: new Date(Date.now() + campaign.hold_days * DAY_MS) });
        if (held) await enqueue(tx, grantJob, { workspaceId, rewardId: held.id }, { runAt: held.due_at, dedupeKey: `fission.grant:${held.id}:${held.due_at.getTime()}` });
      } else if (reward) {
        await revoke(tx, workspaceId, reward);
      }
    }
    return { valid, campaign, tiers, contactId: participant.contact_id };
  }

  async function revoke(tx: Tx, workspaceId: string, reward: invites.RewardRow) {
    if (reward.status === 'held' || reward.status === 'awaiting_fulfilment') await invites.setReward(tx, workspaceId, reward.id, 'revoked');
    else if (reward.status === 'granted' && reward.points_entry_id) {
      await reverse(tx, workspaceId, reward.points_entry_id, 'fission reward clawed back: invite voided');
      await invites.setReward(tx, workspaceId, reward.id, 'revoked');
    }
  }

  const grantJob = defineJob({
    name: 'fission.grant-reward',
    queue: 'within-5s',
    maxAttempts: 8,
    transactional: true,
    payload: grantPayload,
    async handler(ctx, { workspaceId, rewardId }) {
      const tx = ctx.db as Tx;
      const reward = await invites.lockReward(tx, workspaceId, rewardId);
      // Granted, revoked, or held again later (a newer job is due then).
      if (!reward || reward.status !== 'held' || reward.due_at.getTime() > Date.now()) return { skipped: reward?.status ?? 'gone' };
      const progress = await settle(tx, workspaceId, reward.participant_id);
      const tier = progress?.tiers.find((t) => t.tier === reward.tier);
      const now = await invites.lockReward(tx, workspaceId, rewardId);
      if (!progress || !tier || now?.status !== 'held') return { revoked: true };
      let couponCode: string | null = null;
      if (tier.reward_kind === 'points') {
        const entry = await credit(tx, workspaceId, { contactId: progress.contactId, delta: tier.points!, reason: `fission: ${progress.campaign.name} tier ${tier.tier}`, ref: `fission_reward:${rewardId}` });
        await invites.setReward(tx, workspaceId, rewardId, 'granted', { pointsEntryId: entry });
      } else if (tier.reward_kind === 'coupon' && (couponCode = (await store.takeCoupon(tx, workspaceId, progress.campaign.id, tier.tier, rewardId)) ?? null)) {
        await invites.setReward(tx, workspaceId, rewardId, 'granted', { couponCode });
      } else {
        await invites.setReward(tx, workspaceId, rewardId, 'awaiting_fulfilment');
      }
      if (progress.campaign.progress_messages) {
        await tell(tx, config, workspaceId, { contactId: progress.contactId, channelId: progress.campaign.channel_id }, { kind: 'granted', rewardName: tier.reward_name, couponCode, waiting: tier.reward_kind !== 'points' && !couponCode });
      }
      return { granted: tier.reward_kind };
    },
  });

  const engine: RewardEngine = { grantJob, settle };
  built.set(config, engine);
  return engine;
}
