// No loops over e-mail: a keyword rule that would answer "Re: Your order" never answers another
// system's auto-reply (Auto-Submitted) nor a bounce; a person's mail with the same words is answered.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { golden, mailWorld, receive, workspaceWithMailChannel, type MailWorld } from '../../../test/support/mail-world.js';
import { createHandlerRegistry, dispatchPending } from '../../platform/events/index.js';
import { createJobRegistry, createWorker } from '../../platform/queue/index.js';
import { silentLogger } from '../../platform/queue/test-support.js';
import { inboxJobs } from '../inbox/index.js';
import { autorepliesHandler } from './on-events.js';
import { messagesOf } from './test-world.js';

let w: MailWorld;
beforeAll(async () => (w = await mailWorld({ PUBLIC_URL: 'https://renmai.example' })));
afterAll(() => w.close());

async function settle() {
  const handlers = createHandlerRegistry([autorepliesHandler(w.t.config)]);
  const worker = createWorker({ db: w.t.database.db, logger: silentLogger, registry: createJobRegistry([...inboxJobs(w.t.config), ...handlers.jobs]), concurrency: 1, pollMs: 50 });
  for (let i = 0; i < 100; i++) if (!(await dispatchPending(w.t.database.db, handlers, { limit: 100 })) && !(await worker.runOnce())) return;
}

it('never auto-answers an auto-reply or a bounce', async () => {
  const ws = await workspaceWithMailChannel(w, 'Mail loop');
  await ws.client.post('/api/v1/inbox/keyword-rules', { channelId: ws.channelId, matchKind: 'contains', pattern: 'office', reply: 'Thanks, we got your mail.' });
  await receive(w, ws.channelId, golden('auto-reply.eml', { ORIGINAL: '<none@acme.test>' }));
  await receive(w, ws.channelId, golden('dsn-bounce.eml', { ORIGINAL: '<none@acme.test>' }));
  await settle();
  const afterMachines = await messagesOf(w, ws.workspace.id);
  expect(afterMachines.filter((m) => m.direction === 'in').map((m) => m.automated)).toEqual(['auto_reply']);
  expect(afterMachines.filter((m) => m.direction === 'out')).toEqual([]);
  // A person writing the same words is answered.
  const person = golden('auto-reply.eml', { ORIGINAL: '<none@acme.test>' })
    .toString()
    .replace(/^(Auto-Submitted|X-Auto-Response-Suppress):.*\r?\n/gm, '')
    .replace('<ooo-1@example.net>', '<person-1@example.net>');
  await receive(w, ws.channelId, Buffer.from(person));
  await settle();
  const out = (await messagesOf(w, ws.workspace.id)).filter((m) => m.direction === 'out');
  expect(out).toMatchObject([{ automated: 'auto_reply', automation: 'keyword', status: 'sent' }]);
});
