// E-mail intake on a real database: golden messages handed to the raw intake (as the listener and
// the IMAP poller do) are stored once, processed into contacts, conversations and messages;
// replies thread by their headers, machines' mail is marked, bounces fail the message they name.
// Outbound mail goes to a fake SMTP server on 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, runJobs } from '../../../test/support/channel-world.js';
import { golden, mailWorld, receive, workspaceWithMailChannel, type MailWorld } from '../../../test/support/mail-world.js';

let w: MailWorld;
beforeAll(async () => (w = await mailWorld()));
afterAll(() => w.close());

type Ws = Awaited<ReturnType<typeof workspaceWithMailChannel>>;
const conversations = async (ws: Ws) => (await ws.client.get('/api/v1/conversations')).json().items as Array<{ id: string; contact: { id: string } }>;
const messagesOf = async (ws: Ws, conversationId: string) =>
  ((await ws.client.get(`/api/v1/conversations/${conversationId}/messages`)).json().items as Array<Record<string, unknown>>).reverse();

const mail = (from: string, subject: string, body: string, headers: string[] = []) =>
  Buffer.from([`From: ${from}`, 'To: support@acme.test', `Subject: ${subject}`, `Message-ID: <${Math.random().toString(36).slice(2)}@example.com>`, ...headers, '', body].join('\r\n'));

/** A conversation with `from`, and an agent's reply to it sent through the fake SMTP server. */
async function answered(ws: Ws, from: string) {
  await receive(w, ws.channelId, mail(from, 'Order 7', 'Where is my order?'));
  await runJobs(w.t);
  const [conversation] = await conversations(ws);
  if (!conversation) throw new Error('no conversation');
  const reply = (await ws.client.post(`/api/v1/conversations/${conversation.id}/messages`, { text: 'It left the warehouse today.' })).json().message;
  await runJobs(w.t);
  const sent = (await messagesOf(ws, conversation.id)).find((m) => m.id === reply.id)!;
  expect(sent).toMatchObject({ status: 'sent', providerMessageId: expect.stringMatching(new RegExp(`^<${reply.id}@[a-z.-]+>$`)) });
  return { conversation, sent };
}

