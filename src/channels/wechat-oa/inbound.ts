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
import type { NormalisedEvent } from '../adapter.js';
import { createdAt, messageOf, word, type XmlFields } from '../wx-xml.js';

/** What adapter.ts's source field allows. */
const SOURCE_MAX = 256;
export const SCENE_PREFIX = 'qrscene_';

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
  const message = messageOf(x, msgType, msgId);
  return message ? [{ ...base, ...message }] : [];
}
