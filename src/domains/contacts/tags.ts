// Tag groups and tags (settings), and tagging contacts. Every change of tags on contacts goes
// through addTagsToContacts / removeTagsFromContacts: one statement per set, one outbox event per
// change naming its source_ref (never one event per contact).
import { randomUUID } from 'node:crypto';
import { recordAudit } from '../../platform/audit/audit.js';
import { requireAccess, type Actor } from '../../platform/auth/actor.js';
import type { Db } from '../../platform/db/connect.js';
import { inTransaction, type Tx } from '../../platform/db/transaction.js';
import { emit } from '../../platform/events/index.js';
import { conflict, invalid, notFound } from '../../platform/http/errors.js';
import { requireVisibleContact, visibleContact } from './access.js';
import type { TagSource } from './tables.js';
import * as store from './tags-store.js';

export type { ContactSet } from './tags-store.js';

export const MAX_TAG_GROUPS = 200;
export const MAX_TAGS = 2000;

type TagRow = Awaited<ReturnType<typeof store.listTags>>[number];
type GroupRow = NonNullable<Awaited<ReturnType<typeof store.findTagGroup>>>;
/** Contacts per tag id, as the caller sees them. */
type Counts = Map<string, number>;

const toTag = (t: TagRow, counts: Counts) => ({ id: t.id, groupId: t.group_id, name: t.name, color: t.color, contactCount: counts.get(t.id) ?? 0 });
const toGroup = (g: GroupRow, tags: TagRow[], counts: Counts) => ({
  id: g.id,
  name: g.name,
  singleChoice: g.single_choice,
  position: g.position,
  tags: tags.filter((t) => t.group_id === g.id).map((t) => toTag(t, counts)),
});

/** Counts for `tags` within the actor's data scope (every tag of the workspace: one pass, no id list). */
const countsOf = (db: Db, actor: Actor, tags?: readonly TagRow[]) =>
  store.countContactsByTag(db, actor.workspaceId, visibleContact(actor), tags?.map((t) => t.id));
export type Tag = ReturnType<typeof toTag>;

/** The ids of `tagIds` that are the workspace's tags (for other domains checking what they were given). */
export const existingTagIds = async (db: Db, workspaceId: string, tagIds: readonly string[]) =>
  new Set(tagIds.length ? (await store.listTags(db, workspaceId, { ids: tagIds })).map((t) => t.id) : []);
export type TagGroup = ReturnType<typeof toGroup>;

const isUniqueViolation = (error: unknown) => typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';

async function uniqueName<T>(what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict(`A ${what} with this name already exists`);
    throw error;
  }
}

export async function listTagGroups(db: Db, actor: Actor) {
  requireAccess(actor, 'contacts:read');
  const [groups, tags, counts] = await Promise.all([store.listTagGroups(db, actor.workspaceId, MAX_TAG_GROUPS), store.listTags(db, actor.workspaceId), countsOf(db, actor)]);
  return { items: groups.map((g) => toGroup(g, tags, counts)), nextCursor: null };
}

async function groupView(db: Db, actor: Actor, id: string) {
  const group = await store.findTagGroup(db, actor.workspaceId, id);
  if (!group) throw notFound('Tag group');
  const tags = await store.listTags(db, actor.workspaceId, { groupIds: [id] });
  return toGroup(group, tags, tags.length ? await countsOf(db, actor, tags) : new Map());
}

export async function createTagGroup(db: Db, actor: Actor, input: { name: string; singleChoice?: boolean }) {
  requireAccess(actor, 'contact-settings:write');
  return uniqueName('tag group', () =>
    inTransaction(db, async (tx) => {
      if ((await store.countTagGroups(tx, actor.workspaceId)) >= MAX_TAG_GROUPS) throw conflict(`A workspace can have at most ${MAX_TAG_GROUPS} tag groups`);
      const { id } = await store.insertTagGroup(tx, actor.workspaceId, { name: input.name, singleChoice: input.singleChoice ?? false });
      await recordAudit(tx, actor, { action: 'tag_group.created', entityType: 'tag_group', entityId: id, after: { name: input.name, singleChoice: input.singleChoice ?? false } });
      return groupView(tx, actor, id);
    }),
  );
}

