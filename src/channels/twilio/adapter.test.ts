// The Twilio adapter against PROTOCOLS.md §7.1's vectors T1–T9 (twilio/twilio-node
// spec/validation.spec.js@45d3d65a, also checked with twilio@6.3.1's validateRequest and
// validateRequestWithBody), the webhook parameters of
// https://www.twilio.com/docs/messaging/guides/webhook-request and Twilio's error codes.
import { describe, expect, it } from 'vitest';
import { ChannelPayloadError, type InboundMessage, type NormalisedEvent } from '../adapter.js';
import { DEFAULT_OPT_IN_KEYWORDS, DEFAULT_OPT_OUT_KEYWORDS } from '../sms.js';
import { reasonOfCode, twilioError } from './api.js';
import { SIGNATURE_HEADER, twilioAdapter } from './adapter.js';
import { ACCOUNT_SID, AUTH_TOKEN, incomingSms, signedForm } from './fake-twilio.js';
import { formParams, stringToSign, twilioSignature, twilioSignatureValid } from './signature.js';

const TOKEN = '12345';
const P = { CallSid: 'CA1234567890ABCDE', Caller: '+14158675309', Digits: '1234', From: '+14158675309', To: '+18005551212' };
const URL1 = 'https://mycompany.com/myapp.php?foo=1&bar=2';
const valid = (signature: string | undefined, url: string, params: Record<string, string | string[]> = P) => twilioSignatureValid(TOKEN, signature, url, { params });

describe('twilio signature (external vectors, PROTOCOLS.md §7.1)', () => {
  it('T1: the string to sign and its signature', () => {
    expect(stringToSign(URL1, P)).toBe('https://mycompany.com/myapp.php?foo=1&bar=2CallSidCA1234567890ABCDECaller+14158675309Digits1234From+14158675309To+18005551212');
    expect(twilioSignature(TOKEN, URL1, P)).toBe('RSOYDt4T1cUTdK1PDd93/VVr8B8=');
    expect(valid('RSOYDt4T1cUTdK1PDd93/VVr8B8=', URL1)).toBe(true);
  });

  it('T2: a URL without its port accepts the signature over :443 as well', () => {
    expect(twilioSignature(TOKEN, 'https://mycompany.com:443/myapp.php?foo=1&bar=2', P)).toBe('kvajT1Ptam85bY51eRf/AJRuM3w=');
    expect(valid('kvajT1Ptam85bY51eRf/AJRuM3w=', URL1)).toBe(true);
    expect(valid('RSOYDt4T1cUTdK1PDd93/VVr8B8=', 'https://mycompany.com:443/myapp.php?foo=1&bar=2')).toBe(true);
  });

  it('T3, T4: other ports; a port Twilio added is stripped', () => {
    expect(twilioSignature(TOKEN, 'http://mycompany.com:1234/myapp.php?foo=1&bar=2', P)).toBe('Zmvh+3yNM1Phv2jhDCwEM3q5ebU=');
    expect(valid('Zmvh+3yNM1Phv2jhDCwEM3q5ebU=', 'http://mycompany.com:1234/myapp.php?foo=1&bar=2')).toBe(true);
    expect(twilioSignature(TOKEN, 'http://mycompany.com:80/myapp.php?foo=1&bar=2', P)).toBe('0ZXoZLH/DfblKGATFgpif+LLRf4=');
    expect(valid('0ZXoZLH/DfblKGATFgpif+LLRf4=', 'http://mycompany.com/myapp.php?foo=1&bar=2')).toBe(true);
    expect(valid('RSOYDt4T1cUTdK1PDd93/VVr8B8=', 'https://mycompany.com:1234/myapp.php?foo=1&bar=2')).toBe(true);
  });

  it("T5: a raw apostrophe in the query; the WHATWG-normalised form (%27) is accepted", () => {
    const raw = `${URL1}&Body=It's+amazing`;
    expect(twilioSignature(TOKEN, `${URL1}&Body=It%27s+amazing`, P)).toBe('TfZzewPq8wqrGlMfyAud8+/IvJ0=');
    expect(valid('TfZzewPq8wqrGlMfyAud8+/IvJ0=', raw)).toBe(true);
    // twilio-node 6.3 tries the URL as received first (6.2.0 did not): the raw string's signature is accepted too.
    expect(twilioSignature(TOKEN, raw, P)).toBe('dsq4Ehbj6cs+KdTkpF5sSSplOWw=');
    expect(valid('dsq4Ehbj6cs+KdTkpF5sSSplOWw=', raw)).toBe(true);
  });

  it('T6, T7: repeated names, in any order, duplicates collapsed', () => {
    expect(valid('83O6e2vORAoJHUNzJjDWN1jz+BA=', URL1, { 'MessagingBinding.Address': ['+1325xxxxxxx', '+1415xxxxxxx'] })).toBe(true);
    expect(valid('83O6e2vORAoJHUNzJjDWN1jz+BA=', URL1, { 'MessagingBinding.Address': ['+1415xxxxxxx', '+1325xxxxxxx'] })).toBe(true);
    expect(valid('IK+Dwps556ElfBT0I3Rgjkr1wJU=', URL1, { Sid: 'CA123', SidAccount: 'AC123', Digits: ['5678', '1234', '1234'] })).toBe(true);
    expect(formParams(Buffer.from('Digits=5678&Sid=CA123&Digits=1234&SidAccount=AC123&Digits=1234'))).toEqual({ Digits: ['5678', '1234', '1234'], Sid: 'CA123', SidAccount: 'AC123' });
  });

  it('T8, T9: JSON bodies signed through bodySHA256 in the URL', () => {
    const t8 = `${URL1}&bodySHA256=0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620`;
    expect(twilioSignatureValid(TOKEN, 'a9nBmqA0ju/hNViExpshrM61xv4=', t8, { raw: '{"property": "value", "boolean": true}' })).toBe(true);
    expect(twilioSignatureValid(TOKEN, 'a9nBmqA0ju/hNViExpshrM61xv4=', t8, { raw: '{"property": "value", "boolean": false}' })).toBe(false);
    const t9 = `${URL1}&bodySHA256=44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a`;
    expect(twilioSignatureValid(TOKEN, 'Ldidvp12m26NI7eqEvxnEpkd9Hc=', t9, { raw: '{}' })).toBe(true);
  });

  it('negatives: a wrong signature, none, an unexpected parameter in the URL, another token', () => {
    expect(valid('WRONG_SIGNATURE', URL1)).toBe(false);
    expect(valid(undefined, URL1)).toBe(false);
    expect(valid('RSOYDt4T1cUTdK1PDd93/VVr8B8=', `${URL1}&somethingUnexpected=true`)).toBe(false);
    expect(twilioSignatureValid('54321', 'RSOYDt4T1cUTdK1PDd93/VVr8B8=', URL1, { params: P })).toBe(false);
  });
});