describe('e-mail intake', () => {
  it('a plain mail: stored once, one contact holding an unverified e-mail identity, one conversation, the message with its subject', async () => {
    const ws = await workspaceWithMailChannel(w, 'Plain');
    // Someone with this e-mail exists: an unverified From does not link to them.
    await ws.client.post('/api/v1/contacts', { name: 'Existing Meimei', email: 'meimei.han@example.com' });
    expect(await receive(w, ws.channelId, golden('plain.eml'))).toEqual({ stored: 1, duplicates: 0 });
    expect(await receive(w, ws.channelId, golden('plain.eml'))).toEqual({ stored: 0, duplicates: 1 });
    await runJobs(w.t);
    const [conversation] = await conversations(ws);
    const contact = (await ws.client.get(`/api/v1/contacts/${conversation!.contact.id}`)).json().contact;
    expect(contact).toMatchObject({ name: '韩梅梅', email: null, source: { channel: 'email' } });
    expect(contact.identities).toEqual([expect.objectContaining({ channelType: 'email', externalId: 'meimei.han@example.com', displayName: '韩梅梅' })]);
    expect(await count(w.t, 'contacts', ws.workspace.id)).toBe(2);
    expect(await messagesOf(ws, conversation!.id)).toEqual([
      expect.objectContaining({ direction: 'in', kind: 'text', text: '你好，我的订单 1001 还没有到。\n\nThanks, Meimei', subject: '订单 1001 还没有到', html: null, automated: null, providerMessageId: '<plain-1@example.com>' }),
    ]);
  });

  it('HTML is stored sanitised, its text is the body and is found by search', async () => {
    const ws = await workspaceWithMailChannel(w, 'Html');
    await receive(w, ws.channelId, golden('html-script.eml'));
    await runJobs(w.t);
    const [conversation] = await conversations(ws);
    const [message] = await messagesOf(ws, conversation!.id);
    expect(message!.html).toContain('<b>team</b>');
    expect(message!.html).not.toMatch(/script|onclick|onerror|tracker|javascript:/);
    expect(message!.text).toMatch(/^Hello team, my invoice is wrong\./);
    const found = (await ws.client.get('/api/v1/inbox/search?q=invoice')).json().items;
    expect(found.map((m: { id: string }) => m.id)).toEqual([message!.id]);
  });

  it('keeps the PDF and the inline image as files of the message; a file of a refused type is left out with a note', async () => {
    const ws = await workspaceWithMailChannel(w, 'Files');
    await receive(w, ws.channelId, golden('attachment.eml'));
    // A Windows executable (MZ header), declared as a harmless download.
    const exe = Buffer.concat([Buffer.from('4d5a900003000000', 'hex'), Buffer.alloc(64)]).toString('base64');
    const parts = ['--b', 'Content-Type: text/plain', '', 'Run this', '--b', 'Content-Type: application/octet-stream; name="tool.exe"', 'Content-Transfer-Encoding: base64', 'Content-Disposition: attachment; filename="tool.exe"', '', exe, '--b--'];
    await receive(w, ws.channelId, mail('li@example.net', 'tool', parts.join('\r\n'), ['MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="b"']));
    await runJobs(w.t);
    const [conversation] = await conversations(ws);
    const [withFiles, refused] = await messagesOf(ws, conversation!.id);
    const files = withFiles!.attachments as Array<{ fileName: string; mimeType: string; url: string }>;
    expect(files.map((f) => [f.fileName, f.mimeType]).sort()).toEqual([['invoice.pdf', 'application/pdf'], ['pic.png', 'image/png']]);
    expect(withFiles!.html).toContain('src="cid:pic.png"');
    const pdf = await ws.client.get(files.find((f) => f.fileName === 'invoice.pdf')!.url);
    expect(pdf.rawPayload.subarray(0, 8).toString()).toBe('%PDF-1.4');
    expect(refused).toMatchObject({ attachments: [], text: expect.stringMatching(/^Run this\n\n\[Attachment not kept: "tool\.exe" is .*not an allowed attachment type\]$/) });
  });
});

describe('threading', () => {
  it('replies land in their conversation, from the customer or a colleague naming our Message-ID; a new subject from the same sender too; another sender starts another', async () => {
    const ws = await workspaceWithMailChannel(w, 'Threads');
    const { conversation, sent } = await answered(ws, 'Alice <alice@example.com>');
    const ours = sent.providerMessageId as string;
    await receive(w, ws.channelId, mail('Bob <bob@example.com>', 'Re: Order 7', 'Alice asked me to follow up.', [`In-Reply-To: ${ours}`, `References: ${ours}`]));
    await receive(w, ws.channelId, mail('alice@example.com', 'Another question', 'Do you ship to Macau?'));
    await receive(w, ws.channelId, mail('carol@example.com', 'Hello', 'New customer here'));
    await runJobs(w.t);
    const all = await conversations(ws);
    expect(all).toHaveLength(2);
    const thread = await messagesOf(ws, conversation.id);
    expect(thread.map((m) => [m.direction, m.text])).toEqual([
      ['in', 'Where is my order?'],
      ['out', 'It left the warehouse today.'],
      ['in', 'Alice asked me to follow up.'],
      ['in', 'Do you ship to Macau?'],
    ]);
    // Bob joined Alice's conversation; no contact was made for him.
    expect(await count(w.t, 'contacts', ws.workspace.id)).toBe(2);
  });

  it('our Message-ID names its message even when the send was not recorded (the worker died after the SMTP server took it)', async () => {
    const ws = await workspaceWithMailChannel(w, 'Crash');
    const { conversation, sent } = await answered(ws, 'dana@example.com');
    await w.t.database.db.updateTable('messages').set({ provider_message_id: null }).where('workspace_id', '=', ws.workspace.id).where('id', '=', sent.id as string).execute();
    await receive(w, ws.channelId, mail('erin@example.com', 'Re: Order 7', 'Replying for Dana.', [`In-Reply-To: <${sent.id}@acme.test>`]));
    await runJobs(w.t);
    expect(await conversations(ws)).toHaveLength(1);
    expect((await messagesOf(ws, conversation.id)).at(-1)).toMatchObject({ text: 'Replying for Dana.' });
  });

  it('a reply naming another workspace\'s message does not reach into it: it starts its own conversation', async () => {
    const a = await workspaceWithMailChannel(w, 'Tenant A', { address: 'help@tenant-a.test' });
    const { conversation, sent } = await answered(a, 'fay@example.com');
    const b = await workspaceWithMailChannel(w, 'Tenant B', { address: 'help@tenant-b.test' });
    await receive(w, b.channelId, mail('gus@example.com', 'Re: Order 7', 'Not yours.', [`In-Reply-To: ${sent.providerMessageId as string}`, `References: <${sent.id}@tenant-a.test>`]));
    await runJobs(w.t);
    // Its thread is its sender's: nothing of A's conversation was found from B's channel.
    const threads = await w.t.database.db.selectFrom('conversations').select('thread_key').where('workspace_id', '=', b.workspace.id).execute();
    expect(threads).toEqual([{ thread_key: 'gus@example.com' }]);
    expect(await messagesOf(a, conversation.id)).toHaveLength(2);
  });

  it('RFC 5322 A.2 as seen by Mary: John\'s reply joins his conversation; Mary\'s own copy is ignored', async () => {
    const ws = await workspaceWithMailChannel(w, 'Mary', { address: 'mary@example.net' });
    for (const n of [1, 2, 3]) await receive(w, ws.channelId, golden(`rfc5322-a2-msg${n}.eml`));
    await runJobs(w.t);
    const [conversation, ...none] = await conversations(ws);
    expect(none).toEqual([]);
    expect((await messagesOf(ws, conversation!.id)).map((m) => m.providerMessageId)).toEqual(['<1234@local.machine.example>', '<abcd.1234@local.machine.example>']);
  });
});

