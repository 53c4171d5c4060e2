// The e-mail adapter on golden messages (golden/*.eml) and external vectors: RFC 5322 Appendix
// A.2's three-message thread (PROTOCOLS.md §6.3), the HTML a hostile sender could write, a
// multipart with an inline image and a PDF, an out-of-office reply and a Postfix bounce. No
// database, no network: what goes in and what comes out.
import { readFileSync } from 'node:fs';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { ChannelPayloadError, type InboundMessage, type NormalisedEvent } from '../adapter.js';
import { emailAdapter } from './adapter.js';
import { composeMail } from './compose.js';
import { smtpError } from './send.js';
import { emailSettings } from './settings.js';

const settings = emailSettings.parse({ address: 'Support@Acme.test', displayName: 'Acme Support', smtp: { host: 'smtp.acme.test' } });
const channel = { channelId: 'c', settings, secrets: {} };
const OURS = '<11111111-2222-4333-8444-555555555555@acme.test>';

const golden = (file: string) => readFileSync(new URL(`./golden/${file}`, import.meta.url), 'utf8').replaceAll('{{ORIGINAL}}', OURS);
const parse = (raw: string) => emailAdapter.parse({ method: 'POST', headers: {}, rawQuery: '', rawBody: Buffer.from(raw) }, channel);
const message = (events: NormalisedEvent[]) => {
  expect(events).toHaveLength(1);
  expect(events[0]!.kind).toBe('message');
  return events[0] as InboundMessage;
};

