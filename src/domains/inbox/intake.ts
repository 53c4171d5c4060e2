// Webhook intake: a verified request's events are stored once each (ON CONFLICT DO NOTHING on
// the provider's event id) with their media on disk, and one processing job per thread is
// queued, in one transaction; the request is answered as soon as it commits.
//
// Group commit: requests that arrive while a write is in flight wait for it and then go together
// in the next one, so under load one INSERT and one commit carry many requests (a provider that
// sends one event per request would otherwise cost a transaction each), and an idle server still
// writes a lone request at once. A group that fails is written again one request at a time, so a
// request the database refuses fails alone.
import type { Db } from '../../platform/db/connect.js';
import { groupCommit } from '../../platform/db/group-commit.js';
import { inTransaction, type Tx } from '../../platform/db/transaction.js';
import { enqueueMany } from '../../platform/queue/index.js';
import type { NormalisedEvent } from '../../channels/index.js';
import { recordEventSeen, type LiveChannel } from '../channels/index.js';
import { checkFile, storeFile, type AttachmentLimits, type CheckedFile } from './attachments.js';
import { intakeJob, THREADS_PER_JOB } from './process.js';

export interface StoreResult {
  stored: number;
  duplicates: number;
}

interface Request {
  channel: LiveChannel;
  events: readonly NormalisedEvent[];
  files: Map<NormalisedEvent, CheckedFile[]>;
  limits: AttachmentLimits;
}

/** Events per group: one INSERT's worth, so a burst is written in several commits rather than one huge one. */
const GROUP_EVENTS = 1000;

/** PostgreSQL stores NUL in neither text nor JSON, and it never means anything in a message. */
const withoutNul = (s: string) => s.replaceAll('\0', '');
const nulFree = (_key: string, value: unknown) => (typeof value === 'string' ? withoutNul(value) : value);

/** The event as stored (JSON): media replaced by the ids of their stored attachments. */
function storable(event: NormalisedEvent, attachmentIds: string[]) {
  if (event.kind !== 'message') return JSON.stringify(event, nulFree);
  const { attachments: _files, ...rest } = event;
  return JSON.stringify({ ...rest, attachmentIds }, nulFree);
}

async function write(tx: Tx, requests: readonly Request[]): Promise<StoreResult[]> {
  // One statement for the group; its rows take their seq in the order given.
  const inserted = await tx
    .insertInto('inbound_events')
    .values(
      requests.flatMap(({ channel, events }) =>
        events.map((e) => ({
          workspace_id: channel.workspaceId,
          channel_id: channel.channelId,
          provider_event_id: withoutNul(e.providerEventId),
          thread_key: withoutNul(e.threadKey),
          kind: e.kind,
          event: storable(e, []),
        })),
      ),
    )
    .onConflict((oc) => oc.columns(['workspace_id', 'channel_id', 'provider_event_id']).doNothing())
    .returning(['id', 'channel_id', 'provider_event_id'])
    .execute();
  const fresh = new Map(inserted.map((r) => [`${r.channel_id} ${r.provider_event_id}`, r.id]));
  const threads = new Map<LiveChannel, Set<string>>();
  const results: StoreResult[] = [];
  for (const { channel, events, files, limits } of requests) {
    const { workspaceId, channelId } = channel;
    let stored = 0;
    for (const e of events) {
      const key = `${channelId} ${withoutNul(e.providerEventId)}`;
      const id = fresh.get(key);
      // Stored by an earlier delivery, or the same id twice in this group (the first is kept).
      if (!id) continue;
      fresh.delete(key);
      stored += 1;
      threads.set(channel, (threads.get(channel) ?? new Set()).add(withoutNul(e.threadKey)));
      const media = files.get(e);
      if (media?.length) {
        const ids: string[] = [];
        for (const f of media) ids.push(await storeFile(tx, limits, workspaceId, f, null));
        await tx.updateTable('inbound_events').set({ event: storable(e, ids) }).where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
      }
    }
    results.push({ stored, duplicates: events.length - stored });
  }
  const jobs = [];
  for (const [{ workspaceId, channelId }, keys] of threads) {
    const all = [...keys];
    for (let i = 0; i < all.length; i += THREADS_PER_JOB) jobs.push({ payload: { workspaceId, channelId, threadKeys: all.slice(i, i + THREADS_PER_JOB) } });
  }
  await enqueueMany(tx, intakeJob, jobs);
  return results;
}

function createGroupWriter(db: Db) {
  return groupCommit<Request, StoreResult>({
    maxWeight: GROUP_EVENTS,
    weight: (r) => r.events.length,
    async write(_key, group) {
      const results = await inTransaction(db, (tx) => write(tx, group));
      // After the commit: concurrent deliveries would otherwise queue on the channel's row lock.
      // Only the health panel's "last event" reads it, and the next event sets it again.
      const channels = new Map(group.map((r) => [r.channel.channelId, r.channel]));
      await Promise.all([...channels.values()].map((c) => recordEventSeen(db, c.workspaceId, c.channelId))).catch(() => undefined);
      return results;
    },
  });
}

const writers = new WeakMap<Db, ReturnType<typeof createGroupWriter>>();

export async function storeEvents(db: Db, limits: AttachmentLimits, channel: LiveChannel, events: readonly NormalisedEvent[]): Promise<StoreResult> {
  // Every file is checked before anything is written: one refused file refuses the request.
  const files = new Map<NormalisedEvent, CheckedFile[]>();
  for (const e of events) {
    if (e.kind !== 'message' || !e.attachments.length) continue;
    files.set(e, await Promise.all(e.attachments.map((a) => checkFile(limits, { fileName: a.fileName, declaredType: a.mimeType, data: a.data }))));
  }
  if (!events.length) return { stored: 0, duplicates: 0 };
  let writer = writers.get(db);
  if (!writer) writers.set(db, (writer = createGroupWriter(db)));
  return writer('', { channel, events, files, limits });
}
