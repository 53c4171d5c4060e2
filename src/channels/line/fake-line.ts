// A fake LINE Messaging API for tests (real HTTP on 127.0.0.1, test/support/fake-api.ts), serving
// both api.line.me and api-data.line.me paths as documented at
// https://developers.line.biz/en/reference/messaging-api/, recording every request.
import { startFakeApi } from '../../../test/support/fake-api.js';
import { signatureOf } from './adapter.js';

export const FAKE_BOT = { userId: 'Ubbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb', basicId: '@renmai', displayName: 'Renmai 客服' };
export const JPEG = Buffer.concat([Buffer.from('ffd8ffe000104a46494600010100000100010000', 'hex'), Buffer.alloc(64, 2), Buffer.from('ffd9', 'hex')]);

export async function startFakeLine() {
  const api = await startFakeApi();
  let next = 9000;
  api.on('GET', '/v2/bot/info', { body: { ...FAKE_BOT, chatMode: 'bot', markAsReadMode: 'auto' } });
  api.on('POST', '/v2/bot/message/reply', () => ({ body: { sentMessages: [{ id: String(++next), quoteToken: 'q' }] } }));
  api.on('POST', '/v2/bot/message/push', () => ({ body: { sentMessages: [{ id: String(++next), quoteToken: 'q' }] } }));
  api.on('GET', /^\/v2\/bot\/profile\/U[0-9a-f]{32}$/, (req) => ({ body: { userId: req.path.split('/').at(-1), displayName: '林小姐', pictureUrl: 'https://profile.line-scdn.net/abc', language: 'zh-TW' } }));
  api.on('GET', /^\/v2\/bot\/message\/[^/]+\/content$/, { body: JPEG, headers: { 'content-type': 'image/jpeg' } });
  return {
    api,
    url: api.url,
    calls: (path: string | RegExp) => api.requests(path),
    close: () => api.close(),
  };
}

/** A signed delivery's headers for `body` with the channel secret. */
export const signedHeaders = (secret: string, body: string) => ({ 'content-type': 'application/json', 'x-line-signature': signatureOf(secret, body) });