export async function updateTagGroup(db: Db, actor: Actor, id: string, patch: { name?: string; singleChoice?: boolean }) {
  requireAccess(actor, 'contact-settings:write');
  return uniqueName('tag group', () =>
    inTransaction(db, async (tx) => {
      const before = await store.findTagGroup(tx, actor.workspaceId, id);
      if (!before) throw notFound('Tag group');
      if (patch.singleChoice && !before.single_choice && (await store.groupHasMultiTagged(tx, actor.workspaceId, id))) {
        throw conflict('Some contacts carry several tags of this group; remove the extra tags before making it single-choice');
      }
      await store.updateTagGroup(tx, actor.workspaceId, id, { name: patch.name, single_choice: patch.singleChoice });
      const after = await groupView(tx, actor, id);
      await recordAudit(tx, actor, {
        action: 'tag_group.updated',
        entityType: 'tag_group',
        entityId: id,
        before: { name: before.name, singleChoice: before.single_choice },
        after: { name: after.name, singleChoice: after.singleChoice },
      });
      return after;
    }),
  );
}

/** Deletes the group, its tags and their assignments. */
export async function deleteTagGroup(db: Db, actor: Actor, id: string) {
  requireAccess(actor, 'contact-settings:write');
  await inTransaction(db, async (tx) => {
    const group = await groupView(tx, actor, id);
    await store.deleteTagGroup(tx, actor.workspaceId, id);
    await recordAudit(tx, actor, { action: 'tag_group.deleted', entityType: 'tag_group', entityId: id, before: group });
  });
}

async function tagView(db: Db, actor: Actor, id: string) {
  const [tag] = await store.listTags(db, actor.workspaceId, { ids: [id] });
  if (!tag) throw notFound('Tag');
  return toTag(tag, await countsOf(db, actor, [tag]));
}

export async function createTag(db: Db, actor: Actor, input: { groupId: string; name: string; color?: string }) {
  requireAccess(actor, 'contact-settings:write');
  return uniqueName('tag in this group', () =>
    inTransaction(db, async (tx) => {
      if (!(await store.findTagGroup(tx, actor.workspaceId, input.groupId))) throw notFound('Tag group');
      if ((await store.listTags(tx, actor.workspaceId)).length >= MAX_TAGS) throw conflict(`A workspace can have at most ${MAX_TAGS} tags`);
      const { id } = await store.insertTag(tx, actor.workspaceId, input);
      const tag = await tagView(tx, actor, id);
      await recordAudit(tx, actor, { action: 'tag.created', entityType: 'tag', entityId: id, after: { groupId: tag.groupId, name: tag.name, color: tag.color } });
      return tag;
    }),
  );
}

export async function updateTag(db: Db, actor: Actor, id: string, patch: { name?: string; color?: string }) {
  requireAccess(actor, 'contact-settings:write');
  return uniqueName('tag in this group', () =>
    inTransaction(db, async (tx) => {
      const before = await tagView(tx, actor, id);
      await store.updateTag(tx, actor.workspaceId, id, patch);
      const after = await tagView(tx, actor, id);
      await recordAudit(tx, actor, {
        action: 'tag.updated',
        entityType: 'tag',
        entityId: id,
        before: { name: before.name, color: before.color },
        after: { name: after.name, color: after.color },
      });
      return after;
    }),
  );
}

/** Deletes the tag and (by cascade) its assignments. */
export async function deleteTag(db: Db, actor: Actor, id: string) {
  requireAccess(actor, 'contact-settings:write');
  await inTransaction(db, async (tx) => {
    const tag = await tagView(tx, actor, id);
    await store.deleteTag(tx, actor.workspaceId, id);
    await recordAudit(tx, actor, { action: 'tag.deleted', entityType: 'tag', entityId: id, before: tag });
  });
}

// ---- tags on contacts ----

