// The widget's rules for visitors: sessions (anonymous or vouched for by the site), the pre-chat
// form and the offline e-mail (kept unverified, filled onto the contact where it is empty),
// messages and files handed to the inbox's intake like any channel's, the visitor's own
// conversation read back without notes, and the unread badge.
import { randomBytes } from 'node:crypto';
import type { Actor } from '../../platform/auth/actor.js';
import type { Db } from '../../platform/db/connect.js';
import { AppError, invalid, notFound, type FieldError } from '../../platform/http/errors.js';
import { encodeCursor } from '../../platform/http/pagination.js';
import type { InboundAttachment, InboundMessage } from '../../channels/index.js';
import { userHashMatches } from '../../channels/widget/index.js';
import { channelActor, type Keyring } from '../channels/index.js';
import { getContact, listFieldDefinitions, normaliseEmail, updateContact, type ContactInput } from '../contacts/index.js';
import { checkFile, currentAccess, publishToViewers, readStored, storeEvents, type AttachmentLimits } from '../inbox/index.js';
import type { WidgetChannel } from './channel.js';
import * as q from './queries/conversation.js';
import * as store from './store.js';
import { issueTicket, issueToken, readToken, type Visitor } from './token.js';

export interface WidgetDeps {
  db: Db;
  keyring: Keyring;
  limits: AttachmentLimits;
}

const keyOf = (v: Visitor): store.VisitorKey => ({ workspaceId: v.workspaceId, channelId: v.channelId, visitorId: v.visitorId });

/** What the widget shows before any session: no secrets, nothing about agents but whether one is online. */
export async function publicConfig(deps: WidgetDeps, channel: WidgetChannel) {
  const { colors, greeting, offlineMessage, prechat, identityVerification } = channel.settings;
  return {
    channelId: channel.channelId,
    colors,
    greeting,
    offlineMessage,
    prechat,
    identityVerification,
    messageKinds: [...channel.live.capabilities.messageKinds],
    maxAttachmentBytes: deps.limits.maxBytes,
    online: await q.anyoneOnline(deps.db, channel.workspaceId, channel.teamId),
  };
}

export interface SessionInput {
  token?: string;
  userId?: string;
  userHash?: string;
}

function visitorOf(deps: WidgetDeps, channel: WidgetChannel, input: SessionInput): Visitor {
  const base = { workspaceId: channel.workspaceId, channelId: channel.channelId };
  if (input.userId !== undefined) {
    const secret = channel.secrets.identitySecret;
    if (!secret) throw new AppError('forbidden', 'This widget has no identity secret; visitors cannot be verified', { details: { reason: 'identity_not_configured' } });
    // Nothing is stored for a refused identity: the session is only a token.
    if (!input.userHash || !userHashMatches(secret, input.userId, input.userHash)) {
      throw new AppError('forbidden', 'userHash is not the HMAC-SHA256 of userId with this widget’s secret', { details: { reason: 'identity_mismatch' } });
    }
    return { ...base, visitorId: `user:${input.userId}`, verified: true };
  }
  if (channel.settings.identityVerification === 'required') {
    throw new AppError('unauthenticated', 'This widget only talks to visitors the site identifies (userId and userHash)', { details: { reason: 'identity_required' } });
  }
  const known = input.token ? readToken(deps.keyring, input.token) : undefined;
  if (known && !known.verified && known.channelId === channel.channelId && known.workspaceId === channel.workspaceId) return known;
  return { ...base, visitorId: `v_${randomBytes(16).toString('base64url')}`, verified: false };
}

export async function startSession(deps: WidgetDeps, channel: WidgetChannel, input: SessionInput) {
  const visitor = visitorOf(deps, channel, input);
  const state = await visitorState(deps, channel, visitor);
  return { token: issueToken(deps.keyring, visitor), visitorId: visitor.visitorId, verified: visitor.verified, ...state };
}

async function visitorState(deps: WidgetDeps, channel: WidgetChannel, visitor: Visitor) {
  const { db } = deps;
  const row = await store.findVisitor(db, keyOf(visitor));
  const conversation = await q.conversationOf(db, visitor.workspaceId, visitor.channelId, visitor.visitorId);
  if (row?.profile_pending && conversation?.contact_id) await fillContact(db, channel, visitor, row, conversation.contact_id);
  return {
    conversationId: conversation?.id ?? null,
    unread: conversation ? await q.unreadOf(db, visitor.workspaceId, conversation.id, row?.read_at ?? null) : 0,
    prechatDone: Boolean(row?.prechat_at),
    emailLeft: Boolean(row?.email),
    online: await q.anyoneOnline(db, channel.workspaceId, channel.teamId),
  };
}

