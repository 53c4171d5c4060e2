// Twilio's form POSTs as normalised events: an incoming SMS / MMS
// (https://www.twilio.com/docs/messaging/guides/webhook-request) and a status callback of a message
// Renmai sent (https://www.twilio.com/docs/messaging/guides/track-outbound-message-status). Both
// reach the channel's one hook URL; a status callback is the one with MessageStatus.
import { ChannelPayloadError, type MediaRef, type MessageContent, type MessageKind, type NormalisedEvent } from '../adapter.js';
import { consentOfText, e164, smsSender, type KeywordSettings } from '../sms.js';
import { reasonOfCode } from './api.js';
import type { TwilioParams } from './signature.js';

const one = (params: TwilioParams, name: string): string | undefined => {
  const v = params[name];
  return Array.isArray(v) ? v[0] : v;
};

/** Statuses that change nothing Renmai shows: the send job marked the message sent when Twilio took it. */
const silent = new Set(['queued', 'accepted', 'scheduled', 'sending', 'sent', 'receiving', 'received']);

function kindOf(mimeType: string): MessageKind {
  const top = mimeType.split('/')[0];
  return top === 'image' || top === 'video' || top === 'audio' ? top : 'file';
}

/** MMS media: MediaUrl{N} with MediaContentType{N}, N = 0..NumMedia-1 (at most 10), read later with the account's credentials. */
function mediaOf(params: TwilioParams, sid: string): MediaRef[] {
  const n = Math.min(Number(one(params, 'NumMedia') ?? 0) || 0, 10);
  const refs: MediaRef[] = [];
  for (let i = 0; i < n; i++) {
    const url = one(params, `MediaUrl${i}`);
    if (!url) continue;
    const mimeType = one(params, `MediaContentType${i}`) ?? 'application/octet-stream';
    refs.push({ ref: url, fileName: `${kindOf(mimeType)}-${sid}-${i}`, mimeType });
  }
  return refs;
}

function status(params: TwilioParams, sid: string, value: string, to: string | undefined): NormalisedEvent[] {
  if (silent.has(value)) return [];
  const base = { providerEventId: `${sid}:${value}`, threadKey: to ?? sid, occurredAt: new Date(), providerMessageId: sid, kind: 'status' as const };
  if (value === 'delivered' || value === 'read') return [{ ...base, status: value }];
  const code = Number(one(params, 'ErrorCode')) || undefined;
  // undelivered, failed, canceled: a failure, with Twilio's error code as its stable reason.
  return [{ ...base, status: 'failed', error: `Twilio: ${value}${code ? ` (error ${code})` : ''}`, reason: value === 'canceled' ? 'provider_error' : reasonOfCode(code) }];
}

/** The events of one verified POST; `accountSid` must be the channel's. */
export function eventsOf(params: TwilioParams, accountSid: string, keywords: KeywordSettings): NormalisedEvent[] {
  const sid = one(params, 'MessageSid') ?? one(params, 'SmsMessageSid') ?? one(params, 'SmsSid');
  if (!sid) throw new ChannelPayloadError('The body is not a Twilio messaging webhook', [{ path: 'MessageSid', message: 'missing' }]);
  if (one(params, 'AccountSid') !== accountSid) throw new ChannelPayloadError('The webhook is for another Twilio account', [{ path: 'AccountSid', message: 'not this channel\'s account' }]);
  const messageStatus = one(params, 'MessageStatus');
  if (messageStatus) return status(params, sid, messageStatus, one(params, 'To'));
  const from = e164(one(params, 'From') ?? '');
  if (!from) throw new ChannelPayloadError('The message has no sender phone number', [{ path: 'From', message: 'not an E.164 number' }]);
  const text = one(params, 'Body') ?? '';
  const media = mediaOf(params, sid);
  const content: MessageContent = { kind: media.length && !text.trim() ? kindOf(media[0]!.mimeType) : 'text', ...(text ? { text } : {}) };
  const consent = consentOfText(text, keywords);
  return [
    {
      kind: 'message',
      providerEventId: sid,
      threadKey: from,
      occurredAt: new Date(),
      sender: smsSender(from),
      providerMessageId: sid,
      content,
      attachments: [],
      ...(media.length ? { mediaRefs: media } : {}),
      ...(consent ? { consent } : {}),
    },
  ];
}
