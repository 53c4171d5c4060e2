// The events the inbox records in the outbox (payloads carry ids; handlers read what they need).
export const inboxEvents = {
  /** A customer's message was stored: { conversationId, messageId, contactId (the sender), channelId, group (written in a group), source? (live-code parameter, e.g. Telegram /start payload) }. */
  messageReceived: 'inbox.message.received',
  /** An agent's message was queued for sending: { conversationId, messageId, channelId, authorMemberId }. */
  messageQueued: 'inbox.message.queued',
  /** The provider accepted it: { conversationId, messageId, channelId, providerMessageId }. */
  messageSent: 'inbox.message.sent',
  /** It went to the dead-letter list: { conversationId, messageId, channelId, error }. */
  messageFailed: 'inbox.message.failed',
  /** An internal note: { conversationId, messageId, authorMemberId }. */
  noteAdded: 'inbox.note.added',
  /**
   * Members named in a note, for the notifications code: { memberIds, conversationId, messageId,
   * authorMemberId, title, excerpt, link }.
   */
  memberMentioned: 'inbox.member.mentioned',
  conversationCreated: 'inbox.conversation.created',
  /** { conversationId, from, to, reason: 'member' | 'inbound' | 'snooze_ended', snoozedUntil? }. */
  conversationStatusChanged: 'inbox.conversation.status_changed',
  /** { conversationId, fromMemberId, toMemberId, actorMemberId (null when automatic), reason: 'manual' | 'transfer' | 'auto' }. */
  conversationAssigned: 'inbox.conversation.assigned',
  /** To another team and/or agent: { conversationId, fromTeamId, toTeamId, fromMemberId, toMemberId, actorMemberId }. */
  conversationTransferred: 'inbox.conversation.transferred',
  /**
   * Follow / unfollow / friend added / removed on a channel: { contactId, channelId, kind, providerEventId,
   * source? }. `source` is the parameter of the link or QR code that brought the person (Telegram
   * `?start=` payload, WeCom `State`, official-account `qrscene_`): what live-code attribution reads.
   */
  channelRelationChanged: 'inbox.channel_relation.changed',
  /** Someone joined or left a group conversation: { conversationId, contactId, channelId, kind: 'group_joined' | 'group_left' }. */
  participantChanged: 'inbox.participant.changed',
} as const;
