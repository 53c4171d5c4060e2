// IMAP polling against a fake IMAP server on 127.0.0.1 (test/support/fake-imap.ts: enough IMAP4rev1
// for imapflow), on a real database: the UID bookkeeping (first look, new mail once and in
// order, a lost position re-read without duplicates, a new UIDVALIDITY), the lease, a refused
// login, oversized mail, and that the mailbox is only read.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, runJobs } from '../../../test/support/channel-world.js';
import { startFakeImap, type FakeImap } from '../../../test/support/fake-imap.js';
import { mailWorld, workspaceWithMailChannel, type MailWorld } from '../../../test/support/mail-world.js';
import { createLogger } from '../../platform/log/logger.js';
import { pollChannel, pollMailboxes } from './mail-poll.js';

let w: MailWorld;
let imap: FakeImap;
let ws: Awaited<ReturnType<typeof workspaceWithMailChannel>>;
const logger = createLogger('silent');

beforeAll(async () => {
  w = await mailWorld();
  imap = await startFakeImap({ uidValidity: 1000 });
  ws = await workspaceWithMailChannel(w, 'Mailbox', { inbound: { mode: 'imap', host: '127.0.0.1', port: imap.port, secure: false, requireTls: false, user: imap.user } }, { imapPassword: imap.password });
});
afterAll(async () => {
  await imap.close();
  await w.close();
});

const mail = (n: number, extra = '') => `From: Customer ${n} <c${n}@example.com>\r\nTo: support@acme.test\r\nSubject: Mail ${n}\r\nMessage-ID: <imap-${n}@example.com>\r\n\r\nBody ${n}${extra}`;
const poll = () => pollChannel(w.t.database.db, w.t.config, logger, ws.workspace.id, ws.channelId);
const position = async () =>
  (
    await sql<{ uid_validity: string | null; last_uid: string; leased_until: Date | null; last_error: string | null }>`
      select uid_validity::text, last_uid::text, leased_until, last_error from mail_mailboxes
      where workspace_id = ${ws.workspace.id} and channel_id = ${ws.channelId}`.execute(w.t.database.db)
  ).rows[0];
/** The bodies of the workspace's messages, in the order they were stored. */
const texts = async () =>
  (await w.t.database.db.selectFrom('messages').select('body').where('workspace_id', '=', ws.workspace.id).orderBy('created_at').orderBy('body').execute()).map((r) => r.body);

describe('IMAP polling', () => {
  it('the first look follows the mailbox from its newest message: mail already there is history', async () => {
    imap.add(mail(1), new Date('2020-01-01T00:00:00Z'));
    imap.add(mail(2), new Date('2020-01-02T00:00:00Z'));
    expect(await poll()).toBe(0);
    expect(await position()).toMatchObject({ uid_validity: '1000', last_uid: '2', leased_until: null, last_error: null });
    expect(await count(w.t, 'inbound_events', ws.workspace.id)).toBe(0);
  });

  it('new mail is handed over once, in UID order, and the position moves past it', async () => {
    for (const n of [3, 4, 5]) imap.add(mail(n));
    expect(await pollMailboxes(w.t.database.db, w.t.config, logger)).toEqual({ delivered: 3 });
    expect(await position()).toMatchObject({ last_uid: '5' });
    await runJobs(w.t);
    expect(await texts()).toEqual(['Body 3', 'Body 4', 'Body 5']);
    const fetched = imap.commands.length;
    expect(await poll()).toBe(0);
    expect(imap.commands.slice(fetched).filter((c) => c.startsWith('UID FETCH'))).toEqual([]);
  });

  it('a restart that lost the last positions reads those messages again and stores them once', async () => {
    await sql`update mail_mailboxes set last_uid = 3 where workspace_id = ${ws.workspace.id}`.execute(w.t.database.db);
    const before = await count(w.t, 'inbound_events', ws.workspace.id);
    expect(await poll()).toBe(2);
    await runJobs(w.t);
    expect(await count(w.t, 'inbound_events', ws.workspace.id)).toBe(before);
    expect(await texts()).toEqual(['Body 3', 'Body 4', 'Body 5']);
    expect(await position()).toMatchObject({ last_uid: '5' });
  });

  it('a new UIDVALIDITY: the mailbox is read again from the start, history before the channel followed it skipped, nothing stored twice', async () => {
    imap.renumber(2000);
    imap.add(mail(6));
    await poll();
    await runJobs(w.t);
    expect(await texts()).toEqual(['Body 3', 'Body 4', 'Body 5', 'Body 6']);
    expect(await position()).toMatchObject({ uid_validity: '2000', last_uid: '6' });
  });

  it('skips a message over MAIL_MAX_BYTES and goes on with the next', async () => {
    imap.add(mail(7, 'x'.repeat(70_000)));
    imap.add(mail(8));
    expect(await poll()).toBe(1);
    await runJobs(w.t);
    expect((await texts()).at(-1)).toBe('Body 8');
    expect(await position()).toMatchObject({ last_uid: '8' });
  });

  it('only reads: the mailbox is EXAMINEd and nothing is stored, flagged, moved or expunged', () => {
    expect(imap.commands).toContain('EXAMINE INBOX');
    expect(imap.commands.filter((c) => /^(SELECT|STORE|UID STORE|EXPUNGE|UID EXPUNGE|COPY|UID COPY|MOVE|UID MOVE|APPEND)\b/.test(c))).toEqual([]);
  });

  it('while another process holds the lease, a poll does nothing', async () => {
    await sql`update mail_mailboxes set leased_until = now() + interval '1 minute' where workspace_id = ${ws.workspace.id}`.execute(w.t.database.db);
    imap.add(mail(9));
    const logins = imap.commands.filter((c) => c === 'LOGIN ***').length;
    expect(await poll()).toBe(0);
    expect(imap.commands.filter((c) => c === 'LOGIN ***').length).toBe(logins);
    await sql`update mail_mailboxes set leased_until = now() - interval '1 second' where workspace_id = ${ws.workspace.id}`.execute(w.t.database.db);
    expect(await poll()).toBe(1);
  });

  it('a refused login is kept as the mailbox\'s last error; the position stays and the lease is released', async () => {
    await ws.client.patch(`/api/v1/channels/${ws.channelId}`, { secrets: { imapPassword: 'not the password' } });
    imap.add(mail(10));
    expect(await poll()).toBe(0);
    expect(await position()).toMatchObject({ last_uid: '9', leased_until: null, last_error: 'IMAP authentication failed: Invalid credentials' });
    await ws.client.patch(`/api/v1/channels/${ws.channelId}`, { secrets: { imapPassword: imap.password } });
    expect(await poll()).toBe(1);
    expect(await position()).toMatchObject({ last_uid: '10', last_error: null });
  });
});
