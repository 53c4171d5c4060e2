// Messenger and Instagram webhooks as normalised events: each entry[].messaging[] item addressed
// to this channel's Page or Instagram account — messages (text, images, video, audio, files,
// stickers, locations, shares as links), postbacks (a button or icebreaker tapped: its title as
// text), referrals (m.me / ig.me links with ?ref=, as a follow with that source), deliveries and
// reads of what Renmai sent. Echoes of the account's own messages and deleted or unsupported
// messages are skipped. Files are the URLs Meta gives, fetched by the worker.
import type { LinkCard, Location, MediaRef, MessageContent, MessageKind, NormalisedEvent } from '../adapter.js';
import { messaging as messagingSchema, type MetaAttachment, type MetaBody, type Messaging } from './payloads.js';

const media: Record<string, { kind: MessageKind; mimeType: string; ext: string }> = {
  image: { kind: 'image', mimeType: 'image/jpeg', ext: 'jpg' },
  video: { kind: 'video', mimeType: 'video/mp4', ext: 'mp4' },
  audio: { kind: 'audio', mimeType: 'audio/mp4', ext: 'm4a' },
  file: { kind: 'file', mimeType: 'application/octet-stream', ext: 'bin' },
};

interface Read {
  kinds: MessageKind[];
  media: MediaRef[];
  location?: Location;
  link?: LinkCard;
}

function readAttachments(list: readonly MetaAttachment[], at: number): Read {
  const out: Read = { kinds: [], media: [] };
  list.forEach((a, i) => {
    const url = a.payload?.url ?? a.url;
    const file = media[a.type];
    const coordinates = a.payload?.coordinates;
    if (coordinates) {
      out.kinds.push('location');
      out.location = { latitude: coordinates.lat, longitude: coordinates.long, ...(a.title ? { name: a.title } : {}) };
    } else if (file && url) {
      // A sticker comes as an image with a sticker_id (the thumbs-up is one).
      out.kinds.push(file.kind);
      out.media.push({ ref: url, fileName: `${a.payload?.sticker_id ? 'sticker' : a.type}-${at}-${i}.${file.ext}`, mimeType: file.mimeType });
    } else if (url) {
      // fallback, share, story_mention, ig_reel, reel, template: a link to what was shared.
      out.kinds.push('link');
      out.link ??= { url, ...((a.payload?.title ?? a.title) ? { title: a.payload?.title ?? a.title } : {}) };
    }
  });
  return out;
}

function messageEvent(m: Messaging, base: { threadKey: string; occurredAt: Date }): NormalisedEvent[] {
  const message = m.message!;
  if (message.is_echo || message.is_deleted || message.is_unsupported) return [];
  const read = readAttachments(message.attachments ?? [], m.timestamp);
  const kind: MessageKind = read.kinds[0] ?? 'text';
  const content: MessageContent = { kind, ...(message.text ? { text: message.text } : {}), ...(read.location ? { location: read.location } : {}), ...(read.link ? { link: read.link } : {}) };
  if (!message.text && !read.kinds.length) return [];
  const source = message.referral?.ref;
  return [
    {
      ...base,
      kind: 'message',
      providerEventId: message.mid,
      sender: { externalId: m.sender.id },
      providerMessageId: message.mid,
      content,
      attachments: [],
      ...(read.media.length ? { mediaRefs: read.media } : {}),
      ...(message.reply_to?.mid ? { references: [message.reply_to.mid] } : {}),
      ...(source ? { source } : {}),
      replyContext: { receivedAt: m.timestamp },
    },
  ];
}

function normalise(m: Messaging): NormalisedEvent[] {
  const base = { threadKey: m.sender.id, occurredAt: new Date(m.timestamp) };
  const sender = { externalId: m.sender.id };
  if (m.message) return messageEvent(m, base);
  if (m.postback) {
    const text = m.postback.title ?? m.postback.payload;
    if (!text) return [];
    const id = m.postback.mid ?? `postback:${m.sender.id}:${m.timestamp}`;
    const source = m.postback.referral?.ref;
    return [{ ...base, kind: 'message', providerEventId: id, sender, providerMessageId: id, content: { kind: 'text', text }, attachments: [], ...(source ? { source } : {}), replyContext: { receivedAt: m.timestamp } }];
  }
  if (m.referral) {
    const source = m.referral.ref;
    return [{ ...base, kind: 'follow', providerEventId: `referral:${m.sender.id}:${m.timestamp}`, sender, ...(source ? { source } : {}) }];
  }
  if (m.delivery) return (m.delivery.mids ?? []).map((mid) => ({ ...base, kind: 'status' as const, providerEventId: `delivery:${mid}`, providerMessageId: mid, status: 'delivered' as const }));
  // Messenger's read names only a watermark (everything before it was read), which the inbox cannot apply; Instagram's names the message.
  if (m.read?.mid) return [{ ...base, kind: 'status', providerEventId: `read:${m.read.mid}`, providerMessageId: m.read.mid, status: 'read' }];
  return [];
}

/** The events of a webhook body of `object` for the account `accountId`; items for other accounts and unreadable ones are skipped. */
export function eventsOf(body: MetaBody, object: 'page' | 'instagram', accountId: string): NormalisedEvent[] {
  if (body.object !== object) return [];
  return body.entry.flatMap((entry) =>
    (entry.messaging ?? []).flatMap((raw) => {
      const m = messagingSchema.safeParse(raw);
      return m.success && m.data.recipient.id === accountId ? normalise(m.data) : [];
    }),
  );
}
