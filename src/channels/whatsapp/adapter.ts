// WhatsApp Business numbers ("whatsapp"), over the Cloud API
// (https://developers.facebook.com/docs/whatsapp/cloud-api). Meta's webhook reaches
// /hooks/<channel id> (pasted in the app's WhatsApp configuration with a verify token) signed
// with X-Hub-Signature-256; replies go to POST /{phone-number-id}/messages with the system
// user's token: free-form within the 24-hour customer service window, templates outside it.
// Protocol and setup: README.md; events: inbound.ts; Graph calls and errors: ../meta-graph.ts.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ChannelError, type ChannelAdapter, type ChannelRuntime, type OutboundAttachment, type SendContext, type TemplateInfo, type TemplateRef } from '../adapter.js';
import { download } from '../download.js';
import { readJsonBody } from '../json-body.js';
import { callGraph, graphSecrets, graphSettings, lastInboundAt, outsideWindow, SIGNATURE_HEADER, signatureMatches, STANDARD_WINDOW_MS, verificationAnswer, type GraphApi } from '../meta-graph.js';
import { splitText, textOf } from '../outbound-text.js';
import { entryText, eventsOf } from './inbound.js';
import { body as bodySchema, mediaInfo, phoneNumber, sent, templatePage, uploaded } from './payloads.js';

const digits = (what: string) => z.string().trim().regex(/^\d{5,20}$/, what);

const settings = z.strictObject({
  /** WhatsApp → API Setup → Phone number ID: the number this channel sends from and receives for. */
  phoneNumberId: digits('the Phone number ID from WhatsApp → API Setup'),
  /** The WhatsApp Business Account ID, for the template catalogue. */
  wabaId: digits('the WhatsApp Business Account ID').optional(),
  /** The number itself in international digits (8613800138000), for wa.me links; Test connection tells it. */
  phoneNumber: digits('the number in international digits, without + or spaces').optional(),
  /** The pre-filled text of a live code's wa.me link, before the code in brackets. */
  entryGreeting: z.string().trim().min(1).max(200).default('Hello'),
  ...graphSettings,
});
const secrets = z.strictObject({
  ...graphSecrets,
  /** A system user's access token with whatsapp_business_messaging (and _management for templates). */
  accessToken: z.string().trim().min(20).max(2000),
});
export type WhatsAppSettings = z.infer<typeof settings>;
export type WhatsAppSecrets = z.infer<typeof secrets>;
type Runtime = ChannelRuntime<WhatsAppSettings, WhatsAppSecrets>;

const TEXT_MAX = 4096;
const CAPTION_MAX = 1024;
const TEMPLATE_PAGES_MAX = 20;

const apiOf = (channel: Runtime, context: SendContext): GraphApi => ({
  baseUrl: channel.settings.apiBaseUrl,
  version: channel.settings.apiVersion,
  accessToken: channel.secrets.accessToken,
  signal: context.signal,
  allowPrivateTargets: context.allowPrivateTargets,
});

/** The message type a file goes as (https://developers.facebook.com/docs/whatsapp/cloud-api/reference/media#supported-media-types). */
export function mediaTypeOf(mimeType: string): 'image' | 'video' | 'audio' | 'document' {
  if (mimeType === 'image/jpeg' || mimeType === 'image/png') return 'image';
  if (mimeType === 'video/mp4' || mimeType === 'video/3gpp') return 'video';
  if (['audio/aac', 'audio/amr', 'audio/mpeg', 'audio/mp4', 'audio/ogg'].includes(mimeType)) return 'audio';
  return 'document';
}

/** The `template` object of a template message. */
export const templateObject = (t: TemplateRef) => ({
  name: t.name,
  language: { code: t.language },
  ...(t.bodyParameters?.length ? { components: [{ type: 'body', parameters: t.bodyParameters.map((text) => ({ type: 'text', text })) }] } : {}),
});

const messageOf = (to: string, type: string, content: Record<string, unknown>) => ({ messaging_product: 'whatsapp', recipient_type: 'individual', to, type, [type]: content });

async function post(api: GraphApi, phoneNumberId: string, payload: Record<string, unknown>): Promise<string> {
  const answer = sent.safeParse(await callGraph(api, 'WhatsApp send', 'POST', `/${phoneNumberId}/messages`, payload));
  if (!answer.success) throw new ChannelError('permanent', 'WhatsApp accepted the message but its answer names no message id', { reason: 'provider_error' });
  return answer.data.messages[0]!.id;
}

