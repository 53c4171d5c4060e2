// IMAP polling for e-mail channels that read a mailbox: every MAIL_IMAP_POLL_SECONDS the worker
// looks at each such mailbox, under a lease (mail_mailboxes) so that two worker processes never
// read one at once, and hands new mail to the raw intake. Where reading stopped is saved after
// every message (channels/email/imap.ts explains the UID bookkeeping).
import type { Logger } from 'pino';
import type { Config } from '../../config.js';
import type { Db } from '../../platform/db/connect.js';
import { startPeriodic } from '../../platform/periodic.js';
import { ChannelPayloadError } from '../../channels/index.js';
import { imapAccountOf, pollMailbox } from '../../channels/email/index.js';
import { keyringOf, liveChannel } from '../channels/index.js';
import { inboxDeps } from './deps.js';
import { receiveRaw } from './mail-intake.js';
import { claimMailbox, releaseMailbox, saveMailboxPosition } from './mail-store.js';
import { mailboxChannels } from './queries/mail-channels.js';

/** Longer than a poll takes; a process that died holding it is relieved after this. */
const LEASE_MS = 5 * 60_000;
const BATCH = 100;
/** Batches per mailbox per poll: a backlog is read over a few polls rather than holding the lease. */
const BATCHES = 5;

/** Polls one channel's mailbox; returns how many messages were handed to intake. */
export async function pollChannel(db: Db, config: Config, logger: Logger, workspaceId: string, channelId: string): Promise<number> {
  const channel = await liveChannel(db, keyringOf(config), workspaceId, channelId);
  const imap = channel?.enabled ? imapAccountOf(channel.runtime) : undefined;
  if (!channel || !imap) return 0;
  const position = await claimMailbox(db, workspaceId, channelId, imap.key, LEASE_MS);
  if (!position) return 0;
  const { limits } = inboxDeps(config);
  let state = position.uid_validity === null ? undefined : { uidValidity: position.uid_validity, lastUid: Number(position.last_uid) };
  let delivered = 0;
  let error: string | null = null;
  try {
    for (let round = 0; round < BATCHES; round++) {
      const result = await pollMailbox({
        account: imap.account,
        state,
        since: position.following_since,
        maxBytes: config.MAIL_MAX_BYTES,
        batch: BATCH,
        allowPrivateTargets: config.CHANNEL_ALLOW_PRIVATE_TARGETS,
        async deliver(raw, uid) {
          try {
            await receiveRaw(db, limits, channel, raw);
          } catch (e) {
            // Unreadable mail stays unreadable: skip it rather than stop the mailbox at it.
            if (!(e instanceof ChannelPayloadError)) throw e;
            logger.warn({ channelId, uid, reason: e.message }, 'mail: skipped a message that cannot be read');
          }
        },
        async save(next) {
          await saveMailboxPosition(db, workspaceId, channelId, next.uidValidity, next.lastUid);
          state = next;
        },
        skipped: (uid, reason) => logger.warn({ channelId, uid, reason }, 'mail: skipped a message in the mailbox'),
      });
      delivered += result.delivered;
      if (!result.more) break;
    }
  } catch (e) {
    error = (e instanceof Error ? e.message : String(e)).slice(0, 500);
    logger.warn({ channelId, err: e }, 'mail: polling the mailbox failed; will retry');
  } finally {
    await releaseMailbox(db, workspaceId, channelId, error);
  }
  return delivered;
}

export async function pollMailboxes(db: Db, config: Config, logger: Logger) {
  let delivered = 0;
  for (const c of await mailboxChannels(db)) delivered += await pollChannel(db, config, logger, c.workspace_id, c.id);
  return delivered ? { delivered } : undefined;
}

/** The worker's schedule; returns its stop. */
export const startMailPolling = (db: Db, config: Config, logger: Logger) =>
  startPeriodic('inbox: IMAP mailboxes polled', config.MAIL_IMAP_POLL_SECONDS * 1000, () => pollMailboxes(db, config, logger), logger);