export async function listContactTags(db: Db, actor: Actor, contactId: string) {
  requireAccess(actor, 'contacts:read');
  await requireVisibleContact(db, actor, contactId);
  const rows = await store.listContactTags(db, actor.workspaceId, contactId);
  return {
    items: rows.map((r) => ({ id: r.id, name: r.name, color: r.color, groupId: r.group_id, source: r.source, addedBy: r.added_by, addedAt: r.added_at })),
    nextCursor: null,
  };
}

/** `POST /contacts/:id/tags`: adds tags by hand; in a single-choice group the new tag replaces the old. */
export async function tagContact(db: Db, actor: Actor, contactId: string, tagIds: readonly string[]) {
  requireAccess(actor, 'contacts:write');
  const wanted = [...new Set(tagIds)];
  return inTransaction(db, async (tx) => {
    await requireVisibleContact(tx, actor, contactId);
    const found = await store.tagsWithGroups(tx, actor.workspaceId, wanted);
    if (found.length !== wanted.length) throw notFound('Tag');
    const seen = new Set<string>();
    for (const [i, tag] of found.entries()) {
      if (tag.single_choice && seen.has(tag.group_id)) throw invalid([{ path: `tagIds.${i}`, message: 'Only one tag of a single-choice group' }]);
      seen.add(tag.group_id);
    }
    const result = await addTagsToContacts(tx, actor.workspaceId, { contactIds: [contactId] }, wanted, 'manual', null, actor.memberId);
    return { ...result, items: (await listContactTags(tx, actor, contactId)).items };
  });
}

/** `DELETE /contacts/:id/tags/:tagId`. */
export async function untagContact(db: Db, actor: Actor, contactId: string, tagId: string) {
  requireAccess(actor, 'contacts:write');
  await inTransaction(db, async (tx) => {
    await requireVisibleContact(tx, actor, contactId);
    if (!(await store.findTag(tx, actor.workspaceId, tagId))) throw notFound('Tag');
    const { removed } = await removeTagsFromContacts(tx, actor.workspaceId, { contactIds: [contactId] }, [tagId], 'manual', null, actor.memberId);
    if (removed === 0) throw notFound('Tag on this contact');
  });
}

/**
 * Adds tags to a set of contacts in one statement (live contacts of the workspace only; the
 * caller has checked visibility, or the set's query applies it). Unknown tag ids are ignored; of
 * several tags of one single-choice group the first listed wins. Emits one
 * `contacts.tags.added` event for the whole change, naming the contacts it changed: their
 * assignments are the contact_tags rows with `source_ref = sourceRef` (a generated ref when null),
 * and the tags a single-choice group replaced are in contact_tag_removals under the same ref. The
 * ref alone is not enough for readers: a batch job's chunks share one, and looking it up would
 * read every earlier chunk's contacts again.
 */
export async function addTagsToContacts(
  tx: Tx | Db,
  workspaceId: string,
  set: store.ContactSet,
  tagIds: readonly string[],
  source: TagSource,
  sourceRef: string | null,
  memberId: string | null,
): Promise<{ added: number; replaced: number; sourceRef: string }> {
  const ref = sourceRef ?? randomUUID();
  return inTransaction(tx, async (t) => {
    const tags = await store.tagsWithGroups(t, workspaceId, [...new Set(tagIds)]);
    const groups = new Set<string>();
    const effective = tags.filter((tag) => {
      if (!tag.single_choice) return true;
      if (groups.has(tag.group_id)) return false;
      groups.add(tag.group_id);
      return true;
    });
    if (!effective.length) return { added: 0, replaced: 0, sourceRef: ref };
    if (groups.size) await store.lockContacts(t, workspaceId, set);
    const ids = effective.map((tag) => tag.id);
    const { contactIds, ...counts } = await store.insertTagsForSet(t, workspaceId, set, ids, { source, sourceRef: ref, memberId });
    if (contactIds.length) {
      await emit(t, workspaceId, 'contacts.tags.added', { sourceRef: ref, contactIds, tagIds: ids, source, actorMemberId: memberId, ...counts });
    }
    return { ...counts, sourceRef: ref };
  });
}

