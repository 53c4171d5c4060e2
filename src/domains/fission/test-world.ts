// What the fission tests share: an app with a Telegram channel, a campaign, arrivals through the
// real webhook (/start with a source) and a worker run that delivers events and runs due jobs.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestApp, signedInOwner, type TestApp } from '../../../test/support/app.js';
import { settler } from '../../../test/support/settle.js';
import { SECRET_HEADER, webhookSecretOf } from '../../channels/telegram/adapter.js';
import { inTransaction } from '../../platform/db/transaction.js';
import { emit } from '../../platform/events/index.js';
import { inboxJobs } from '../inbox/index.js';
import { fissionHandler } from './on-events.js';
import { rewardEngine } from './rewards.js';

export const TOKEN = '123456:ABCdefGHIjklMNOpqrSTUvwxYZ0123456789';

export const fissionTestApp = () =>
  createTestApp({
    CHANNEL_ALLOW_PRIVATE_TARGETS: 'true',
    CHANNEL_SECRETS_KEY: Buffer.alloc(32, 7).toString('base64'),
    ATTACHMENTS_DIR: mkdtempSync(join(tmpdir(), 'renmai-attachments-')),
    PUBLIC_URL: 'https://crm.example.com',
  });

/** Delivers the outbox to fission and runs the intake and due reward jobs (not the sends: messages stay queued) until nothing is left. */
export const settle = (t: TestApp) =>
  settler(t, [fissionHandler(t.config)], [...inboxJobs(t.config).filter((j) => j.name !== 'inbox.send'), rewardEngine(t.config).grantJob], { rounds: 300, label: 'fission' })();

export async function fissionWorkspace(t: TestApp, name: string) {
  const owner = await signedInOwner(t, name);
  const channel = await owner.client.post('/api/v1/channels', { type: 'telegram', name: 'Acme bot', settings: { botUsername: 'acme_test_bot' }, secrets: { botToken: TOKEN } });
  if (channel.statusCode !== 201) throw new Error(`channel: ${channel.body}`);
  const channelId = channel.json().channel.id as string;
  let update = Math.floor(Math.random() * 1e6) * 100;

  return {
    ...owner,
    channelId,
    async campaign(body: Record<string, unknown> = {}, activate = true) {
      const res = await owner.client.post('/api/v1/fission/campaigns', {
        name: '邀请好友领好礼',
        startsAt: new Date(Date.now() - 3_600_000).toISOString(),
        endsAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
        channelId,
        tiers: [
          { goal: 2, rewardKind: 'points', rewardName: '100 积分', points: 100 },
          { goal: 3, rewardKind: 'coupon', rewardName: '¥20 coupon' },
        ],
        rulesText: 'Invite friends who are new to us.',
        ...body,
      });
      if (res.statusCode !== 201) throw new Error(`campaign: ${res.statusCode} ${res.body}`);
      const campaign = res.json().campaign as { id: string; entryLink: string | null; tiers: Array<{ tier: number }> };
      if (activate) {
        const active = await owner.client.patch(`/api/v1/fission/campaigns/${campaign.id}`, { status: 'active' });
        if (active.statusCode !== 200) throw new Error(`activate: ${active.body}`);
      }
      return campaign;
    },
    /** A Telegram user writes to the bot (`/start <payload>` when given); returns their contact id. */
    async telegram(userId: number, firstName: string, text: string) {
      update += 1;
      const body = JSON.stringify({
        update_id: update,
        message: {
          message_id: update,
          from: { id: userId, is_bot: false, first_name: firstName },
          chat: { id: userId, type: 'private', first_name: firstName },
          date: Math.floor(Date.now() / 1000),
          text,
          ...(text.startsWith('/start') ? { entities: [{ offset: 0, length: 6, type: 'bot_command' }] } : {}),
        },
      });
      const res = await t.app.inject({ method: 'POST', url: `/hooks/${channelId}`, payload: body, headers: { 'content-type': 'application/json', [SECRET_HEADER]: webhookSecretOf(TOKEN, channelId) } });
      if (res.statusCode !== 200) throw new Error(`hook: ${res.statusCode} ${res.body}`);
      await settle(t);
      const row = await t.database.db
        .selectFrom('contact_identities')
        .select('contact_id')
        .where('workspace_id', '=', owner.workspace.id)
        .where('external_id', '=', String(userId))
        .executeTakeFirstOrThrow();
      return row.contact_id;
    },
    /** The contact unfollows (blocks the bot). */
    async leave(contactId: string) {
      await inTransaction(t.database.db, (tx) => emit(tx, owner.workspace.id, 'inbox.channel_relation.changed', { contactId, channelId, kind: 'unfollow', providerEventId: `leave:${contactId}` }));
      await settle(t);
    },
  };
}
export type FissionWorld = Awaited<ReturnType<typeof fissionWorkspace>>;
