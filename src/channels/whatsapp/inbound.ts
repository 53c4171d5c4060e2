// A WhatsApp messages webhook as normalised events: each entry[].changes[].value of field
// `messages` for this channel's phone number carries `messages` (text, image, audio and voice,
// video, document, sticker, location, shared contacts, interactive and template-button replies)
// with the senders' names in `contacts`, and `statuses` of what Renmai sent. Media are references
// (the media id), fetched by the worker through GET /{media-id}. A click-to-WhatsApp ad's
// `referral` and a live code's pre-filled text become the message's `source`.
import type { MediaRef, MessageContent, NormalisedEvent } from '../adapter.js';
import { dateOf, graphError } from '../meta-graph.js';
import { message as messageSchema, status as statusSchema, value as valueSchema, type WaBody, type WaMessage, type WaStatus } from './payloads.js';

/**
 * A live code's pre-filled text ends with its code in brackets (entryLink: "Hello [k3j9x0a2b4c6]"):
 * what the person sends first unless they edit it.
 */
const CODE_IN_TEXT = /\[([A-Za-z0-9_-]{4,64})\]\s*$/;

export const entryText = (greeting: string, code: string) => `${greeting} [${code}]`;

/** The live code a message names: its pre-filled text's code, else the ad it came from. */
export function sourceOf(m: WaMessage): string | undefined {
  const code = m.text ? CODE_IN_TEXT.exec(m.text.body)?.[1] : undefined;
  return code ?? m.referral?.source_id?.slice(0, 256);
}

const extension: Record<string, string> = { image: 'jpg', audio: 'ogg', video: 'mp4', sticker: 'webp' };

function mediaOf(m: WaMessage, kind: 'image' | 'audio' | 'video' | 'document' | 'sticker'): MediaRef[] {
  const media = m[kind];
  if (!media) return [];
  const fileName = media.filename ?? `${media.voice ? 'voice' : kind}-${media.id}.${extension[kind] ?? 'bin'}`;
  return [{ ref: media.id, fileName, mimeType: media.mime_type?.split(';')[0]?.trim() || 'application/octet-stream' }];
}

/** The content of a message Renmai reads, or null for one it skips (reaction, order, system, unsupported). */
function contentOf(m: WaMessage): { content: MessageContent; media: MediaRef[] } | null {
  switch (m.type) {
    case 'text':
      return m.text ? { content: { kind: 'text', text: m.text.body }, media: [] } : null;
    case 'image':
    case 'video':
      return { content: { kind: m.type, text: m[m.type]?.caption }, media: mediaOf(m, m.type) };
    case 'audio':
      return { content: { kind: 'audio' }, media: mediaOf(m, 'audio') };
    case 'document':
      return { content: { kind: 'file', text: m.document?.caption }, media: mediaOf(m, 'document') };
    case 'sticker':
      return { content: { kind: 'image' }, media: mediaOf(m, 'sticker') };
    case 'location': {
      const l = m.location;
      return l ? { content: { kind: 'location', text: l.name, location: { latitude: l.latitude, longitude: l.longitude, name: l.name, address: l.address } }, media: [] } : null;
    }
    case 'contacts': {
      const lines = (m.contacts ?? []).map((c) => [c.name?.formatted_name, ...(c.phones ?? []).map((p) => p.phone)].filter(Boolean).join(' '));
      return lines.length ? { content: { kind: 'text', text: lines.join('\n') }, media: [] } : null;
    }
    case 'interactive': {
      const reply = m.interactive?.button_reply ?? m.interactive?.list_reply;
      return reply ? { content: { kind: 'text', text: reply.title }, media: [] } : null;
    }
    case 'button':
      return m.button ? { content: { kind: 'text', text: m.button.text }, media: [] } : null;
    default:
      return null;
  }
}

function messageEvent(m: WaMessage, names: Map<string, string>): NormalisedEvent[] {
  const read = contentOf(m);
  if (!read) return [];
  const occurredAt = dateOf(m.timestamp, 's');
  const displayName = names.get(m.from);
  const source = sourceOf(m);
  return [
    {
      kind: 'message',
      providerEventId: m.id,
      threadKey: m.from,
      occurredAt,
      // wa_id is the person's phone number in digits: WhatsApp vouches for it.
      sender: { externalId: m.from, ...(displayName ? { displayName } : {}), ...(/^\d{6,15}$/.test(m.from) ? { phone: `+${m.from}`, phoneVerified: true } : {}) },
      providerMessageId: m.id,
      content: read.content,
      attachments: [],
      ...(read.media.length ? { mediaRefs: read.media } : {}),
      ...(m.context?.id ? { references: [m.context.id] } : {}),
      ...(source ? { source } : {}),
      // The 24-hour window counts from here (adapter.ts: send).
      replyContext: { receivedAt: occurredAt.getTime() },
    },
  ];
}

const DELIVERY = { delivered: 'delivered', read: 'read', failed: 'failed' } as const;

function statusEvent(s: WaStatus): NormalisedEvent[] {
  // `sent` is what the send itself told; statuses may arrive out of order (the inbox keeps the furthest).
  const status = DELIVERY[s.status as keyof typeof DELIVERY];
  if (!status) return [];
  const error = s.errors?.[0];
  // The same codes as a refused send (131047 outside the window, 131026 undeliverable, …): the same stable reason.
  const reason = error?.code !== undefined ? graphError('WhatsApp', 400, { code: error.code, message: error.title }).reason : undefined;
  return [
    {
      kind: 'status',
      providerEventId: `status:${s.id}:${s.status}`,
      threadKey: s.recipient_id,
      occurredAt: dateOf(s.timestamp, 's'),
      providerMessageId: s.id,
      status,
      ...(reason ? { reason } : {}),
      ...(error ? { error: [error.code !== undefined ? `(#${error.code})` : undefined, error.title, error.error_data?.details ?? error.message].filter(Boolean).join(' ').slice(0, 500) } : {}),
    },
  ];
}

/** The events of a webhook body for the phone number `phoneNumberId`; other numbers' changes and unreadable items are skipped. */
export function eventsOf(body: WaBody, phoneNumberId: string): NormalisedEvent[] {
  if (body.object !== 'whatsapp_business_account') return [];
  return body.entry.flatMap((entry) =>
    entry.changes.flatMap((change) => {
      if (change.field !== 'messages') return [];
      const value = valueSchema.safeParse(change.value);
      if (!value.success || value.data.metadata.phone_number_id !== phoneNumberId) return [];
      const names = new Map((value.data.contacts ?? []).flatMap((c) => (c.wa_id && c.profile?.name ? [[c.wa_id, c.profile.name] as const] : [])));
      const messages = (value.data.messages ?? []).flatMap((raw) => {
        const m = messageSchema.safeParse(raw);
        return m.success ? messageEvent(m.data, names) : [];
      });
      const statuses = (value.data.statuses ?? []).flatMap((raw) => {
        const s = statusSchema.safeParse(raw);
        return s.success ? statusEvent(s.data) : [];
      });
      return [...messages, ...statuses];
    }),
  );
}
