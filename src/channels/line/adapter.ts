// LINE Official Accounts ("line"), over the Messaging API
// (https://developers.line.biz/en/reference/messaging-api/). Webhooks arrive at /hooks/<channel id>
// (pasted in the LINE Developers console) signed with X-Line-Signature; replies use the reply
// token while it is fresh (free, not counted against the monthly quota) and push otherwise.
// Protocol and setup: README.md; events: inbound.ts; calls: api.ts.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { ChannelError, type ChannelAdapter, type ChannelRuntime, type OutboundMessage, type SendContext } from '../adapter.js';
import { download } from '../download.js';
import { callLine, DEFAULT_API_URL, DEFAULT_DATA_URL, urlOf, type LineApi } from './api.js';
import { eventsOf, EXTERNAL } from './inbound.js';
import { body as bodySchema, botInfo, profile, sent } from './payloads.js';
import { readJsonBody } from '../json-body.js';
import { splitText, textOf } from '../outbound-text.js';

export const SIGNATURE_HEADER = 'x-line-signature';

const settings = z.strictObject({
  /** The Messaging API (tests point it at a local fake). */
  apiBaseUrl: z.url({ protocol: /^https?$/ }).max(300).default(DEFAULT_API_URL),
  /** Where message content (images, files) is read from. */
  dataApiBaseUrl: z.url({ protocol: /^https?$/ }).max(300).default(DEFAULT_DATA_URL),
});
const secrets = z.strictObject({
  /** Basic settings → Channel secret: signs the webhooks. */
  channelSecret: z.string().trim().regex(/^[A-Za-z0-9]{16,64}$/, 'the Channel secret from Basic settings'),
  /** Messaging API → Channel access token (long-lived). */
  channelAccessToken: z.string().trim().min(20).max(2000),
});
export type LineSettings = z.infer<typeof settings>;
export type LineSecrets = z.infer<typeof secrets>;
type Runtime = ChannelRuntime<LineSettings, LineSecrets>;

/** base64(HMAC-SHA256(channel secret, raw body)) — X-Line-Signature. */
export const signatureOf = (channelSecret: string, body: Buffer | string) => createHmac('sha256', channelSecret).update(body).digest('base64');

