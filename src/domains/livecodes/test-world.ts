// The live codes tests' world: an app with the Telegram channel type enabled, workspaces with
// staff, a channel and a tag, and a worker that runs the inbox's jobs, the attribution handler and
// the timeline's (stage changes for the conversion figures).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addMember, createTestApp, signedInOwner, type TestApp } from '../../../test/support/app.js';
import { settler } from '../../../test/support/settle.js';
import { inboxJobs } from '../inbox/index.js';
import { timelineHandler } from '../timeline/index.js';
import { livecodesHandler } from './on-events.js';

export const TOKEN = '123456:ABCdefGHIjklMNOpqrSTUvwxYZ0123456789';

export async function liveCodeWorld() {
  const t: TestApp = await createTestApp({
    CHANNEL_ALLOW_PRIVATE_TARGETS: 'true',
    CHANNEL_SECRETS_KEY: Buffer.alloc(32, 7).toString('base64'),
    ATTACHMENTS_DIR: mkdtempSync(join(tmpdir(), 'renmai-attachments-')),
    PUBLIC_URL: 'https://crm.example.com',
  });
  /** Runs the inbox's jobs and delivers the outbox to the handlers until nothing is left. */
  const settle = settler(t, [livecodesHandler, timelineHandler], inboxJobs(t.config), { label: 'livecodes' });

  /** A signed-in owner's workspace with `members` agents (the staff), a Telegram channel and a tag. */
  async function workspace(name: string, members = 3) {
    const owner = await signedInOwner(t, name);
    const staff = [];
    for (let i = 0; i < members; i++) staff.push((await addMember(t, owner.workspace.id, 'agent')).memberId);
    const channel = await owner.client.post('/api/v1/channels', { type: 'telegram', name: 'Acme bot', settings: { botUsername: 'acme_test_bot' }, secrets: { botToken: TOKEN } });
    if (channel.statusCode !== 201) throw new Error(`channel: ${channel.body}`);
    const group = (await owner.client.post('/api/v1/tag-groups', { name: 'Source' })).json().group.id as string;
    const tag = (await owner.client.post('/api/v1/tags', { groupId: group, name: 'From QR' })).json().tag.id as string;
    return { ...owner, staff, channelId: channel.json().channel.id as string, tag };
  }
  type Ws = Awaited<ReturnType<typeof workspace>>;

  /** A code on the workspace's channel with all its staff, changed by `body`. */
  async function createCode(ws: Ws, body: Record<string, unknown>) {
    const res = await ws.client.post('/api/v1/live-codes', { name: 'Spring fair', channelId: ws.channelId, staff: ws.staff.map((memberId) => ({ memberId })), ...body });
    if (res.statusCode !== 201) throw new Error(`live code: ${res.statusCode} ${res.body}`);
    return res.json().liveCode as { id: string; slug: string; url: string };
  }

  return { t, settle, workspace, createCode, close: () => t.close() };
}
export type LiveCodeWorld = Awaited<ReturnType<typeof liveCodeWorld>>;
export type Ws = Awaited<ReturnType<LiveCodeWorld['workspace']>>;
