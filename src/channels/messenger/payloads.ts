// The subset of Messenger Platform and Instagram Messaging webhook objects Renmai reads
// (https://developers.facebook.com/docs/messenger-platform/webhooks, Instagram: the same
// `entry[].messaging[]` shape with `object: "instagram"`) and the Send API's answer. Unknown fields
// are ignored; kinds of event Renmai does not read are skipped by inbound.ts.
import { z } from 'zod';

const id = z.string().min(1).max(128);

export const referral = z.object({ ref: z.string().max(2083).optional(), source: z.string().optional(), type: z.string().optional(), ad_id: z.string().optional() });

const attachment = z.object({
  type: z.string(),
  payload: z
    .object({
      url: z.string().optional(),
      title: z.string().optional(),
      sticker_id: z.number().optional(),
      coordinates: z.object({ lat: z.number().min(-90).max(90), long: z.number().min(-180).max(180) }).optional(),
    })
    .nullable()
    .optional(),
  title: z.string().optional(),
  url: z.string().optional(),
});
export type MetaAttachment = z.infer<typeof attachment>;

export const messaging = z.object({
  sender: z.object({ id }),
  recipient: z.object({ id }),
  timestamp: z.number(),
  message: z
    .object({
      mid: id.max(512),
      text: z.string().optional(),
      attachments: z.array(attachment).optional(),
      quick_reply: z.object({ payload: z.string() }).optional(),
      reply_to: z.object({ mid: z.string().optional() }).optional(),
      referral: referral.optional(),
      is_echo: z.boolean().optional(),
      is_deleted: z.boolean().optional(),
      is_unsupported: z.boolean().optional(),
    })
    .optional(),
  postback: z.object({ title: z.string().optional(), payload: z.string().optional(), mid: z.string().optional(), referral: referral.optional() }).optional(),
  referral: referral.optional(),
  delivery: z.object({ mids: z.array(z.string()).optional(), watermark: z.number().optional() }).optional(),
  read: z.object({ watermark: z.number().optional(), mid: z.string().optional() }).optional(),
});
export type Messaging = z.infer<typeof messaging>;

export const body = z.object({
  object: z.string(),
  entry: z.array(z.object({ id: z.string(), time: z.number().optional(), messaging: z.array(z.unknown()).max(1000).optional() })).max(1000),
});
export type MetaBody = z.infer<typeof body>;

/** POST /me/messages → {"recipient_id": "…", "message_id": "m_…"}. */
export const sent = z.object({ recipient_id: z.string().optional(), message_id: z.string() });
/** GET /me?fields=id,name,username. */
export const account = z.object({ id: z.string(), name: z.string().optional(), username: z.string().optional() });