const HOOK = 'https://crm.example.com/hooks/7d1c0ad2-2c9f-4d5c-9a8e-0a4a1f6b7c3e';
const channel = {
  channelId: 'c',
  settings: twilioAdapter.settings.parse({ accountSid: ACCOUNT_SID, from: '+14155550100' }),
  secrets: { authToken: AUTH_TOKEN },
};
const request = (params: Record<string, string>, o: { url?: string; tamper?: (body: string) => string; token?: string } = {}) => {
  const signed = signedForm(HOOK, params, o.token);
  return { method: 'POST' as const, headers: { [SIGNATURE_HEADER]: signed.headers['x-twilio-signature'] }, rawQuery: '', url: o.url ?? HOOK, rawBody: Buffer.from(o.tamper ? o.tamper(signed.payload) : signed.payload) };
};
const parse = (params: Record<string, string>) => twilioAdapter.parse(request(params), channel) as NormalisedEvent[];

describe('twilio webhooks through the adapter', () => {
  const sms = incomingSms('+14158675310', '+14155550100', 'Hello 你好');

  it('verifies the hook URL and every parameter, and refuses what was changed', () => {
    expect(twilioAdapter.verify(request(sms), channel)).toBe(true);
    expect(twilioAdapter.verify(request(sms, { tamper: (b) => b.replace('Hello', 'Hallo') }), channel)).toBe(false);
    expect(twilioAdapter.verify(request(sms, { tamper: (b) => `${b}&Extra=1` }), channel)).toBe(false);
    expect(twilioAdapter.verify(request(sms, { url: `${HOOK}?x=1` }), channel)).toBe(false);
    expect(twilioAdapter.verify(request(sms, { token: 'fedcba9876543210fedcba9876543210' }), channel)).toBe(false);
    expect(twilioAdapter.verify({ ...request(sms), url: undefined }, channel)).toBe(false);
  });

  it('an incoming SMS: the sender as an E.164 phone, the MessageSid as event and message id', () => {
    const [message] = parse(sms) as InboundMessage[];
    expect(message).toMatchObject({
      kind: 'message',
      providerEventId: sms.MessageSid,
      providerMessageId: sms.MessageSid,
      threadKey: '+14158675310',
      sender: { externalId: '+14158675310', phone: '+14158675310', phoneVerified: true },
      content: { kind: 'text', text: 'Hello 你好' },
    });
    expect(message!.consent).toBeUndefined();
  });

  it('an MMS: its media by reference', () => {
    const url = `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT_SID}/Messages/MM1/Media/ME1`;
    const [message] = parse({ ...sms, Body: '', NumMedia: '1', MediaUrl0: url, MediaContentType0: 'image/jpeg' }) as InboundMessage[];
    expect(message).toMatchObject({ content: { kind: 'image' }, mediaRefs: [{ ref: url, mimeType: 'image/jpeg' }] });
  });

  it('opt-out and opt-in keywords, English and Chinese, as consent changes', () => {
    const consentOf = (body: string) => (parse({ ...sms, Body: body })[0] as InboundMessage).consent;
    expect(consentOf('STOP')).toEqual({ status: 'opt_out', how: 'SMS keyword "STOP"' });
    expect(consentOf(' stop. ')).toEqual({ status: 'opt_out', how: 'SMS keyword "STOP"' });
    expect(consentOf('退订')).toEqual({ status: 'opt_out', how: 'SMS keyword "退订"' });
    expect(consentOf('ＴＤ')).toEqual({ status: 'opt_out', how: 'SMS keyword "TD"' });
    expect(consentOf('t')).toEqual({ status: 'opt_out', how: 'SMS keyword "T"' });
    expect(consentOf('Unstop')).toEqual({ status: 'opt_in', how: 'SMS keyword "UNSTOP"' });
    expect(consentOf('please stop sending')).toBeUndefined();
    expect(DEFAULT_OPT_OUT_KEYWORDS).toEqual(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'TD', '退订', 'T']);
    expect(DEFAULT_OPT_IN_KEYWORDS).toEqual(['START', 'UNSTOP']);
    // The lists are the channel's: a channel may replace them.
    const custom = { ...channel, settings: twilioAdapter.settings.parse({ accountSid: ACCOUNT_SID, from: '+14155550100', optOutKeywords: ['ARRET'] }) };
    expect((twilioAdapter.parse(request({ ...sms, Body: 'arrêt' }), custom) as InboundMessage[])[0]!.consent).toBeUndefined();
    expect((twilioAdapter.parse(request({ ...sms, Body: 'ARRET' }), custom) as InboundMessage[])[0]!.consent).toMatchObject({ status: 'opt_out' });
    expect((twilioAdapter.parse(request({ ...sms, Body: 'STOP' }), custom) as InboundMessage[])[0]!.consent).toBeUndefined();
  });

  it('status callbacks: delivered, failed with its error code as a stable reason; interim ones change nothing', () => {
    const status = (MessageStatus: string, extra: Record<string, string> = {}) => parse({ AccountSid: ACCOUNT_SID, MessageSid: 'SM42', SmsSid: 'SM42', MessageStatus, SmsStatus: MessageStatus, From: '+14155550100', To: '+14158675310', ApiVersion: '2010-04-01', ...extra });
    expect(status('delivered')).toEqual([expect.objectContaining({ kind: 'status', providerEventId: 'SM42:delivered', providerMessageId: 'SM42', status: 'delivered' })]);
    expect(status('undelivered', { ErrorCode: '30003' })).toEqual([expect.objectContaining({ status: 'failed', reason: 'recipient_not_found', error: 'Twilio: undelivered (error 30003)' })]);
    expect(status('failed', { ErrorCode: '21610' })).toEqual([expect.objectContaining({ status: 'failed', reason: 'recipient_opted_out' })]);
    expect(status('failed', { ErrorCode: '99999' })).toEqual([expect.objectContaining({ status: 'failed', reason: 'provider_error' })]);
    for (const s of ['queued', 'accepted', 'sending', 'sent']) expect(status(s)).toEqual([]);
  });

  it('refuses a body that is not a messaging webhook, or one of another account', () => {
    expect(() => parse({ AccountSid: ACCOUNT_SID, From: '+1' })).toThrow(ChannelPayloadError);
    expect(() => parse({ ...sms, AccountSid: `AC${'b2'.repeat(16)}` })).toThrow(/another Twilio account/);
  });
});

