// WeChat official accounts (公众号, "wechat_oa"): server verification, callbacks in plain and safe
// (encrypted) modes, follows with the parametric QR code's scene, messages in; customer-service
// messages out within WeChat's 48 hours. Protocol and setup: README.md; events: inbound.ts; calls:
// api.ts. Safe mode is WeCom's WXBizMsgCrypt with the AppID as receiveid (../wecom/crypto.ts).
import { createHash, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { ChannelError, ChannelPayloadError, type ChannelAdapter, type ChannelRuntime, type HookAnswer, type InboundRequest, type OutboundMessage, type SendContext } from '../adapter.js';
import { download, type Download } from '../download.js';
import { decryptMessage, ENCODING_AES_KEY, signatureMatches, WecomCryptoError, type WecomCryptoKeys } from '../wecom/crypto.js';
import { field, readXml } from '../wx-xml.js';
import { queryOf, timestampFresh } from '../wx-query.js';
import { createSceneQr, DEFAULT_BASE_URL, errorOf, issueToken, sendCustom, uploadImage, urlOf, userInfo, withToken, type OaApiContext } from './api.js';
import { eventsOf } from './inbound.js';

const settings = z.strictObject({
  /** 设置与开发 → 基本配置 → 开发者ID (AppID): the receiveid every encrypted callback must name. */
  appId: z.string().trim().regex(/^wx[0-9A-Za-z]{16}$/, 'the AppID shown under Basic Configuration (wx and 16 letters or digits)'),
  /**
   * The message encryption chosen at WeChat (消息加解密方式). `safe` (安全模式 or 兼容模式): only
   * encrypted callbacks are taken. `plain` (明文模式): plaintext callbacks are taken too; their
   * signature covers the token, timestamp and nonce but not the body.
   */
  encryption: z.enum(['safe', 'plain']).default('safe'),
  /** WeChat's API (tests point it at a local fake). */
  apiBaseUrl: z.url({ protocol: /^https?$/ }).max(300).default(DEFAULT_BASE_URL),
});
const secrets = z.strictObject({
  /** The server configuration's Token (3 to 32 letters and digits). */
  token: z.string().regex(/^[A-Za-z0-9]{3,32}$/, '3 to 32 letters and digits'),
  /** The server configuration's EncodingAESKey (43 letters and digits): needed in safe mode. */
  encodingAESKey: z.string().regex(ENCODING_AES_KEY, '43 letters and digits').optional(),
  /** 开发者密码 (AppSecret): access tokens. */
  appSecret: z.string().trim().min(1).max(200),
});
export type OaSettings = z.infer<typeof settings>;
export type OaSecrets = z.infer<typeof secrets>;
type Runtime = ChannelRuntime<OaSettings, OaSecrets>;

/** 48 hours after the person's last message (or follow, scan, menu click) WeChat refuses customer-service messages (45015). */
export const REPLY_WINDOW_MS = 48 * 3600 * 1000;

/** The plain-mode signature: hex SHA1 of the sorted token, timestamp and nonce (no echostr, no body). */
export const plainSignature = (token: string, timestamp: string, nonce: string) => createHash('sha1').update([token, timestamp, nonce].sort().join('')).digest('hex');

function plainMatches(token: string, timestamp: string, nonce: string, given: string | undefined): boolean {
  if (!given) return false;
  const expected = Buffer.from(plainSignature(token, timestamp, nonce));
  const actual = Buffer.from(given.toLowerCase());
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

const keysOf = (channel: Runtime): WecomCryptoKeys | undefined =>
  channel.secrets.encodingAESKey ? { token: channel.secrets.token, encodingAESKey: channel.secrets.encodingAESKey, receiveId: channel.settings.appId } : undefined;

/** The plaintext of an encrypted value signed with msg_signature and naming our AppID; undefined otherwise. */
function decrypted(channel: Runtime, p: { timestamp: string; nonce: string; encrypt: string | undefined; signature: string | undefined }): string | undefined {
  const keys = keysOf(channel);
  if (!keys || !p.encrypt || !p.signature) return undefined;
  if (!signatureMatches(keys, { timestamp: p.timestamp, nonce: p.nonce, encrypt: p.encrypt, signature: p.signature })) return undefined;
  try {
    return decryptMessage(keys, p.encrypt);
  } catch (error) {
    if (error instanceof WecomCryptoError) return undefined;
    throw error;
  }
}

/**
 * The plaintext XML of a callback POST, or undefined when it is not WeChat's for this channel:
 * a fresh timestamp, then either safe mode (encrypt_type=aes: msg_signature over Encrypt, AES,
 * receiveid = AppID) or, on a channel set to plain, the three-item signature.
 */
export function openCallback(request: InboundRequest, channel: Runtime, now = Date.now()): string | undefined {
  const query = queryOf(request.rawQuery);
  const timestamp = query.get('timestamp') ?? '';
  const nonce = query.get('nonce') ?? '';
  if (!nonce || !timestampFresh(timestamp, now)) return undefined;
  if (query.get('encrypt_type') === 'aes') {
    // Compatible mode also sends the plaintext fields beside Encrypt: only the encrypted ones count.
    const envelope = readXml(request.rawBody.toString('utf8'));
    return decrypted(channel, { timestamp, nonce, encrypt: envelope && field(envelope, 'Encrypt')?.trim(), signature: query.get('msg_signature') });
  }
  if (channel.settings.encryption !== 'plain') return undefined;
  return plainMatches(channel.secrets.token, timestamp, nonce, query.get('signature')) ? request.rawBody.toString('utf8') : undefined;
}

const apiContext = (channel: Runtime, context: SendContext): OaApiContext => ({
  baseUrl: channel.settings.apiBaseUrl,
  appId: channel.settings.appId,
  secret: channel.secrets.appSecret,
  signal: context.signal,
  allowPrivateTargets: context.allowPrivateTargets,
});

const IMAGE = /^image\/(jpeg|png|gif|bmp)$/;

/** The text part of a message: its text, a link's title and URL, a location as words and coordinates. */
function textOf(message: OutboundMessage): string | undefined {
  const c = message.content;
  if (c.kind === 'link' && c.link) return [c.text?.trim() || c.link.title, c.link.url].filter(Boolean).join('\n');
  if (c.kind === 'location' && c.location) {
    const where = [c.location.name, c.location.address].filter(Boolean).join(' ');
    return `${where ? `${where} ` : ''}(${c.location.latitude}, ${c.location.longitude})`;
  }
  return c.text?.trim() ? c.text : undefined;
}

/** media/get answers an error, or a video's download URL, as a small JSON in place of the file. */
function jsonAnswer(file: Download): Record<string, unknown> | undefined {
  if (!/^(application\/json|text\/plain)/.test(file.mimeType ?? '') || file.data.length > 4096) return undefined;
  try {
    const json = JSON.parse(file.data.toString('utf8')) as unknown;
    return json && typeof json === 'object' && !Array.isArray(json) ? (json as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const textAnswer = (body: string): HookAnswer => ({ status: 200, contentType: 'text/plain; charset=utf-8', body });

export const wechatOaAdapter = {
  type: 'wechat_oa',
  settings,
  secrets,
  identityType: () => 'wechat_openid',
  capabilities: () => ({ messageKinds: ['text', 'image', 'link', 'location'] as const, templates: false, replyWindowMs: REPLY_WINDOW_MS, rateLimit: { perSecond: 20, burst: 40 } }),

  setup: {
    webhook: 'paste',
    providerUrl: 'https://mp.weixin.qq.com/',
    steps: [
      { key: 'account', text: "In the WeChat Official Accounts Platform, Settings and Development → Basic Configuration (设置与开发 → 基本配置): copy the AppID and the AppSecret here, and add this server's public IP to the IP whitelist." },
      { key: 'server', text: 'Under Server Configuration (服务器配置) → Modify: paste this URL, enter a Token (3–32 letters and digits) and click Random for the EncodingAESKey; copy both here and save this channel first, then submit at WeChat (it checks the URL at once) and Enable.', showHookUrl: true },
      { key: 'encryption', text: 'Message encryption (消息加解密方式): choose Safe mode (安全模式, recommended) or Compatible mode and keep this channel on "safe"; choose Plain text (明文模式) only with this channel on "plain" — its signature does not cover the message.' },
      { key: 'test', text: 'Press Test connection: Renmai gets an access token with the AppID and AppSecret.' },
    ],
  },

  // Server verification: the three-item signature, echostr answered verbatim; an encrypted
  // echostr with msg_signature (as WeCom sends it) is answered with its plaintext.
  handshake(request, channel) {
    const query = queryOf(request.rawQuery);
    const timestamp = query.get('timestamp') ?? '';
    const nonce = query.get('nonce') ?? '';
    const echostr = query.get('echostr');
    if (!echostr || !nonce || !timestampFresh(timestamp, Date.now())) return null;
    if (query.has('signature')) return plainMatches(channel.secrets.token, timestamp, nonce, query.get('signature')) ? textAnswer(echostr) : null;
    const plain = decrypted(channel, { timestamp, nonce, encrypt: echostr, signature: query.get('msg_signature') });
    return plain === undefined ? null : textAnswer(plain);
  },

  verify: (request, channel) => openCallback(request, channel) !== undefined,

  parse(request, channel) {
    // verify() passed a moment ago; only the clock may have moved, so the window is not applied twice.
    const plain = openCallback(request, channel, Number(queryOf(request.rawQuery).get('timestamp')) * 1000);
    const xml = plain === undefined ? undefined : readXml(plain);
    if (!xml) throw new ChannelPayloadError('The callback is not WeChat XML');
    try {
      return eventsOf(xml);
    } catch (error) {
      throw new ChannelPayloadError(`The callback cannot be read: ${(error as Error).message}`);
    }
  },

  // "success": no passive reply (anything else but XML makes WeChat tell the person the account cannot serve).
  acknowledge: () => textAnswer('success'),

  // Customer-service messages (message/custom/send), one call per part: the text, then each image.
  async send(message, channel, context) {
    if (message.recipient.group) throw new ChannelError('permanent', 'Official accounts have no group chats', { reason: 'invalid_request' });
    const other = message.attachments.find((a) => !IMAGE.test(a.mimeType));
    if (other) throw new ChannelError('permanent', `WeChat customer-service messages take text and images here, not ${other.mimeType}`, { reason: 'invalid_request' });
    const api = apiContext(channel, context);
    const touser = message.recipient.externalId;
    const text = textOf(message);
    if (!text && !message.attachments.length) throw new ChannelError('permanent', 'Nothing to send', { reason: 'invalid_request' });
    if (text) await sendCustom(api, { touser, msgtype: 'text', text: { content: text } });
    for (const a of message.attachments) await sendCustom(api, { touser, msgtype: 'image', image: { media_id: await uploadImage(api, a) } });
    // WeChat gives customer-service messages no id, and has no idempotency key.
    return { providerMessageId: message.id };
  },

  // media/get (temporary media, 3 days): the file; a video's answer is JSON naming its download URL.
  async fetchMedia(ref, channel, context) {
    const api = apiContext(channel, context);
    const limits = { signal: context.signal, allowPrivateTargets: context.allowPrivateTargets, maxBytes: context.maxBytes };
    return withToken(api, async (token) => {
      const file = await download(urlOf(api, 'media/get', { access_token: token, media_id: ref }), { ...limits, maxRedirects: 0 });
      const json = jsonAnswer(file);
      if (!json) return file;
      const error = errorOf(json);
      if (error) throw error;
      if (typeof json.video_url === 'string') return download(json.video_url, limits);
      return file;
    });
  },

  // A follower's unionid (user/info; only when the account is bound to an Open Platform account),
  // which joins them to the same person on WeCom. WeChat gives no names or pictures any more.
  async relationFacts(event, channel, context) {
    const openid = (event.sender as { externalId?: unknown } | undefined)?.externalId;
    if (event.kind !== 'follow' || typeof openid !== 'string' || !openid) return {};
    const info = await userInfo(apiContext(channel, context), openid);
    const unionid = typeof info.unionid === 'string' && info.unionid ? info.unionid : undefined;
    return unionid ? { profile: { identities: [{ channelType: 'wechat_unionid', externalId: unionid }] } } : {};
  },

  // An access token with the AppID and AppSecret: the credentials are right and this server's IP is whitelisted.
  // A permanent parametric QR code with the code's slug as its scene: a follow through it arrives
  // as subscribe with EventKey qrscene_<slug> (or SCAN for a follower), the arrival's source. The
  // answer's url is what the QR code holds; Renmai draws it.
  async registerEntry(entry, channel, context) {
    const answer = await createSceneQr(apiContext(channel, context), entry.code);
    if (typeof answer.ticket !== 'string' || typeof answer.url !== 'string') throw new ChannelError('temporary', 'WeChat answered qrcode/create without a ticket', { reason: 'provider_error' });
    return { ref: answer.ticket, qrContent: answer.url, qrImageUrl: null };
  },

  async testConnection(channel, context) {
    await issueToken(apiContext(channel, context));
    return { accountId: channel.settings.appId };
  },
} satisfies ChannelAdapter<OaSettings, OaSecrets>;
