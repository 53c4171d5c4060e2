// Zod types of live codes, shared by the routes and the service.
import { z } from 'zod';

export const strategies = ['round_robin', 'weighted', 'least_loaded'] as const;

const staffMember = z.object({
  memberId: z.uuid(),
  /** For `weighted`: the member's share of picks relative to the others'. */
  weight: z.number().int().min(1).max(1000).default(1),
  /** Picks a day in the workspace's time zone; null or absent: no cap. */
  dailyCap: z.number().int().min(1).max(1_000_000).nullable().default(null),
});
const backupMember = staffMember.omit({ weight: true });

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
  enabled: fields.enabled.default(true),
});
export const codePatch = z.object(fields).partial();
export type CodeInput = z.infer<typeof codeBody>;
export type CodePatch = z.infer<typeof codePatch>;

export const codeSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  slug: z.string(),
  /** PUBLIC_URL + /c/<slug>: what the QR code holds. */
  url: z.string(),
  channelId: z.uuid().nullable(),
  landingUrl: z.string().nullable(),
  strategy: z.enum(strategies),
  staff: z.array(z.object({ memberId: z.uuid(), weight: z.number(), dailyCap: z.number().nullable() })),
  backupStaff: z.array(z.object({ memberId: z.uuid(), dailyCap: z.number().nullable() })),
  tagIds: z.array(z.uuid()),
  welcomeMessage: z.string().nullable(),
  enabled: z.boolean(),
  createdAt: z.date(),
  updatedAt: z.date(),
});

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
export const statsQuery = z.object({ from: day.optional(), to: day.optional() });
export const statsSchema = z.object({
  from: z.string(),
  to: z.string(),
  days: z.array(z.object({ day: z.string(), scans: z.number(), noStaffAvailable: z.number(), adds: z.number(), attributed: z.number() })),
  totals: z.object({ scans: z.number(), noStaffAvailable: z.number(), adds: z.number(), attributed: z.number() }),
});

export const qrQuery = z.object({ size: z.enum(['256', '512', '1024']).default('256') });