async function upload(api: GraphApi, phoneNumberId: string, file: OutboundAttachment): Promise<string> {
  const form = new FormData();
  form.set('messaging_product', 'whatsapp');
  form.set('type', file.mimeType);
  form.set('file', new Blob([new Uint8Array(file.data)], { type: file.mimeType }), file.fileName);
  const answer = uploaded.safeParse(await callGraph(api, 'WhatsApp media upload', 'POST', `/${phoneNumberId}/media`, form));
  if (!answer.success) throw new ChannelError('permanent', 'WhatsApp took the upload but named no media id', { reason: 'provider_error' });
  return answer.data.id;
}

const statusOf = (s: string): TemplateInfo['status'] => (({ APPROVED: 'approved', PENDING: 'pending', REJECTED: 'rejected' }) as Record<string, TemplateInfo['status']>)[s] ?? 'other';

export const whatsappAdapter = {
  type: 'whatsapp',
  settings,
  secrets,
  identityType: () => 'whatsapp',
  capabilities: () => ({
    messageKinds: ['text', 'image', 'file', 'audio', 'video', 'location', 'link'] as const,
    templates: true,
    replyWindowMs: STANDARD_WINDOW_MS,
    // Cloud API throughput: 80 messages a second per number by default.
    rateLimit: { perSecond: 50, burst: 80 },
  }),
  setup: {
    webhook: 'paste',
    providerUrl: 'https://developers.facebook.com/apps/',
    steps: [
      { key: 'app', text: 'In Meta for Developers, open the app with the WhatsApp product: copy the App secret (App settings → Basic), the Phone number ID and WhatsApp Business Account ID (WhatsApp → API Setup) into the settings.' },
      { key: 'token', text: 'In Business Settings → System users, generate a permanent token with whatsapp_business_messaging and whatsapp_business_management for the app, and paste it as the access token.' },
      { key: 'webhook', text: 'WhatsApp → Configuration → Webhook: paste this callback URL and the same verify token as in Renmai, press Verify and save, then subscribe to the messages field.', showHookUrl: true },
      { key: 'test', text: 'Press Test connection: Renmai reads the phone number with the token.' },
      { key: 'entry', text: 'Live codes: set the phone number; a code opens https://wa.me/<number> with a pre-filled text ending in the code, which arrives as the source of the first message.' },
    ],
  },

  entryLink: (s, code) => (s.phoneNumber && /^[A-Za-z0-9_-]{4,64}$/.test(code) ? `https://wa.me/${s.phoneNumber}?text=${encodeURIComponent(entryText(s.entryGreeting, code))}` : null),

  handshake: (request, channel) => verificationAnswer(request, channel.secrets.verifyToken),

  verify: (request, channel) => signatureMatches(channel.secrets.appSecret, request.rawBody, request.headers[SIGNATURE_HEADER]),

  parse: (request, channel) => eventsOf(readJsonBody(request.rawBody, bodySchema, 'a WhatsApp webhook'), channel.settings.phoneNumberId),

  // The Cloud API has no idempotency key: a send cut short after Meta took it is sent again on retry.
  async send(message, channel, context) {
    const api = apiOf(channel, context);
    const { phoneNumberId } = channel.settings;
    const to = message.recipient.externalId;
    const { content } = message;
    if (content.template) return { providerMessageId: await post(api, phoneNumberId, messageOf(to, 'template', templateObject(content.template))) };
    // Outside the window Meta accepts a free-form message and then fails it (131047): refuse it here.
    const last = lastInboundAt(message);
    if (last === undefined || Date.now() - last > STANDARD_WINDOW_MS) throw outsideWindow('WhatsApp');
    const text = textOf(content);
    const ids: string[] = [];
    const captioned = message.attachments.length > 0 && text.length > 0 && [...text].length <= CAPTION_MAX && mediaTypeOf(message.attachments[0]!.mimeType) !== 'audio';
    if (text && !captioned) for (const piece of splitText(text, TEXT_MAX)) ids.push(await post(api, phoneNumberId, messageOf(to, 'text', { preview_url: /https?:\/\//.test(piece), body: piece })));
    for (const [i, file] of message.attachments.entries()) {
      const type = mediaTypeOf(file.mimeType);
      const id = await upload(api, phoneNumberId, file);
      const caption = captioned && i === 0 ? { caption: text } : {};
      ids.push(await post(api, phoneNumberId, messageOf(to, type, { id, ...caption, ...(type === 'document' ? { filename: file.fileName } : {}) })));
    }
    if (content.kind === 'location' && content.location) {
      const l = content.location;
      ids.push(await post(api, phoneNumberId, messageOf(to, 'location', { latitude: l.latitude, longitude: l.longitude, ...(l.name ? { name: l.name } : {}), ...(l.address ? { address: l.address } : {}) })));
    }
    if (!ids.length) throw new ChannelError('permanent', 'Nothing to send: no text, file, location or template', { reason: 'invalid_request' });
    return { providerMessageId: ids[0]! };
  },

  // Two steps (https://developers.facebook.com/docs/whatsapp/cloud-api/reference/media#download-media):
  // GET /{media-id} gives a short-lived URL, downloaded with the same bearer token.
  async fetchMedia(ref, channel, context) {
    const api = apiOf(channel, context);
    const info = mediaInfo.safeParse(await callGraph(api, 'WhatsApp media', 'GET', `/${encodeURIComponent(ref)}`));
    if (!info.success) throw new ChannelError('permanent', 'WhatsApp named no URL for the media', { reason: 'provider_error' });
    if (Number(info.data.file_size ?? 0) > context.maxBytes) throw new ChannelError('permanent', `The file is larger than ${context.maxBytes} bytes`, { reason: 'media_too_large' });
    const file = await download(info.data.url, { signal: context.signal, allowPrivateTargets: context.allowPrivateTargets, maxBytes: context.maxBytes, headers: { authorization: `Bearer ${channel.secrets.accessToken}` } });
    if (info.data.sha256 && createHash('sha256').update(file.data).digest('hex') !== info.data.sha256.toLowerCase()) {
      throw new ChannelError('temporary', 'The media downloaded from WhatsApp does not match its sha256');
    }
    return { data: file.data, mimeType: info.data.mime_type?.split(';')[0]?.trim() ?? file.mimeType, fileName: file.fileName };
  },

  async templates(channel, context) {
    const { wabaId } = channel.settings;
    if (!wabaId) throw new ChannelError('permanent', 'Set the WhatsApp Business Account ID to read the templates', { reason: 'invalid_request' });
    const api = apiOf(channel, context);
    const out: TemplateInfo[] = [];
    let after: string | undefined;
    for (let page = 0; page < TEMPLATE_PAGES_MAX; page++) {
      const query = new URLSearchParams({ fields: 'name,language,status,category,components', limit: '100', ...(after ? { after } : {}) });
      const answer = templatePage.safeParse(await callGraph(api, 'WhatsApp templates', 'GET', `/${wabaId}/message_templates?${query}`));
      if (!answer.success) throw new ChannelError('permanent', 'WhatsApp answered message_templates without a list', { reason: 'provider_error' });
      for (const t of answer.data.data) {
        const body = t.components?.find((c) => c.type.toUpperCase() === 'BODY')?.text;
        const count = new Set([...(body ?? '').matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1])).size;
        out.push({ name: t.name, language: t.language, status: statusOf(t.status), ...(t.category ? { category: t.category } : {}), ...(body ? { body } : {}), bodyParameterCount: count });
      }
      after = answer.data.paging?.next ? answer.data.paging.cursors?.after : undefined;
      if (!after) break;
    }
    return out;
  },

  async testConnection(channel, context) {
    const query = new URLSearchParams({ fields: 'display_phone_number,verified_name' });
    const info = phoneNumber.safeParse(await callGraph(apiOf(channel, context), 'WhatsApp phone number', 'GET', `/${channel.settings.phoneNumberId}?${query}`));
    if (!info.success) throw new ChannelError('permanent', 'WhatsApp answered without the phone number', { reason: 'provider_error' });
    return { accountId: info.data.id, ...(info.data.verified_name ? { name: info.data.verified_name } : {}), ...(info.data.display_phone_number ? { username: info.data.display_phone_number } : {}) };
  },
} satisfies ChannelAdapter<WhatsAppSettings, WhatsAppSecrets>;
