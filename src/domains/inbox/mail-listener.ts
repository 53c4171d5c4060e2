// The built-in SMTP listener, wired to the inbox: recipients are routed to the e-mail channel
// with that address (queries/mail-channels.ts), messages go through the raw intake. One per
// `renmai serve` process when MAIL_LISTENER_PORT is set.
import type { Logger } from 'pino';
import type { Config } from '../../config.js';
import type { Db } from '../../platform/db/connect.js';
import { startMailListener as listen, type MailListener } from '../../channels/email/index.js';
import { channelForHook, keyringOf } from '../channels/index.js';
import { inboxDeps } from './deps.js';
import { receiveRaw } from './mail-intake.js';
import { channelForRecipient } from './queries/mail-channels.js';

export async function startMailListener(db: Db, config: Config, logger: Logger): Promise<MailListener | undefined> {
  if (config.MAIL_LISTENER_PORT === undefined) return undefined;
  const keyring = keyringOf(config);
  const { limits } = inboxDeps(config);
  const listener = await listen({
    host: config.MAIL_LISTENER_HOST,
    port: config.MAIL_LISTENER_PORT,
    maxBytes: config.MAIL_MAX_BYTES,
    route: (address) => channelForRecipient(db, address),
    async deliver(channelIds, raw) {
      for (const id of channelIds) {
        const channel = await channelForHook(db, keyring, id);
        if (channel?.enabled) await receiveRaw(db, limits, channel, raw);
      }
    },
    onError: (err) => logger.warn({ err }, 'mail listener: a message could not be stored; the sender was told to retry'),
  });
  logger.info({ port: listener.port }, 'mail listener is receiving');
  return listener;
}
