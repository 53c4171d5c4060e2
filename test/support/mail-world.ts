// The e-mail channel's tests' world: the inbox world (test app, worker runs) with a fake SMTP
// server for outbound mail, the built-in SMTP listener on a free port of 127.0.0.1, the golden
// messages of src/channels/email/golden/, and a way to hand a raw message to the intake.
import { readFileSync } from 'node:fs';
import nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer/index.js';
import { channelForHook, keyringOf } from '../../src/domains/channels/index.js';
import { receiveRaw, startMailListener } from '../../src/domains/inbox/index.js';
import { inboxDeps } from '../../src/domains/inbox/deps.js';
import { createLogger } from '../../src/platform/log/logger.js';
import { inboxWorld, workspaceWithChannel } from './channel-world.js';
import { startFakeSmtp } from './fake-smtp.js';

export const ADDRESS = 'support@acme.test';

export async function mailWorld(env: Record<string, string> = {}) {
  const w = await inboxWorld({ MAIL_MAX_BYTES: '65536', ...env });
  const smtp = await startFakeSmtp();
  const listener = (await startMailListener(w.t.database.db, { ...w.t.config, MAIL_LISTENER_PORT: 0, MAIL_LISTENER_HOST: '127.0.0.1' }, createLogger('silent')))!;
  return {
    ...w,
    smtp,
    listener,
    async close() {
      await listener.close();
      await smtp.close();
      await w.close();
    },
  };
}
export type MailWorld = Awaited<ReturnType<typeof mailWorld>>;

/** A workspace with an e-mail channel sending through the fake SMTP server; `settings` is merged over the default. */
export async function workspaceWithMailChannel(w: MailWorld, name: string, settings: Record<string, unknown> = {}, secrets: Record<string, unknown> = {}) {
  return workspaceWithChannel(w, name, {
    type: 'email',
    name: 'Support mail',
    settings: { address: ADDRESS, displayName: 'Acme Support', smtp: { host: '127.0.0.1', port: w.smtp.port, requireTls: false }, ...settings },
    secrets,
  });
}

/** A golden message, with `{{NAME}}` placeholders filled in. */
export const golden = (file: string, values: Record<string, string> = {}) =>
  Buffer.from(Object.entries(values).reduce((text, [k, v]) => text.replaceAll(`{{${k}}}`, v), readFileSync(new URL(`../../src/channels/email/golden/${file}`, import.meta.url), 'utf8')));

/** Hands a raw message to the intake of a channel, as the listener and the IMAP poller do. */
export async function receive(w: MailWorld, channelId: string, raw: Buffer) {
  const channel = await channelForHook(w.t.database.db, keyringOf(w.t.config), channelId);
  return receiveRaw(w.t.database.db, inboxDeps(w.t.config).limits, channel!, raw);
}

/** Sends a mail to the built-in listener with nodemailer, as another mail server would. */
export async function sendToListener(w: MailWorld, mail: Mail.Options) {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: w.listener.port, secure: false, ignoreTLS: true });
  try {
    return await transport.sendMail(mail);
  } finally {
    transport.close();
  }
}
