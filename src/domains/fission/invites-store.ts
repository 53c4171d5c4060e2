// SQL of personal-link visits, invites and rewards. Every query is scoped to its workspace.
import { sql } from 'kysely';
import type { Db } from '../../platform/db/connect.js';
import { withOurs } from './db.js';
import type { InviteStatus, RewardStatus } from './tables.js';

export const insertVisit = (db: Db, workspaceId: string, v: { participantId: string; ipHash: string | null; userAgentHash: string | null }) =>
  withOurs(db).insertInto('fission_visits').values({ workspace_id: workspaceId, participant_id: v.participantId, ip_hash: v.ipHash, user_agent_hash: v.userAgentHash, invite_id: null }).execute();

/** Matches the latest visit of the link not yet matched to an invite (within a day) to this invite; its IP hash. */
export const claimVisit = async (db: Db, workspaceId: string, participantId: string, inviteId: string) =>
  (
    await sql<{ ip_hash: string | null }>`
      update fission_visits set invite_id = ${inviteId}
      where workspace_id = ${workspaceId} and id = (
        select id from fission_visits
        where workspace_id = ${workspaceId} and participant_id = ${participantId} and invite_id is null and visited_at > now() - interval '1 day'
        order by visited_at desc, id desc limit 1 for update skip locked)
      returning ip_hash`.execute(db)
  ).rows[0]?.ip_hash ?? null;

/** The invite; undefined when the invitee already counts for someone (the workspace-wide unique index). */
export const insertInvite = (db: Db, workspaceId: string, i: { campaignId: string; participantId: string; inviteeContactId: string; channelId: string | null }) =>
  withOurs(db)
    .insertInto('fission_invites')
    .values({ workspace_id: workspaceId, campaign_id: i.campaignId, participant_id: i.participantId, invitee_contact_id: i.inviteeContactId, channel_id: i.channelId, status: 'counted' })
    .onConflict((oc) => oc.doNothing())
    .returning(['id', 'created_at'])
    .executeTakeFirst();

export const setInviteIp = (db: Db, workspaceId: string, id: string, ipHash: string) =>
  withOurs(db).updateTable('fission_invites').set({ ip_hash: ipHash }).where('workspace_id', '=', workspaceId).where('id', '=', id).execute();

/** The inviter's invites from one IP hash within the last `minutes`, not voided or rejected. */
export const burstOf = (db: Db, workspaceId: string, participantId: string, ipHash: string, minutes: number) =>
  withOurs(db)
    .selectFrom('fission_invites')
    .select(['id', 'status'])
    .where('workspace_id', '=', workspaceId)
    .where('participant_id', '=', participantId)
    .where('ip_hash', '=', ipHash)
    .where('status', 'in', ['counted', 'review'])
    .where('created_at', '>', sql<Date>`now() - make_interval(mins => ${minutes})`)
    .execute();

export const setInviteStatus = (db: Db, workspaceId: string, ids: readonly string[], status: InviteStatus, extra: { reviewedBy?: string; voided?: boolean } = {}) =>
  ids.length
    ? withOurs(db)
        .updateTable('fission_invites')
        .set({
          status,
          ...(extra.reviewedBy ? { reviewed_by: extra.reviewedBy, reviewed_at: sql<Date>`now()` } : {}),
          ...(extra.voided ? { voided_at: sql<Date>`now()` } : {}),
        })
        .where('workspace_id', '=', workspaceId)
        .where('id', 'in', ids)
        .execute()
    : Promise.resolve([]);

/** The invitee's invite, locked (a removal and a review do not cross). */
export const inviteOfInvitee = (db: Db, workspaceId: string, contactId: string) =>
  withOurs(db)
    .selectFrom('fission_invites')
    .select(['id', 'campaign_id', 'participant_id', 'status', 'created_at'])
    .where('workspace_id', '=', workspaceId)
    .where('invitee_contact_id', '=', contactId)
    .forUpdate()
    .executeTakeFirst();

