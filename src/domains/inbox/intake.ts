// Webhook intake: a verified request's events are stored once each (ON CONFLICT DO NOTHING on
// the provider's event id) with their media on disk, and one processing job per thread is
// queued, all in one transaction; the route answers as soon as it commits.
import type { Db } from '../../platform/db/connect.js';
import { inTransaction } from '../../platform/db/transaction.js';
import { enqueue } from '../../platform/queue/index.js';
import type { NormalisedEvent } from '../../channels/index.js';
import { recordEventSeen, type LiveChannel } from '../channels/index.js';
import { checkFile, storeFile, type AttachmentLimits, type CheckedFile } from './attachments.js';
import { intakeJob } from './process.js';

/** The event as stored: media replaced by the ids of their stored attachments. */
function storable(event: NormalisedEvent, attachmentIds: string[]) {
  if (event.kind !== 'message') return event;
  const { attachments: _files, ...rest } = event;
  return { ...rest, attachmentIds };
}

export async function storeEvents(db: Db, limits: AttachmentLimits, channel: LiveChannel, events: readonly NormalisedEvent[]) {
  // Every file is checked before anything is written: one refused file refuses the request.
  const files = new Map<NormalisedEvent, CheckedFile[]>();
  for (const e of events) {
    if (e.kind !== 'message' || !e.attachments.length) continue;
    files.set(e, await Promise.all(e.attachments.map((a) => checkFile(limits, { fileName: a.fileName, declaredType: a.mimeType, data: a.data }))));
  }
  const { workspaceId, channelId } = channel;
  if (!events.length) return { stored: 0, duplicates: 0 };
  const result = await inTransaction(db, async (tx) => {
    // One statement for the batch; its rows take their seq in the order given.
    const inserted = await tx
      .insertInto('inbound_events')
      .values(events.map((e) => ({ workspace_id: workspaceId, channel_id: channelId, provider_event_id: e.providerEventId, thread_key: e.threadKey, kind: e.kind, event: JSON.stringify(storable(e, [])) })))
      .onConflict((oc) => oc.columns(['workspace_id', 'channel_id', 'provider_event_id']).doNothing())
      .returning(['id', 'provider_event_id'])
      .execute();
    const fresh = new Map(inserted.map((r) => [r.provider_event_id, r.id]));
    const stored = fresh.size;
    const threads = new Set<string>();
    for (const e of events) {
      const id = fresh.get(e.providerEventId);
      // Stored by an earlier delivery, or the same id twice in this one (the first is kept).
      if (!id) continue;
      fresh.delete(e.providerEventId);
      threads.add(e.threadKey);
      const media = files.get(e);
      if (media?.length) {
        const ids: string[] = [];
        for (const f of media) ids.push(await storeFile(tx, limits, workspaceId, f, null));
        await tx.updateTable('inbound_events').set({ event: JSON.stringify(storable(e, ids)) }).where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
      }
    }
    for (const threadKey of threads) await enqueue(tx, intakeJob, { workspaceId, channelId, threadKey });
    return { stored, duplicates: events.length - stored };
  });
  // After the commit: concurrent deliveries would otherwise queue on the channel's row lock.
  await recordEventSeen(db, workspaceId, channelId);
  return result;
}
