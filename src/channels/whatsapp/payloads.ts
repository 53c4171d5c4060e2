// The subset of WhatsApp Cloud API objects Renmai reads: the messages webhook
// (https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages)
// and the answers of the calls in adapter.ts. Unknown fields are ignored; message and change
// types Renmai does not read are skipped by inbound.ts (Meta adds them over time).
import { z } from 'zod';

const media = z.object({ id: z.string().min(1).max(200), mime_type: z.string().optional(), sha256: z.string().optional(), caption: z.string().optional(), filename: z.string().optional(), voice: z.boolean().optional() });

export const referral = z.object({
  source_url: z.string().optional(),
  source_id: z.string().optional(),
  source_type: z.string().optional(),
  headline: z.string().optional(),
  body: z.string().optional(),
  ctwa_clid: z.string().optional(),
});

export const message = z.object({
  from: z.string().min(1).max(64),
  id: z.string().min(1).max(256),
  timestamp: z.union([z.string(), z.number()]),
  type: z.string(),
  text: z.object({ body: z.string() }).optional(),
  image: media.optional(),
  audio: media.optional(),
  video: media.optional(),
  document: media.optional(),
  sticker: media.extend({ animated: z.boolean().optional() }).optional(),
  location: z.object({ latitude: z.number().min(-90).max(90), longitude: z.number().min(-180).max(180), name: z.string().optional(), address: z.string().optional(), url: z.string().optional() }).optional(),
  contacts: z.array(z.object({ name: z.object({ formatted_name: z.string().optional() }).partial().optional(), phones: z.array(z.object({ phone: z.string().optional() })).optional() })).optional(),
  interactive: z
    .object({
      type: z.string(),
      button_reply: z.object({ id: z.string(), title: z.string() }).optional(),
      list_reply: z.object({ id: z.string(), title: z.string(), description: z.string().optional() }).optional(),
    })
    .optional(),
  button: z.object({ payload: z.string().optional(), text: z.string() }).optional(),
  context: z.object({ from: z.string().optional(), id: z.string().optional() }).optional(),
  referral: referral.optional(),
});
export type WaMessage = z.infer<typeof message>;

export const status = z.object({
  id: z.string().min(1).max(256),
  status: z.string(),
  timestamp: z.union([z.string(), z.number()]),
  recipient_id: z.string().min(1).max(64),
  errors: z.array(z.object({ code: z.number().optional(), title: z.string().optional(), message: z.string().optional(), error_data: z.object({ details: z.string().optional() }).optional() })).optional(),
});
export type WaStatus = z.infer<typeof status>;

export const value = z.object({
  messaging_product: z.string().optional(),
  metadata: z.object({ display_phone_number: z.string().optional(), phone_number_id: z.string() }),
  contacts: z.array(z.object({ wa_id: z.string().optional(), profile: z.object({ name: z.string().optional() }).optional() })).optional(),
  messages: z.array(z.unknown()).optional(),
  statuses: z.array(z.unknown()).optional(),
});

export const body = z.object({
  object: z.string(),
  entry: z.array(z.object({ id: z.string(), changes: z.array(z.object({ field: z.string(), value: z.unknown() })).max(1000) })).max(1000),
});
export type WaBody = z.infer<typeof body>;

/** POST /{phone-number-id}/messages → {"messages":[{"id":"wamid…"}]}. */
export const sent = z.object({ messages: z.array(z.object({ id: z.string() })).min(1) });
/** POST /{phone-number-id}/media → {"id": "…"}. */
export const uploaded = z.object({ id: z.string() });
/** GET /{media-id} → where to download it, valid for 5 minutes. */
export const mediaInfo = z.object({ url: z.string(), mime_type: z.string().optional(), sha256: z.string().optional(), file_size: z.union([z.number(), z.string()]).optional() });
/** GET /{phone-number-id}?fields=display_phone_number,verified_name. */
export const phoneNumber = z.object({ id: z.string(), display_phone_number: z.string().optional(), verified_name: z.string().optional() });

/** GET /{waba-id}/message_templates: one approved (or pending, rejected) template. */
export const template = z.object({
  id: z.string().optional(),
  name: z.string(),
  language: z.string(),
  status: z.string(),
  category: z.string().optional(),
  components: z.array(z.object({ type: z.string(), format: z.string().optional(), text: z.string().optional() }).passthrough()).optional(),
});
export const templatePage = z.object({ data: z.array(template), paging: z.object({ next: z.string().optional(), cursors: z.object({ after: z.string().optional() }).optional() }).optional() });
