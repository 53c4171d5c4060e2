// What people and integrations may record on a contact's timeline, validated per type.
import { z } from 'zod';

export const timelineTypes = [
  'note', 'call', 'visit', 'meeting', 'email', 'message', 'stage_changed', 'tags_added', 'tags_removed',
  'owner_changed', 'code_scan', 'form_submission', 'order', 'merged', 'created', 'imported', 'deleted', 'restored', 'rfm_layer_changed', 'tag_rule_applied',
  'consent_changed',
] as const;
export type TimelineType = (typeof timelineTypes)[number];

const text = (max: number) => z.string().trim().min(1).max(max);
const occurredAt = z.coerce.date().optional();
/** Anything else an integration wants to keep with the entry: flat scalar values. */
const extra = z.record(z.string().max(60), z.union([z.string().max(2000), z.number(), z.boolean(), z.null()])).optional();

export const noteBody = z.strictObject({ body: text(20_000) });
export const callBody = z.strictObject({
  body: text(20_000).optional(),
  direction: z.enum(['in', 'out']),
  durationSeconds: z.number().int().min(0).max(86_400).optional(),
  outcome: text(100).optional(),
  occurredAt,
});
export const visitBody = z.strictObject({ body: text(20_000).optional(), location: text(200).optional(), occurredAt });

const meeting = z.strictObject({
  title: text(200).optional(),
  body: text(20_000).optional(),
  location: text(200).optional(),
  durationMinutes: z.number().int().min(0).max(1440).optional(),
  attendees: z.array(text(200)).max(50).optional(),
  extra,
});
const email = z.strictObject({
  subject: text(500),
  direction: z.enum(['in', 'out']),
  body: text(50_000).optional(),
  from: text(320).optional(),
  to: z.array(text(320)).max(50).optional(),
  extra,
});
const message = z.strictObject({ channel: text(40), direction: z.enum(['in', 'out']), body: text(20_000).optional(), extra });
const order = z.strictObject({
  orderId: text(100),
  amount: z.number().min(0),
  currency: z.string().regex(/^[A-Z]{3}$/, 'An ISO 4217 code like CNY'),
  status: text(40).optional(),
  items: z.array(z.strictObject({ name: text(200), quantity: z.number().int().min(1), price: z.number().min(0).optional(), category: text(100).optional() })).max(200).optional(),
  extra,
});
const formSubmission = z.strictObject({
  formId: text(100).optional(),
  formName: text(200),
  fields: z.record(z.string().max(100), z.union([z.string().max(5000), z.number(), z.boolean(), z.null(), z.array(z.string().max(500)).max(50)])),
  extra,
});
const codeScan = z.strictObject({ codeId: z.uuid().optional(), codeName: text(200).optional(), channel: text(40).optional(), extra });

/** `POST /contacts/:id/timeline`: interactions integrations record (people use notes, calls and visits). */
export const interactionBody = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('meeting'), props: meeting, occurredAt }),
  z.strictObject({ type: z.literal('email'), props: email, occurredAt }),
  z.strictObject({ type: z.literal('message'), props: message, occurredAt }),
  z.strictObject({ type: z.literal('order'), props: order, occurredAt }),
  z.strictObject({ type: z.literal('form_submission'), props: formSubmission, occurredAt }),
  z.strictObject({ type: z.literal('code_scan'), props: codeScan, occurredAt }),
]);
export type InteractionInput = z.infer<typeof interactionBody>;
