// Contacts: one profile per person. Every write checks access first, normalises phone and e-mail,
// validates custom values against the field definitions, and records an audit entry and an outbox
// event in the same transaction.
import { recordAudit } from '../../platform/audit/audit.js';
import { requireAccess, type Actor } from '../../platform/auth/actor.js';
import { visibleOwner } from '../../platform/auth/scope.js';
import type { Db } from '../../platform/db/connect.js';
import { inTransaction, type Tx } from '../../platform/db/transaction.js';
import { emit } from '../../platform/events/index.js';
import { conflict, invalid, notFound, type FieldError } from '../../platform/http/errors.js';
import { sql, type SqlBool } from 'kysely';
import { visibleContact } from './access.js';
import * as store from './contacts-store.js';
import { listFieldDefinitions } from './custom-fields-store.js';
import { checkCustomValues } from './custom-values.js';
import { normaliseEmail, normalisePhone } from './normalize.js';
import { insertContactTags } from './tags.js';
import { tagsWithGroups } from './tags-store.js';
import type { ChannelType, CustomValues, Gender } from './tables.js';

/** Soft-deleted contacts can be restored for this long. */
export const RESTORE_DAYS = 30;

export interface IdentityInput {
  channelType: ChannelType;
  externalId: string;
  displayName?: string | null;
}

/** The writable keys of POST /contacts and PATCH /contacts/:id (PATCH: all optional, null clears). */
export interface ContactInput {
  name?: string | null;
  avatarUrl?: string | null;
  gender?: Gender | null;
  birthday?: string | null;
  phone?: string | null;
  email?: string | null;
  company?: string | null;
  title?: string | null;
  city?: string | null;
  region?: string | null;
  stageId?: string | null;
  ownerId?: string | null;
  sourceChannel?: string | null;
  referrerContactId?: string | null;
  preferredChannel?: ChannelType | null;
  influence?: number | null;
  custom?: Record<string, unknown>;
}

type TagRow = Awaited<ReturnType<typeof store.tagsOf>>[number];

export function toContact(r: store.ContactRow, tags: TagRow[]) {
  return {
    id: r.id,
    name: r.name,
    avatarUrl: r.avatar_url,
    gender: r.gender,
    birthday: r.birthday,
    phone: r.phone,
    email: r.email,
    company: r.company,
    title: r.title,
    city: r.city,
    region: r.region,
    stage: r.stage_id ? { id: r.stage_id, name: r.stage_name ?? '', color: r.stage_color ?? '' } : null,
    owner: r.owner_member_id ? { id: r.owner_member_id, name: r.owner_name ?? '' } : null,
    source: { channel: r.source_channel, codeId: r.source_code_id, referrerContactId: r.referrer_contact_id },
    preferredChannel: r.preferred_channel,
    influence: r.influence,
    custom: r.custom,
    tags: tags.filter((t) => t.contact_id === r.id).map((t) => ({ id: t.id, name: t.name, color: t.color, groupId: t.group_id })),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    lastActiveAt: r.last_active_at,
    deletedAt: r.deleted_at,
  };
}
export type Contact = ReturnType<typeof toContact>;

/** Contacts as the API shows them: the rows plus their tags in one more query. */
export async function withTags(db: Db, workspaceId: string, rows: store.ContactRow[]): Promise<Contact[]> {
  const tags = await store.tagsOf(
    db,
    workspaceId,
    rows.map((r) => r.id),
  );
  return rows.map((r) => toContact(r, tags));
}

/** What the audit log keeps of a contact. */
const snapshot = (r: store.ContactRow) => ({
  name: r.name,
  gender: r.gender,
  birthday: r.birthday,
  phone: r.phone,
  email: r.email,
  company: r.company,
  title: r.title,
  city: r.city,
  region: r.region,
  stageId: r.stage_id,
  ownerId: r.owner_member_id,
  sourceChannel: r.source_channel,
  referrerContactId: r.referrer_contact_id,
  preferredChannel: r.preferred_channel,
  influence: r.influence,
  avatarUrl: r.avatar_url,
  custom: r.custom,
});

const columnOf = {
  name: 'name', avatarUrl: 'avatar_url', gender: 'gender', birthday: 'birthday', phone: 'phone', email: 'email',
  company: 'company', title: 'title', city: 'city', region: 'region', stageId: 'stage_id', ownerId: 'owner_member_id',
  sourceChannel: 'source_channel', referrerContactId: 'referrer_contact_id', preferredChannel: 'preferred_channel', influence: 'influence',
} as const satisfies Record<Exclude<keyof ContactInput, 'custom'>, keyof store.ContactColumns>;

/**
 * Turns input into columns: phone and e-mail normalised, custom values checked, and every id
 * checked to be of this workspace (404 otherwise, so another workspace's ids reveal nothing).
 */
