// SQL of fission campaigns, their tiers, coupon pools and participants. Every query is scoped to
// its workspace, except the public link's lookup by token (the token is all it has).
import { sql, type Expression, type SqlBool } from 'kysely';
import type { Db } from '../../platform/db/connect.js';
import { withOurs } from './db.js';
import type { PosterLayout } from './schema.js';
import type { CampaignStatus, RewardKind } from './tables.js';

export interface CampaignValues {
  name: string;
  status: CampaignStatus;
  startsAt: Date;
  endsAt: Date;
  channelId: string;
  holdDays: number;
  voidDays: number;
  rulesText: string;
  burstCount: number;
  burstMinutes: number;
  progressMessages: boolean;
  posterLayout: PosterLayout;
}

const campaignColumns = [
  'id', 'name', 'slug', 'status', 'starts_at', 'ends_at', 'channel_id', 'hold_days', 'void_days', 'rules_text', 'burst_count', 'burst_minutes',
  'progress_messages', 'background_attachment_id', 'poster_layout', 'poster_version', 'created_at', 'updated_at',
] as const;
export type CampaignRow = Awaited<ReturnType<typeof findCampaign>> & object;

const columnsOf = (v: CampaignValues) => ({
  name: v.name,
  status: v.status,
  starts_at: v.startsAt,
  ends_at: v.endsAt,
  channel_id: v.channelId,
  hold_days: v.holdDays,
  void_days: v.voidDays,
  rules_text: v.rulesText,
  burst_count: v.burstCount,
  burst_minutes: v.burstMinutes,
  progress_messages: v.progressMessages,
  poster_layout: JSON.stringify(v.posterLayout),
});

export const findCampaign = (db: Db, workspaceId: string, id: string) =>
  withOurs(db).selectFrom('fission_campaigns').select(campaignColumns).where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();

export const findCampaignBySlug = (db: Db, workspaceId: string, slug: string) =>
  withOurs(db).selectFrom('fission_campaigns').select(campaignColumns).where('workspace_id', '=', workspaceId).where('slug', '=', slug).executeTakeFirst();

export const listCampaigns = (db: Db, workspaceId: string, after: Expression<SqlBool> | undefined, limit: number) =>
  withOurs(db)
    .selectFrom('fission_campaigns')
    .select(campaignColumns)
    .where('workspace_id', '=', workspaceId)
    .$if(after !== undefined, (q) => q.where(after!))
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute();

export const insertCampaign = (db: Db, workspaceId: string, slug: string, v: CampaignValues, createdBy: string | null) =>
  withOurs(db)
    .insertInto('fission_campaigns')
    .values({ workspace_id: workspaceId, slug, created_by: createdBy, ...columnsOf(v) })
    .onConflict((oc) => oc.columns(['workspace_id', 'slug']).doNothing())
    .returning(campaignColumns)
    .executeTakeFirst();

export const updateCampaign = (db: Db, workspaceId: string, id: string, v: CampaignValues, posterChanged: boolean) =>
  withOurs(db)
    .updateTable('fission_campaigns')
    .set({ ...columnsOf(v), updated_at: sql<Date>`now()`, ...(posterChanged ? { poster_version: sql<number>`poster_version + 1` } : {}) })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .returning(campaignColumns)
    .executeTakeFirst();

export const setBackground = (db: Db, workspaceId: string, id: string, attachmentId: string) =>
  withOurs(db)
    .updateTable('fission_campaigns')
    .set({ background_attachment_id: attachmentId, poster_version: sql<number>`poster_version + 1`, updated_at: sql<Date>`now()` })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .execute();

export const deleteCampaign = (db: Db, workspaceId: string, id: string) => withOurs(db).deleteFrom('fission_campaigns').where('workspace_id', '=', workspaceId).where('id', '=', id).execute();

export const tiersOf = (db: Db, workspaceId: string, campaignIds: readonly string[]) =>
  campaignIds.length
    ? withOurs(db)
        .selectFrom('fission_tiers as t')
        .select(['t.campaign_id', 't.tier', 't.goal', 't.reward_kind', 't.reward_name', 't.points'])
        .select((eb) =>
          eb
            .selectFrom('fission_coupon_codes as c')
            .select(sql<number>`count(*)::int`.as('n'))
            .whereRef('c.workspace_id', '=', 't.workspace_id')
            .whereRef('c.campaign_id', '=', 't.campaign_id')
            .whereRef('c.tier', '=', 't.tier')
            .where('c.reward_id', 'is', null)
            .as('coupons_left'),
        )
        .where('t.workspace_id', '=', workspaceId)
        .where('t.campaign_id', 'in', campaignIds)
        .orderBy('t.campaign_id')
        .orderBy('t.tier')
        .execute()
    : Promise.resolve([]);