describe('twilio errors', () => {
  it('maps codes and statuses to kinds and stable reasons', () => {
    expect(twilioError(21610, 400, 'Attempt to send to unsubscribed recipient')).toMatchObject({ kind: 'permanent', reason: 'recipient_opted_out' });
    expect(twilioError(21211, 400, "The 'To' number +1 is not a valid phone number.")).toMatchObject({ kind: 'permanent', reason: 'invalid_request' });
    expect(twilioError(20003, 401, 'Authenticate')).toMatchObject({ kind: 'auth', reason: 'token_invalid' });
    expect(twilioError(20429, 429, 'Too Many Requests', '7')).toMatchObject({ kind: 'rate_limited', retryAfterMs: 7000 });
    expect(twilioError(undefined, 503, undefined)).toMatchObject({ kind: 'temporary', reason: 'provider_unavailable' });
    expect(reasonOfCode(30004)).toBe('recipient_blocked');
    expect(reasonOfCode(undefined)).toBe('provider_error');
  });

  it('settings take a sending number or a Messaging Service, not both', () => {
    expect(twilioAdapter.settings.safeParse({ accountSid: ACCOUNT_SID }).success).toBe(false);
    expect(twilioAdapter.settings.safeParse({ accountSid: ACCOUNT_SID, from: '+14155550100', messagingServiceSid: `MG${'c3'.repeat(16)}` }).success).toBe(false);
    expect(twilioAdapter.settings.safeParse({ accountSid: ACCOUNT_SID, messagingServiceSid: `MG${'c3'.repeat(16)}` }).success).toBe(true);
  });
});