describe('e-mail in: golden messages', () => {
  it('plain text: the Message-ID is the event and message id, the sender (lower-cased) is the thread and an unverified e-mail identity', async () => {
    const m = message(await parse(golden('plain.eml')));
    expect(m).toMatchObject({
      providerEventId: '<plain-1@example.com>',
      providerMessageId: '<plain-1@example.com>',
      threadKey: 'meimei.han@example.com',
      sender: { externalId: 'meimei.han@example.com', email: 'meimei.han@example.com', emailVerified: false, displayName: '韩梅梅' },
      content: { kind: 'text', text: '你好，我的订单 1001 还没有到。\n\nThanks, Meimei', subject: '订单 1001 还没有到' },
      attachments: [],
      references: [],
    });
    expect(m.automated).toBeUndefined();
    expect(m.content.html).toBeUndefined();
  });

  it('HTML: scripts, handlers, forms, frames, remote and relative images, javascript: links and url() styles are gone; text and formatting stay', async () => {
    const m = message(await parse(golden('html-script.eml')));
    const html = m.content.html!;
    for (const gone of ['<script', 'alert', 'onload', 'onclick', 'onerror', 'steal', 'tracker.example', 'evil.example', 'javascript:', '<form', '<input', '<iframe', '<style', 'ignored title', 'url(', 'src="x"']) {
      expect(html).not.toContain(gone);
    }
    expect(html).toContain('<p style="color:#c00">Hello <b>team</b>, my <i>invoice</i> is wrong.</p>');
    expect(html).toContain('<a href="https://acme.test/orders/1001" rel="noopener noreferrer nofollow" target="_blank">order 1001</a>');
    expect(html).toContain('<p>Second paragraph.</p>');
    // The plain text for the body and search, extracted from the HTML.
    expect(m.content.text).toMatch(/^Hello team, my invoice is wrong\./);
    expect(m.content.text).toContain('Second paragraph.');
    expect(m.content.text).not.toContain('document.cookie');
  });

  it('multipart: the PDF and the inline image are attachments; the HTML names the image by its file name', async () => {
    const m = message(await parse(golden('attachment.eml')));
    expect(m.attachments.map((a) => [a.fileName, a.mimeType, a.data.length])).toEqual([
      ['pic.png', 'image/png', 70],
      ['invoice.pdf', 'application/pdf', 78],
    ]);
    expect(m.attachments[1]!.data.subarray(0, 5).toString()).toBe('%PDF-');
    expect(m.content.html).toContain('<img src="cid:pic.png" />');
    expect(m.content).toMatchObject({ kind: 'text', text: 'Hello, see the picture.', subject: '你好' });
  });

  it('RFC 5322 A.2: a reply names what it answers nearest first, and keeps the chain a reply to it must carry', async () => {
    const m1 = message(await parse(golden('rfc5322-a2-msg1.eml')));
    const m3 = message(await parse(golden('rfc5322-a2-msg3.eml')));
    expect(m1.references).toEqual([]);
    expect(m1.replyContext).toEqual({ subject: 'Saying Hello', references: ['<1234@local.machine.example>'] });
    expect(m3.references).toEqual(['<3456@example.net>', '<1234@local.machine.example>']);
    expect(m3.replyContext).toEqual({ subject: 'Re: Saying Hello', references: ['<1234@local.machine.example>', '<3456@example.net>', '<abcd.1234@local.machine.example>'] });
    expect(m3.threadKey).toBe('jdoe@machine.example');
  });

  it('RFC 5322 A.2: our reply to msg3 carries the In-Reply-To and References the RFC prescribes, our Message-ID, text, HTML and the file', async () => {
    const m3 = message(await parse(golden('rfc5322-a2-msg3.eml')));
    const mail = composeMail(
      {
        id: '6f1c2a8e-4b7d-4c1e-9a3f-2d5e8b7c9a10',
        recipient: { externalId: 'jdoe@machine.example' },
        threadKey: m3.threadKey,
        content: { kind: 'text', text: 'Thanks John.\n\nMary <3' },
        attachments: [{ fileName: '回执.pdf', mimeType: 'application/pdf', data: Buffer.from('%PDF-1.4 receipt') }],
        inReplyTo: { providerMessageId: m3.providerMessageId, replyContext: m3.replyContext! },
      },
      settings,
    );
    const raw = await new MailComposer(mail).compile().build();
    const sent = await simpleParser(raw);
    expect(sent.messageId).toBe('<6f1c2a8e-4b7d-4c1e-9a3f-2d5e8b7c9a10@acme.test>');
    expect(sent.inReplyTo).toBe('<abcd.1234@local.machine.example>');
    expect(sent.references).toEqual(['<1234@local.machine.example>', '<3456@example.net>', '<abcd.1234@local.machine.example>']);
    expect(sent.subject).toBe('Re: Saying Hello');
    expect(sent.from?.value[0]).toEqual({ address: 'support@acme.test', name: 'Acme Support' });
    expect(sent.text?.trim()).toBe('Thanks John.\n\nMary <3');
    expect(sent.html).toBe('<p>Thanks John.</p>\n<p>Mary &#60;3</p>');
    expect(sent.attachments.map((a) => [a.filename, a.contentType, a.content.toString()])).toEqual([['回执.pdf', 'application/pdf', '%PDF-1.4 receipt']]);
  });

  it('a first message answers nothing: the channel subject, no In-Reply-To', () => {
    const mail = composeMail({ id: '6f1c2a8e-4b7d-4c1e-9a3f-2d5e8b7c9a10', recipient: { externalId: 'x@example.com' }, threadKey: 'x@example.com', content: { kind: 'text', text: 'Hi' }, attachments: [] }, settings);
    expect(mail).toMatchObject({ subject: 'A message from us', messageId: '<6f1c2a8e-4b7d-4c1e-9a3f-2d5e8b7c9a10@acme.test>' });
    expect(mail.inReplyTo).toBeUndefined();
    expect(mail.headers).toBeUndefined();
  });

  it('an automatic answer carries Auto-Submitted: auto-replied (RFC 3834), so the customer\'s responder does not answer it', () => {
    const mail = composeMail({ id: '6f1c2a8e-4b7d-4c1e-9a3f-2d5e8b7c9a11', recipient: { externalId: 'x@example.com' }, threadKey: 'x@example.com', content: { kind: 'text', text: 'We are away' }, attachments: [], automated: true }, settings);
    expect(mail.headers).toEqual({ 'Auto-Submitted': 'auto-replied' });
  });

  it('an out-of-office reply is marked auto_reply and names our message', async () => {
    const m = message(await parse(golden('auto-reply.eml')));
    expect(m).toMatchObject({ automated: 'auto_reply', references: [OURS], threadKey: 'li@example.net' });
  });

  it('a delivery status notification is a failed status of the message it bounces, with the reason, never a message', async () => {
    expect(await parse(golden('dsn-bounce.eml'))).toEqual([
      {
        kind: 'status',
        providerEventId: '<20261201100000.ABC123@mx.example.net>',
        threadKey: OURS,
        occurredAt: expect.any(Date),
        providerMessageId: OURS,
        status: 'failed',
        error: 'Bounced (5.1.1): 550 5.1.1 <nobody@example.net>: Recipient address rejected: User unknown in local recipient table',
      },
    ]);
    // A delay warning records nothing; a success report says delivered.
    expect(await parse(golden('dsn-bounce.eml').replace('Action: failed', 'Action: delayed'))).toEqual([]);
    expect(await parse(golden('dsn-bounce.eml').replace('Action: failed', 'Action: delivered'))).toEqual([expect.objectContaining({ kind: 'status', status: 'delivered' })]);
  });
});

