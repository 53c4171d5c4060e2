// Facebook Messenger ("messenger") and Instagram direct messages ("instagram"), over the Messenger
// Platform (https://developers.facebook.com/docs/messenger-platform): one protocol with two
// account kinds, so one adapter made twice. Webhooks reach /hooks/<channel id> (pasted in the
// app's Webhooks settings with a verify token) signed with X-Hub-Signature-256; replies go to the
// Send API (POST /me/messages with the Page access token) as RESPONSE within 24 hours of the
// person's last message, or with the HUMAN_AGENT tag up to 7 days when the channel allows it.
// Protocol and setup: README.md; events: inbound.ts; Graph calls and errors: ../meta-graph.ts.
import { z } from 'zod';
import { ChannelError, type ChannelAdapter, type ChannelRuntime, type OutboundMessage, type SendContext } from '../adapter.js';
import { download } from '../download.js';
import { readJsonBody } from '../json-body.js';
import { callGraph, graphSecrets, graphSettings, lastInboundAt, outsideWindow, SIGNATURE_HEADER, signatureMatches, STANDARD_WINDOW_MS, verificationAnswer, type GraphApi } from '../meta-graph.js';
import { splitText, textOf } from '../outbound-text.js';
import { eventsOf } from './inbound.js';
import { account, body as bodySchema, sent } from './payloads.js';

/** The HUMAN_AGENT tag: a person's reply up to 7 days after the customer's last message. */
export const HUMAN_AGENT_WINDOW_MS = 7 * 24 * 3600_000;

const settings = z.strictObject({
  /** Messenger: the Page ID; Instagram: the Instagram professional account ID (the recipient of its webhooks). */
  accountId: z.string().trim().regex(/^\d{5,20}$/, 'the numeric ID of the Page or Instagram account'),
  /** The Page's or Instagram account's username, for m.me / ig.me links. */
  username: z.string().trim().regex(/^[A-Za-z0-9._]{1,50}$/, 'letters, digits, . and _').optional(),
  /** Answer up to 7 days after the customer's last message with the HUMAN_AGENT tag (the app needs Human Agent permission). */
  humanAgentTag: z.boolean().default(false),
  ...graphSettings,
});
const secrets = z.strictObject({
  ...graphSecrets,
  /** A Page access token with pages_messaging (and instagram_manage_messages for Instagram). */
  pageAccessToken: z.string().trim().min(20).max(2000),
});
export type MetaMessagingSettings = z.infer<typeof settings>;
export type MetaMessagingSecrets = z.infer<typeof secrets>;
type Runtime = ChannelRuntime<MetaMessagingSettings, MetaMessagingSecrets>;

interface Platform {
  type: 'messenger' | 'instagram';
  /** The webhook's `object`. */
  object: 'page' | 'instagram';
  name: string;
  /** The Send API's text limit (Messenger 2,000 characters, Instagram 1,000). */
  textMax: number;
  /** Whether the Send API takes files uploaded with the message (Messenger); Instagram takes them only by public URL. */
  uploads: boolean;
  entryLink(s: MetaMessagingSettings, code: string): string | null;
  setup: ChannelAdapter['setup'];
}

const apiOf = (channel: Runtime, context: SendContext): GraphApi => ({
  baseUrl: channel.settings.apiBaseUrl,
  version: channel.settings.apiVersion,
  accessToken: channel.secrets.pageAccessToken,
  signal: context.signal,
  allowPrivateTargets: context.allowPrivateTargets,
});

/**
 * How a message may go (https://developers.facebook.com/docs/messenger-platform/send-messages/message-tags):
 * a RESPONSE within 24 hours of the person's last message; after that only a person's reply with
 * the HUMAN_AGENT tag, up to 7 days, when the channel enables it; otherwise not at all.
 */
