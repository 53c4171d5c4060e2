// The Meta Graph pieces WhatsApp, Messenger and Instagram share, against PROTOCOLS.md §3.1–3.2:
// the GET verification, the X-Hub-Signature-256 vector (GitHub's, same algorithm and header
// format) and Graph's error codes mapped to kinds and reasons.
import { describe, expect, it } from 'vitest';
import { graphError, graphWaitMs, signatureMatches, signatureOf, verificationAnswer } from './meta-graph.js';

const get = (rawQuery: string) => ({ method: 'GET' as const, headers: {}, rawQuery, rawBody: Buffer.alloc(0) });

describe('meta verification request', () => {
  it('answers the challenge verbatim for subscribe with the right token, reading the dotted names from the raw query', () => {
    expect(verificationAnswer(get('hub.mode=subscribe&hub.verify_token=my%20verify%20token&hub.challenge=1158201444'), 'my verify token')).toEqual({ status: 200, contentType: 'text/plain', body: '1158201444' });
  });

  it('refuses a wrong token, another mode, or a missing challenge', () => {
    expect(verificationAnswer(get('hub.mode=subscribe&hub.verify_token=wrong-token&hub.challenge=1158201444'), 'my verify token')).toBeNull();
    expect(verificationAnswer(get('hub.mode=unsubscribe&hub.verify_token=my%20verify%20token&hub.challenge=1'), 'my verify token')).toBeNull();
    expect(verificationAnswer(get('hub.mode=subscribe&hub.verify_token=my%20verify%20token'), 'my verify token')).toBeNull();
    expect(verificationAnswer(get(''), 'my verify token')).toBeNull();
  });
});

describe('X-Hub-Signature-256 (external vector)', () => {
  it("GitHub's vector: sha256 HMAC of Hello, World! with It's a Secret to Everybody", () => {
    const header = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';
    expect(signatureOf("It's a Secret to Everybody", 'Hello, World!')).toBe(header);
    expect(signatureMatches("It's a Secret to Everybody", 'Hello, World!', header)).toBe(true);
    // Upper-case hex is the same digest; another body, secret, prefix or a short value is not.
    expect(signatureMatches("It's a Secret to Everybody", 'Hello, World!', header.toUpperCase().replace('SHA256', 'sha256'))).toBe(true);
    expect(signatureMatches("It's a Secret to Everybody", 'Hello, World?', header)).toBe(false);
    expect(signatureMatches('another secret', 'Hello, World!', header)).toBe(false);
    expect(signatureMatches("It's a Secret to Everybody", 'Hello, World!', header.replace('sha256=', 'sha1='))).toBe(false);
    expect(signatureMatches("It's a Secret to Everybody", 'Hello, World!', header.slice(0, -2))).toBe(false);
    expect(signatureMatches("It's a Secret to Everybody", 'Hello, World!', undefined)).toBe(false);
  });

  it('is computed over the raw bytes: the escaped-unicode form Meta signs is not its re-serialisation', () => {
    const raw = '{"text":"\\u00e4\\u00f6\\u00e5"}';
    const reserialised = JSON.stringify(JSON.parse(raw));
    expect(reserialised).toBe('{"text":"äöå"}');
    expect(signatureMatches('s', reserialised, signatureOf('s', raw))).toBe(false);
    expect(signatureMatches('s', Buffer.from(raw), signatureOf('s', raw))).toBe(true);
  });
});

describe('graph errors', () => {
  const e = (code: number, message = 'x', subcode?: number) => ({ message, type: 'OAuthException', code, ...(subcode ? { error_subcode: subcode } : {}) });

  it('maps token, rate, window and recipient codes to kinds and stable reasons', () => {
    expect(graphError('send', 401, e(190, 'Error validating access token: Session has expired on Monday', 463))).toMatchObject({ kind: 'auth', reason: 'token_expired' });
    expect(graphError('send', 400, e(190, 'Invalid OAuth access token.'))).toMatchObject({ kind: 'auth', reason: 'token_invalid' });
    for (const code of [4, 80007, 130429, 131056]) expect(graphError('send', 400, e(code))).toMatchObject({ kind: 'rate_limited', reason: 'rate_limited' });
    expect(graphError('send', 400, e(131047, 'Re-engagement message'))).toMatchObject({ kind: 'permanent', reason: 'outside_reply_window' });
    expect(graphError('send', 400, e(10, 'This message is sent outside of allowed window.', 2018278))).toMatchObject({ kind: 'permanent', reason: 'outside_reply_window' });
    expect(graphError('send', 400, e(10, 'Application does not have permission for this action'))).toMatchObject({ kind: 'auth', reason: 'provider_error' });
    expect(graphError('send', 400, e(551, "This person isn't available right now.", 1545041))).toMatchObject({ kind: 'permanent', reason: 'recipient_blocked' });
    expect(graphError('send', 400, e(100, 'No matching user found', 2018001))).toMatchObject({ kind: 'not_found', reason: 'recipient_not_found' });
    expect(graphError('send', 400, e(131026, 'Message undeliverable'))).toMatchObject({ kind: 'not_found', reason: 'recipient_not_found' });
    expect(graphError('send', 400, e(132001, 'Template name does not exist in the translation'))).toMatchObject({ kind: 'permanent', reason: 'invalid_request' });
    expect(graphError('send', 400, e(100, 'Invalid parameter'))).toMatchObject({ kind: 'permanent', reason: 'invalid_request' });
    expect(graphError('send', 500, e(131000, 'Something went wrong'))).toMatchObject({ kind: 'temporary', reason: 'provider_unavailable' });
    expect(graphError('send', 502, undefined)).toMatchObject({ kind: 'temporary' });
    expect(graphError('send', 429, undefined)).toMatchObject({ kind: 'rate_limited' });
  });

  it('names the code in the message, never more than 300 characters of it', () => {
    const error = graphError('WhatsApp send', 400, { ...e(131047, 'Re-engagement message'), error_data: { details: 'more than 24 hours have passed' } });
    expect(error.message).toBe('WhatsApp send: (#131047) Re-engagement message more than 24 hours have passed');
    expect(graphError('x', 400, e(1, 'y'.repeat(1000))).message.length).toBeLessThanOrEqual(303);
  });

  it("takes Meta's wait from Retry-After or the business use case usage header", () => {
    expect(graphWaitMs(new Headers({ 'retry-after': '7' }))).toBe(7000);
    expect(graphWaitMs(new Headers({ 'x-business-use-case-usage': JSON.stringify({ '1234': [{ type: 'messenger', call_count: 100, estimated_time_to_regain_access: 3 }] }) }))).toBe(180_000);
    expect(graphWaitMs(new Headers({ 'x-business-use-case-usage': 'not json' }))).toBeUndefined();
    expect(graphError('send', 400, e(80007), new Headers({ 'retry-after': '2' }))).toMatchObject({ kind: 'rate_limited', retryAfterMs: 2000 });
  });
});
