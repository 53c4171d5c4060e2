// Intake for what does not come over HTTP: a raw message from the SMTP listener or an IMAP
// mailbox goes through the channel's adapter (`parse`) into the same store as webhook events
// (intake.ts: once per provider event id, then processed per thread by the worker). Two steps
// come first. Threading: a message that answers earlier ones (e-mail In-Reply-To/References)
// takes the thread key of the nearest one the channel knows, so it lands in that conversation
// even from another address. Files: one the attachment limits refuse is left out with a note in
// the text, instead of refusing the whole mail (a sending server cannot fix it).
import type { Db } from '../../platform/db/connect.js';
import { AppError } from '../../platform/http/errors.js';
import type { InboundMessage, NormalisedEvent } from '../../channels/index.js';
import { renmaiIdOf } from '../../channels/email/index.js';
import type { LiveChannel } from '../channels/index.js';
import { checkFile, type AttachmentLimits } from './attachments.js';
import { storeEvents } from './intake.js';
import { threadOfReferences } from './mail-store.js';

async function threaded(db: Db, channel: LiveChannel, e: InboundMessage): Promise<InboundMessage> {
  const references = e.references ?? [];
  if (!references.length) return e;
  const ours = references.flatMap((ref, i) => {
    const id = renmaiIdOf(ref);
    return id ? [{ id, rank: i + 1 }] : [];
  });
  const threadKey = await threadOfReferences(db, channel.workspaceId, channel.channelId, references, ours);
  return threadKey ? { ...e, threadKey } : e;
}

async function withAllowedFiles(limits: AttachmentLimits, e: InboundMessage): Promise<InboundMessage> {
  const kept: InboundMessage['attachments'] = [];
  const notes: string[] = [];
  for (const file of e.attachments) {
    try {
      await checkFile(limits, { fileName: file.fileName, declaredType: file.mimeType, data: file.data });
      kept.push(file);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      notes.push(`[Attachment not kept: ${error.message}]`);
    }
  }
  if (!notes.length) return e;
  const text = [e.content.text, ...notes].filter(Boolean).join('\n\n');
  return { ...e, attachments: kept, content: { ...e.content, text, kind: kept.length ? e.content.kind : 'text' } };
}

/** Parses a raw message with the channel's adapter and stores its events once each. */
export async function receiveRaw(db: Db, limits: AttachmentLimits, channel: LiveChannel, raw: Buffer) {
  const events = await channel.adapter.parse({ method: 'POST', headers: {}, rawQuery: '', rawBody: raw }, channel.runtime);
  const ready: NormalisedEvent[] = [];
  for (const e of events) ready.push(e.kind === 'message' ? await withAllowedFiles(limits, await threaded(db, channel, e)) : e);
  return storeEvents(db, limits, channel, ready);
}
