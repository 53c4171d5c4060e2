// The subset of LINE Messaging API webhook objects Renmai reads
// (https://developers.line.biz/en/reference/messaging-api/#webhook-event-objects). Unknown fields
// and event types are ignored (LINE adds them over time).
import { z } from 'zod';

export const source = z.discriminatedUnion('type', [
  z.object({ type: z.literal('user'), userId: z.string() }),
  z.object({ type: z.literal('group'), groupId: z.string(), userId: z.string().optional() }),
  z.object({ type: z.literal('room'), roomId: z.string(), userId: z.string().optional() }),
]);
export type LineSource = z.infer<typeof source>;

const contentProvider = z.object({ type: z.enum(['line', 'external']), originalContentUrl: z.string().optional(), previewImageUrl: z.string().optional() });

export const message = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), id: z.string(), text: z.string() }),
  z.object({ type: z.literal('image'), id: z.string(), contentProvider: contentProvider.optional() }),
  z.object({ type: z.literal('video'), id: z.string(), contentProvider: contentProvider.optional() }),
  z.object({ type: z.literal('audio'), id: z.string(), contentProvider: contentProvider.optional() }),
  z.object({ type: z.literal('file'), id: z.string(), fileName: z.string().optional(), fileSize: z.number().optional() }),
  z.object({ type: z.literal('location'), id: z.string(), title: z.string().optional(), address: z.string().optional(), latitude: z.number().min(-90).max(90), longitude: z.number().min(-180).max(180) }),
  z.object({ type: z.literal('sticker'), id: z.string(), packageId: z.string(), stickerId: z.string(), keywords: z.array(z.string()).optional() }),
]);
export type LineMessage = z.infer<typeof message>;

const base = {
  webhookEventId: z.string().min(1).max(200),
  timestamp: z.number(),
  source: source.optional(),
  mode: z.enum(['active', 'standby']).optional(),
  replyToken: z.string().optional(),
};
const members = z.object({ members: z.array(z.object({ type: z.string(), userId: z.string().optional() })) });

export const event = z.union([
  z.object({ ...base, type: z.literal('message'), message: z.object({ type: z.string(), id: z.string() }).passthrough() }),
  z.object({ ...base, type: z.literal('follow') }),
  z.object({ ...base, type: z.literal('unfollow') }),
  z.object({ ...base, type: z.literal('memberJoined'), joined: members }),
  z.object({ ...base, type: z.literal('memberLeft'), left: members }),
  // join, leave, postback, beacon, accountLink, …: acknowledged, not kept.
  z.object({ ...base, type: z.string() }),
]);
export type LineEvent = z.infer<typeof event>;

export const body = z.object({ destination: z.string().optional(), events: z.array(z.unknown()).max(1000) });

/** POST /v2/bot/message/reply and /push answers (sentMessages since 2023). */
export const sent = z.object({ sentMessages: z.array(z.object({ id: z.string() })).optional() }).nullable();
/** GET /v2/bot/info. */
export const botInfo = z.object({ userId: z.string(), basicId: z.string().optional(), displayName: z.string().optional() });
/** GET /v2/bot/profile/{userId} and /v2/bot/group/{groupId}/member/{userId}. */
export const profile = z.object({ userId: z.string().optional(), displayName: z.string().optional(), pictureUrl: z.string().optional() });
/** Error answers: {"message": "...", "details": [...]}. */
export const errorBody = z.object({ message: z.string().optional() });
