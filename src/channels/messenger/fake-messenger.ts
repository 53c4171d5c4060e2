// A fake Messenger Platform for tests (real HTTP on 127.0.0.1, test/support/fake-api.ts): the Send
// API, the account lookup of Test connection and a CDN serving attachment URLs, as documented at
// https://developers.facebook.com/docs/messenger-platform/reference/send-api, recording every request.
import { startFakeApi, type FakeAnswer } from '../../../test/support/fake-api.js';
import { DEFAULT_GRAPH_VERSION } from '../meta-graph.js';

export const PAGE_ID = '1122334455667788';
export const IG_ID = '17841400000000001';
export const FAKE_PAGE = { id: PAGE_ID, name: 'Renmai 旗舰店' };
export const FAKE_IG = { id: IG_ID, name: 'Renmai', username: 'renmai.shop' };
export const JPEG = Buffer.concat([Buffer.from('ffd8ffe000104a46494600010100000100010000', 'hex'), Buffer.alloc(64, 4), Buffer.from('ffd9', 'hex')]);

const v = `/${DEFAULT_GRAPH_VERSION}`;

export async function startFakeMessenger() {
  const api = await startFakeApi();
  let next = 500;
  // JSON, or multipart with the file (its `recipient` field is JSON too).
  const recipientOf = (body: string) => /"recipient"\s*:\s*\{\s*"id"\s*:\s*"(\d+)"/.exec(body)?.[1] ?? /\{"id":"(\d+)"\}/.exec(body)?.[1];
  api.on('POST', `${v}/me/messages`, (req) => ({ body: { recipient_id: recipientOf(req.body.toString('latin1')), message_id: `m_FAKE${++next}` } }));
  api.on('GET', `${v}/${PAGE_ID}`, { body: FAKE_PAGE });
  api.on('GET', `${v}/${IG_ID}`, { body: FAKE_IG });
  api.on('GET', /^\/cdn\//, { body: JPEG, headers: { 'content-type': 'image/jpeg' } });
  return {
    api,
    url: api.url,
    calls: (path: string | RegExp) => api.requests(path),
    sends: () => api.requests(`${v}/me/messages`),
    failSend: (...answers: FakeAnswer[]) => api.failNext('POST', `${v}/me/messages`, ...answers),
    close: () => api.close(),
  };
}
