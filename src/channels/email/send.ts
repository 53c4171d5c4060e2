// Sending one mail over SMTP with nodemailer, and what its failures mean to the queue: a 4xx
// reply is temporary (greylisting, a full queue), a 5xx permanent (no such user, refused), a
// refused login or a server that wants one is `auth`; no reply at all (refused, reset, timed out)
// is temporary. One connection per send: support mail is a few messages a second at most.
import nodemailer from 'nodemailer';
import { ChannelError, type ChannelRuntime, type OutboundMessage, type SendContext } from '../adapter.js';
import { assertPublicHost } from '../net-guard.js';
import { composeMail } from './compose.js';
import type { EmailSecrets, EmailSettings } from './settings.js';

interface SmtpFailure {
  code?: string;
  responseCode?: number;
  response?: string;
  message?: string;
}

/** The ChannelError for what nodemailer threw. Its text is the server's reply, never credentials. */
export function smtpError(error: unknown): ChannelError {
  if (error instanceof ChannelError) return error;
  const e = (typeof error === 'object' && error !== null ? error : {}) as SmtpFailure;
  const said = (e.response ?? e.message ?? 'SMTP send failed').slice(0, 500);
  const code = e.responseCode;
  if (code !== undefined && code >= 400 && code < 500) return new ChannelError('temporary', `SMTP ${said}`, { cause: error });
  if (e.code === 'EAUTH' || code === 530 || code === 534 || code === 535) return new ChannelError('auth', `SMTP authentication failed: ${said}`);
  if (code !== undefined && code >= 500) return new ChannelError('permanent', `SMTP ${said}`, { cause: error });
  // The server cannot do TLS while requireTls is set, or the message cannot be built: retrying will not help.
  if (e.code === 'ETLS' || e.code === 'EMESSAGE' || e.code === 'EENVELOPE') return new ChannelError('permanent', said, { cause: error });
  return new ChannelError('temporary', `No answer from the SMTP server: ${said}`, { cause: error });
}

export async function sendMail(message: OutboundMessage, channel: ChannelRuntime<EmailSettings, EmailSecrets>, context: SendContext): Promise<{ providerMessageId: string }> {
  const { smtp } = channel.settings;
  if (smtp.user && !channel.secrets.smtpPassword) throw new ChannelError('auth', 'The channel has an SMTP user but no smtpPassword');
  await assertPublicHost(smtp.host, context.allowPrivateTargets);
  const mail = composeMail(message, channel.settings);
  const transport = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    requireTLS: !smtp.secure && smtp.requireTls,
    ...(smtp.user ? { auth: { user: smtp.user, pass: channel.secrets.smtpPassword } } : {}),
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 60_000,
  });
  const abort = () => transport.close();
  context.signal.addEventListener('abort', abort, { once: true });
  try {
    const info = await transport.sendMail(mail);
    if (!info.accepted.length) throw new ChannelError('permanent', `SMTP refused the recipient: ${info.response}`);
    return { providerMessageId: mail.messageId };
  } catch (error) {
    throw smtpError(error);
  } finally {
    context.signal.removeEventListener('abort', abort);
    transport.close();
  }
}
