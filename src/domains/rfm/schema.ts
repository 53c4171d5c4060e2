// Zod shapes of the RFM API: settings, trigger rules, distribution and lists.
import { z } from 'zod';
import { layers } from './layers.js';

export const layerSchema = z.enum(layers);

const bounds = (item: z.ZodNumber) => z.array(item).length(4);
/** Bounds to reach scores 2, 3, 4 and 5. */
export const thresholdsSchema = z.strictObject({
  recencyDays: bounds(z.number().int().min(0).max(36_500)).describe('Days since the last order, at most, for scores 2, 3, 4, 5 (decreasing)'),
  frequency: bounds(z.number().int().min(0).max(1_000_000)).describe('Orders in the window, at least, for scores 2, 3, 4, 5 (increasing)'),
  monetary: bounds(z.number().min(0).max(1e12)).describe('Amount in the window, at least, for scores 2, 3, 4, 5 (increasing)'),
});
export type Thresholds = z.infer<typeof thresholdsSchema>;

const score = z.number().int().min(2).max(5);
const layerNameValue = z.string().trim().min(1).max(30);

export const settingsPatch = z.strictObject({
  windowDays: z.number().int().min(1).max(3650).optional().describe('F and M count the orders of the last windowDays days (today included); R is the age of the last order, however old'),
  orderTypes: z.array(z.string().trim().min(1).max(40)).min(1).max(10).optional(),
  orderStatuses: z.array(z.string().trim().min(1).max(40)).min(1).max(20).nullable().optional().describe('When set, only orders whose props.status is one of these count; null: every order'),
  scoring: z.enum(['quantile', 'thresholds']).optional().describe('quantile: 1 + floor(5 × percent_rank) among the customers; thresholds: the bounds in `thresholds`'),
  thresholds: thresholdsSchema.nullable().optional(),
  highScores: z.strictObject({ r: score, f: score, m: score }).partial().optional().describe('A score at or above its bound is high (↑), below is low (↓); M decides 重要/一般, R and F 价值/发展/保持/挽留'),
  // null puts a layer's default name back.
  layerNames: z.partialRecord(layerSchema, layerNameValue.nullable()).optional(),
});
export type SettingsPatch = z.infer<typeof settingsPatch>;

const cutsSchema = z.object({
  recencyDays: z.array(z.number().nullable()),
  frequency: z.array(z.number().nullable()),
  monetary: z.array(z.number().nullable()),
});

export const settingsSchema = z.object({
  windowDays: z.number(),
  orderTypes: z.array(z.string()),
  orderStatuses: z.array(z.string()).nullable(),
  scoring: z.enum(['quantile', 'thresholds']),
  thresholds: thresholdsSchema.nullable(),
  highScores: z.object({ r: z.number(), f: z.number(), m: z.number() }).describe('A score at or above its bound is high (↑), below is low (↓)'),
  layers: z.array(z.object({ key: layerSchema, name: z.string(), defaultName: z.string() })),
  cuts: cutsSchema.nullable().describe('The bounds in effect (scores 2–5): the thresholds, or the quintiles the last full recompute found'),
  computedAt: z.date().nullable(),
  updatedAt: z.date().nullable(),
});

const ruleName = z.string().trim().min(1).max(100);
export const ruleBody = z.strictObject({
  name: ruleName,
  fromLayers: z.array(layerSchema).max(8).default([]).describe('Empty: from any layer'),
  toLayers: z.array(layerSchema).max(8).default([]).describe('Empty: to any layer'),
  taskTitle: z.string().trim().min(1).max(200).nullable().default(null),
  taskDueDays: z.number().int().min(0).max(365).nullable().default(null),
  notify: z.boolean().default(true),
  fallbackMemberId: z.uuid().nullable().default(null),
  enabled: z.boolean().default(true),
});
export type RuleInput = z.infer<typeof ruleBody>;
export const rulePatch = z.strictObject({
  name: ruleName.optional(),
  fromLayers: z.array(layerSchema).max(8).optional(),
  toLayers: z.array(layerSchema).max(8).optional(),
  taskTitle: z.string().trim().min(1).max(200).nullable().optional(),
  taskDueDays: z.number().int().min(0).max(365).nullable().optional(),
  notify: z.boolean().optional(),
  fallbackMemberId: z.uuid().nullable().optional(),
  enabled: z.boolean().optional(),
});
export type RulePatch = z.infer<typeof rulePatch>;

export const ruleSchema = z.object({
  id: z.string(),
  name: z.string(),
  fromLayers: z.array(layerSchema),
  toLayers: z.array(layerSchema),
  taskTitle: z.string().nullable(),
  taskDueDays: z.number().nullable(),
  notify: z.boolean(),
  fallbackMemberId: z.string().nullable(),
  enabled: z.boolean(),
  createdAt: z.date(),
  updatedAt: z.date(),
});

const count = z.object({ score: z.number(), count: z.number() });
export const distributionSchema = z.object({
  customers: z.number().describe('Customers (contacts with a counted order) the caller can see'),
  layers: z.array(z.object({ layer: layerSchema, name: z.string(), count: z.number() })),
  r: z.array(count),
  f: z.array(count),
  m: z.array(count),
  rf: z.array(z.object({ r: z.number(), f: z.number(), count: z.number() })).describe('Customers per R and F score (the classic grid)'),
  computedAt: z.date().nullable(),
});

export const rfmValuesSchema = z.object({
  recencyDays: z.number().nullable(),
  frequency: z.number(),
  monetary: z.number(),
  r: z.number(),
  f: z.number(),
  m: z.number(),
  layer: layerSchema,
  layerName: z.string(),
  computedAt: z.date(),
});

export const customerSchema = rfmValuesSchema.extend({ contact: z.object({ id: z.string(), name: z.string() }) });

export const contactRfmSchema = z.object({
  contactId: z.string(),
  rfm: rfmValuesSchema.nullable().describe('Null until the contact has a counted order'),
  changes: z.array(z.object({ id: z.string(), from: layerSchema, to: layerSchema, reason: z.string(), changedAt: z.date() })),
});

const scoreFilter = z.coerce.number().int().min(1).max(5).optional();
export const customersQuery = z.object({
  layer: layerSchema.optional(),
  r: scoreFilter,
  f: scoreFilter,
  m: scoreFilter,
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type CustomersQuery = z.infer<typeof customersQuery>;