/** As the official SDK does (lib/validate-signature.ts): compare the decoded bytes in constant time. */
export function signatureMatches(channelSecret: string, body: Buffer | string, given: string | undefined): boolean {
  if (!given) return false;
  const expected = createHmac('sha256', channelSecret).update(body).digest();
  const actual = Buffer.from(given.trim(), 'base64');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/**
 * How long after the event a reply token is used. LINE: tokens are single-use and must be used
 * soon after the webhook (documented as about a minute, not guaranteed); 50 s leaves a margin.
 */
export const REPLY_TOKEN_TTL_MS = 50_000;

const TEXT_MAX = 5000;
/** A request carries at most 5 message objects. */
const MESSAGES_MAX = 5;

const apiOf = (channel: Runtime, context: SendContext, baseUrl = channel.settings.apiBaseUrl): LineApi => ({
  baseUrl,
  accessToken: channel.secrets.channelAccessToken,
  signal: context.signal,
  allowPrivateTargets: context.allowPrivateTargets,
});

/** LINE message objects for one outbound message (https://developers.line.biz/en/reference/messaging-api/#message-objects). */
export function lineMessagesOf(message: OutboundMessage): Array<Record<string, unknown>> {
  if (message.attachments.length) {
    // LINE takes images and files only as public HTTPS URLs it fetches itself; Renmai does not publish attachments.
    throw new ChannelError('permanent', 'LINE cannot receive files from Renmai yet (it needs them at a public HTTPS URL)', { reason: 'invalid_request' });
  }
  const { content } = message;
  const out: Array<Record<string, unknown>> = splitText(textOf(content), TEXT_MAX).map((text) => ({ type: 'text', text }));
  if (content.kind === 'location' && content.location) {
    const l = content.location;
    out.push({ type: 'location', title: (l.name ?? 'Location').slice(0, 100), address: (l.address ?? `${l.latitude}, ${l.longitude}`).slice(0, 100), latitude: l.latitude, longitude: l.longitude });
  }
  if (!out.length) throw new ChannelError('permanent', 'Nothing to send: no text or location', { reason: 'invalid_request' });
  if (out.length > MESSAGES_MAX) throw new ChannelError('permanent', `LINE takes at most ${MESSAGES_MAX} messages of ${TEXT_MAX} characters at once`, { reason: 'invalid_request' });
  return out;
}

/** The reply token of the message this one answers, while it is fresh. */
function freshReplyToken(message: OutboundMessage, now = Date.now()): string | undefined {
  const context = message.inReplyTo?.replyContext;
  const token = typeof context?.replyToken === 'string' ? context.replyToken : undefined;
  const at = typeof context?.receivedAt === 'number' ? context.receivedAt : undefined;
  return token && at !== undefined && now - at < REPLY_TOKEN_TTL_MS ? token : undefined;
}

const firstId = (json: unknown) => sent.safeParse(json).data?.sentMessages?.[0]?.id;

export const lineAdapter = {
  type: 'line',
  settings,
  secrets,
  identityType: () => 'line',
  capabilities: () => ({
    messageKinds: ['text', 'location', 'link'] as const,
    templates: false,
    replyWindowMs: null,
    rateLimit: { perSecond: 50, burst: 100 },
  }),
  setup: {
    webhook: 'paste',
    providerUrl: 'https://developers.line.biz/console/',
    steps: [
      { key: 'credentials', text: 'In the LINE Developers console, open the Messaging API channel: copy the Channel secret (Basic settings) and issue a Channel access token (Messaging API tab) into the credentials.' },
      { key: 'webhook', text: 'Messaging API tab → Webhook settings: paste this webhook URL, turn on Use webhook, and press Verify.', showHookUrl: true },
      { key: 'autoreply', text: 'In the LINE Official Account Manager, turn off the automatic Auto-reply and Greeting messages if Renmai should answer instead; allow joining group chats to use groups.' },
      { key: 'test', text: 'Press Test connection: Renmai reads the bot\'s info with the access token.' },
    ],
  },

  verify: (request, channel) => signatureMatches(channel.secrets.channelSecret, request.rawBody, request.headers[SIGNATURE_HEADER]),

  // The console's Verify button sends no events: answered 200 with nothing stored.
  parse: (request) => eventsOf(readJsonBody(request.rawBody, bodySchema, 'a LINE webhook').events),

  async send(message, channel, context) {
    const messages = lineMessagesOf(message);
    const api = apiOf(channel, context);
    const replyToken = freshReplyToken(message);
    if (replyToken) {
      try {
        const answer = await callLine(api, 'POST', '/v2/bot/message/reply', { replyToken, messages });
        return { providerMessageId: firstId(answer.json) ?? message.id };
      } catch (error) {
        // Used already (another reply to the same message) or expired: push instead.
        if (!(error instanceof ChannelError && error.reason === 'invalid_request' && /reply token/i.test(error.message))) throw error;
      }
    }
    // X-Line-Retry-Key: a retry after a lost answer is answered 409 instead of sending twice.
    const answer = await callLine(api, 'POST', '/v2/bot/message/push', { to: message.recipient.externalId, messages }, { headers: { 'x-line-retry-key': message.id }, accept: [409] });
    if (answer.status === 409) return { providerMessageId: answer.headers.get('x-line-accepted-request-id') ?? message.id };
    return { providerMessageId: firstId(answer.json) ?? message.id };
  },

  async fetchMedia(ref, channel, context) {
    const limits = { signal: context.signal, allowPrivateTargets: context.allowPrivateTargets, maxBytes: context.maxBytes };
    // An external content provider's URL: anyone's server, so no token goes with it.
    const file = ref.startsWith(EXTERNAL)
      ? await download(ref.slice(EXTERNAL.length), limits)
      : await download(urlOf(channel.settings.dataApiBaseUrl, `/v2/bot/message/${encodeURIComponent(ref)}/content`), { ...limits, headers: { authorization: `Bearer ${channel.secrets.channelAccessToken}` } });
    // A video or audio still being prepared is answered 202 without a body: try again later.
    if (!file.data.length) throw new ChannelError('temporary', 'LINE has not prepared the content yet');
    return file;
  },

  // A new friend's name and picture (the webhook carries neither): GET /v2/bot/profile/{userId},
  // in the worker after the follow is stored (src/domains/channels/relations.ts), never in the webhook.
  async relationFacts(event, channel, context) {
    const userId = (event.sender as { externalId?: unknown } | undefined)?.externalId;
    if (event.kind !== 'follow' || typeof userId !== 'string' || !/^U[0-9a-f]{32}$/i.test(userId)) return {};
    let answer;
    try {
      answer = await callLine(apiOf(channel, context), 'GET', `/v2/bot/profile/${userId}`);
    } catch (error) {
      // Not a friend (any more): LINE will not say who it is.
      if (error instanceof ChannelError && error.kind === 'not_found') return {};
      throw error;
    }
    const p = profile.safeParse(answer.json).data;
    return { profile: { ...(p?.displayName ? { displayName: p.displayName } : {}), ...(p?.pictureUrl ? { avatarUrl: p.pictureUrl } : {}) } };
  },

  async testConnection(channel, context) {
    const info = botInfo.safeParse((await callLine(apiOf(channel, context), 'GET', '/v2/bot/info')).json);
    if (!info.success) throw new ChannelError('permanent', 'LINE answered /v2/bot/info without a bot', { reason: 'provider_error' });
    return { accountId: info.data.userId, ...(info.data.displayName ? { name: info.data.displayName } : {}), ...(info.data.basicId ? { username: info.data.basicId } : {}) };
  },
} satisfies ChannelAdapter<LineSettings, LineSecrets>;
