// WeCom (企业微信) self-built app ("wecom"): encrypted callbacks for application messages and
// customer-contact (客户联系) events, application messages out, the welcome message to a new
// customer. Protocol and setup: README.md here; crypto: crypto.ts; events: inbound.ts; calls: api.ts.
import { z } from 'zod';
import { ChannelError, ChannelPayloadError, type ChannelAdapter, type ChannelRuntime, type InboundRequest, type OutboundAttachment, type OutboundMessage, type SendContext } from '../adapter.js';
import { accessTokens, credentialKey } from '../access-token.js';
import { download } from '../download.js';
import { WxApiError } from '../wx-api-error.js';
import { addContactWay, DEFAULT_BASE_URL, isExpired, issueToken, sendAppMessage, sendWelcomeMessage, uploadMedia, wecomError, type MediaType, type WecomApiContext } from './api.js';
import { decryptMessage, ENCODING_AES_KEY, signatureMatches, WecomCryptoError, type WecomCryptoKeys } from './crypto.js';
import { relationFactsOf } from './contacts.js';
import { eventsOf, isCustomerThread } from './inbound.js';
import { field, readXml } from '../wx-xml.js';
import { queryOf, timestampFresh } from '../wx-query.js';

const settings = z.strictObject({
  /** 我的企业 → 企业ID (ww…): the receiveid every callback must name. */
  corpId: z.string().trim().regex(/^[A-Za-z0-9_-]{1,64}$/, 'the CorpID shown under 我的企业 (My company)'),
  /** The self-built app's AgentId: needed to send application messages to members. */
  agentId: z.number().int().positive().optional(),
  /** WeCom's API (tests point it at a local fake). */
  apiBaseUrl: z.url({ protocol: /^https?$/ }).max(300).default(DEFAULT_BASE_URL),
  /** Which Renmai member each WeCom member (userid) is: their customers' staff relationships and churn alerts go to them. */
  staff: z
    .array(z.strictObject({ userId: z.string().trim().min(1).max(64), memberId: z.uuid() }))
    .max(5000)
    .default([])
    .refine((list) => new Set(list.map((s) => s.userId)).size === list.length, 'each WeCom userid once'),
  /** A tag (id) added to a customer who deletes or blocks a member (del_follow_user). */
  churnTagId: z.uuid().optional(),
});
const secrets = z.strictObject({
  /** The callback Token set at WeCom (English letters and digits, at most 32). */
  token: z.string().regex(/^[A-Za-z0-9]{1,32}$/, 'letters and digits, at most 32'),
  /** The callback EncodingAESKey set at WeCom (43 letters and digits). */
  encodingAESKey: z.string().regex(ENCODING_AES_KEY, '43 letters and digits'),
  /** The app's Secret (gettoken). */
  secret: z.string().trim().min(1).max(200),
});
export type WecomSettings = z.infer<typeof settings>;
export type WecomSecrets = z.infer<typeof secrets>;
type Runtime = ChannelRuntime<WecomSettings, WecomSecrets>;

export { TIMESTAMP_WINDOW_SECONDS } from '../wx-query.js';

const keysOf = (channel: Runtime): WecomCryptoKeys => ({ token: channel.secrets.token, encodingAESKey: channel.secrets.encodingAESKey, receiveId: channel.settings.corpId });

/** The plaintext of a signed, fresh, decryptable value naming our corp; undefined otherwise. */
function open(channel: Runtime, query: Map<string, string>, encrypt: string | undefined, now = Date.now()): string | undefined {
  const timestamp = query.get('timestamp') ?? '';
  const nonce = query.get('nonce') ?? '';
  const signature = query.get('msg_signature') ?? '';
  if (!encrypt || !nonce || !timestampFresh(timestamp, now)) return undefined;
  const keys = keysOf(channel);
  if (!signatureMatches(keys, { timestamp, nonce, encrypt, signature })) return undefined;
  try {
    return decryptMessage(keys, encrypt);
  } catch (error) {
    if (error instanceof WecomCryptoError) return undefined;
    throw error;
  }
}

const encryptedBody = (request: InboundRequest) => {
  const envelope = readXml(request.rawBody.toString('utf8'));
  return envelope && field(envelope, 'Encrypt')?.trim();
};

/** The plaintext of a callback POST, or undefined when it is not WeCom's for this channel. */
export const openCallback = (request: InboundRequest, channel: Runtime, now?: number) => open(channel, queryOf(request.rawQuery), encryptedBody(request), now);

const apiContext = (channel: Runtime, context: SendContext): WecomApiContext => ({
  baseUrl: channel.settings.apiBaseUrl,
  corpId: channel.settings.corpId,
  secret: channel.secrets.secret,
  signal: context.signal,
  allowPrivateTargets: context.allowPrivateTargets,
});