export const findInvite = (db: Db, workspaceId: string, campaignId: string, id: string) =>
  withOurs(db)
    .selectFrom('fission_invites')
    .select(['id', 'campaign_id', 'participant_id', 'invitee_contact_id', 'status', 'created_at', 'voided_at'])
    .where('workspace_id', '=', workspaceId)
    .where('campaign_id', '=', campaignId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();

export const invitesOf = (db: Db, workspaceId: string, campaignId: string, status: InviteStatus, limit: number) =>
  withOurs(db)
    .selectFrom('fission_invites')
    .select(['id', 'participant_id', 'invitee_contact_id', 'status', 'created_at', 'voided_at'])
    .where('workspace_id', '=', workspaceId)
    .where('campaign_id', '=', campaignId)
    .where('status', '=', status)
    .orderBy('created_at')
    .orderBy('id')
    .limit(limit)
    .execute();

/** Counted and in-review invites per participant. */
export const progressOf = async (db: Db, workspaceId: string, participantIds: readonly string[]) => {
  if (!participantIds.length) return new Map<string, { counted: number; review: number }>();
  const rows = await withOurs(db)
    .selectFrom('fission_invites')
    .select(['participant_id', sql<number>`count(*) filter (where status = 'counted')::int`.as('counted'), sql<number>`count(*) filter (where status = 'review')::int`.as('review')])
    .where('workspace_id', '=', workspaceId)
    .where('participant_id', 'in', participantIds)
    .groupBy('participant_id')
    .execute();
  return new Map(rows.map((r) => [r.participant_id, { counted: r.counted, review: r.review }]));
};

/** Locks the participant's row: their progress and rewards change one event at a time. */
export const lockParticipant = (db: Db, workspaceId: string, participantId: string) =>
  withOurs(db).selectFrom('fission_participants').select(['id', 'campaign_id', 'contact_id', 'token']).where('workspace_id', '=', workspaceId).where('id', '=', participantId).forNoKeyUpdate().executeTakeFirst();

export const leaderboard = (db: Db, workspaceId: string, campaignId: string, limit: number) =>
  withOurs(db)
    .selectFrom('fission_invites as i')
    .innerJoin('fission_participants as p', (j) => j.onRef('p.workspace_id', '=', 'i.workspace_id').onRef('p.id', '=', 'i.participant_id'))
    .innerJoin('contacts as c', (j) => j.onRef('c.workspace_id', '=', 'p.workspace_id').onRef('c.id', '=', 'p.contact_id'))
    .select(['p.id as participant_id', 'p.contact_id', 'c.name', sql<number>`count(*)::int`.as('valid')])
    .where('i.workspace_id', '=', workspaceId)
    .where('i.campaign_id', '=', campaignId)
    .where('i.status', '=', 'counted')
    .groupBy(['p.id', 'p.contact_id', 'c.name'])
    .orderBy('valid', 'desc')
    .orderBy(sql`min(i.created_at)`)
    .limit(limit)
    .execute();

const rewardColumns = ['id', 'campaign_id', 'participant_id', 'tier', 'status', 'due_at', 'coupon_code', 'points_entry_id'] as const;

export const rewardsOf = (db: Db, workspaceId: string, participantIds: readonly string[]) =>
  participantIds.length
    ? withOurs(db).selectFrom('fission_rewards').select(rewardColumns).where('workspace_id', '=', workspaceId).where('participant_id', 'in', participantIds).orderBy('tier').execute()
    : Promise.resolve([]);
export type RewardRow = Awaited<ReturnType<typeof rewardsOf>>[number];

/** Holds the tier's reward until `dueAt`; a reward revoked earlier is held again. Undefined when it is held or granted already. */
export const holdReward = (db: Db, workspaceId: string, r: { campaignId: string; participantId: string; tier: number; dueAt: Date }) =>
  withOurs(db)
    .insertInto('fission_rewards')
    .values({ workspace_id: workspaceId, campaign_id: r.campaignId, participant_id: r.participantId, tier: r.tier, status: 'held', due_at: r.dueAt })
    .onConflict((oc) =>
      oc
        .columns(['workspace_id', 'participant_id', 'tier'])
        .doUpdateSet({ status: 'held', due_at: r.dueAt, revoked_at: null })
        .where('fission_rewards.status', '=', 'revoked'),
    )
    .returning(rewardColumns)
    .executeTakeFirst();

export const lockReward = (db: Db, workspaceId: string, id: string) =>
  withOurs(db).selectFrom('fission_rewards').select(rewardColumns).where('workspace_id', '=', workspaceId).where('id', '=', id).forUpdate().executeTakeFirst();

export const setReward = (db: Db, workspaceId: string, id: string, status: RewardStatus, extra: { couponCode?: string; pointsEntryId?: string; by?: string } = {}) =>
  withOurs(db)
    .updateTable('fission_rewards')
    .set({
      status,
      ...(status === 'granted' || status === 'awaiting_fulfilment' ? { granted_at: sql<Date>`now()` } : {}),
      ...(status === 'revoked' ? { revoked_at: sql<Date>`now()` } : {}),
      ...(status === 'fulfilled' ? { fulfilled_at: sql<Date>`now()`, fulfilled_by: extra.by ?? null } : {}),
      ...(extra.couponCode ? { coupon_code: extra.couponCode } : {}),
      ...(extra.pointsEntryId ? { points_entry_id: extra.pointsEntryId } : {}),
    })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .execute();

export const rewardQueue = (db: Db, workspaceId: string, campaignId: string, status: RewardStatus, limit: number) =>
  withOurs(db)
    .selectFrom('fission_rewards as r')
    .innerJoin('fission_participants as p', (j) => j.onRef('p.workspace_id', '=', 'r.workspace_id').onRef('p.id', '=', 'r.participant_id'))
    .innerJoin('fission_tiers as t', (j) => j.onRef('t.workspace_id', '=', 'r.workspace_id').onRef('t.campaign_id', '=', 'r.campaign_id').onRef('t.tier', '=', 'r.tier'))
    .select(['r.id', 'r.participant_id', 'p.contact_id', 'r.tier', 't.reward_name', 'r.status', 'r.due_at'])
    .where('r.workspace_id', '=', workspaceId)
    .where('r.campaign_id', '=', campaignId)
    .where('r.status', '=', status)
    .orderBy('r.due_at')
    .limit(limit)
    .execute();
