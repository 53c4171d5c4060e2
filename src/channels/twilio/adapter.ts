// Twilio Programmable Messaging ("twilio"): SMS and MMS to and from a Twilio number or Messaging
// Service. Incoming messages and status callbacks arrive at /hooks/<channel id> as form POSTs
// signed with X-Twilio-Signature; sends go to the Messages resource with HTTP Basic.
// Protocol and setup: README.md; events: inbound.ts; calls and error codes: api.ts; signature: signature.ts.
import { z } from 'zod';
import { ChannelError, type ChannelAdapter, type ChannelRuntime, type SendContext } from '../adapter.js';
import { download } from '../download.js';
import { textOf } from '../outbound-text.js';
import { keywordSettings, smsCapabilities } from '../sms.js';
import { callTwilio, DEFAULT_API_URL, type TwilioApi } from './api.js';
import { eventsOf } from './inbound.js';
import { formParams, twilioSignatureValid } from './signature.js';

export const SIGNATURE_HEADER = 'x-twilio-signature';

const settings = z
  .strictObject({
    /** Console → Account Info → Account SID (AC…). */
    accountSid: z.string().trim().regex(/^AC[0-9a-f]{32}$/, 'the Account SID (AC followed by 32 hex digits)'),
    /** The sending number in E.164 (+14155550100), or … */
    from: z.string().trim().regex(/^\+[1-9]\d{6,14}$/, 'a number in E.164 form, like +14155550100').optional(),
    /** … a Messaging Service (MG…), which picks the number itself. */
    messagingServiceSid: z.string().trim().regex(/^MG[0-9a-f]{32}$/, 'a Messaging Service SID (MG followed by 32 hex digits)').optional(),
    /** The REST API (tests point it at a local fake). */
    apiBaseUrl: z.url({ protocol: /^https?$/ }).max(300).default(DEFAULT_API_URL),
    ...keywordSettings,
  })
  .refine((s) => Boolean(s.from) !== Boolean(s.messagingServiceSid), { message: 'Give either the sending number (from) or a Messaging Service SID, not both', path: ['from'] });
const secrets = z.strictObject({
  /** Console → Account Info → Auth Token: signs the webhooks and authenticates the API calls. */
  authToken: z.string().trim().regex(/^[0-9a-f]{32}$/, 'the Auth Token (32 hex digits)'),
});
export type TwilioSettings = z.infer<typeof settings>;
export type TwilioSecrets = z.infer<typeof secrets>;
type Runtime = ChannelRuntime<TwilioSettings, TwilioSecrets>;

/** Twilio's limit for one message's body (it splits it into segments itself). */
const BODY_MAX = 1600;

const apiOf = (channel: Runtime, context: SendContext): TwilioApi => ({
  baseUrl: channel.settings.apiBaseUrl,
  accountSid: channel.settings.accountSid,
  authToken: channel.secrets.authToken,
  signal: context.signal,
  allowPrivateTargets: context.allowPrivateTargets,
});

const sent = z.object({ sid: z.string() });
const account = z.object({ sid: z.string(), friendly_name: z.string().optional(), status: z.string().optional() });

export const twilioAdapter = {
  type: 'twilio',
  settings,
  secrets,
  identityType: () => 'phone',
  capabilities: () => smsCapabilities(10),
  setup: {
    webhook: 'paste',
    providerUrl: 'https://console.twilio.com/',
    steps: [
      { key: 'credentials', text: 'In the Twilio Console, copy the Account SID into the settings and the Auth Token into the credentials; enter the sending number (E.164) or a Messaging Service SID.' },
      { key: 'webhook', text: 'Phone Numbers → Manage → Active numbers → your number (or the Messaging Service → Integration): under "A message comes in" choose Webhook, HTTP POST, and paste this URL exactly.', showHookUrl: true },
      { key: 'keywords', text: 'Replies STOP, UNSUBSCRIBE, TD, 退订 … opt the sender out of SMS (recorded on the contact); START or UNSTOP opts them back in. The lists are channel settings.' },
      { key: 'test', text: 'Press Test connection: Renmai reads the account with the SID and Auth Token.' },
    ],
  },

  // Twilio signs the URL it called: the channel's hook URL under PUBLIC_URL, exactly as pasted there.
  verify(request, channel) {
    if (request.method !== 'POST' || !request.url) return false;
    const signature = request.headers[SIGNATURE_HEADER];
    const json = new URLSearchParams(request.rawQuery).has('bodySHA256');
    return twilioSignatureValid(channel.secrets.authToken, signature, request.url, json ? { raw: request.rawBody } : { params: formParams(request.rawBody) });
  },

  parse: (request, channel) => eventsOf(formParams(request.rawBody), channel.settings.accountSid, channel.settings),

  // Empty TwiML: Renmai answers through the API, never in the webhook's reply.
  acknowledge: () => ({ status: 200, contentType: 'text/xml', body: '<?xml version="1.0" encoding="UTF-8"?><Response/>' }),

  async send(message, channel, context) {
    if (message.attachments.length) throw new ChannelError('permanent', 'Twilio takes MMS media only as public URLs it fetches itself, which Renmai does not publish yet', { reason: 'invalid_request' });
    const body = textOf(message.content);
    if (!body) throw new ChannelError('permanent', 'Nothing to send: no text', { reason: 'invalid_request' });
    if ([...body].length > BODY_MAX) throw new ChannelError('permanent', `An SMS body takes at most ${BODY_MAX} characters`, { reason: 'invalid_request' });
    const form = new URLSearchParams({ To: message.recipient.externalId, Body: body });
    const { from, messagingServiceSid } = channel.settings;
    if (messagingServiceSid) form.set('MessagingServiceSid', messagingServiceSid);
    else form.set('From', from!);
    if (context.hookUrl) form.set('StatusCallback', context.hookUrl);
    const answer = sent.safeParse(await callTwilio(apiOf(channel, context), 'POST', '/Messages.json', form));
    if (!answer.success) throw new ChannelError('permanent', 'Twilio answered the send without a message SID', { reason: 'provider_error' });
    return { providerMessageId: answer.data.sid };
  },

  // MMS media URLs want the account's credentials (when "Enforce HTTP Auth on Media URLs" is on) and
  // redirect to a CDN, where download() drops them; they go to Twilio's own API address only.
  fetchMedia(ref, channel, context) {
    const own = new URL(ref).origin === new URL(channel.settings.apiBaseUrl).origin;
    const auth = own ? { authorization: `Basic ${Buffer.from(`${channel.settings.accountSid}:${channel.secrets.authToken}`).toString('base64')}` } : undefined;
    return download(ref, { signal: context.signal, allowPrivateTargets: context.allowPrivateTargets, maxBytes: context.maxBytes, ...(auth ? { headers: auth } : {}) });
  },

  async testConnection(channel, context) {
    const info = account.safeParse(await callTwilio(apiOf(channel, context), 'GET', '.json'));
    if (!info.success) throw new ChannelError('permanent', 'Twilio answered the account request without an account', { reason: 'provider_error' });
    return { accountId: info.data.sid, ...(info.data.friendly_name ? { name: info.data.friendly_name } : {}), ...(channel.settings.from ? { username: channel.settings.from } : {}) };
  },
} satisfies ChannelAdapter<TwilioSettings, TwilioSecrets>;
