// The generic API channel's JSON, inbound and outbound (README.md in this folder).
import { z } from 'zod';
import { messageKinds } from '../adapter.js';

const id = z.string().trim().min(1).max(200);
const text = (max: number) => z.string().max(max);

const person = z.object({
  id,
  name: text(200).optional(),
  email: text(320).optional(),
  emailVerified: z.boolean().optional(),
  phone: text(40).optional(),
  phoneVerified: z.boolean().optional(),
});

const group = z.object({ id, name: text(200).optional() });

const timestamp = z.union([z.number().int().nonnegative(), z.iso.datetime({ offset: true })]).optional();

export const location = z.object({
  latitude: z.number().min(-90).max(90),
  longitude: z.number().min(-180).max(180),
  name: text(200).optional(),
  address: text(500).optional(),
});

export const link = z.object({
  url: z.url().max(2000),
  title: text(300).optional(),
  description: text(1000).optional(),
  imageUrl: z.url().max(2000).optional(),
});

const attachment = z.object({ name: text(255).min(1), mimeType: text(200).min(1), data: z.base64() });

const message = z.object({
  id,
  kind: z.enum(messageKinds),
  text: text(20_000).optional(),
  location: location.optional(),
  link: link.optional(),
  attachments: z.array(attachment).max(10).default([]),
});

const event = z.discriminatedUnion('type', [
  z.object({ id, type: z.literal('message'), timestamp, from: person, group: group.optional(), message }),
  z.object({ id, type: z.literal('status'), timestamp, messageId: id, status: z.enum(['delivered', 'read', 'failed']), to: id.optional(), error: text(500).optional() }),
  // `source`: where the person came from, e.g. a live code's slug (the `renmai_code` a landing page was given).
  z.object({ id, type: z.enum(['follow', 'unfollow', 'friend_added', 'friend_removed']), timestamp, from: person, source: text(256).min(1).optional() }),
  z.object({ id, type: z.enum(['group_joined', 'group_left']), timestamp, from: person, group }),
]);

export const inboundBody = z.object({ events: z.array(event).min(1).max(100) });
export type InboundBody = z.infer<typeof inboundBody>;

/** The answer to an outbound POST: the receiver's id for the message (optional). */
export const sendAnswer = z.object({ id: id.optional() }).passthrough().nullable();
