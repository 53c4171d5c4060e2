// Zod types of fission campaigns, shared by the routes and the service.
import { z } from 'zod';

const point = { x: z.number().int().min(0).max(4000), y: z.number().int().min(0).max(4000) };
/** Where the avatar, the name and the QR code go on the poster (pixels of a width × height poster). */
export const posterLayout = z.object({
  width: z.number().int().min(200).max(2000),
  height: z.number().int().min(200).max(4000),
  avatar: z.object({ ...point, size: z.number().int().min(16).max(1000) }),
  name: z.object({ ...point, size: z.number().int().min(8).max(200), color: z.string().regex(/^#[0-9a-fA-F]{6}$/) }),
  qr: z.object({ ...point, size: z.number().int().min(64).max(2000) }),
});
export type PosterLayout = z.infer<typeof posterLayout>;

export const defaultLayout: PosterLayout = {
  width: 750,
  height: 1334,
  avatar: { x: 40, y: 1120, size: 140 },
  name: { x: 200, y: 1170, size: 36, color: '#222222' },
  qr: { x: 530, y: 1100, size: 190 },
};

export const tier = z.object({
  /** Valid invites needed. Tiers are numbered 1, 2, … in the order given; goals must rise. */
  goal: z.number().int().min(1).max(100_000),
  rewardKind: z.enum(['coupon', 'points', 'custom']),
  /** What the participant is told they get ("¥20 coupon", "Mug"). */
  rewardName: z.string().trim().min(1).max(200),
  /** For `points`: how many. */
  points: z.number().int().min(1).max(100_000_000).nullable().default(null),
});
export type TierInput = z.infer<typeof tier>;

const fields = {
  name: z.string().trim().min(1).max(200),
  startsAt: z.coerce.date(),
  endsAt: z.coerce.date(),
  /** The channel new friends arrive through; its adapter's entry link carries the personal source. */
  channelId: z.uuid(),
  tiers: z.array(tier).min(1).max(10),
  holdDays: z.number().int().min(0).max(90),
  voidDays: z.number().int().min(0).max(365),
  rulesText: z.string().max(5000),
  burstCount: z.number().int().min(2).max(1000),
  burstMinutes: z.number().int().min(1).max(1440),
  progressMessages: z.boolean(),
  posterLayout,
};

export const campaignBody = z.object({
  ...fields,
  holdDays: fields.holdDays.default(7),
  voidDays: fields.voidDays.default(7),
  rulesText: fields.rulesText.default(''),
  burstCount: fields.burstCount.default(5),
  burstMinutes: fields.burstMinutes.default(10),
  progressMessages: fields.progressMessages.default(true),
  posterLayout: fields.posterLayout.default(defaultLayout),
});
export const campaignPatch = z.object({ ...fields, status: z.enum(['draft', 'active', 'ended']) }).partial();
export type CampaignInput = z.infer<typeof campaignBody>;
export type CampaignPatch = z.infer<typeof campaignPatch>;

export const campaignSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  status: z.enum(['draft', 'active', 'ended']),
  startsAt: z.date(),
  endsAt: z.date(),
  channelId: z.uuid(),
  /** The channel's deep link that makes whoever follows it a participant (null when the channel has none). */
  entryLink: z.string().nullable(),
  tiers: z.array(tier.extend({ tier: z.number(), couponsLeft: z.number().nullable() })),
  holdDays: z.number(),
  voidDays: z.number(),
  rulesText: z.string(),
  burstCount: z.number(),
  burstMinutes: z.number(),
  progressMessages: z.boolean(),
  hasBackground: z.boolean(),
  posterLayout,
  posterVersion: z.number(),
  createdAt: z.date(),
  updatedAt: z.date(),
});

export const couponsBody = z.object({ tier: z.number().int().min(1).max(10), codes: z.array(z.string().trim().min(1).max(200)).min(1).max(10_000) });

export const joinBody = z.object({ contactId: z.uuid() });

export const participantSchema = z.object({
  id: z.uuid(),
  contactId: z.uuid(),
  token: z.string(),
  /** PUBLIC_URL/f/<token>: the personal link on the poster. */
  url: z.string(),
  joinedVia: z.enum(['api', 'link']),
  joinedAt: z.date(),
  validInvites: z.number(),
  inReview: z.number(),
  rewards: z.array(z.object({ id: z.uuid(), tier: z.number(), status: z.string(), dueAt: z.date(), couponCode: z.string().nullable() })),
});

export const inviteSchema = z.object({
  id: z.uuid(),
  participantId: z.uuid(),
  inviteeContactId: z.uuid(),
  status: z.enum(['counted', 'review', 'voided', 'rejected']),
  createdAt: z.date(),
  voidedAt: z.date().nullable(),
});

export const reviewBody = z.object({ decision: z.enum(['approve', 'reject']) });

export const rewardSchema = z.object({
  id: z.uuid(),
  participantId: z.uuid(),
  contactId: z.uuid(),
  tier: z.number(),
  rewardName: z.string(),
  status: z.string(),
  dueAt: z.date(),
});

export const leaderboardSchema = z.object({ items: z.array(z.object({ participantId: z.uuid(), contactId: z.uuid(), name: z.string(), validInvites: z.number() })) });
export const limitQuery = z.object({ limit: z.coerce.number().int().min(1).max(100).default(10) });