export function messagingTypeOf(message: OutboundMessage, s: MetaMessagingSettings, name: string, now = Date.now()) {
  const last = lastInboundAt(message);
  const age = last === undefined ? Number.POSITIVE_INFINITY : now - last;
  if (age <= STANDARD_WINDOW_MS) return { messaging_type: 'RESPONSE' };
  if (s.humanAgentTag && !message.automated && age <= HUMAN_AGENT_WINDOW_MS) return { messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' };
  throw outsideWindow(name);
}

const CODE = /^[A-Za-z0-9_-]{1,64}$/;

/** The Send API's attachment type for a file. */
export const attachmentTypeOf = (mimeType: string) => (['image', 'video', 'audio'].find((t) => mimeType.startsWith(`${t}/`)) ?? 'file') as 'image' | 'video' | 'audio' | 'file';

function adapterFor(p: Platform) {
  return {
    type: p.type,
    settings,
    secrets,
    identityType: () => p.type,
    capabilities: (s: MetaMessagingSettings) => ({
      messageKinds: p.uploads ? (['text', 'image', 'file', 'audio', 'video', 'link'] as const) : (['text', 'link'] as const),
      templates: false,
      replyWindowMs: s.humanAgentTag ? HUMAN_AGENT_WINDOW_MS : STANDARD_WINDOW_MS,
      rateLimit: { perSecond: 20, burst: 40 },
    }),
    setup: p.setup,
    entryLink: (s, code) => (CODE.test(code) ? p.entryLink(s, code) : null),

    handshake: (request, channel) => verificationAnswer(request, channel.secrets.verifyToken),

    verify: (request, channel) => signatureMatches(channel.secrets.appSecret, request.rawBody, request.headers[SIGNATURE_HEADER]),

    parse: (request, channel) => eventsOf(readJsonBody(request.rawBody, bodySchema, `a ${p.name} webhook`), p.object, channel.settings.accountId),

    // The Send API has no idempotency key: a send cut short after Meta took it is sent again on retry.
    async send(message, channel, context) {
      if (message.attachments.length && !p.uploads) throw new ChannelError('permanent', `${p.name} cannot receive files from Renmai yet (it needs them at a public URL)`, { reason: 'invalid_request' });
      const type = messagingTypeOf(message, channel.settings, p.name);
      const text = textOf(message.content);
      if (!text && !message.attachments.length) throw new ChannelError('permanent', 'Nothing to send: no text or file', { reason: 'invalid_request' });
      const api = apiOf(channel, context);
      const recipient = { id: message.recipient.externalId };
      const idOf = (answer: unknown) => {
        const parsed = sent.safeParse(answer);
        if (!parsed.success) throw new ChannelError('permanent', `${p.name} accepted the message but its answer names no message id`, { reason: 'provider_error' });
        return parsed.data.message_id;
      };
      const ids: string[] = [];
      for (const piece of splitText(text, p.textMax)) ids.push(idOf(await callGraph(api, `${p.name} send`, 'POST', '/me/messages', { recipient, ...type, message: { text: piece } })));
      // Files go up with the message (https://developers.facebook.com/docs/messenger-platform/send-messages/saving-assets): multipart, `filedata`.
      for (const file of message.attachments) {
        const form = new FormData();
        form.set('recipient', JSON.stringify(recipient));
        for (const [key, value] of Object.entries(type)) form.set(key, value);
        form.set('message', JSON.stringify({ attachment: { type: attachmentTypeOf(file.mimeType), payload: { is_reusable: false } } }));
        form.set('filedata', new Blob([new Uint8Array(file.data)], { type: file.mimeType }), file.fileName);
        ids.push(idOf(await callGraph(api, `${p.name} send`, 'POST', '/me/messages', form)));
      }
      return { providerMessageId: ids[0]! };
    },

    // Meta's attachment URLs are signed CDN links: fetched as they are, without the token.
    fetchMedia: (ref, _channel, context) => download(ref, { signal: context.signal, allowPrivateTargets: context.allowPrivateTargets, maxBytes: context.maxBytes }),

    async testConnection(channel, context) {
      const query = new URLSearchParams({ fields: p.type === 'instagram' ? 'id,name,username' : 'id,name' });
      const found = account.safeParse(await callGraph(apiOf(channel, context), `${p.name} account`, 'GET', `/${channel.settings.accountId}?${query}`));
      if (!found.success) throw new ChannelError('permanent', `${p.name} answered without the account`, { reason: 'provider_error' });
      return { accountId: found.data.id, ...(found.data.name ? { name: found.data.name } : {}), ...(found.data.username ? { username: found.data.username } : {}) };
    },
  } satisfies ChannelAdapter<MetaMessagingSettings, MetaMessagingSecrets>;
}

const appSteps = (product: 'Messenger' | 'Instagram', fields: string) => [
  { key: 'app', text: `In Meta for Developers, open the app with ${product}: copy the App secret (App settings → Basic) and generate a Page access token for the Page; put the ${product === 'Instagram' ? 'Instagram account ID' : 'Page ID'} in the settings.` },
  { key: 'webhook', text: `Webhooks (${product}): paste this callback URL and the same verify token as in Renmai, verify and save, then subscribe to ${fields}.`, showHookUrl: true },
  { key: 'test', text: 'Press Test connection: Renmai reads the account with the token.' },
];

export const messengerAdapter = adapterFor({
  type: 'messenger',
  object: 'page',
  name: 'Messenger',
  textMax: 2000,
  uploads: true,
  // https://developers.facebook.com/docs/messenger-platform/discovery/m-me-links: ?ref= arrives as a referral.
  entryLink: (s, code) => `https://m.me/${s.username ?? s.accountId}?ref=${code}`,
  setup: {
    webhook: 'paste',
    providerUrl: 'https://developers.facebook.com/apps/',
    steps: [...appSteps('Messenger', 'messages, messaging_postbacks, messaging_referrals, message_deliveries and message_reads for the Page'), { key: 'entry', text: 'Live codes: a code opens https://m.me/<page>?ref=<code>; the code arrives as the source of the referral.' }],
  },
});

export const instagramAdapter = adapterFor({
  type: 'instagram',
  object: 'instagram',
  name: 'Instagram',
  textMax: 1000,
  uploads: false,
  // https://developers.facebook.com/docs/messenger-platform/instagram/features/ig-me-links: the ref reaches new
  // conversations only when the account has icebreakers; the username is needed (ig.me takes no id).
  entryLink: (s, code) => (s.username ? `https://ig.me/m/${s.username}?ref=${code}` : null),
  setup: {
    webhook: 'paste',
    providerUrl: 'https://developers.facebook.com/apps/',
    steps: [...appSteps('Instagram', 'messages, messaging_postbacks, messaging_referral and messaging_seen'), { key: 'entry', text: 'Live codes: set the username and add icebreakers to the account; a code opens https://ig.me/m/<username>?ref=<code>.' }],
  },
});