/** Updates the contact with what its rules accept: fields they refuse (a phone of no known format, a custom value of the wrong type) are left out. */
async function updateWhatFits(db: Db, actor: Actor, contactId: string, patch: ContactInput) {
  try {
    await updateContact(db, actor, contactId, patch);
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== 'validation_failed') throw error;
    const refused = new Set(((error.details?.errors ?? []) as FieldError[]).map((e) => e.path));
    const custom = Object.fromEntries(Object.entries(patch.custom ?? {}).filter(([k]) => !refused.has(`custom.${k}`)));
    const rest: ContactInput = Object.fromEntries(Object.entries(patch).filter(([k]) => k !== 'custom' && !refused.has(k)));
    if (Object.keys(custom).length) rest.custom = custom;
    if (Object.keys(rest).length && refused.size) await updateContact(db, actor, contactId, rest);
  }
}

/**
 * Copies what the visitor typed onto their contact where the contact has nothing yet: name,
 * e-mail, phone, and pre-chat answers whose key is one of the workspace's custom fields. Never
 * used to find a contact: an e-mail typed into a form proves nothing (anyone can type anyone's).
 */
async function fillContact(db: Db, channel: WidgetChannel, visitor: Visitor, row: store.VisitorRow, contactId: string) {
  const actor = await channelActor(db, visitor.workspaceId, channel.createdBy);
  const contact = await getContact(db, actor, contactId);
  const patch: ContactInput = {};
  if (row.name && !contact.name) patch.name = row.name;
  if (row.email && !contact.email) patch.email = row.email;
  if (row.phone && !contact.phone) patch.phone = row.phone;
  const fields = new Set((await listFieldDefinitions(db, visitor.workspaceId)).map((f) => f.key));
  const current = contact.custom as Record<string, unknown>;
  const custom = Object.fromEntries(Object.entries(row.custom).filter(([k]) => fields.has(k) && (current[k] === undefined || current[k] === null)));
  if (Object.keys(custom).length) patch.custom = custom;
  if (Object.keys(patch).length) await updateWhatFits(db, actor, contactId, patch);
  await store.profileApplied(db, keyOf(visitor));
}

/** What the visitor typed before their contact existed, onto it now if it does (their first message processed). */
export async function settleProfile(deps: WidgetDeps, channel: WidgetChannel, visitor: Visitor) {
  const row = await store.findVisitor(deps.db, keyOf(visitor));
  if (!row?.profile_pending) return;
  const conversation = await q.conversationOf(deps.db, visitor.workspaceId, visitor.channelId, visitor.visitorId);
  if (conversation?.contact_id) await fillContact(deps.db, channel, visitor, row, conversation.contact_id);
}

async function saveAndFill(deps: WidgetDeps, channel: WidgetChannel, visitor: Visitor, profile: store.ProfileInput) {
  const row = await store.saveProfile(deps.db, keyOf(visitor), profile);
  const conversation = await q.conversationOf(deps.db, visitor.workspaceId, visitor.channelId, visitor.visitorId);
  if (conversation?.contact_id) await fillContact(deps.db, channel, visitor, row, conversation.contact_id);
}

const PHONE = /^\+?[0-9 ()-]{5,30}$/;

/** Checks the answers against the channel's form: required fields present, e-mail and phone well formed, no unknown keys. */
export async function submitPrechat(deps: WidgetDeps, channel: WidgetChannel, visitor: Visitor, answers: Record<string, string>) {
  const { fields, enabled } = channel.settings.prechat;
  if (!enabled) throw new AppError('conflict', 'This widget has no pre-chat form');
  const errors: FieldError[] = [];
  const profile: store.ProfileInput & { custom: Record<string, string> } = { custom: {}, prechat: true };
  for (const key of Object.keys(answers)) if (!fields.some((f) => f.key === key)) errors.push({ path: `answers.${key}`, message: 'Not a field of this form' });
  for (const f of fields) {
    const value = answers[f.key]?.trim() ?? '';
    const path = `answers.${f.key}`;
    if (!value) {
      if (f.required) errors.push({ path, message: 'Required' });
      continue;
    }
    if (f.kind === 'email') {
      const email = normaliseEmail(value);
      if (email.ok) profile.email = email.value;
      else errors.push({ path, message: email.reason });
    } else if (f.kind === 'phone') {
      if (PHONE.test(value)) profile.phone = value;
      else errors.push({ path, message: 'Not a phone number' });
    } else if (f.kind === 'name') profile.name = value;
    else profile.custom[f.key] = value;
  }
  if (errors.length) throw invalid(errors);
  await saveAndFill(deps, channel, visitor, profile);
}

/** Offline mode: the visitor leaves an e-mail to be answered at. */
export async function leaveEmail(deps: WidgetDeps, channel: WidgetChannel, visitor: Visitor, raw: string) {
  const email = normaliseEmail(raw);
  if (!email.ok) throw invalid([{ path: 'email', message: email.reason }]);
  await saveAndFill(deps, channel, visitor, { email: email.value });
}

