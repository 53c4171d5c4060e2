// A fake WhatsApp Cloud API for tests (real HTTP on 127.0.0.1, test/support/fake-api.ts): send,
// media upload, the two-step media download, the phone number and the template catalogue, as
// documented at https://developers.facebook.com/docs/whatsapp/cloud-api/reference, recording every
// request; `fail` scripts Graph error answers.
import { createHash } from 'node:crypto';
import { startFakeApi, type FakeAnswer } from '../../../test/support/fake-api.js';
import { DEFAULT_GRAPH_VERSION } from '../meta-graph.js';

export const PHONE_NUMBER_ID = '106540352242922';
export const WABA_ID = '102290129340398';
export const FAKE_NUMBER = { id: PHONE_NUMBER_ID, display_phone_number: '+1 555-078-3881', verified_name: 'Renmai Test' };
export const JPEG = Buffer.concat([Buffer.from('ffd8ffe000104a46494600010100000100010000', 'hex'), Buffer.alloc(64, 3), Buffer.from('ffd9', 'hex')]);

const v = `/${DEFAULT_GRAPH_VERSION}`;

export const TEMPLATES = [
  { name: 'order_update', language: 'en_US', status: 'APPROVED', category: 'UTILITY', id: '1', components: [{ type: 'HEADER', format: 'TEXT', text: 'Order' }, { type: 'BODY', text: 'Your order {{1}} ships on {{2}}.' }] },
  { name: 'hello_world', language: 'zh_CN', status: 'APPROVED', category: 'MARKETING', id: '2', components: [{ type: 'BODY', text: '你好，欢迎！' }] },
  { name: 'draft_offer', language: 'en_US', status: 'PENDING', category: 'MARKETING', id: '3', components: [{ type: 'BODY', text: 'Offer {{1}}' }] },
];

export async function startFakeWhatsApp() {
  const api = await startFakeApi();
  let next = 100;
  api.on('POST', `${v}/${PHONE_NUMBER_ID}/messages`, (req) => {
    const to = (req.json() as { to: string }).to;
    return { body: { messaging_product: 'whatsapp', contacts: [{ input: to, wa_id: to }], messages: [{ id: `wamid.FAKE${++next}` }] } };
  });
  api.on('POST', `${v}/${PHONE_NUMBER_ID}/media`, () => ({ body: { id: `${900_000 + ++next}` } }));
  api.on('GET', `${v}/${PHONE_NUMBER_ID}`, { body: FAKE_NUMBER });
  // The catalogue in two pages, as Graph pages it (cursors.after, and `next` while there is more).
  api.on('GET', `${v}/${WABA_ID}/message_templates`, (req) =>
    new URL(req.path, api.url).searchParams.get('after') === 'page2'
      ? { body: { data: TEMPLATES.slice(2), paging: { cursors: { before: 'b', after: 'end' } } } }
      : { body: { data: TEMPLATES.slice(0, 2), paging: { cursors: { before: 'a', after: 'page2' }, next: `${api.url}${v}/${WABA_ID}/message_templates?after=page2` } } },
  );
  api.on('GET', /^\/v\d+\.\d+\/\d+(\?|$)/, (req) => {
    const id = req.path.split('?')[0]!.split('/').at(-1)!;
    return { body: { messaging_product: 'whatsapp', id, url: `${api.url}/whatsapp_business/attachments/?mid=${id}&ext=1`, mime_type: 'image/jpeg', sha256: createHash('sha256').update(JPEG).digest('hex'), file_size: JPEG.length } };
  });
  api.on('GET', '/whatsapp_business/attachments/', { body: JPEG, headers: { 'content-type': 'image/jpeg' } });
  return {
    api,
    url: api.url,
    calls: (path: string | RegExp) => api.requests(path),
    sends: () => api.requests(`${v}/${PHONE_NUMBER_ID}/messages`),
    /** The next sends get these answers (a Graph error body with its status). */
    failSend: (...answers: FakeAnswer[]) => api.failNext('POST', `${v}/${PHONE_NUMBER_ID}/messages`, ...answers),
    close: () => api.close(),
  };
}