describe('machines', () => {
  it('an out-of-office reply to our message lands in its conversation marked auto_reply', async () => {
    const ws = await workspaceWithMailChannel(w, 'Away');
    const { conversation, sent } = await answered(ws, 'li@example.net');
    await receive(w, ws.channelId, golden('auto-reply.eml', { ORIGINAL: sent.providerMessageId as string }));
    await runJobs(w.t);
    expect((await messagesOf(ws, conversation.id)).at(-1)).toMatchObject({ direction: 'in', automated: 'auto_reply', subject: 'Automatic reply: Re: Your order' });
  });

  it('a bounce fails the message it names, with the reason, and is neither a message nor a contact', async () => {
    const ws = await workspaceWithMailChannel(w, 'Bounce');
    const { conversation, sent } = await answered(ws, 'nobody@example.net');
    expect(await receive(w, ws.channelId, golden('dsn-bounce.eml', { ORIGINAL: sent.providerMessageId as string }))).toEqual({ stored: 1, duplicates: 0 });
    await runJobs(w.t);
    const thread = await messagesOf(ws, conversation.id);
    expect(thread).toHaveLength(2);
    expect(thread[1]).toMatchObject({ id: sent.id, status: 'failed', failedAt: expect.any(String), lastError: expect.stringContaining('Bounced (5.1.1): 550 5.1.1 <nobody@example.net>') });
    expect(await count(w.t, 'contacts', ws.workspace.id)).toBe(1);
    const dead = (await ws.client.get('/api/v1/dead-letters')).json().items;
    expect(dead.map((m: { id: string }) => m.id)).toEqual([sent.id]);
  });

  it('nothing comes in over HTTP: /hooks refuses an e-mail channel and stores nothing', async () => {
    const ws = await workspaceWithMailChannel(w, 'No hooks');
    const res = await w.t.app.inject({ method: 'POST', url: `/hooks/${ws.channelId}`, payload: golden('plain.eml'), headers: { 'content-type': 'message/rfc822' } });
    expect(res.statusCode).toBe(401);
    expect(await count(w.t, 'inbound_events', ws.workspace.id)).toBe(0);
  });
});
