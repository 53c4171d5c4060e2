// What the SMS channels (twilio/, aliyun-sms/) share: phone numbers in E.164 as the sender's
// `phone` identity, and the opt-out / opt-in keywords that make an inbound text a consent change.
// A channel setting with these defaults; a message whose whole text is a keyword counts, in any
// case, with full-width letters and trailing punctuation forgiven ("stop", "ＴＤ", "退订。").
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { z } from 'zod';
import type { InboundMessage, Sender } from './adapter.js';

/** Carriers' and Twilio's English opt-out words, and the Chinese carriers' 退订 replies (回T退订, TD). */
export const DEFAULT_OPT_OUT_KEYWORDS = ['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'TD', '退订', 'T'] as const;
/** Twilio's re-subscribe words (YES left out: it answers too many questions). */
export const DEFAULT_OPT_IN_KEYWORDS = ['START', 'UNSTOP'] as const;

const keywords = (defaults: readonly string[]) => z.array(z.string().trim().min(1).max(30)).max(50).default([...defaults]);

/** The channel settings both SMS adapters take. */
export const keywordSettings = {
  /** Whole-message replies that opt the sender out of SMS (their consent for `sms` becomes opt_out). */
  optOutKeywords: keywords(DEFAULT_OPT_OUT_KEYWORDS),
  /** Whole-message replies that opt them back in. */
  optInKeywords: keywords(DEFAULT_OPT_IN_KEYWORDS),
};
export type KeywordSettings = { optOutKeywords: string[]; optInKeywords: string[] };

/** The consent type of SMS channels (contacts' consents per channel type). */
export const SMS_CONSENT = 'sms';

const normal = (text: string) =>
  text
    .normalize('NFKC')
    .trim()
    .replace(/[\s.!?。！？]+$/u, '')
    .toUpperCase();

/** The consent change a message's text asks for, if it is one of the channel's keywords. */
export function consentOfText(text: string | undefined, settings: KeywordSettings): InboundMessage['consent'] {
  if (!text) return undefined;
  const said = normal(text);
  const match = (list: readonly string[]) => list.find((k) => normal(k) === said);
  const out = match(settings.optOutKeywords);
  if (out) return { status: 'opt_out', how: `SMS keyword "${out}"` };
  const back = match(settings.optInKeywords);
  return back ? { status: 'opt_in', how: `SMS keyword "${back}"` } : undefined;
}

/** E.164 for a number as a provider writes it (Aliyun leaves out +86), or undefined when it is not a phone number. */
export function e164(raw: string, defaultCountry?: CountryCode): string | undefined {
  const parsed = parsePhoneNumberFromString(raw.trim(), defaultCountry);
  return parsed?.isPossible() ? parsed.number : undefined;
}

/** The sender of an SMS: their number is their identity and a phone the carrier vouches for. */
export const smsSender = (phone: string): Sender => ({ externalId: phone, phone, phoneVerified: true });

/** Message capabilities of an SMS channel: text only (media needs public URLs), no reply window, consent `sms`. */
export const smsCapabilities = (perSecond: number) => ({
  messageKinds: ['text', 'link'] as const,
  templates: false,
  replyWindowMs: null,
  rateLimit: { perSecond, burst: perSecond * 2 },
  consentType: SMS_CONSENT,
});