async function prepare(tx: Tx, actor: Actor, input: ContactInput, mode: 'create' | 'update') {
  const errors: FieldError[] = [];
  const columns: store.ContactColumns = {};
  for (const [key, column] of Object.entries(columnOf) as Array<[keyof typeof columnOf, keyof store.ContactColumns]>) {
    if (input[key] !== undefined) (columns as Record<string, unknown>)[column] = input[key];
  }
  if (input.gender === null) columns.gender = 'unknown';
  if (input.name === null) columns.name = '';
  // A blank text box clears, like null.
  for (const column of ['company', 'title', 'city', 'region', 'phone', 'email'] as const) {
    if (typeof columns[column] === 'string' && !columns[column]!.trim()) columns[column] = null;
  }
  if (typeof input.phone === 'string' && columns.phone !== null) {
    const phone = normalisePhone(input.phone, await store.workspaceRegion(tx, actor.workspaceId));
    if (phone.ok) columns.phone = phone.value;
    else errors.push({ path: 'phone', message: phone.reason });
  }
  if (typeof input.email === 'string' && columns.email !== null) {
    const email = normaliseEmail(input.email);
    if (email.ok) columns.email = email.value;
    else errors.push({ path: 'email', message: email.reason });
  }
  const custom = { set: {} as CustomValues, remove: [] as string[] };
  if (input.custom !== undefined || mode === 'create') {
    const checked = checkCustomValues(await listFieldDefinitions(tx, actor.workspaceId), input.custom ?? {}, { mode });
    errors.push(...checked.errors);
    for (const [key, value] of Object.entries(checked.values)) {
      if (value === null) custom.remove.push(key);
      else custom.set[key] = value;
    }
  }
  if (errors.length) throw invalid(errors);
  if (columns.stage_id && !(await store.stageExists(tx, actor.workspaceId, columns.stage_id))) throw notFound('Stage');
  if (columns.owner_member_id && !(await store.memberExists(tx, actor.workspaceId, columns.owner_member_id))) throw notFound('Owner');
  if (columns.referrer_contact_id && !(await store.findContact(tx, actor.workspaceId, columns.referrer_contact_id, visibleContact(actor)))) {
    throw notFound('Referrer contact');
  }
  return { columns, custom };
}

/** 409 naming the holder (when the caller can see it) for each identity that was not inserted. */
export async function refuseHeldIdentities(tx: Tx, actor: Actor, wanted: readonly IdentityInput[], inserted: ReadonlyArray<{ channel_type: string; external_id: string }>) {
  const missing = wanted.filter((w) => !inserted.some((i) => i.channel_type === w.channelType && i.external_id === w.externalId));
  if (!missing.length) return;
  const holders = await store.identityHolders(tx, actor.workspaceId, missing);
  const holderId = holders[0]?.contact_id;
  const visible = holderId ? await store.findContact(tx, actor.workspaceId, holderId, visibleContact(actor)) : undefined;
  const first = missing[0]!;
  throw conflict(`The ${first.channelType} identity "${first.externalId}" already belongs to a contact`, {
    reason: 'identity_held',
    contactId: visible ? holderId : null,
    channelType: first.channelType,
    externalId: first.externalId,
  });
}

export const dedupeIdentities = (list: readonly IdentityInput[]) => [...new Map(list.map((i) => [`${i.channelType}\u0000${i.externalId}`, i])).values()];

export async function createContact(db: Db, actor: Actor, input: ContactInput & { identities?: IdentityInput[]; tagIds?: string[] }) {
  requireAccess(actor, 'contacts:write');
  return inTransaction(db, async (tx) => {
    const { columns, custom } = await prepare(tx, actor, input, 'create');
    // Unless told otherwise, a contact belongs to whoever creates it (so an `own`-scoped agent sees it).
    if (input.ownerId === undefined) columns.owner_member_id = actor.memberId;
    const tagIds = [...new Set(input.tagIds ?? [])];
    const tags = await tagsWithGroups(tx, actor.workspaceId, tagIds);
    if (tags.length !== tagIds.length) throw notFound('Tag');
    const groups = new Set<string>();
    for (const [i, tag] of tags.entries()) {
      if (tag.single_choice && groups.has(tag.group_id)) throw invalid([{ path: `tagIds.${i}`, message: 'Only one tag of a single-choice group' }]);
      groups.add(tag.group_id);
    }
    const { id } = await store.insertContact(tx, actor.workspaceId, { ...columns, custom: custom.set });
    const identities = dedupeIdentities(input.identities ?? []);
    await refuseHeldIdentities(tx, actor, identities, await store.insertIdentities(tx, actor.workspaceId, id, identities));
    if (tagIds.length) await insertContactTags(tx, actor.workspaceId, id, tagIds, 'manual', actor.memberId);
    const row = (await store.findContact(tx, actor.workspaceId, id, sql<SqlBool>`true`))!;
    await recordAudit(tx, actor, { action: 'contact.created', entityType: 'contact', entityId: id, after: { ...snapshot(row), identities, tagIds } });
    await emit(tx, actor.workspaceId, 'contacts.contact.created', {
      contactId: id,
      stageId: row.stage_id,
      ownerId: row.owner_member_id,
      sourceChannel: row.source_channel,
      actorMemberId: actor.memberId,
    });
    return detail(tx, actor.workspaceId, row);
  });
}