/**
 * Adds each contact its own tags in one statement (an import batch: row i's contact gets row i's
 * tags): pairs[i] = (contactIds[i], tagIds[i]). The rules of addTagsToContacts per contact: live
 * contacts only, unknown tag ids ignored, of several tags of one single-choice group the first
 * listed for the contact wins and replaces the contact's other tag of that group. One
 * `contacts.tags.added` event for the whole change, under `sourceRef`.
 */
export async function addTagPairsToContacts(
  tx: Tx | Db,
  workspaceId: string,
  pairs: { contactIds: readonly string[]; tagIds: readonly string[] },
  source: TagSource,
  sourceRef: string | null,
  memberId: string | null,
): Promise<{ added: number; replaced: number; sourceRef: string }> {
  const ref = sourceRef ?? randomUUID();
  if (pairs.contactIds.length !== pairs.tagIds.length) throw new Error('addTagPairsToContacts: contactIds and tagIds differ in length');
  if (!pairs.contactIds.length) return { added: 0, replaced: 0, sourceRef: ref };
  return inTransaction(tx, async (t) => {
    const tags = new Map((await store.tagsWithGroups(t, workspaceId, [...new Set(pairs.tagIds)])).map((tag) => [tag.id, tag]));
    const contactIds: string[] = [];
    const tagIds: string[] = [];
    const singleChoice: boolean[] = [];
    const taken = new Set<string>(); // contact + single-choice group, and contact + tag
    for (let i = 0; i < pairs.contactIds.length; i++) {
      const contactId = pairs.contactIds[i]!;
      const tag = tags.get(pairs.tagIds[i]!);
      if (!tag) continue;
      const key = tag.single_choice ? `${contactId}:g:${tag.group_id}` : `${contactId}:t:${tag.id}`;
      if (taken.has(key)) continue;
      taken.add(key);
      contactIds.push(contactId);
      tagIds.push(tag.id);
      singleChoice.push(tag.single_choice);
    }
    if (!contactIds.length) return { added: 0, replaced: 0, sourceRef: ref };
    const locked = contactIds.filter((_, i) => singleChoice[i]);
    if (locked.length) await store.lockContacts(t, workspaceId, { contactIds: [...new Set(locked)] });
    const { contactIds: changed, ...counts } = await store.insertTagPairs(t, workspaceId, { contactIds, tagIds }, { source, sourceRef: ref, memberId });
    if (changed.length) {
      await emit(t, workspaceId, 'contacts.tags.added', { sourceRef: ref, contactIds: changed, tagIds: [...new Set(tagIds)], source, actorMemberId: memberId, ...counts });
    }
    return { ...counts, sourceRef: ref };
  });
}

/** Removes tags from a set of contacts in one statement; one `contacts.tags.removed` event (rows in contact_tag_removals by ref). */
export async function removeTagsFromContacts(
  tx: Tx | Db,
  workspaceId: string,
  set: store.ContactSet,
  tagIds: readonly string[],
  source: TagSource,
  sourceRef: string | null,
  memberId: string | null,
): Promise<{ removed: number; sourceRef: string }> {
  const ref = sourceRef ?? randomUUID();
  const ids = [...new Set(tagIds)];
  if (!ids.length) return { removed: 0, sourceRef: ref };
  return inTransaction(tx, async (t) => {
    const { removed, contactIds } = await store.deleteTagsForSet(t, workspaceId, set, ids, { sourceRef: ref, memberId });
    if (removed > 0) await emit(t, workspaceId, 'contacts.tags.removed', { sourceRef: ref, contactIds, tagIds: ids, source, actorMemberId: memberId, removed });
    return { removed, sourceRef: ref };
  });
}

/** Tags one contact (creation, import row, rule): the set-based add for a set of one. */
export const insertContactTags = (db: Tx | Db, workspaceId: string, contactId: string, tagIds: readonly string[], source: TagSource, memberId: string | null) =>
  addTagsToContacts(db, workspaceId, { contactIds: [contactId] }, tagIds, source, null, memberId);