function mediaTypeOf(a: OutboundAttachment): MediaType {
  if (/^image\/(jpeg|png|gif)$/.test(a.mimeType)) return 'image';
  if (a.mimeType === 'audio/amr') return 'voice';
  if (a.mimeType === 'video/mp4') return 'video';
  return 'file';
}

const outsideWindow = (why: string) => new ChannelError('permanent', why, { reason: 'outside_reply_window' });

/** A customer (external contact): an app may write only the welcome, with the add event's WelcomeCode. */
async function sendToCustomer(message: OutboundMessage, api: WecomApiContext) {
  const code = message.inReplyTo?.replyContext.welcomeCode;
  if (typeof code !== 'string' || !code) {
    throw outsideWindow('WeCom lets an app write to a customer only once, with the welcome code of the add event (within 20 s); answer from the WeCom client');
  }
  const attachments = [];
  for (const a of message.attachments.slice(0, 9)) {
    const type = mediaTypeOf(a);
    if (type === 'voice') continue;
    attachments.push({ msgtype: type, [type]: { media_id: await uploadMedia(api, type, a) } });
  }
  const text = message.content.text?.trim();
  try {
    await sendWelcomeMessage(api, { welcome_code: code, ...(text ? { text: { content: text } } : {}), ...(attachments.length ? { attachments } : {}) });
  } catch (error) {
    if (error instanceof WxApiError && error.errcode === 41051) throw outsideWindow(error.message);
    throw error;
  }
  // WeCom gives the welcome no id of its own.
  return { providerMessageId: message.id };
}

/** A member of the corp: message/send from the app, one call per part (text first, then each file). */
async function sendToMember(message: OutboundMessage, channel: Runtime, api: WecomApiContext) {
  const agentid = channel.settings.agentId;
  if (!agentid) throw new ChannelError('permanent', 'The channel has no AgentId: set it to send application messages', { reason: 'invalid_request' });
  const touser = message.recipient.externalId;
  const c = message.content;
  const parts: Array<Record<string, unknown>> = [];
  if (c.kind === 'link' && c.link) {
    parts.push({ msgtype: 'news', news: { articles: [{ title: c.link.title ?? c.link.url, description: c.link.description ?? c.text ?? '', url: c.link.url, ...(c.link.imageUrl ? { picurl: c.link.imageUrl } : {}) }] } });
  } else if (c.kind === 'location' && c.location) {
    const where = [c.location.name, c.location.address].filter(Boolean).join(' ');
    parts.push({ msgtype: 'text', text: { content: `${where ? `${where} ` : ''}(${c.location.latitude}, ${c.location.longitude})` } });
  } else if (c.text?.trim()) {
    parts.push({ msgtype: 'text', text: { content: c.text } });
  }
  for (const a of message.attachments) {
    const type = mediaTypeOf(a);
    parts.push({ msgtype: type, [type]: { media_id: await uploadMedia(api, type, a) } });
  }
  if (!parts.length) throw new ChannelError('permanent', 'Nothing to send', { reason: 'invalid_request' });
  let first = '';
  for (const part of parts) {
    // WeCom drops a text identical to one sent in the last 30 minutes: a resend after a crash is not a second message.
    const sent = await sendAppMessage(api, { touser, agentid, ...part, enable_duplicate_check: 1, duplicate_check_interval: 1800 });
    if (sent.invalidUser.split('|').includes(touser)) throw new ChannelError('not_found', "The member is not in the app's visible range or has left the corp", { reason: 'recipient_not_found' });
    first ||= sent.msgid;
  }
  return { providerMessageId: first || message.id };
}

/** media/get answers an error as JSON in place of the file; a text file that happens to be JSON has no errcode. */
function errorAnswer(file: { data: Buffer; mimeType: string | undefined }): { errcode: number; errmsg?: string } | undefined {
  if ((file.mimeType !== 'application/json' && file.mimeType !== 'text/plain') || file.data.length > 4096) return undefined;
  try {
    const answer = JSON.parse(file.data.toString('utf8')) as { errcode?: unknown; errmsg?: unknown };
    return typeof answer.errcode === 'number' && answer.errcode !== 0 ? { errcode: answer.errcode, errmsg: typeof answer.errmsg === 'string' ? answer.errmsg : undefined } : undefined;
  } catch {
    return undefined;
  }
}

const KINDS = ['text', 'image', 'audio', 'video', 'file', 'location', 'link'] as const;

