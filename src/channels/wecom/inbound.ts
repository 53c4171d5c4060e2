// A decrypted WeCom callback (its inner XML) as normalised events.
// - Application messages (doc 90239) come from members of the corp to the app: text, image,
//   voice, video, file, location, link. Their media stay at WeCom, referenced by MediaId.
// - App events: subscribe / unsubscribe (a member follows or leaves the app).
// - Customer contact (客户联系, doc 92130): change_external_contact. Its people are customers
//   (ExternalUserID) in their own thread, `external:<id>`; the member involved (UserID) is `staff`,
//   `State` (the live code's parameter) is `source`, `WelcomeCode` rides in `replyContext` for
//   the welcome message (send_welcome_msg, within 20 s).
// Ids are strings throughout: MsgId exceeds 2^53. Event ids follow WeCom's advice for
// de-duplicating retries: MsgId for messages; sender + CreateTime (+ change type and customer)
// for events.
import type { NormalisedEvent, Sender } from '../adapter.js';
import { createdAt, messageOf, word, type XmlFields } from '../wx-xml.js';

/** The thread of a customer (external contact): apart from members', whose ids are the corp's own. */
export const customerThread = (externalUserId: string) => `external:${externalUserId}`;
export const memberThread = (userId: string) => `member:${userId}`;
/** A customer group (客户群): one conversation, its people participants. */
export const groupThread = (chatId: string) => `group:${chatId}`;
export const isCustomerThread = (threadKey: string) => threadKey.startsWith('external:');

/** Extra facts of a customer-contact event, stored with it (opaque to the inbox). */
export interface ContactChange {
  changeType: string;
  /** The member (WeCom userid) who added, was removed by, or removed the customer. */
  staffUserId?: string;
  /** friend_removed: who ended it — the customer (del_follow_user, the churn signal) or the member (del_external_contact). */
  removedBy?: 'contact' | 'staff';
  /** del_external_contact: DELETE_BY_TRANSFER when a succession transfer removed the customer. */
  deleteSource?: string;
  /** transfer_fail: customer_refused | customer_limit_exceed. */
  failReason?: string;
}

export type WecomEvent = NormalisedEvent & { wecom?: ContactChange; replyContext?: Record<string, unknown> };

const STATE_MAX = 256;

/** Returns the events of one callback; [] for what Renmai does not track (enter_agent, tag changes, …). Throws on a message without its ids. */
export function eventsOf(x: XmlFields): WecomEvent[] {
  const msgType = word(x, 'MsgType');
  const from = word(x, 'FromUserName');
  if (!msgType || !from) throw new Error('MsgType or FromUserName missing');
  const occurredAt = createdAt(x);
  if (msgType === 'event') return eventOf(x, from, occurredAt);
  const msgId = word(x, 'MsgId');
  if (!msgId) throw new Error('MsgId missing');
  const sender: Sender = { externalId: from };
  const base = { kind: 'message' as const, providerEventId: `msg:${msgId}`, threadKey: memberThread(from), occurredAt, sender, providerMessageId: msgId, attachments: [] };
  const message = messageOf(x, msgType, msgId);
  return message ? [{ ...base, ...message }] : [];
}

function eventOf(x: XmlFields, from: string, occurredAt: Date): WecomEvent[] {
  const event = word(x, 'Event');
  const stamp = word(x, 'CreateTime') ?? '';
  switch (event) {
    case 'subscribe':
    case 'unsubscribe':
      return [{ kind: event === 'subscribe' ? 'follow' : 'unfollow', providerEventId: `app:${event}:${from}:${stamp}`, threadKey: memberThread(from), occurredAt, sender: { externalId: from } }];
    case 'change_external_contact':
      return contactChange(x, occurredAt, stamp);
    case 'change_external_chat':
      return groupChange(x, occurredAt, stamp);
    default:
      return [];
  }
}

function contactChange(x: XmlFields, occurredAt: Date, stamp: string): WecomEvent[] {
  const changeType = word(x, 'ChangeType');
  const customer = word(x, 'ExternalUserID');
  if (!changeType || !customer) throw new Error('ChangeType or ExternalUserID missing');
  const staffUserId = word(x, 'UserID');
  const base = {
    providerEventId: `contact:${changeType}:${customer}:${staffUserId ?? ''}:${stamp}`,
    threadKey: customerThread(customer),
    occurredAt,
    sender: { externalId: customer },
  };
  const wecom: ContactChange = { changeType, ...(staffUserId ? { staffUserId } : {}) };
  switch (changeType) {
    case 'add_external_contact':
    case 'add_half_external_contact': {
      const state = word(x, 'State')?.slice(0, STATE_MAX);
      const welcomeCode = word(x, 'WelcomeCode');
      return [{ ...base, kind: 'friend_added', ...(state ? { source: state } : {}), wecom, ...(welcomeCode ? { replyContext: { welcomeCode } } : {}) }];
    }
    case 'del_follow_user':
      // The customer deleted or blocked the member: the churn signal.
      return [{ ...base, kind: 'friend_removed', wecom: { ...wecom, removedBy: 'contact' } }];
    case 'del_external_contact': {
      // The member deleted the customer (or a succession transfer moved them away): not churn.
      const deleteSource = word(x, 'Source');
      return [{ ...base, kind: 'friend_removed', wecom: { ...wecom, removedBy: 'staff', ...(deleteSource ? { deleteSource } : {}) } }];
    }
    default:
      // edit_external_contact, transfer_fail: no normalised kind yet (see README).
      return [];
  }
}

/**
 * MemChangeList: the userids (customers' external ids or members') who joined or left, as
 * <Item> elements, or in older deliveries one comma-separated value (both seen in WeCom SDKs:
 * WxJava's XStreamCDataListConverter).
 */
function memberList(x: XmlFields): string[] {
  const list = x.MemChangeList;
  if (typeof list === 'string') return list.split(',').map((id) => id.trim()).filter(Boolean);
  if (!list || typeof list !== 'object' || Array.isArray(list)) return [];
  const items = (list as XmlFields).Item;
  return (Array.isArray(items) ? items : [items]).filter((id): id is string => typeof id === 'string').map((id) => id.trim()).filter(Boolean);
}

/**
 * change_external_chat (doc 92130): members joining or leaving a customer group become
 * group_joined / group_left in the group's conversation. create, dismiss and the other updates
 * (owner, name, notice) carry no person and are not stored. The group's name is not in the event.
 */
function groupChange(x: XmlFields, occurredAt: Date, stamp: string): WecomEvent[] {
  const chatId = word(x, 'ChatId');
  if (!chatId) throw new Error('ChatId missing');
  const detail = word(x, 'UpdateDetail');
  if (word(x, 'ChangeType') !== 'update' || (detail !== 'add_member' && detail !== 'del_member')) return [];
  const kind = detail === 'add_member' ? 'group_joined' : 'group_left';
  const version = word(x, 'CurMemVer') ?? stamp;
  return memberList(x).map((id) => ({
    kind,
    providerEventId: `chat:${chatId}:${detail}:${id}:${version}`,
    threadKey: groupThread(chatId),
    occurredAt,
    sender: { externalId: id },
    group: { externalId: chatId },
  }));
}