export type TierRow = Awaited<ReturnType<typeof tiersOf>>[number];

export async function replaceTiers(db: Db, workspaceId: string, campaignId: string, tiers: ReadonlyArray<{ goal: number; rewardKind: RewardKind; rewardName: string; points: number | null }>) {
  await withOurs(db).deleteFrom('fission_tiers').where('workspace_id', '=', workspaceId).where('campaign_id', '=', campaignId).execute();
  await withOurs(db)
    .insertInto('fission_tiers')
    .values(tiers.map((t, i) => ({ workspace_id: workspaceId, campaign_id: campaignId, tier: i + 1, goal: t.goal, reward_kind: t.rewardKind, reward_name: t.rewardName, points: t.rewardKind === 'points' ? t.points : null })))
    .execute();
}

/** Adds codes to a tier's pool (a code already there is kept once); returns how many were new. */
export const addCoupons = async (db: Db, workspaceId: string, campaignId: string, tier: number, codes: readonly string[]) =>
  (
    await withOurs(db)
      .insertInto('fission_coupon_codes')
      .values([...new Set(codes)].map((code) => ({ workspace_id: workspaceId, campaign_id: campaignId, tier, code })))
      .onConflict((oc) => oc.doNothing())
      .returning('code')
      .execute()
  ).length;

/** Hands one free code of the tier to the reward; two grants at once never get the same code (SKIP LOCKED). */
export const takeCoupon = async (db: Db, workspaceId: string, campaignId: string, tier: number, rewardId: string) =>
  (
    await sql<{ code: string }>`
      update fission_coupon_codes set reward_id = ${rewardId}
      where (workspace_id, campaign_id, tier, code) = (
        select workspace_id, campaign_id, tier, code from fission_coupon_codes
        where workspace_id = ${workspaceId} and campaign_id = ${campaignId} and tier = ${tier} and reward_id is null
        order by code limit 1 for update skip locked)
      returning code`.execute(db)
  ).rows[0]?.code;

export const participantColumns = ['id', 'campaign_id', 'contact_id', 'token', 'joined_via', 'joined_at'] as const;

/** Joins the contact to the campaign; undefined when they already were a participant. */
export const insertParticipant = (db: Db, workspaceId: string, p: { campaignId: string; contactId: string; token: string; joinedVia: 'api' | 'link' }) =>
  withOurs(db)
    .insertInto('fission_participants')
    .values({ workspace_id: workspaceId, campaign_id: p.campaignId, contact_id: p.contactId, token: p.token, joined_via: p.joinedVia })
    .onConflict((oc) => oc.doNothing())
    .returning(participantColumns)
    .executeTakeFirst();

export const findParticipant = (db: Db, workspaceId: string, campaignId: string, id: string) =>
  withOurs(db).selectFrom('fission_participants').select(participantColumns).where('workspace_id', '=', workspaceId).where('campaign_id', '=', campaignId).where('id', '=', id).executeTakeFirst();

export const participantOfContact = (db: Db, workspaceId: string, campaignId: string, contactId: string) =>
  withOurs(db).selectFrom('fission_participants').select(participantColumns).where('workspace_id', '=', workspaceId).where('campaign_id', '=', campaignId).where('contact_id', '=', contactId).executeTakeFirst();

/** Within a workspace, by token (the arrival's source). */
export const participantByToken = (db: Db, workspaceId: string, token: string) =>
  withOurs(db).selectFrom('fission_participants').select(participantColumns).where('workspace_id', '=', workspaceId).where('token', '=', token).executeTakeFirst();

/** The public link's participant, by token alone (tokens are random; a clash across workspaces finds none). */
export async function publicParticipant(db: Db, token: string) {
  const rows = await withOurs(db)
    .selectFrom('fission_participants as p')
    .innerJoin('fission_campaigns as c', (j) => j.onRef('c.workspace_id', '=', 'p.workspace_id').onRef('c.id', '=', 'p.campaign_id'))
    .select(['p.workspace_id', 'p.id', 'p.campaign_id', 'p.contact_id', 'p.token', 'c.status'])
    .where('p.token', '=', token)
    .limit(2)
    .execute();
  return rows.length === 1 && rows[0]!.status !== 'draft' ? rows[0] : undefined;
}

export const listParticipants = (db: Db, workspaceId: string, campaignId: string, after: Expression<SqlBool> | undefined, limit: number) =>
  withOurs(db)
    .selectFrom('fission_participants')
    .select(participantColumns)
    .where('workspace_id', '=', workspaceId)
    .where('campaign_id', '=', campaignId)
    .$if(after !== undefined, (q) => q.where(after!))
    .orderBy('joined_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute();
