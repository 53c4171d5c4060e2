// A WeChat official-account callback (its plaintext XML) as normalised events.
// - Messages (doc: Message_Management/Receiving_standard_messages): text, image, voice,
//   video / shortvideo, location, link. Media stay at WeChat, referenced by MediaId (3 days),
//   and are fetched by the worker through media/get.
// - Events (doc: Message_Management/Receiving_event_push): subscribe / unsubscribe are follow /
//   unfollow. A parametric QR code (the account's live code) brings its scene: a person not yet
//   following subscribes with EventKey "qrscene_<scene>", a follower scanning again sends SCAN
//   with EventKey "<scene>". Both are a `follow` with `source` = the scene, so live-code
//   attribution reads one kind of event; a SCAN's follow is for a person already following.
//   CLICK, VIEW, LOCATION and template results are not stored.
// One conversation per person: the thread is the openid. Ids are strings: MsgId exceeds 2^53.
// Event ids follow WeChat's advice for de-duplicating retries: MsgId for messages, sender +
// CreateTime (+ the event) for events.
import type { MediaRef, NormalisedEvent } from '../adapter.js';
import { field, word, type XmlFields } from '../wecom/xml.js';

const MEDIA: Record<string, { kind: 'image' | 'audio' | 'video'; mimeType: string; ext: string }> = {
  image: { kind: 'image', mimeType: 'image/jpeg', ext: 'jpg' },
  voice: { kind: 'audio', mimeType: 'audio/amr', ext: 'amr' },
  video: { kind: 'video', mimeType: 'video/mp4', ext: 'mp4' },
  shortvideo: { kind: 'video', mimeType: 'video/mp4', ext: 'mp4' },
};

/** What adapter.ts's source field allows. */
const SOURCE_MAX = 256;
export const SCENE_PREFIX = 'qrscene_';

function createdAt(x: XmlFields): Date {
  const seconds = Number(word(x, 'CreateTime'));
  return Number.isFinite(seconds) && seconds > 0 ? new Date(seconds * 1000) : new Date();
}

/** The scene of a QR subscribe or SCAN (wechatpy parser.py: strip "qrscene_" from a subscribe's EventKey). */
export function sceneOf(x: XmlFields): string | undefined {
  const key = word(x, 'EventKey');
  const event = word(x, 'Event');
  if (!key) return undefined;
  if (event === 'subscribe') return key.startsWith(SCENE_PREFIX) && key.length > SCENE_PREFIX.length ? key.slice(SCENE_PREFIX.length).slice(0, SOURCE_MAX) : undefined;
  return event === 'SCAN' ? key.slice(0, SOURCE_MAX) : undefined;
}

/** The events of one callback; [] for what Renmai does not keep. Throws on a message without its ids. */
export function eventsOf(x: XmlFields): NormalisedEvent[] {
  const msgType = word(x, 'MsgType');
  const from = word(x, 'FromUserName');
  if (!msgType || !from) throw new Error('MsgType or FromUserName missing');
  const occurredAt = createdAt(x);
  const sender = { externalId: from };
  if (msgType === 'event') {
    const event = word(x, 'Event');
    const stamp = word(x, 'CreateTime') ?? '';
    const base = { providerEventId: `event:${event}:${from}:${stamp}`, threadKey: from, occurredAt, sender };
    const source = sceneOf(x);
    if (event === 'subscribe' || event === 'SCAN') return [{ ...base, kind: 'follow', ...(source ? { source } : {}) }];
    if (event === 'unsubscribe') return [{ ...base, kind: 'unfollow' }];
    return [];
  }
  const msgId = word(x, 'MsgId');
  if (!msgId) throw new Error('MsgId missing');
  const base = { kind: 'message' as const, providerEventId: `msg:${msgId}`, threadKey: from, occurredAt, sender, providerMessageId: msgId, attachments: [] };
  switch (msgType) {
    case 'text':
      return [{ ...base, content: { kind: 'text', text: field(x, 'Content') ?? '' } }];
    case 'location': {
      const latitude = Number(word(x, 'Location_X'));
      const longitude = Number(word(x, 'Location_Y'));
      if (!Number.isFinite(latitude) || !Number.isFinite(longitude)) throw new Error('Location_X / Location_Y are not numbers');
      const label = field(x, 'Label');
      return [{ ...base, content: { kind: 'location', text: label, location: { latitude, longitude, ...(label ? { address: label } : {}) } } }];
    }
    case 'link': {
      const url = word(x, 'Url');
      if (!url) throw new Error('Url missing');
      const title = field(x, 'Title');
      return [{ ...base, content: { kind: 'link', text: title ?? url, link: { url, title, description: field(x, 'Description') } } }];
    }
    default: {
      const media = MEDIA[msgType];
      const mediaId = word(x, 'MediaId');
      if (!media || !mediaId) return [];
      // Voice: amr or speex; WeChat's speech recognition, when the account turned it on, is the text.
      const ext = msgType === 'voice' ? (word(x, 'Format')?.toLowerCase() ?? media.ext) : media.ext;
      const ref: MediaRef = { ref: mediaId, fileName: `${msgType}-${msgId}.${ext}`, mimeType: msgType === 'voice' && ext !== 'amr' ? `audio/${ext}` : media.mimeType };
      const recognition = msgType === 'voice' ? field(x, 'Recognition')?.trim() : undefined;
      return [{ ...base, content: { kind: media.kind, ...(recognition ? { text: recognition } : {}) }, mediaRefs: [ref] }];
    }
  }
}
