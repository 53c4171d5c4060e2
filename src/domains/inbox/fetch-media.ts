// Media that arrives by reference (Telegram file_id, LINE message id, WeCom media_id): the
// webhook only stores the reference, so the provider gets its answer at once, and the message
// shows at once without its file. One `inbox.fetch-media` job per file then downloads it through
// the adapter's fetchMedia (SSRF guard, size and time limits: src/channels/download.ts), checks
// it like any attachment (attachments.ts: size, type read from the bytes), stores it, attaches it
// to the message and tells the console (`message.updated`). A failure the provider may get over
// (no answer, 5xx, 429 with its wait) is retried with backoff by the queue; a refused or too
// large file is given up, and the reason is the job's result.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Db } from '../../platform/db/connect.js';
import { inTransaction, type Tx } from '../../platform/db/transaction.js';
import { AppError } from '../../platform/http/errors.js';
import { defineJob, enqueue, type JobDefinition } from '../../platform/queue/index.js';
import { ChannelError, type MediaRef } from '../../channels/index.js';
import { liveChannel, type Keyring } from '../channels/index.js';
import { checkFile, storeFile, type AttachmentLimits } from './attachments.js';
import { currentAccess, publishToViewers } from './live/notices.js';
import * as messages from './messages-store.js';

/** A MediaRef as stored in an inbound event (and in the job's payload). */
export const mediaRefSchema = z.object({ ref: z.string().min(1).max(2000), fileName: z.string().min(1).max(255), mimeType: z.string().min(1).max(200) });

const payload = z.object({ workspaceId: z.uuid(), channelId: z.uuid(), messageId: z.uuid(), media: mediaRefSchema });
export type FetchMediaJob = JobDefinition<typeof payload>;

export interface FetchMediaOptions {
  keyring: Keyring;
  limits: AttachmentLimits;
  allowPrivateTargets: boolean;
}

// What enqueueing needs (intake has no config); the handler is bound to it by createFetchMediaJob.
const spec = { name: 'inbox.fetch-media', queue: 'within-5s', maxAttempts: 8, payload } as const;

/** Queues one fetch per referenced file of a stored inbound message; in the intake transaction. */
export async function queueMediaFetches(tx: Tx, workspaceId: string, channelId: string, messageId: string, refs: readonly MediaRef[] | undefined) {
  if (!refs?.length) return;
  const job = { ...spec, handler: () => Promise.reject(new Error('enqueue only')) } satisfies FetchMediaJob;
  for (const [i, media] of refs.entries()) await enqueue(tx, job, { workspaceId, channelId, messageId, media }, { dedupeKey: `inbox.fetch-media:${messageId}:${i}` });
}

/** The same bytes already on the message: a run after a crash between storing and finishing. */
const alreadyAttached = async (db: Db, workspaceId: string, messageId: string, sha256: string) =>
  Boolean(await db.selectFrom('attachments').select('id').where('workspace_id', '=', workspaceId).where('message_id', '=', messageId).where('sha256', '=', sha256).executeTakeFirst());

/** The job bound to the inbox's limits and keyring (inboxDeps). */
export function createFetchMediaJob(o: FetchMediaOptions): FetchMediaJob {
  return defineJob({
    ...spec,
    async handler(ctx, { workspaceId, channelId, messageId, media }) {
      const message = await messages.findMessage(ctx.db, workspaceId, messageId);
      if (!message) return { skipped: 'message gone' };
      const channel = await liveChannel(ctx.db, o.keyring, workspaceId, channelId);
      if (!channel?.adapter.fetchMedia) return { skipped: 'channel gone or cannot fetch media' };
      let fetched;
      try {
        fetched = await channel.adapter.fetchMedia(media.ref, channel.runtime, { signal: ctx.signal, allowPrivateTargets: o.allowPrivateTargets, maxBytes: o.limits.maxBytes });
      } catch (error) {
        // Retryable failures go back to the queue (backoff, or the provider's wait); the rest are final.
        if (!(error instanceof ChannelError) || error.retryable) throw error;
        ctx.logger.warn({ messageId, reason: error.reason }, 'inbox: referenced media not fetched');
        return { failed: error.reason, error: error.message };
      }
      let file;
      try {
        file = await checkFile(o.limits, { fileName: fetched.fileName ?? media.fileName, declaredType: fetched.mimeType ?? media.mimeType, data: fetched.data });
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        ctx.logger.warn({ messageId, code: error.code }, 'inbox: referenced media refused by the attachment limits');
        return { failed: error.code === 'payload_too_large' ? 'media_too_large' : 'media_type_refused', error: error.message };
      }
      return inTransaction(ctx.db, async (tx) => {
        const sha256 = createHash('sha256').update(file.data).digest('hex');
        if (await alreadyAttached(tx, workspaceId, messageId, sha256)) return { skipped: 'already attached' };
        const attachmentId = await storeFile(tx, o.limits, workspaceId, file, null);
        await messages.attach(tx, workspaceId, messageId, [attachmentId]);
        const access = await currentAccess(tx, workspaceId, message.conversation_id);
        if (access) await publishToViewers(tx, workspaceId, access, { type: 'message.updated', data: { conversationId: message.conversation_id, messageId } });
        return { attachmentId };
      });
    },
  });
}
