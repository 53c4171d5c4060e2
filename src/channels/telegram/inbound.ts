// A Telegram Update as normalised events (https://core.telegram.org/bots/api#update): messages
// of private chats and groups (text, photo, document, voice, audio, video, sticker, location,
// contact), members joining and leaving groups, the bot blocked and unblocked (my_chat_member),
// and `/start <payload>` (the deep link t.me/<bot>?start=<payload>) as a follow with that source.
// Media come as references (file_id), fetched by the worker through getFile.
import type { MediaRef, MessageContent, NormalisedEvent, Sender } from '../adapter.js';
import type { TelegramMessage, TelegramUpdate, TelegramUser } from './payloads.js';

/** A group's thread, apart from any person's. */
export const groupThread = (chatId: number) => `group:${chatId}`;

const name = (u: { first_name?: string; last_name?: string }) => [u.first_name, u.last_name].filter(Boolean).join(' ') || undefined;

const senderOf = (u: TelegramUser): Sender => ({ externalId: String(u.id), displayName: name(u) ?? u.username });

/** `/start`, `/start payload` or `/start@bot payload`; the payload is what a live code's deep link carries. */
const START = /^\/start(?:@\w+)?(?:\s+([A-Za-z0-9_-]{1,64}))?\s*$/;

export const startPayload = (text: string | undefined) => (text ? START.exec(text.trim()) : null);

/** The message's content and its media (largest photo size; a sticker as an image). */
function contentOf(m: TelegramMessage): { content: MessageContent; media: MediaRef[] } {
  const text = m.text ?? m.caption;
  const at = `${m.chat.id}-${m.message_id}`;
  if (m.photo?.length) {
    const largest = m.photo.reduce((a, b) => (b.width * b.height > a.width * a.height ? b : a));
    return { content: { kind: 'image', text }, media: [{ ref: largest.file_id, fileName: `photo-${at}.jpg`, mimeType: 'image/jpeg' }] };
  }
  if (m.document) return { content: { kind: 'file', text }, media: [{ ref: m.document.file_id, fileName: m.document.file_name ?? `document-${at}`, mimeType: m.document.mime_type ?? 'application/octet-stream' }] };
  if (m.voice) return { content: { kind: 'audio', text }, media: [{ ref: m.voice.file_id, fileName: `voice-${at}.ogg`, mimeType: m.voice.mime_type ?? 'audio/ogg' }] };
  if (m.audio) return { content: { kind: 'audio', text }, media: [{ ref: m.audio.file_id, fileName: m.audio.file_name ?? `audio-${at}.mp3`, mimeType: m.audio.mime_type ?? 'audio/mpeg' }] };
  if (m.video) return { content: { kind: 'video', text }, media: [{ ref: m.video.file_id, fileName: m.video.file_name ?? `video-${at}.mp4`, mimeType: m.video.mime_type ?? 'video/mp4' }] };
  if (m.video_note) return { content: { kind: 'video', text }, media: [{ ref: m.video_note.file_id, fileName: `video-${at}.mp4`, mimeType: 'video/mp4' }] };
  if (m.sticker) {
    // A still sticker is a WebP image; an animated (TGS) or video (WebM) one is shown by its thumbnail.
    const still = !m.sticker.is_animated && !m.sticker.is_video;
    const image = still ? m.sticker : m.sticker.thumbnail;
    return { content: { kind: 'image', text: m.sticker.emoji }, media: image ? [{ ref: image.file_id, fileName: `sticker-${at}.${still ? 'webp' : 'jpg'}`, mimeType: still ? 'image/webp' : 'image/jpeg' }] : [] };
  }
  if (m.location) {
    return { content: { kind: 'location', text, location: { latitude: m.location.latitude, longitude: m.location.longitude, ...(m.venue ? { name: m.venue.title, address: m.venue.address } : {}) } }, media: [] };
  }
  if (m.contact) return { content: { kind: 'text', text: `${name(m.contact) ?? ''} ${m.contact.phone_number}`.trim() }, media: [] };
  return { content: { kind: 'text', text }, media: [] };
}

function messageEvents(updateId: string, m: TelegramMessage): NormalisedEvent[] {
  const occurredAt = new Date(m.date * 1000);
  const inGroup = m.chat.type === 'group' || m.chat.type === 'supergroup';
  if (m.chat.type === 'channel' || !m.from) return [];
  const group = inGroup ? { externalId: String(m.chat.id), name: m.chat.title } : undefined;
  const threadKey = inGroup ? groupThread(m.chat.id) : String(m.chat.id);
  if (group && (m.new_chat_members || m.left_chat_member)) {
    const joined = (m.new_chat_members ?? []).filter((u) => !u.is_bot);
    const left = m.left_chat_member && !m.left_chat_member.is_bot ? [m.left_chat_member] : [];
    return [
      ...joined.map((u, i): NormalisedEvent => ({ kind: 'group_joined', providerEventId: `${updateId}:joined:${i}`, threadKey, occurredAt, sender: senderOf(u), group })),
      ...left.map((u): NormalisedEvent => ({ kind: 'group_left', providerEventId: `${updateId}:left`, threadKey, occurredAt, sender: senderOf(u), group })),
    ];
  }
  const { content, media } = contentOf(m);
  if (!content.text && !media.length && content.kind !== 'location') return [];
  const sender = senderOf(m.from);
  // A contact the person shared of themselves: Telegram vouches that the number is theirs.
  if (m.contact && m.contact.user_id === m.from.id) Object.assign(sender, { phone: m.contact.phone_number.replace(/^(?!\+)/, '+'), phoneVerified: true });
  const start = group ? null : startPayload(m.text);
  const source = start?.[1];
  return [
    // The person started the bot: a follow, with the deep link's payload as its source.
    ...(start ? [{ kind: 'follow' as const, providerEventId: `${updateId}:start`, threadKey, occurredAt, sender, ...(source ? { source } : {}) }] : []),
    {
      kind: 'message',
      providerEventId: updateId,
      threadKey,
      occurredAt,
      sender,
      ...(group ? { group } : {}),
      // message_id is unique within its chat only.
      providerMessageId: `${m.chat.id}:${m.message_id}`,
      content,
      attachments: [],
      ...(media.length ? { mediaRefs: media } : {}),
      ...(source ? { source } : {}),
    },
  ];
}

export function eventsOf(u: TelegramUpdate): NormalisedEvent[] {
  const updateId = String(u.update_id);
  if (u.message) return messageEvents(updateId, u.message);
  const member = u.my_chat_member;
  // In a private chat, the bot's own membership is the person blocking it (kicked) or starting it again.
  if (member && member.chat.type === 'private') {
    const now = member.new_chat_member.status;
    const before = member.old_chat_member.status;
    const kind = now === 'kicked' ? 'unfollow' : before === 'kicked' && now === 'member' ? 'follow' : undefined;
    return kind ? [{ kind, providerEventId: updateId, threadKey: String(member.chat.id), occurredAt: new Date(member.date * 1000), sender: senderOf(member.from) }] : [];
  }
  // Edits, channel posts, callback queries and the rest: acknowledged, not stored.
  return [];
}
