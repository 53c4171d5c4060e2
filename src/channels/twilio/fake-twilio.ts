// A fake Twilio REST API for tests (real HTTP on 127.0.0.1, test/support/fake-api.ts): the Account
// and Messages resources and MMS media as documented at
// https://www.twilio.com/docs/messaging/api/message-resource, checking HTTP Basic as Twilio does
// (401 with code 20003), recording every request; `api.failNext` scripts errors.
import { randomBytes } from 'node:crypto';
import { startFakeApi, type FakeAnswer, type FakeRequest } from '../../../test/support/fake-api.js';
import { twilioSignature, type TwilioParams } from './signature.js';

export const ACCOUNT_SID = `AC${'a1'.repeat(16)}`;
export const AUTH_TOKEN = '0123456789abcdef0123456789abcdef';
export const JPEG = Buffer.concat([Buffer.from('ffd8ffe000104a46494600010100000100010000', 'hex'), Buffer.alloc(64, 3), Buffer.from('ffd9', 'hex')]);

const sid = (prefix: string) => `${prefix}${randomBytes(16).toString('hex')}`;
const unauthorised: FakeAnswer = { status: 401, body: { code: 20003, message: 'Authenticate', more_info: 'https://www.twilio.com/docs/errors/20003', status: 401 } };
const authorised = (req: FakeRequest) => req.headers.authorization === `Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64')}`;

export async function startFakeTwilio() {
  const api = await startFakeApi();
  const account = `/2010-04-01/Accounts/${ACCOUNT_SID}`;
  api.on('GET', `${account}.json`, (req) => (authorised(req) ? { body: { sid: ACCOUNT_SID, friendly_name: 'Renmai Test', status: 'active', type: 'Full' } } : unauthorised));
  api.on('POST', `${account}/Messages.json`, (req) => {
    if (!authorised(req)) return unauthorised;
    const form = new URLSearchParams(req.body.toString('utf8'));
    if (!form.get('To') || !(form.get('From') || form.get('MessagingServiceSid')) || !form.get('Body')) {
      return { status: 400, body: { code: 21604, message: "A 'To', 'From' or 'MessagingServiceSid' and 'Body' are required.", status: 400 } };
    }
    return { status: 201, body: { sid: sid('SM'), account_sid: ACCOUNT_SID, to: form.get('To'), from: form.get('From'), messaging_service_sid: form.get('MessagingServiceSid'), body: form.get('Body'), status: 'queued', num_segments: '1', api_version: '2010-04-01' } };
  });
  api.on('GET', new RegExp(`^${account}/Messages/MM[0-9a-f]{32}/Media/ME[0-9a-f]{32}$`), (req) => (authorised(req) ? { body: JPEG, headers: { 'content-type': 'image/jpeg' } } : unauthorised));
  return {
    api,
    url: api.url,
    /** The form fields of each send, oldest first. */
    sends: () => api.requests(`${account}/Messages.json`).map((r) => ({ form: new URLSearchParams(r.body.toString('utf8')), headers: r.headers })),
    close: () => api.close(),
  };
}

/** A form POST as Twilio sends it to `url`: the urlencoded body and its X-Twilio-Signature. */
export function signedForm(url: string, params: Record<string, string>, authToken = AUTH_TOKEN) {
  return {
    payload: new URLSearchParams(params).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilioSignature(authToken, url, params as TwilioParams) },
  };
}

/** An incoming SMS's parameters (https://www.twilio.com/docs/messaging/guides/webhook-request). */
export const incomingSms = (from: string, to: string, body: string, messageSid = sid('SM')) => ({
  ToCountry: 'US',
  ToState: 'CA',
  SmsMessageSid: messageSid,
  NumMedia: '0',
  ToCity: 'SAN FRANCISCO',
  FromZip: '94105',
  SmsSid: messageSid,
  FromState: 'CA',
  SmsStatus: 'received',
  FromCity: 'SAN FRANCISCO',
  Body: body,
  FromCountry: 'US',
  To: to,
  MessagingServiceSid: '',
  ToZip: '94105',
  NumSegments: '1',
  MessageSid: messageSid,
  AccountSid: ACCOUNT_SID,
  From: from,
  ApiVersion: '2010-04-01',
});

export const newMediaSids = () => ({ message: sid('MM'), media: sid('ME') });
