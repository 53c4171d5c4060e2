// Zod types of live codes, shared by the routes and the service.
import { z } from 'zod';
import { weeklyInterval } from '../../platform/time/weekly.js';

export const strategies = ['round_robin', 'weighted', 'least_loaded'] as const;

const staffMember = z.object({
  memberId: z.uuid(),
  /** For `weighted`: the member's share of picks relative to the others'. */
  weight: z.number().int().min(1).max(1000).default(1),
  /** Picks a day in the workspace's time zone; null or absent: no cap. */
  dailyCap: z.number().int().min(1).max(1_000_000).nullable().default(null),
  /** On duty in these weekly intervals, in the workspace's time zone; null or absent: at all hours. */
  hours: z.array(weeklyInterval).min(1).max(50).nullable().default(null),
});
const backupMember = staffMember.omit({ weight: true });

const day = z.iso.date();
const period = z
  .object({
    name: z.string().trim().min(1).max(100),
    /** First and last local day (inclusive). */
    from: day,
    to: day,
    staff: z.array(staffMember.pick({ memberId: true, dailyCap: true })).min(1).max(200),
  })
  .refine((p) => p.from <= p.to, { message: 'A period ends on or after its first day', path: ['to'] });

const fields = {
  name: z.string().trim().min(1).max(200),
  /** A channel of the workspace (any type); or else `landingUrl`. */
  channelId: z.uuid().nullable(),
  /** A web landing page (http or https); the link adds `renmai_code=<slug>`. */
  landingUrl: z.url({ protocol: /^https?$/ }).max(2000).nullable(),
  strategy: z.enum(strategies),
  staff: z.array(staffMember).max(200),
  backupStaff: z.array(backupMember).max(50),
  tagIds: z.array(z.uuid()).max(50),
  welcomeMessage: z.string().trim().min(1).max(2000).nullable(),
  /** Special periods (holidays, events): on their days their staff replace the pool. */
  periods: z.array(period).max(50),
  /** A returning visitor goes back to the staff member they were given before (if still in the code). */
  exclusive: z.boolean(),
  /** An arrival whose name contains one of these (case-insensitive) gets no welcome message. */
  welcomeBlockedNames: z.array(z.string().trim().min(1).max(50)).max(200),
  enabled: z.boolean(),
};

export const codeBody = z.object({
  ...fields,
  channelId: fields.channelId.optional().default(null),
  landingUrl: fields.landingUrl.optional().default(null),
  strategy: fields.strategy.default('round_robin'),
  backupStaff: fields.backupStaff.default([]),
  tagIds: fields.tagIds.default([]),
  welcomeMessage: fields.welcomeMessage.optional().default(null),
  periods: fields.periods.default([]),
  exclusive: fields.exclusive.default(false),
  welcomeBlockedNames: fields.welcomeBlockedNames.default([]),
  enabled: fields.enabled.default(true),
});
export const codePatch = z.object(fields).partial();
export type CodeInput = z.infer<typeof codeBody>;
export type CodePatch = z.infer<typeof codePatch>;

const weeklyIntervalOut = z.object({ day: z.number(), open: z.string(), close: z.string() });

export const codeSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  slug: z.string(),
  /** PUBLIC_URL + /c/<slug>: what the QR code holds. */
  url: z.string(),
  channelId: z.uuid().nullable(),
  landingUrl: z.string().nullable(),
  strategy: z.enum(strategies),
  staff: z.array(z.object({ memberId: z.uuid(), weight: z.number(), dailyCap: z.number().nullable(), hours: z.array(weeklyIntervalOut).nullable() })),
  backupStaff: z.array(z.object({ memberId: z.uuid(), dailyCap: z.number().nullable(), hours: z.array(weeklyIntervalOut).nullable() })),
  tagIds: z.array(z.uuid()),
  welcomeMessage: z.string().nullable(),
  periods: z.array(z.object({ name: z.string(), from: z.string(), to: z.string(), staff: z.array(z.object({ memberId: z.uuid(), dailyCap: z.number().nullable() })) })),
  exclusive: z.boolean(),
  welcomeBlockedNames: z.array(z.string()),
  /** The code's entry at its channel's provider, once registered (POST /live-codes/{id}/register). */
  registration: z.object({ ref: z.string(), qrContent: z.string().nullable(), qrImageUrl: z.string().nullable(), registeredAt: z.date() }).nullable(),
  enabled: z.boolean(),
  createdAt: z.date(),
  updatedAt: z.date(),
});

export const statsQuery = z.object({ from: day.optional(), to: day.optional(), stageId: z.uuid().optional() });
const dayFigures = {
  scans: z.number(),
  noStaffAvailable: z.number(),
  adds: z.number(),
  attributed: z.number(),
  /** Arrivals of any day who left (unfollowed, removed or were removed) on this day. */
  left: z.number(),
  /** adds − left. */
  net: z.number(),
  /** Of this day's arrivals, those who have placed an order since. */
  ordered: z.number(),
  /** Of this day's arrivals, those who have moved to the asked stage since (0 without stageId). */
  reachedStage: z.number(),
};
export const figureNames = Object.keys(dayFigures) as (keyof typeof dayFigures)[];
export const statsSchema = z.object({
  from: z.string(),
  to: z.string(),
  days: z.array(z.object({ day: z.string(), ...dayFigures })),
  totals: z.object(dayFigures),
});
export type CodeStats = z.infer<typeof statsSchema>;

export const qrQuery = z.object({ size: z.enum(['256', '512', '1024']).default('256') });
