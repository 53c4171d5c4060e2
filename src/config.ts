// Every setting Renmai reads, in one place. No other file reads process.env.
// The README's settings table is generated from `settings` (npm run renmai -- config-table).
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1');

export const settings = {
  PORT: { schema: z.coerce.number().int().min(0).max(65535).default(3000), describe: 'HTTP port for the API, console and webhooks.' },
  HOST: { schema: z.string().default('0.0.0.0'), describe: 'Interface to listen on.' },
  TRUST_PROXY: { schema: bool.default(false), describe: 'Trust X-Forwarded-* headers (set true behind a reverse proxy) so client addresses are right for login throttling.' },
  PUBLIC_URL: { schema: z.url().optional(), describe: 'Public base URL used in invitation links and printed at start. Defaults to http://localhost:PORT.' },
  DATABASE_URL: { schema: z.string().optional(), describe: 'PostgreSQL connection string. When unset, the embedded PGlite database under DATA_DIR is used.' },
  DATABASE_POOL_SIZE: { schema: z.coerce.number().int().min(1).max(200).default(10), describe: 'Connections per process when DATABASE_URL is set.' },
  DATA_DIR: { schema: z.string().default('./data'), describe: 'Where the embedded database and uploaded import files are kept.' },
  LOG_LEVEL: { schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'), describe: 'pino log level.' },
  WORKER: { schema: bool.default(true), describe: 'Run the outbox dispatcher and job worker inside `renmai serve`. Set false when separate `renmai worker` processes run.' },
  WORKER_CONCURRENCY: { schema: z.coerce.number().int().min(1).max(64).default(4), describe: 'Jobs a worker process runs at once.' },
  WORKER_POLL_MS: { schema: z.coerce.number().int().min(50).default(1000), describe: 'How often an idle worker looks for due jobs and events.' },
  SESSION_TTL_HOURS: { schema: z.coerce.number().int().min(1).default(24 * 14), describe: 'Console session lifetime.' },
  COOKIE_SECURE: { schema: bool.optional(), describe: 'Mark cookies Secure. Defaults to true when PUBLIC_URL is https.' },
  PASSWORD_SCRYPT_LOG_N: { schema: z.coerce.number().int().min(10).max(20).default(17), describe: 'scrypt cost for password hashes (log2 N; 17 is the OWASP minimum). Lower only in tests.' },
  LOGIN_MAX_FAILURES: { schema: z.coerce.number().int().min(1).default(5), describe: 'Failed logins in a row before an account is locked.' },
  LOGIN_LOCK_MINUTES: { schema: z.coerce.number().int().min(1).default(15), describe: 'How long a locked account stays locked.' },
  LOGIN_RATE_PER_MINUTE: { schema: z.coerce.number().int().min(1).default(10), describe: 'Failed sign-ins allowed per client address per minute before further attempts get 429.' },
  BODY_LIMIT_BYTES: { schema: z.coerce.number().int().min(1024).default(1_048_576), describe: 'Largest JSON body accepted (larger → 413).' },
  IMPORT_MAX_BYTES: { schema: z.coerce.number().int().min(1024).default(200 * 1024 * 1024), describe: 'Largest contact import file accepted (larger → 413). Uploads are kept under DATA_DIR/uploads.' },
  CHANNEL_SECRETS_KEY: { schema: z.string().regex(/^[A-Za-z0-9+/]{43}=$/, 'a 32-byte key in base64 (openssl rand -base64 32)').optional(), describe: 'Key (base64, 32 bytes) that encrypts channel credentials at rest (AES-256-GCM). When unset, one is generated once into DATA_DIR/channel-secrets.key; set it when several processes share a PostgreSQL server.' },
  ATTACHMENTS_DIR: { schema: z.string().optional(), describe: 'Where inbox attachments are stored. Defaults to DATA_DIR/attachments.' },
  ATTACHMENT_MAX_BYTES: { schema: z.coerce.number().int().min(1024).default(20 * 1024 * 1024), describe: 'Largest inbox attachment accepted, uploaded or received (larger → 413).' },
  ATTACHMENT_TYPES: { schema: z.string().default('image/*,audio/*,video/*,application/pdf,text/plain,text/csv,application/zip,application/msword,application/vnd.openxmlformats-officedocument.*,application/vnd.ms-excel,application/vnd.ms-powerpoint'), describe: 'MIME types an attachment may have, comma-separated, `type/*` and trailing `*` allowed; the type is read from the file itself (otherwise 415).' },
  HOOK_BODY_LIMIT_BYTES: { schema: z.coerce.number().int().min(1024).default(10 * 1024 * 1024), describe: 'Largest webhook body accepted at /hooks/<channel id> (inline media included).' },
  SEND_MAX_ATTEMPTS: { schema: z.coerce.number().int().min(1).max(50).default(8), describe: 'Attempts at sending an outbound message before it goes to the dead-letter list.' },
  CHANNEL_POLL_SECONDS: { schema: z.coerce.number().int().min(1).max(300).default(2), describe: 'How often the worker asks providers for new events on channels set to polling delivery (Telegram getUpdates), instead of receiving webhooks.' },
  CHANNEL_ALLOW_PRIVATE_TARGETS: { schema: bool.default(false), describe: 'Let channels send to loopback and private addresses (local test providers). Leave false in production: it guards against SSRF.' },
  MAIL_LISTENER_PORT: { schema: z.coerce.number().int().min(0).max(65535).optional(), describe: 'Port of the built-in SMTP listener that receives mail for e-mail channels (25 as your MX, or e.g. 2525 behind a forwarding MTA). Unset: no listener.' },
  MAIL_LISTENER_HOST: { schema: z.string().default('0.0.0.0'), describe: 'Interface the SMTP listener listens on.' },
  MAIL_MAX_BYTES: { schema: z.coerce.number().int().min(1024).default(25 * 1024 * 1024), describe: 'Largest inbound e-mail accepted (the listener refuses it with 552; IMAP polling skips it and logs).' },
  MAIL_IMAP_POLL_SECONDS: { schema: z.coerce.number().int().min(5).default(60), describe: 'How often the worker looks for new mail in the mailboxes of IMAP e-mail channels.' },
  REALTIME_HEARTBEAT_SECONDS: { schema: z.coerce.number().int().min(1).max(300).default(25), describe: 'How often the realtime socket pings each client (one unanswered ping drops it) and checks its database listener.' },
  REALTIME_MAX_BUFFER_BYTES: { schema: z.coerce.number().int().min(1024).default(1_048_576), describe: 'Unsent event bytes a realtime socket may hold before it is dropped as too slow (the client reconnects and re-reads).' },
  PRESENCE_TIMEOUT_SECONDS: { schema: z.coerce.number().int().min(3).default(60), describe: 'An agent with no console socket for this long is offline (gets no automatic assignments); the worker checks a third as often, and re-offers queued conversations then.' },
  DEMO: { schema: bool.default(true), describe: 'On first start with an empty database, create a demo workspace and owner and print the login.' },
} as const;

type Settings = typeof settings;
export type Config = { [K in keyof Settings]: z.output<Settings[K]['schema']> };

const configSchema = z.object(
  Object.fromEntries(Object.entries(settings).map(([k, s]) => [k, s.schema])) as {
    [K in keyof Settings]: Settings[K]['schema'];
  },
);

/** Parses the environment once; a bad value stops the process with every problem listed. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([k, v]) => k in settings && v !== ''));
  const parsed = configSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data as Config;
}

export function publicUrl(config: Config): string {
  return (config.PUBLIC_URL ?? `http://localhost:${config.PORT}`).replace(/\/$/, '');
}

export function settingsTable(): string {
  const rows = Object.entries(settings).map(([name, s]) => {
    const def = s.schema.safeParse(undefined);
    const shown = def.success && def.data !== undefined ? `\`${String(def.data)}\`` : '—';
    return `| \`${name}\` | ${shown} | ${s.describe} |`;
  });
  return ['| setting | default | what it does |', '|---|---|---|', ...rows].join('\n');
}