describe('e-mail in: machines and edge cases', () => {
  const mail = (headers: string[], body = 'body') => [...headers, 'Message-ID: <m@example.com>', '', body].join('\r\n');

  it('marks auto-replies and bulk mail by their headers; a person\'s mail is unmarked', async () => {
    const kind = async (...headers: string[]) => message(await parse(mail(['From: a@example.com', ...headers]))).automated;
    expect(await kind('Auto-Submitted: auto-generated')).toBe('auto_reply');
    expect(await kind('Auto-Submitted: no')).toBeUndefined();
    expect(await kind('X-Autoreply: yes')).toBe('auto_reply');
    expect(await kind('X-Autorespond: Out of office')).toBe('auto_reply');
    expect(await kind('Precedence: auto_reply')).toBe('auto_reply');
    expect(await kind('Precedence: bulk')).toBe('bulk');
    expect(await kind('Precedence: junk')).toBe('bulk');
    expect(await kind('Precedence: list')).toBe('bulk');
    expect(await kind('List-Id: <news.example.com>')).toBe('bulk');
    expect(await kind()).toBeUndefined();
  });

  it('a plain-text bounce from MAILER-DAEMON or postmaster quoting our message is a failure of it', async () => {
    const raw = mail(['From: postmaster@mx.example.net', 'Subject: failure notice'], `Sorry, we were unable to deliver your message.\r\n\r\n--- Below this line is a copy of the message.\r\n\r\nMessage-ID: ${OURS}\r\nSubject: Re: Order`);
    expect(await parse(raw)).toEqual([expect.objectContaining({ kind: 'status', providerMessageId: OURS, status: 'failed', error: expect.stringContaining('unable to deliver') })]);
    expect(await parse(mail(['From: MAILER-DAEMON@mx.example.net'], 'no original quoted'))).toEqual([]);
  });

  it('Reply-To is the sender when present; mail from the channel\'s own address is ignored', async () => {
    expect(message(await parse(mail(['From: noreply@forms.example', 'Reply-To: Ann <Ann@Example.com>']))).sender).toMatchObject({ externalId: 'ann@example.com', displayName: 'Ann' });
    expect(await parse(mail(['From: Acme Support <support@acme.test>']))).toEqual([]);
  });

  it('a message without a Message-ID gets a stable one from its bytes; its time is its arrival, not the sender\'s Date', async () => {
    const raw = 'From: a@example.com\r\nDate: Mon, 1 Jan 2999 00:00:00 +0000\r\n\r\nhello';
    const before = Date.now();
    const [a, b] = [message(await parse(raw)), message(await parse(raw))];
    expect(a.providerEventId).toMatch(/^<[0-9a-f]{40}@renmai\.invalid>$/);
    expect(b.providerEventId).toBe(a.providerEventId);
    expect(a.occurredAt.getTime()).toBeGreaterThanOrEqual(before);
    expect(a.occurredAt.getTime()).toBeLessThanOrEqual(Date.now());
  });

  it('refuses a message without a sender, and an empty one', async () => {
    await expect(parse('Subject: who?\r\n\r\nbody')).rejects.toBeInstanceOf(ChannelPayloadError);
    await expect(parse('')).rejects.toBeInstanceOf(ChannelPayloadError);
  });

  it('nothing comes in over HTTP', () => {
    expect(emailAdapter.verify()).toBe(false);
  });
});

describe('e-mail out: SMTP failures as the queue sees them', () => {
  it('maps 4xx to temporary, 5xx to permanent, a refused login to auth, no answer to temporary', () => {
    expect(smtpError(Object.assign(new Error('x'), { code: 'EMESSAGE', responseCode: 451, response: '451 4.7.1 Greylisted, try later' }))).toMatchObject({ kind: 'temporary', message: expect.stringContaining('Greylisted') });
    expect(smtpError(Object.assign(new Error('x'), { code: 'EENVELOPE', responseCode: 550, response: '550 5.1.1 No such user' }))).toMatchObject({ kind: 'permanent' });
    expect(smtpError(Object.assign(new Error('x'), { code: 'EMESSAGE', responseCode: 552, response: '552 Message too large' }))).toMatchObject({ kind: 'permanent' });
    expect(smtpError(Object.assign(new Error('Invalid login'), { code: 'EAUTH', responseCode: 535, response: '535 5.7.8 Bad credentials' }))).toMatchObject({ kind: 'auth' });
    expect(smtpError(Object.assign(new Error('x'), { code: 'EAUTH', responseCode: 454, response: '454 4.7.0 Temporary authentication failure' }))).toMatchObject({ kind: 'temporary' });
    expect(smtpError(Object.assign(new Error('x'), { responseCode: 530, response: '530 5.7.0 Authentication required' }))).toMatchObject({ kind: 'auth' });
    expect(smtpError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ESOCKET' }))).toMatchObject({ kind: 'temporary' });
    expect(smtpError(Object.assign(new Error('Connection timeout'), { code: 'ETIMEDOUT' }))).toMatchObject({ kind: 'temporary' });
    expect(smtpError(Object.assign(new Error('Can\'t upgrade to TLS'), { code: 'ETLS' }))).toMatchObject({ kind: 'permanent' });
  });
});