export const wecomAdapter = {
  type: 'wecom',
  settings,
  secrets,
  identityType: () => 'wecom',
  capabilities: () => ({ messageKinds: KINDS, templates: false, replyWindowMs: null, rateLimit: { perSecond: 20, burst: 40 } }),

  setup: {
    webhook: 'paste',
    providerUrl: 'https://work.weixin.qq.com/wework_admin/frame#apps',
    steps: [
      { key: 'app', text: 'In the WeCom admin console, open App Management → Apps → Create (自建应用). Copy its AgentId and Secret here, and your CorpID from My Company (我的企业).' },
      { key: 'callback', text: 'In the app, under Receive Messages (接收消息) → Set API Receiving, paste this URL, click "Random" for Token and EncodingAESKey and copy both here; save this channel first, then save at WeCom (it checks the URL at once).', showHookUrl: true },
      { key: 'contact', text: 'For customers: Customer Contact (客户联系) → API → add this app to "apps that may call the API", and set its event callback to the same URL, Token and EncodingAESKey.', showHookUrl: true },
      { key: 'ip', text: "Add this server's public IP to the app's Trusted IPs (企业可信IP), or WeCom refuses its calls (errcode 60020)." },
    ],
  },

  // URL verification (doc 91144): msg_signature over the encrypted echostr; the answer is its plaintext, nothing else.
  handshake(request, channel) {
    const query = queryOf(request.rawQuery);
    const plain = open(channel, query, query.get('echostr'));
    return plain === undefined ? null : { status: 200, contentType: 'text/plain; charset=utf-8', body: plain };
  },

  // Signature, freshness, decryption and receiveid, all before anything is stored.
  verify: (request, channel) => openCallback(request, channel) !== undefined,

  parse(request, channel) {
    // verify() passed a moment ago; only the clock may have moved, so the window is not applied twice.
    const plain = openCallback(request, channel, Number(queryOf(request.rawQuery).get('timestamp')) * 1000);
    const inner = plain === undefined ? undefined : readXml(plain);
    if (!inner) throw new ChannelPayloadError('The decrypted callback is not WeCom XML');
    try {
      return eventsOf(inner);
    } catch (error) {
      throw new ChannelPayloadError(`The decrypted callback cannot be read: ${(error as Error).message}`);
    }
  },

  // WeCom wants an empty 200 (or an encrypted passive reply, which Renmai does not use).
  acknowledge: () => ({ status: 200, contentType: 'text/plain; charset=utf-8', body: '' }),

  async send(message, channel, context) {
    if (message.recipient.group) throw new ChannelError('permanent', 'Customer groups take messages only through WeCom mass sending, confirmed in the client', { reason: 'invalid_request' });
    const api = apiContext(channel, context);
    return isCustomerThread(message.threadKey) ? sendToCustomer(message, api) : sendToMember(message, channel, api);
  },

  // media/get (doc 90254): the file, or a JSON error body (an expired token is refreshed once).
  async fetchMedia(ref, channel, context) {
    const api = apiContext(channel, context);
    const key = credentialKey('wecom', api.corpId, api.secret);
    return accessTokens.withToken(
      key,
      () => issueToken(api),
      async (token) => {
        const url = new URL(`${api.baseUrl.replace(/\/+$/, '')}/cgi-bin/media/get`);
        url.searchParams.set('access_token', token);
        url.searchParams.set('media_id', ref);
        const file = await download(url, { signal: context.signal, allowPrivateTargets: context.allowPrivateTargets, maxBytes: context.maxBytes, maxRedirects: 0 });
        const error = errorAnswer(file);
        if (error) throw wecomError(error.errcode, error.errmsg ?? '');
        return { data: file.data, mimeType: file.mimeType, fileName: file.fileName };
      },
      isExpired,
    );
  },

  // The customer's profile (externalcontact/get) on an add; the member involved, from the event.
  relationFacts: (event, channel, context) => relationFactsOf(event, channel.settings, apiContext(channel, context)),

  // 联系我 for several members (type 2, QR scene 2) with the code's slug as `state`: WeCom sends it
  // back as State on add_external_contact, which attributes the add to the code. Friend requests
  // through it are accepted without verification (skip_verify), as a live code's are expected to be.
  async registerEntry(entry, channel, context) {
    const byMember = new Map(channel.settings.staff.map((s) => [s.memberId, s.userId]));
    const users = [...new Set(entry.memberIds.flatMap((id) => byMember.get(id) ?? []))];
    if (!users.length) throw new ChannelError('permanent', "None of the code's staff has a WeCom userid in the channel's staff list", { reason: 'invalid_request' });
    const answer = await addContactWay(apiContext(channel, context), { type: 2, scene: 2, remark: entry.name.slice(0, 30), skip_verify: true, state: entry.code, user: users });
    return { ref: String(answer.config_id ?? ''), qrContent: null, qrImageUrl: typeof answer.qr_code === 'string' ? answer.qr_code : null };
  },

  // gettoken with the corp id and secret: the credentials are right and this server may call WeCom.
  async testConnection(channel, context) {
    await issueToken(apiContext(channel, context));
    return { accountId: channel.settings.corpId, ...(channel.settings.agentId ? { name: `AgentId ${channel.settings.agentId}` } : {}) };
  },
} satisfies ChannelAdapter<WecomSettings, WecomSecrets>;
