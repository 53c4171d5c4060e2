// Telegram bots ("telegram"), over the Bot API (https://core.telegram.org/bots/api). Updates
// arrive at /hooks/<channel id>, registered by POST /channels/{id}/connect (setWebhook) with a
// secret token derived from the bot token and the channel id, which Telegram echoes in
// X-Telegram-Bot-Api-Secret-Token on every update. Replies go out with sendMessage / sendPhoto /
// sendDocument / sendLocation. Protocol and setup: README.md; events: inbound.ts; calls: api.ts.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { ChannelError, ChannelPayloadError, type ChannelAdapter, type ChannelRuntime, type OutboundAttachment, type SendContext } from '../adapter.js';
import { download } from '../download.js';
import { callTelegram, DEFAULT_BASE_URL, fileUrl, type TelegramApi } from './api.js';
import { eventsOf } from './inbound.js';
import { fileInfo, me, sentMessage, update } from './payloads.js';
import { readJsonBody } from '../json-body.js';
import { splitText, textOf } from '../outbound-text.js';

export const SECRET_HEADER = 'x-telegram-bot-api-secret-token';
const ALLOWED_UPDATES = ['message', 'my_chat_member'];

const settings = z.strictObject({
  /** The Bot API's address (tests point it at a local fake; a self-hosted Bot API server works too). */
  apiBaseUrl: z.url({ protocol: /^https?$/ }).max(300).default(DEFAULT_BASE_URL),
  /** The bot's @username without the @, for deep links (t.me/<username>?start=<code>); Test connection tells it. */
  botUsername: z.string().regex(/^[A-Za-z0-9_]{5,32}$/, '5-32 letters, digits or _').optional(),
  /** `webhook`: Telegram posts to /hooks/<channel id> (Connect sets it); `polling`: the worker asks getUpdates (no public URL needed; Connect removes the webhook). */
  delivery: z.enum(['webhook', 'polling']).default('webhook'),
});
const secrets = z.strictObject({
  /** The token @BotFather gives: <bot id>:<secret>. */
  botToken: z.string().trim().regex(/^\d{1,20}:[A-Za-z0-9_-]{20,100}$/, 'the token from @BotFather, like 123456:ABC-DEF…'),
});
export type TelegramSettings = z.infer<typeof settings>;
export type TelegramSecrets = z.infer<typeof secrets>;
type Runtime = ChannelRuntime<TelegramSettings, TelegramSecrets>;

/**
 * The webhook's secret token (1-256 of [A-Za-z0-9_-]): HMAC of the channel id with the bot token,
 * so nothing more is stored, it differs per channel, and a new bot token means a new secret (connect again).
 */
export const webhookSecretOf = (botToken: string, channelId: string) => createHmac('sha256', botToken).update(`renmai:telegram:webhook:${channelId}`).digest('base64url');