/** A contact with identities and consents, as GET /contacts/:id shows it. */
export async function detail(db: Db, workspaceId: string, row: store.ContactRow) {
  // One query after another: inside a transaction there is one connection.
  const [contact] = await withTags(db, workspaceId, [row]);
  const identities = await store.identitiesOf(db, workspaceId, row.id);
  const consents = await store.consentsOf(db, workspaceId, row.id);
  return {
    ...contact!,
    identities: identities.map(toIdentity),
    consents: consents.map((c) => ({ channelType: c.channel_type, status: c.status, at: c.at, how: c.how })),
  };
}

export const toIdentity = (i: { id: string; channel_type: string; external_id: string; display_name: string | null }) => ({
  id: i.id,
  channelType: i.channel_type,
  externalId: i.external_id,
  displayName: i.display_name,
});

/** The visible contact, or 404. */
export async function requireContactRow(db: Db, actor: Actor, id: string, lock = false) {
  const row = await store.findContact(db, actor.workspaceId, id, visibleContact(actor), lock);
  if (!row) throw notFound('Contact');
  return row;
}

export async function getContact(db: Db, actor: Actor, id: string) {
  requireAccess(actor, 'contacts:read');
  return detail(db, actor.workspaceId, await requireContactRow(db, actor, id));
}

export async function updateContact(db: Db, actor: Actor, id: string, patch: ContactInput) {
  requireAccess(actor, 'contacts:write');
  return inTransaction(db, async (tx) => {
    const before = await requireContactRow(tx, actor, id, true);
    const { columns, custom } = await prepare(tx, actor, patch, 'update');
    const changed = (Object.keys(columns) as Array<keyof store.ContactColumns>).filter((k) => columns[k] !== before[k]);
    const customChanged =
      Object.entries(custom.set).some(([k, v]) => JSON.stringify(before.custom[k]) !== JSON.stringify(v)) || custom.remove.some((k) => k in before.custom);
    if (!changed.length && !customChanged) return detail(tx, actor.workspaceId, before);
    await store.updateContact(tx, actor.workspaceId, id, columns, custom);
    const after = (await store.findContact(tx, actor.workspaceId, id, sql<SqlBool>`true`))!;
    const fields = [...changed, ...(customChanged ? ['custom'] : [])];
    await recordAudit(tx, actor, { action: 'contact.updated', entityType: 'contact', entityId: id, before: snapshot(before), after: snapshot(after) });
    await emit(tx, actor.workspaceId, 'contacts.contact.updated', { contactId: id, fields, actorMemberId: actor.memberId });
    if (before.stage_id !== after.stage_id) {
      await emit(tx, actor.workspaceId, 'contacts.contact.stage_changed', {
        contactId: id,
        fromStageId: before.stage_id,
        toStageId: after.stage_id,
        fromStageName: before.stage_name,
        toStageName: after.stage_name,
        actorMemberId: actor.memberId,
      });
    }
    if (before.owner_member_id !== after.owner_member_id) {
      await emit(tx, actor.workspaceId, 'contacts.contact.owner_changed', {
        contactId: id,
        fromOwnerId: before.owner_member_id,
        toOwnerId: after.owner_member_id,
        actorMemberId: actor.memberId,
      });
    }
    return detail(tx, actor.workspaceId, after);
  });
}

export async function deleteContact(db: Db, actor: Actor, id: string) {
  requireAccess(actor, 'contacts:delete');
  await inTransaction(db, async (tx) => {
    const row = await requireContactRow(tx, actor, id, true);
    await store.setDeleted(tx, actor.workspaceId, id, true);
    await recordAudit(tx, actor, { action: 'contact.deleted', entityType: 'contact', entityId: id, before: snapshot(row) });
    await emit(tx, actor.workspaceId, 'contacts.contact.deleted', { contactId: id, actorMemberId: actor.memberId });
  });
}

/** Brings back a contact deleted within RESTORE_DAYS (not one merged away); a live one is returned as is. */
export async function restoreContact(db: Db, actor: Actor, id: string) {
  requireAccess(actor, 'contacts:delete');
  return inTransaction(db, async (tx) => {
    const restorable = sql<SqlBool>`(c.merged_into_id is null
      and (c.deleted_at is null or c.deleted_at > now() - make_interval(days => ${RESTORE_DAYS}))
      and ${visibleOwner(actor, 'c.owner_member_id')})`;
    const row = await store.findContact(tx, actor.workspaceId, id, restorable, true);
    if (!row) throw notFound('Contact');
    if (!row.deleted_at) return detail(tx, actor.workspaceId, row);
    await store.setDeleted(tx, actor.workspaceId, id, false);
    await recordAudit(tx, actor, { action: 'contact.restored', entityType: 'contact', entityId: id, after: snapshot(row) });
    await emit(tx, actor.workspaceId, 'contacts.contact.restored', { contactId: id, actorMemberId: actor.memberId });
    return detail(tx, actor.workspaceId, (await store.findContact(tx, actor.workspaceId, id, sql<SqlBool>`true`))!);
  });
}
