// The channel and inbox tests' world: an app whose api channel replies to a fake provider on 127.0.0.1,
// signed webhook deliveries through the real HTTP stack, and a worker that runs the inbox's jobs.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { sign, SIGNATURE_HEADER } from '../../src/channels/api/adapter.js';
import { inboxJobs } from '../../src/domains/inbox/index.js';
import { createJobRegistry, createWorker } from '../../src/platform/queue/index.js';
import { silentLogger } from '../../src/platform/queue/test-support.js';
import { createTestApp, signedInOwner, type TestApp } from './app.js';
import { startFakeProvider } from './fake-provider.js';

export const SECRET = 'a channel secret of some length';

export async function inboxWorld(env: Record<string, string> = {}) {
  const t = await createTestApp({
    CHANNEL_ALLOW_PRIVATE_TARGETS: 'true',
    CHANNEL_SECRETS_KEY: Buffer.alloc(32, 7).toString('base64'),
    ATTACHMENTS_DIR: mkdtempSync(join(tmpdir(), 'renmai-attachments-')),
    ...env,
  });
  const provider = await startFakeProvider();
  return {
    t,
    provider,
    async close() {
      await provider.close();
      await t.close();
    },
  };
}

export type InboxWorld = Awaited<ReturnType<typeof inboxWorld>>;

/** A workspace whose owner is signed in, with one api channel replying to the fake provider. */
export async function workspaceWithChannel(w: InboxWorld, name = 'Acme', channel: Record<string, unknown> = {}) {
  const owner = await signedInOwner(w.t, name);
  const res = await owner.client.post('/api/v1/channels', { type: 'api', name: 'Web app', settings: { url: w.provider.url }, secrets: { secret: SECRET }, ...channel });
  if (res.statusCode !== 201) throw new Error(`channel: ${res.statusCode} ${res.body}`);
  return { ...owner, channelId: res.json().channel.id as string };
}

/** Delivers events to /hooks/<channel id>, signed with `secret`. */
export function deliver(t: TestApp, channelId: string, events: unknown[], secret = SECRET) {
  const body = JSON.stringify({ events });
  return t.app.inject({ method: 'POST', url: `/hooks/${channelId}`, payload: body, headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: sign(secret, body) } });
}

let n = 0;
/** A text message event from `from` (an id, or a person). */
export function textEvent(from: string | Record<string, unknown>, text: string, ids: { event?: string; message?: string } = {}) {
  n += 1;
  return {
    id: ids.event ?? `evt-${n}-${Date.now()}`,
    type: 'message',
    from: typeof from === 'string' ? { id: from } : from,
    message: { id: ids.message ?? `msg-${n}-${Date.now()}`, kind: 'text', text },
  };
}

/** Runs the inbox's due jobs until none is left due (delayed retries stay queued). */
export async function runJobs(t: TestApp) {
  const worker = createWorker({ db: t.database.db, logger: silentLogger, registry: createJobRegistry(inboxJobs(t.config)), concurrency: 1, pollMs: 50 });
  let ran = 0;
  for (let i = 0; i < 100; i++) {
    const now = await worker.runOnce();
    if (!now) return ran;
    ran += now;
  }
  throw new Error('inbox jobs did not settle after 100 rounds');
}

/** Plays time forward for queued jobs: delayed ones (retries, rate waits, snoozes) become due. */
export const makeDue = (t: TestApp) => sql`update jobs set run_at = now() where status = 'queued'`.execute(t.database.db);

export const count = async (t: TestApp, table: 'inbound_events' | 'messages' | 'conversations' | 'contacts' | 'attachments', workspaceId: string) =>
  Number((await t.database.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).where('workspace_id', '=', workspaceId).executeTakeFirstOrThrow()).n);
