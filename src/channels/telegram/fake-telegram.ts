// A fake Bot API for tests (real HTTP on 127.0.0.1, test/support/fake-api.ts): getMe, the send
// methods, getFile and the file download, setWebhook, deleteWebhook and getUpdates, answering as documented at
// https://core.telegram.org/bots/api, recording every request; `fail` scripts {ok:false} answers.
import { startFakeApi, type FakeAnswer } from '../../../test/support/fake-api.js';

export const FAKE_BOT = { id: 123456, is_bot: true, first_name: 'Renmai Test', username: 'renmai_test_bot' };

/** A small valid PNG: what the fake serves for every file. */
export const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(64, 1)]);

export async function startFakeTelegram(token: string) {
  const api = await startFakeApi();
  const bot = `/bot${token}`;
  let next = 500;
  const ok = (result: unknown): FakeAnswer => ({ body: { ok: true, result } });
  api.on('POST', `${bot}/getMe`, ok(FAKE_BOT));
  api.on('POST', `${bot}/setWebhook`, ok(true));
  api.on('POST', `${bot}/deleteWebhook`, ok(true));
  // getUpdates: the queued updates from `offset` on (asking with an offset confirms, and forgets, those before it).
  const updates: Array<{ update_id: number }> = [];
  api.on('POST', `${bot}/getUpdates`, (req) => {
    const { offset = 0, limit = 100 } = req.json() as { offset?: number; limit?: number };
    while (updates.length && updates[0]!.update_id < offset) updates.shift();
    return ok(updates.slice(0, limit));
  });
  for (const method of ['sendMessage', 'sendPhoto', 'sendDocument', 'sendLocation']) api.on('POST', `${bot}/${method}`, () => ok({ message_id: ++next, chat: { id: 0 }, date: 1_790_000_000 }));
  api.on('POST', `${bot}/getFile`, (req) => {
    const fileId = (req.json() as { file_id: string }).file_id;
    return ok({ file_id: fileId, file_unique_id: `u-${fileId}`, file_size: PNG.length, file_path: `photos/${fileId}.jpg` });
  });
  api.on('GET', new RegExp(`^/file${bot}/photos/`), { body: PNG });
  return {
    api,
    url: api.url,
    /** Queues updates for getUpdates (polling delivery). */
    queueUpdates: (...more: Array<{ update_id: number }>) => void updates.push(...more),
    /** Requests to a Bot API method. */
    calls: (method: string) => api.requests(`${bot}/${method}`),
    /** The next calls of `method` get these Bot API errors, in order. */
    fail(method: string, ...errors: Array<{ status: number; description: string; retryAfter?: number }>) {
      api.failNext(
        'POST',
        `${bot}/${method}`,
        ...errors.map((e) => ({ status: e.status, body: { ok: false, error_code: e.status, description: e.description, ...(e.retryAfter !== undefined ? { parameters: { retry_after: e.retryAfter } } : {}) } })),
      );
    },
    close: () => api.close(),
  };
}
