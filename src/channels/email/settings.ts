// An e-mail channel's settings (shown by the API) and secrets (encrypted, write-only).
// Protocol and setup: README.md in this folder.
import { z } from 'zod';

const host = z.string().trim().min(1).max(253).regex(/^[a-z0-9.:[\]-]+$/i, 'a host name or IP address');
const port = z.number().int().min(1).max(65535);
/** Addresses are kept lower-cased and trimmed, as the contacts domain keeps e-mails. */
export const address = z.string().trim().toLowerCase().pipe(z.email().max(254));

const listener = z.strictObject({ mode: z.literal('listener') });

const imap = z.strictObject({
  mode: z.literal('imap'),
  host,
  port: port.default(993),
  /** Implicit TLS (993); false: plain, upgraded by STARTTLS when the server offers it. */
  secure: z.boolean().default(true),
  /** Without implicit TLS: refuse a server that does not offer STARTTLS (the password would cross in clear). */
  requireTls: z.boolean().default(true),
  user: z.string().trim().min(1).max(320),
  mailbox: z.string().trim().min(1).max(200).default('INBOX'),
});

export const emailSettings = z.strictObject({
  /** The channel's address: From of replies, and the recipient the built-in listener routes here. */
  address,
  /** The name in From. */
  displayName: z.string().trim().min(1).max(100).optional(),
  /** Subject of a message that answers no earlier mail. */
  subject: z.string().trim().min(1).max(200).default('A message from us'),
  /** Right-hand side of our Message-IDs; defaults to the address's domain. */
  messageIdDomain: z.string().trim().toLowerCase().regex(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/, 'a domain name').optional(),
  smtp: z.strictObject({
    host,
    port: port.default(587),
    /** Implicit TLS (port 465); false: STARTTLS when the server offers it. */
    secure: z.boolean().default(false),
    /** Refuse to send unless the connection is encrypted (implicit TLS or STARTTLS). */
    requireTls: z.boolean().default(true),
    /** Sign in as this user (its password is the secret `smtpPassword`); none: no authentication. */
    user: z.string().trim().min(1).max(320).optional(),
  }),
  /** How mail reaches the channel: the built-in SMTP listener, or polling a mailbox by IMAP. */
  inbound: z.discriminatedUnion('mode', [listener, imap]).default({ mode: 'listener' }),
});

export const emailSecrets = z.strictObject({
  smtpPassword: z.string().min(1).max(1000).optional(),
  imapPassword: z.string().min(1).max(1000).optional(),
});

export type EmailSettings = z.infer<typeof emailSettings>;
export type EmailSecrets = z.infer<typeof emailSecrets>;
export type ImapSettings = z.infer<typeof imap>;

/** The right-hand side of the channel's Message-IDs. */
export const messageIdDomainOf = (s: Pick<EmailSettings, 'address' | 'messageIdDomain'>) => s.messageIdDomain ?? s.address.slice(s.address.lastIndexOf('@') + 1);