/** Who the message is from, once the channel's pre-chat form (when it asks for anything) is filled in. */
async function senderOf(deps: WidgetDeps, channel: WidgetChannel, visitor: Visitor) {
  const row = await store.findVisitor(deps.db, keyOf(visitor));
  const { prechat } = channel.settings;
  if (prechat.enabled && prechat.fields.some((f) => f.required) && !row?.prechat_at) {
    throw new AppError('conflict', 'Fill in the pre-chat form first', { details: { reason: 'prechat_required' } });
  }
  // Name, e-mail and phone as typed: unverified, so identity resolution never links by them.
  return { externalId: visitor.visitorId, displayName: row?.name ?? undefined, email: row?.email ?? undefined, phone: row?.phone ?? undefined, emailVerified: false, phoneVerified: false };
}

export interface VisitorMessage {
  clientMessageId: string;
  text?: string;
  file?: { fileName: string; declaredType: string; data: Buffer };
}

/** Hands the message to the inbox's intake; a client message id already stored is acknowledged and ignored. */
export async function postMessage(deps: WidgetDeps, channel: WidgetChannel, visitor: Visitor, m: VisitorMessage) {
  const attachments: InboundAttachment[] = [];
  let kind: InboundMessage['content']['kind'] = 'text';
  if (m.file) {
    const checked = await checkFile(deps.limits, m.file);
    attachments.push({ fileName: checked.fileName, mimeType: checked.mimeType, data: checked.data });
    kind = checked.mimeType.startsWith('image/') ? 'image' : 'file';
  } else if (!m.text?.trim()) {
    throw invalid([{ path: 'text', message: 'Write something or attach a file' }]);
  }
  // Scoped by the visitor: one visitor's ids never collide with another's.
  const id = `${visitor.visitorId}/${m.clientMessageId}`;
  const event: InboundMessage = {
    kind: 'message',
    providerEventId: id,
    providerMessageId: id,
    threadKey: visitor.visitorId,
    occurredAt: new Date(),
    sender: await senderOf(deps, channel, visitor),
    content: { kind, ...(m.text?.trim() ? { text: m.text } : {}) },
    attachments,
  };
  const { stored } = await storeEvents(deps.db, deps.limits, channel.live, [event]);
  return { duplicate: stored === 0 };
}

export async function listMessages(deps: WidgetDeps, visitor: Visitor, page: { cursor?: string; limit: number }) {
  const conversation = await q.conversationOf(deps.db, visitor.workspaceId, visitor.channelId, visitor.visitorId);
  if (!conversation) return { items: [], nextCursor: null, conversationId: null };
  const rows = await q.messagesOf(deps.db, visitor.workspaceId, conversation.id, page);
  const kept = rows.slice(0, page.limit);
  const files = await q.filesOf(deps.db, visitor.workspaceId, kept.map((r) => r.id));
  const last = kept.at(-1);
  return {
    conversationId: conversation.id,
    items: kept.map((r) => ({
      id: r.id,
      direction: r.direction as 'in' | 'out',
      kind: r.kind,
      text: r.body,
      status: r.status,
      createdAt: r.created_at,
      // The widget's id of its own message (stored as `<visitor id>/<client id>`).
      clientMessageId: r.direction === 'in' && r.provider_message_id?.startsWith(`${visitor.visitorId}/`) ? r.provider_message_id.slice(visitor.visitorId.length + 1) : null,
      attachments: files.filter((f) => f.message_id === r.id).map((f) => ({ id: f.id, fileName: f.file_name, mimeType: f.mime_type, sizeBytes: Number(f.size_bytes) })),
    })),
    nextCursor: rows.length > page.limit && last ? encodeCursor([last.created_at.toISOString(), last.id]) : null,
  };
}

export async function readFile(deps: WidgetDeps, visitor: Visitor, attachmentId: string) {
  const conversation = await q.conversationOf(deps.db, visitor.workspaceId, visitor.channelId, visitor.visitorId);
  const file = conversation && (await q.fileOf(deps.db, visitor.workspaceId, conversation.id, attachmentId));
  if (!file) throw notFound('Attachment');
  return { fileName: file.file_name, mimeType: file.mime_type, data: await readStored(deps.limits, visitor.workspaceId, file.sha256) };
}

export const socketTicket = (deps: WidgetDeps, visitor: Visitor) => issueTicket(deps.keyring, visitor);

export async function markRead(deps: WidgetDeps, visitor: Visitor) {
  await store.markRead(deps.db, keyOf(visitor), new Date());
  return { unread: 0 };
}

/** The visitor is typing: to the agents who see their conversation (nothing before it exists). */
export async function visitorTyping(db: Db, visitor: Visitor, conversationId: string | null, typing: boolean) {
  if (!conversationId) return;
  const access = await currentAccess(db, visitor.workspaceId, conversationId);
  if (access) await publishToViewers(db, visitor.workspaceId, access, { type: 'typing', data: { conversationId, memberId: null, contact: true, typing } });
}
