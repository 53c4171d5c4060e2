// LINE webhook events as normalised events: messages of one-to-one chats, groups and rooms (text,
// image, video, audio, file, location, sticker), follow / unfollow, members joining and leaving.
// Binary content is a reference (the message id, read later from api-data.line.me; or the URL of
// an external content provider), fetched by the worker. The reply token and its time ride in the
// message's replyContext, so a reply within its validity can use it (adapter.ts).
import type { MediaRef, MessageContent, NormalisedEvent, Sender } from '../adapter.js';
import { event as eventSchema, message as messageSchema, type LineEvent, type LineMessage, type LineSource } from './payloads.js';

/** A reference to an external content provider's URL rather than a LINE message id. */
export const EXTERNAL = 'external:';

/** A sticker's image on LINE's sticker CDN (what LINE's own clients load). */
export const stickerUrl = (stickerId: string) => `https://stickershop.line-scdn.net/stickershop/v1/sticker/${encodeURIComponent(stickerId)}/android/sticker.png`;

interface Place {
  threadKey: string;
  group?: { externalId: string };
  /** The person, when LINE names them (in groups and rooms it may not). */
  userId?: string;
}

/** The thread of a source: the user's own, or the group's or room's (apart from any person's). */
export function placeOf(s: LineSource): Place {
  if (s.type === 'user') return { threadKey: s.userId, userId: s.userId };
  const id = s.type === 'group' ? s.groupId : s.roomId;
  return { threadKey: `${s.type}:${id}`, group: { externalId: id }, userId: s.userId };
}

// A group member LINE does not name (they have not agreed to share their id): one stand-in per group.
const senderOf = (p: Place): Sender => ({ externalId: p.userId ?? `unknown-member:${p.threadKey}` });

const extension: Record<string, string> = { image: 'jpg', video: 'mp4', audio: 'm4a' };
const declared: Record<string, string> = { image: 'image/jpeg', video: 'video/mp4', audio: 'audio/m4a' };

function contentOf(m: LineMessage): { content: MessageContent; media: MediaRef[] } {
  switch (m.type) {
    case 'text':
      return { content: { kind: 'text', text: m.text }, media: [] };
    case 'image':
    case 'video':
    case 'audio': {
      const external = m.contentProvider?.type === 'external' && m.contentProvider.originalContentUrl;
      const ref = external ? `${EXTERNAL}${external}` : m.id;
      return { content: { kind: m.type }, media: [{ ref, fileName: `${m.type}-${m.id}.${extension[m.type]}`, mimeType: declared[m.type]! }] };
    }
    case 'file':
      return { content: { kind: 'file' }, media: [{ ref: m.id, fileName: m.fileName ?? `file-${m.id}`, mimeType: 'application/octet-stream' }] };
    case 'location':
      return { content: { kind: 'location', text: m.title, location: { latitude: m.latitude, longitude: m.longitude, name: m.title, address: m.address } }, media: [] };
    case 'sticker':
      return { content: { kind: 'image', text: m.keywords?.[0] }, media: [{ ref: `${EXTERNAL}${stickerUrl(m.stickerId)}`, fileName: `sticker-${m.stickerId}.png`, mimeType: 'image/png' }] };
  }
}

function normalise(e: LineEvent): NormalisedEvent[] {
  if (!e.source) return [];
  const place = placeOf(e.source);
  const base = { providerEventId: e.webhookEventId, threadKey: place.threadKey, occurredAt: new Date(e.timestamp) };
  switch (e.type) {
    case 'message': {
      const parsed = 'message' in e ? messageSchema.safeParse(e.message) : undefined;
      if (!parsed?.success) return [];
      const { content, media } = contentOf(parsed.data);
      return [
        {
          ...base,
          kind: 'message',
          sender: senderOf(place),
          ...(place.group ? { group: place.group } : {}),
          providerMessageId: parsed.data.id,
          content,
          attachments: [],
          ...(media.length ? { mediaRefs: media } : {}),
          // Standby mode: another channel module answers; no reply token for us then.
          ...(e.replyToken && e.mode !== 'standby' ? { replyContext: { replyToken: e.replyToken, receivedAt: e.timestamp } } : {}),
        },
      ];
    }
    case 'follow':
    case 'unfollow':
      return place.userId && !place.group ? [{ ...base, kind: e.type, sender: senderOf(place) }] : [];
    case 'memberJoined':
    case 'memberLeft': {
      if (!place.group) return [];
      const list = 'joined' in e ? e.joined.members : 'left' in e ? e.left.members : [];
      return list
        .filter((m) => m.userId)
        .map((m, i) => ({ ...base, providerEventId: `${e.webhookEventId}:${i}`, kind: e.type === 'memberJoined' ? ('group_joined' as const) : ('group_left' as const), sender: { externalId: m.userId! }, group: place.group! }));
    }
    default:
      return [];
  }
}

/** The events of a webhook body's `events` array; an event LINE may add that Renmai cannot read is skipped. */
export function eventsOf(events: readonly unknown[]): NormalisedEvent[] {
  return events.flatMap((raw) => {
    const parsed = eventSchema.safeParse(raw);
    return parsed.success ? normalise(parsed.data) : [];
  });
}
