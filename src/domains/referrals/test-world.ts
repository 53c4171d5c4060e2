// What the referral tests share: fission's test app and Telegram channel, arrivals through the
// real webhook (/start with a source) handled by both fission and referrals, and helpers for
// programmes and codes through the API.
import type { TestApp } from '../../../test/support/app.js';
import { settler } from '../../../test/support/settle.js';
import { SECRET_HEADER, webhookSecretOf } from '../../channels/telegram/adapter.js';
import { fissionHandler, rewardEngine } from '../fission/index.js';
import { fissionWorkspace, TOKEN } from '../fission/test-world.js';
import { inboxJobs } from '../inbox/index.js';
import { referralsHandler } from './on-events.js';

export { fissionTestApp as referralTestApp } from '../fission/test-world.js';

export async function referralWorkspace(t: TestApp, name: string) {
  const ws = await fissionWorkspace(t, name);
  const settle = settler(t, [fissionHandler(t.config), referralsHandler], [...inboxJobs(t.config).filter((j) => j.name !== 'inbox.send'), rewardEngine(t.config).grantJob], { label: 'referrals' });
  let update = Math.floor(Math.random() * 1e6) * 100 + 50;
  return {
    ...ws,
    settle,
    /** A Telegram user writes to the bot (`/start <payload>`); returns their contact id. */
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
      const res = await t.app.inject({ method: 'POST', url: `/hooks/${ws.channelId}`, payload: body, headers: { 'content-type': 'application/json', [SECRET_HEADER]: webhookSecretOf(TOKEN, ws.channelId) } });
      if (res.statusCode !== 200) throw new Error(`hook: ${res.statusCode} ${res.body}`);
      await settle();
      const row = await t.database.db.selectFrom('contact_identities').select('contact_id').where('workspace_id', '=', ws.workspace.id).where('external_id', '=', String(userId)).executeTakeFirstOrThrow();
      return row.contact_id;
    },
    async program(name = '老带新') {
      const res = await ws.client.post('/api/v1/referrals/programs', { name, channelId: ws.channelId });
      if (res.statusCode !== 201) throw new Error(`program: ${res.statusCode} ${res.body}`);
      return res.json().program as { id: string };
    },
    async code(programId: string, owner: { contactId: string } | { memberId: string }) {
      const res = await ws.client.post(`/api/v1/referrals/programs/${programId}/codes`, owner);
      if (res.statusCode !== 201) throw new Error(`code: ${res.statusCode} ${res.body}`);
      return res.json().code as { id: string; slug: string; url: string; source: string };
    },
    async contact(name: string, influence?: number) {
      const res = await ws.client.post('/api/v1/contacts', { name, ...(influence === undefined ? {} : { influence }) });
      if (res.statusCode !== 201) throw new Error(`contact: ${res.statusCode} ${res.body}`);
      return res.json().contact.id as string;
    },
  };
}
export type ReferralWorld = Awaited<ReturnType<typeof referralWorkspace>>;
