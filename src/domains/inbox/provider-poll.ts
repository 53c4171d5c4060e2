// Polling providers for channels that cannot take webhooks (no public URL): every
// CHANNEL_POLL_SECONDS the worker asks each such channel's adapter for the events after its saved
// cursor (Telegram getUpdates), stores them through the same intake as /hooks (idempotent on the
// provider's event id), then saves the new cursor — so a crash between the two only asks for
// events again that are already stored. A lease keeps two worker processes off one channel.
import type { Logger } from 'pino';
import type { Config } from '../../config.js';
import { adapterFor, channelTypeNames } from '../../channels/index.js';
import type { Db } from '../../platform/db/connect.js';
import { startPeriodic } from '../../platform/periodic.js';
import { keyringOf, liveChannel } from '../channels/index.js';
import { inboxDeps } from './deps.js';
import { storeEvents } from './intake.js';
import { claimPosition, releasePosition } from './poll-store.js';
import { pollingChannels } from './queries/polling-channels.js';

/** Longer than a poll takes; a process that died holding it is relieved after this. */
const LEASE_MS = 2 * 60_000;
const POLL_TIMEOUT_MS = 30_000;

/** The adapters' convention: a channel set to `delivery: "polling"` is polled rather than posted to. */
const pollsItself = (settings: unknown) => (settings as { delivery?: unknown } | null)?.delivery === 'polling';
const pollingTypes = () => channelTypeNames.filter((type) => adapterFor(type)?.pollUpdates);

/** One poll of one channel; returns how many new events were stored. */
export async function pollProvider(db: Db, config: Config, logger: Logger, workspaceId: string, channelId: string): Promise<number> {
  const channel = await liveChannel(db, keyringOf(config), workspaceId, channelId);
  if (!channel?.enabled || !channel.adapter.pollUpdates || !pollsItself(channel.runtime.settings)) return 0;
  const position = await claimPosition(db, workspaceId, channelId, LEASE_MS);
  if (!position) return 0;
  let cursor = position.cursor;
  let error: string | null = null;
  let stored = 0;
  try {
    const polled = await channel.adapter.pollUpdates(channel.runtime, { signal: AbortSignal.timeout(POLL_TIMEOUT_MS), allowPrivateTargets: config.CHANNEL_ALLOW_PRIVATE_TARGETS }, cursor);
    stored = (await storeEvents(db, inboxDeps(config).limits, channel, polled.events)).stored;
    cursor = polled.cursor;
  } catch (e) {
    error = (e instanceof Error ? e.message : String(e)).slice(0, 500);
    logger.warn({ channelId, err: e }, 'inbox: polling the provider failed; will retry');
  } finally {
    await releasePosition(db, workspaceId, channelId, cursor, error);
  }
  return stored;
}

export async function pollProviders(db: Db, config: Config, logger: Logger) {
  const channels = await pollingChannels(db, pollingTypes());
  const stored = (await Promise.all(channels.map((c) => pollProvider(db, config, logger, c.workspace_id, c.id)))).reduce((a, b) => a + b, 0);
  return stored ? { stored } : undefined;
}

/** The worker's schedule; returns its stop. */
export const startProviderPolling = (db: Db, config: Config, logger: Logger) =>
  startPeriodic('inbox: providers polled', config.CHANNEL_POLL_SECONDS * 1000, () => pollProviders(db, config, logger), logger);