function secretMatches(channel: Runtime, given: string | undefined) {
  if (!given) return false;
  const expected = Buffer.from(webhookSecretOf(channel.secrets.botToken, channel.channelId));
  const actual = Buffer.from(given);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

const apiOf = (channel: Runtime, context: SendContext): TelegramApi => ({
  baseUrl: channel.settings.apiBaseUrl,
  token: channel.secrets.botToken,
  signal: context.signal,
  allowPrivateTargets: context.allowPrivateTargets,
});

const TEXT_MAX = 4096;
const CAPTION_MAX = 1024;
// Types sendPhoto takes as a photo (https://core.telegram.org/bots/api#sendphoto); anything else goes as a document.
const PHOTO_TYPES = new Set(['image/jpeg', 'image/png', 'image/webp']);

/** Text in pieces of at most 4,096 characters (sendMessage's limit), not splitting a surrogate pair. */
export const chunks = (text: string) => splitText(text, TEXT_MAX);

async function sendFile(api: TelegramApi, chatId: string, file: OutboundAttachment, caption: string | undefined) {
  const photo = PHOTO_TYPES.has(file.mimeType);
  const form = new FormData();
  form.set('chat_id', chatId);
  if (caption) form.set('caption', caption);
  form.set(photo ? 'photo' : 'document', new Blob([new Uint8Array(file.data)], { type: file.mimeType }), file.fileName);
  return callTelegram(api, photo ? 'sendPhoto' : 'sendDocument', form);
}

const idOf = (chatId: string, result: unknown) => {
  const sent = sentMessage.safeParse(result);
  if (!sent.success) throw new ChannelError('permanent', 'Telegram accepted the message but its answer names no message');
  return `${chatId}:${sent.data.message_id}`;
};

export const telegramAdapter = {
  type: 'telegram',
  settings,
  secrets,
  identityType: () => 'telegram',
  capabilities: () => ({
    messageKinds: ['text', 'image', 'file', 'audio', 'video', 'location', 'link'] as const,
    templates: false,
    replyWindowMs: null,
    // Bot FAQ: about 30 messages a second overall (and 1 a second per chat, 20 a minute per group).
    rateLimit: { perSecond: 25, burst: 30 },
  }),
  setup: {
    webhook: 'connect',
    providerUrl: 'https://core.telegram.org/bots/features#botfather',
    steps: [
      { key: 'botfather', text: 'In Telegram, open @BotFather, send /newbot and copy the token it gives into Bot token.' },
      { key: 'test', text: 'Save, then press Test connection: Renmai calls getMe with the token and shows the bot.' },
      { key: 'connect', text: 'Press Connect: Renmai calls setWebhook with this webhook URL and a secret token, so Telegram sends every update here and Renmai can tell it is Telegram.', showHookUrl: true },
      { key: 'groups', text: 'For groups: add the bot to the group; to see every message (not only commands), turn off Group Privacy in @BotFather (/setprivacy).' },
      { key: 'deeplink', text: 'Live codes: share https://t.me/<bot username>?start=<code>; the code arrives as the source of the follow.' },
    ],
  },

  // https://core.telegram.org/bots/features#deep-linking: the payload is up to 64 of [A-Za-z0-9_-].
  entryLink: (s, code) => (s.botUsername && /^[A-Za-z0-9_-]{1,64}$/.test(code) ? `https://t.me/${s.botUsername}?start=${code}` : null),

  verify: (request, channel) => secretMatches(channel, request.headers[SECRET_HEADER]),

  parse: (request) => eventsOf(readJsonBody(request.rawBody, update, 'a Telegram Update')),

  // Telegram has no idempotency key: a send cut short after Telegram took it is sent again on retry.
  async send(message, channel, context) {
    const api = apiOf(channel, context);
    const chatId = message.recipient.externalId;
    const { content } = message;
    const text = textOf(content);
    const ids: string[] = [];
    // A short text rides as the first file's caption; a longer one goes first on its own.
    const captioned = message.attachments.length > 0 && text.length > 0 && [...text].length <= CAPTION_MAX;
    if (text && !captioned) for (const piece of chunks(text)) ids.push(idOf(chatId, await callTelegram(api, 'sendMessage', { chat_id: chatId, text: piece })));
    for (const [i, file] of message.attachments.entries()) ids.push(idOf(chatId, await sendFile(api, chatId, file, captioned && i === 0 ? text : undefined)));
    if (content.kind === 'location' && content.location) {
      ids.push(idOf(chatId, await callTelegram(api, 'sendLocation', { chat_id: chatId, latitude: content.location.latitude, longitude: content.location.longitude })));
    }
    if (!ids.length) throw new ChannelError('permanent', 'Nothing to send: no text, file or location', { reason: 'invalid_request' });
    return { providerMessageId: ids[0]! };
  },

  async fetchMedia(ref, channel, context) {
    const api = apiOf(channel, context);
    const info = fileInfo.safeParse(await callTelegram(api, 'getFile', { file_id: ref }));
    if (!info.success || !info.data.file_path) throw new ChannelError('permanent', 'Telegram getFile gave no file path', { reason: 'provider_error' });
    if (info.data.file_size !== undefined && info.data.file_size > context.maxBytes) {
      throw new ChannelError('permanent', `The file is larger than ${context.maxBytes} bytes`, { reason: 'media_too_large' });
    }
    const file = await download(fileUrl(api, info.data.file_path), { signal: context.signal, allowPrivateTargets: context.allowPrivateTargets, maxBytes: context.maxBytes, maxRedirects: 0 });
    // Telegram serves files as application/octet-stream: the name from the path, the type from the bytes (attachments.ts).
    return { data: file.data, fileName: file.fileName, mimeType: file.mimeType === 'application/octet-stream' ? undefined : file.mimeType };
  },

  async testConnection(channel, context) {
    const bot = me.safeParse(await callTelegram(apiOf(channel, context), 'getMe', {}));
    if (!bot.success) throw new ChannelError('permanent', 'Telegram getMe answered without a bot', { reason: 'provider_error' });
    return { accountId: String(bot.data.id), name: bot.data.first_name, ...(bot.data.username ? { username: bot.data.username } : {}) };
  },

  // Webhook delivery: setWebhook with the secret token. Polling: deleteWebhook, without which
  // Telegram refuses getUpdates (409).
  async connect(channel, context) {
    const api = apiOf(channel, context);
    if (channel.settings.delivery === 'polling') return void (await callTelegram(api, 'deleteWebhook', {}));
    await callTelegram(api, 'setWebhook', { url: context.hookUrl, secret_token: webhookSecretOf(channel.secrets.botToken, channel.channelId), allowed_updates: ALLOWED_UPDATES });
  },

  // getUpdates from `cursor` (the next update_id; Telegram forgets what is before it), without
  // waiting: the worker asks again every CHANNEL_POLL_SECONDS. An update that is not one Renmai
  // reads is skipped, as the webhook would answer it and go on.
  async pollUpdates(channel, context, cursor) {
    const result = await callTelegram(apiOf(channel, context), 'getUpdates', { ...(cursor ? { offset: Number(cursor) } : {}), timeout: 0, limit: 100, allowed_updates: ALLOWED_UPDATES });
    const updates = Array.isArray(result) ? result : [];
    const events = updates.flatMap((u) => {
      const parsed = update.safeParse(u);
      if (!parsed.success) return [];
      try {
        return eventsOf(parsed.data);
      } catch (error) {
        // One update that cannot be read must not stop the bot's cursor at it forever.
        if (error instanceof ChannelPayloadError) return [];
        throw error;
      }
    });
    const last = updates.reduce<number | null>((max, u) => Math.max(max ?? 0, Number((u as { update_id?: unknown }).update_id) || 0), null);
    return { events, cursor: last === null ? cursor : String(last + 1) };
  },
} satisfies ChannelAdapter<TelegramSettings, TelegramSecrets>;
