// Zod shapes of the automatic replies' API, shared by routes and services.
import { z } from 'zod';
import { weeklyInterval } from '../../platform/time/weekly.js';
import { MAX_PATTERN } from './match.js';

const text = (max: number) => z.string().trim().min(1).max(max);


export const ruleBody = z.object({
  channelId: z.uuid(),
  position: z.number().int().min(0).max(100_000).default(0),
  matchKind: z.enum(['exact', 'contains', 'regex']),
  pattern: text(MAX_PATTERN),
  caseSensitive: z.boolean().default(false),
  reply: text(2000),
  enabled: z.boolean().default(true),
});
export type RuleInput = z.infer<typeof ruleBody>;
export const rulePatch = ruleBody.omit({ channelId: true }).partial();
export type RulePatch = z.infer<typeof rulePatch>;

export const ruleSchema = z.object({
  id: z.string(),
  channelId: z.string(),
  position: z.number(),
  matchKind: z.enum(['exact', 'contains', 'regex']),
  pattern: z.string(),
  caseSensitive: z.boolean(),
  reply: z.string(),
  enabled: z.boolean(),
  createdAt: z.date(),
  updatedAt: z.date(),
});

export const hoursBody = z.object({
  timezone: z.string().min(1).max(64),
  weekly: z.array(weeklyInterval).max(50),
  closedDates: z.array(z.iso.date()).max(366).default([]),
  awayMessage: text(2000),
  enabled: z.boolean().default(true),
});
export type HoursInput = z.infer<typeof hoursBody>;

export const hoursSchema = z.object({
  teamId: z.string(),
  timezone: z.string(),
  weekly: z.array(z.object({ day: z.number(), open: z.string(), close: z.string() })),
  closedDates: z.array(z.string()),
  awayMessage: z.string(),
  enabled: z.boolean(),
  openNow: z.boolean(),
  updatedAt: z.date(),
});

export const channelSettingsBody = z.object({
  welcomeMessage: text(2000).nullable().default(null),
  csatEnabled: z.boolean().default(false),
});
export type ChannelSettingsInput = z.infer<typeof channelSettingsBody>;

export const channelSettingsSchema = z.object({ channelId: z.string(), welcomeMessage: z.string().nullable(), csatEnabled: z.boolean(), updatedAt: z.date().nullable() });

export const cannedBody = z.object({
  shortcut: z.string().trim().toLowerCase().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'A shortcut is 1–40 letters, digits, - or _'),
  title: text(200),
  body: text(5000),
  scope: z.enum(['workspace', 'personal']).default('personal'),
});
export type CannedInput = z.infer<typeof cannedBody>;
export const cannedPatch = cannedBody.omit({ scope: true }).partial();
export type CannedPatch = z.infer<typeof cannedPatch>;

export const cannedSchema = z.object({ id: z.string(), shortcut: z.string(), title: z.string(), body: z.string(), scope: z.enum(['workspace', 'personal']) });

export const cannedQuery = z.object({
  q: z.string().trim().max(100).optional(),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const reportQuery = z.object({
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
  teamId: z.uuid().optional(),
  memberId: z.uuid().optional(),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export type ReportQuery = z.infer<typeof reportQuery>;

const figures = { sent: z.number(), answered: z.number(), responseRate: z.number().nullable(), average: z.number().nullable() };
export const reportSchema = z.object({
  from: z.date(),
  to: z.date(),
  ...figures,
  distribution: z.object({ 1: z.number(), 2: z.number(), 3: z.number(), 4: z.number(), 5: z.number() }),
  byAgent: z.array(z.object({ memberId: z.string().nullable(), name: z.string().nullable(), ...figures })),
  byTeam: z.array(z.object({ teamId: z.string().nullable(), name: z.string().nullable(), ...figures })),
  comments: z.object({
    items: z.array(z.object({ surveyId: z.string(), conversationId: z.string(), memberId: z.string().nullable(), memberName: z.string().nullable(), teamId: z.string().nullable(), rating: z.number(), comment: z.string(), answeredAt: z.date() })),
    nextCursor: z.string().nullable(),
  }),
});
