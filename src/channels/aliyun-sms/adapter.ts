// Alibaba Cloud SMS ("aliyun_sms", 阿里云短信服务, dysmsapi): templated SMS out through SendSms with
// the account's sign name (签名) and template (模板); delivery receipts (SmsReport) and replies
// (SmsUp) pushed to /hooks/<channel id>?token=<callback token> by the HTTP batch push.
// Protocol and setup: README.md; events: inbound.ts; calls and error codes: api.ts; signature: signature.ts.
import { timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { ChannelError, type ChannelAdapter, type ChannelRuntime, type SendContext } from '../adapter.js';
import { textOf } from '../outbound-text.js';
import { keywordSettings, smsCapabilities } from '../sms.js';
import { callAliyun, DEFAULT_API_URL, type AliyunApi } from './api.js';
import { eventsOf } from './inbound.js';

const settings = z.strictObject({
  /** The approved sign name (签名), shown as 【…】 before every message. */
  signName: z.string().trim().min(2).max(30),
  /** The approved template (模板 CODE, SMS_…) every message is sent with. */
  templateCode: z.string().trim().regex(/^SMS_\d+$/, 'a template CODE like SMS_71390007'),
  /** The template's variable that carries the message text: a template "${content}" takes { "content": text }. */
  textParam: z.string().trim().regex(/^[A-Za-z_][A-Za-z0-9_]{0,31}$/).default('content'),
  regionId: z.string().trim().regex(/^[a-z0-9-]{2,40}$/).default('cn-hangzhou'),
  /** The SMS API (tests point it at a local fake). */
  apiBaseUrl: z.url({ protocol: /^https?$/ }).max(300).default(DEFAULT_API_URL),
  ...keywordSettings,
});
const secrets = z.strictObject({
  /** A RAM user's AccessKey ID with AliyunDysmsFullAccess. */
  accessKeyId: z.string().trim().regex(/^[A-Za-z0-9]{12,64}$/, 'the AccessKey ID'),
  accessKeySecret: z.string().trim().min(16).max(100),
  /** Chosen by the admin and appended to the push URL as ?token=…: Aliyun's HTTP push is not signed. */
  callbackToken: z.string().trim().regex(/^[A-Za-z0-9_-]{16,64}$/, '16–64 letters, digits, - or _'),
});
export type AliyunSmsSettings = z.infer<typeof settings>;
export type AliyunSmsSecrets = z.infer<typeof secrets>;
type Runtime = ChannelRuntime<AliyunSmsSettings, AliyunSmsSecrets>;

/** The push URL's ?token= against the channel's callback token, in constant time (Aliyun signs nothing it pushes over HTTP). */
function tokenMatches(expected: string, rawQuery: string) {
  const given = Buffer.from(new URLSearchParams(rawQuery).get('token') ?? '');
  const want = Buffer.from(expected);
  return given.length === want.length && timingSafeEqual(given, want);
}

/** PhoneNumbers as SendSms takes them: mainland numbers without +86, others with their country code and no +. */
export const aliyunNumber = (e164: string) => (e164.startsWith('+86') ? e164.slice(3) : e164.replace(/^\+/, ''));

/** Template variables are short (Aliyun allows 35 characters per variable on most template types). */
const PARAM_MAX = 500;

const apiOf = (channel: Runtime, context: SendContext): AliyunApi => ({
  baseUrl: channel.settings.apiBaseUrl,
  accessKeyId: channel.secrets.accessKeyId,
  accessKeySecret: channel.secrets.accessKeySecret,
  regionId: channel.settings.regionId,
  signal: context.signal,
  allowPrivateTargets: context.allowPrivateTargets,
});

const sent = z.object({ BizId: z.string().min(1) });
const sign = z.object({ SignName: z.string().optional(), SignStatus: z.number().optional() });

export const aliyunSmsAdapter = {
  type: 'aliyun_sms',
  settings,
  secrets,
  identityType: () => 'phone',
  capabilities: () => smsCapabilities(20),
  setup: {
    webhook: 'paste',
    providerUrl: 'https://dysms.console.aliyun.com/',
    steps: [
      { key: 'credentials', text: 'In the RAM console, create a user with AliyunDysmsFullAccess and copy its AccessKey ID and Secret into the credentials; choose a callback token (16–64 letters and digits).' },
      { key: 'template', text: 'In the SMS console, have a sign name (签名) and a template (模板) approved; enter the sign name, the template CODE and the template variable that carries the text (default content).' },
      { key: 'push', text: 'SMS console → 通用设置 → 国内消息设置 → HTTP 批量推送: for 短信发送状态 (SmsReport) and 上行消息 (SmsUp), paste this URL followed by ?token= and the callback token of the credentials.', showHookUrl: true },
      { key: 'keywords', text: 'Replies TD, 退订, T, STOP … opt the sender out of SMS (recorded on the contact); START opts them back in. The lists are channel settings.' },
      { key: 'test', text: 'Press Test connection: Renmai queries the sign name with the AccessKey.' },
    ],
  },

  verify: (request, channel) => request.method === 'POST' && tokenMatches(channel.secrets.callbackToken, request.rawQuery),

  parse: (request, channel) => eventsOf(request.rawBody, channel.settings),

  // What the push expects back, or it pushes again.
  acknowledge: () => ({ status: 200, contentType: 'application/json', body: JSON.stringify({ code: 0, msg: '成功' }) }),

  async send(message, channel, context) {
    if (message.attachments.length) throw new ChannelError('permanent', 'SMS cannot carry files', { reason: 'invalid_request' });
    const text = textOf(message.content);
    if (!text) throw new ChannelError('permanent', 'Nothing to send: no text', { reason: 'invalid_request' });
    if ([...text].length > PARAM_MAX) throw new ChannelError('permanent', `A template variable takes at most ${PARAM_MAX} characters`, { reason: 'invalid_request' });
    const { signName, templateCode, textParam } = channel.settings;
    const answer = await callAliyun(apiOf(channel, context), 'SendSms', {
      PhoneNumbers: aliyunNumber(message.recipient.externalId),
      SignName: signName,
      TemplateCode: templateCode,
      TemplateParam: JSON.stringify({ [textParam]: text }),
      // Echoed as out_id in the delivery receipt.
      OutId: message.id,
    });
    const bizId = sent.safeParse(answer);
    if (!bizId.success) throw new ChannelError('permanent', 'Aliyun answered SendSms without a BizId', { reason: 'provider_error' });
    return { providerMessageId: bizId.data.BizId };
  },

  async testConnection(channel, context) {
    const info = sign.parse(await callAliyun(apiOf(channel, context), 'QuerySmsSign', { SignName: channel.settings.signName }));
    return { name: info.SignName ?? channel.settings.signName };
  },
} satisfies ChannelAdapter<AliyunSmsSettings, AliyunSmsSecrets>;
