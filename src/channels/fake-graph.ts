// What the fake WhatsApp and Messenger servers of the tests share (whatsapp/fake-whatsapp.ts,
// messenger/fake-messenger.ts): Graph's error answer and a delivery signed as Meta signs it.
import type { FakeAnswer } from '../../test/support/fake-api.js';
import { signatureOf } from './meta-graph.js';

/** A Graph error answer (https://developers.facebook.com/docs/graph-api/guides/error-handling). */
export const graphFailure = (status: number, code: number, message: string, o: { subcode?: number; headers?: Record<string, string> } = {}): FakeAnswer => ({
  status,
  headers: o.headers,
  body: { error: { message, type: 'OAuthException', code, ...(o.subcode ? { error_subcode: o.subcode } : {}), fbtrace_id: 'AbCdEf' } },
});

/** A signed delivery's headers for `body` with the app secret. */
export const signedHeaders = (appSecret: string, body: string) => ({ 'content-type': 'application/json', 'x-hub-signature-256': signatureOf(appSecret, body) });
