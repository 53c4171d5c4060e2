// Zod types of group codes, shared by the routes and the service.
import { z } from 'zod';

const fields = {
  name: z.string().trim().min(1).max(200),
  /** Added to whoever joins one of the code's groups (groups with a conversation). */
  tagIds: z.array(z.uuid()).max(50),
  enabled: z.boolean(),
};
export const codeBody = z.object({ ...fields, tagIds: fields.tagIds.default([]), enabled: fields.enabled.default(true) });
export const codePatch = z.object(fields).partial();
export type CodeInput = z.infer<typeof codeBody>;
export type CodePatch = z.infer<typeof codePatch>;

/** A QR image as base64: PNG or JPEG (checked from the bytes), at most 512 KB. */
export const QR_IMAGE_MAX_BYTES = 512 * 1024;

const groupFields = {
  name: z.string().trim().min(1).max(200),
  /** An invite link (https): Telegram t.me/+…, LINE, WhatsApp chat.whatsapp.com/…; or else `qrImage`. */
  joinUrl: z.url({ protocol: /^https?$/ }).max(2000).nullable(),
  qrImage: z.base64().max(Math.ceil(QR_IMAGE_MAX_BYTES / 3) * 4).nullable(),
  /** The QR image's last valid local day (a WeChat group's QR code lasts 7 days). */
  expiresOn: z.iso.date().nullable(),
  /** The most members the group takes (WeChat: 200 join by QR). */
  capacity: z.number().int().min(1).max(100_000),
  /** Scans a day the group is given at most; null: no cap. */
  dailyCap: z.number().int().min(1).max(100_000).nullable(),
  /** Members it already has. */
  members: z.number().int().min(0).max(100_000),
  /** Its group conversation in the inbox, whose joins and leaves then count (else each scan counts as a join). */
  conversationId: z.uuid().nullable(),
  enabled: z.boolean(),
};
export const groupBody = z.object({
  ...groupFields,
  joinUrl: groupFields.joinUrl.default(null),
  qrImage: groupFields.qrImage.default(null),
  expiresOn: groupFields.expiresOn.default(null),
  dailyCap: groupFields.dailyCap.default(null),
  members: groupFields.members.default(0),
  conversationId: groupFields.conversationId.default(null),
  enabled: groupFields.enabled.default(true),
  /** Where in the order (0 first); default last. */
  position: z.number().int().min(0).max(1000).optional(),
});
export const groupPatch = z.object({ ...groupFields, position: z.number().int().min(0).max(1000) }).partial();
export type GroupInput = z.infer<typeof groupBody>;
export type GroupPatch = z.infer<typeof groupPatch>;

export const groupSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  position: z.number(),
  joinUrl: z.string().nullable(),
  /** Whether it has a QR image (served at `qrImageUrl`). */
  qrImageUrl: z.string().nullable(),
  expiresOn: z.string().nullable(),
  capacity: z.number(),
  dailyCap: z.number().nullable(),
  members: z.number(),
  conversationId: z.uuid().nullable(),
  enabled: z.boolean(),
  /** Members now: `members` + joins − leaves of its conversation, or + every scan it was given. */
  filled: z.number(),
  /** Scans it was given today (local day). */
  today: z.number(),
});

export const codeSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  slug: z.string(),
  /** PUBLIC_URL + /g/<slug>: what the QR code holds. */
  url: z.string(),
  tagIds: z.array(z.uuid()),
  enabled: z.boolean(),
  groups: z.array(groupSchema),
  createdAt: z.date(),
  updatedAt: z.date(),
});

export const statsQuery = z.object({ from: z.iso.date().optional(), to: z.iso.date().optional() });
export const statsSchema = z.object({
  from: z.string(),
  to: z.string(),
  /** Per group and local day; a day without figures is left out. `groupId` null: scans when every group was full. */
  rows: z.array(z.object({ day: z.string(), groupId: z.uuid().nullable(), scans: z.number(), joins: z.number(), leaves: z.number() })),
});
