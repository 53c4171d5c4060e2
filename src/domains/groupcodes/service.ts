// Group codes: CRUD of codes and of their groups (groups can be added, reordered, changed and
// removed while the code is live), and the per-group daily figures. live-codes:read / write.
import { fileTypeFromBuffer } from 'file-type';
import { recordAudit } from '../../platform/audit/audit.js';
import { requireAccess, type Actor } from '../../platform/auth/actor.js';
import { insertWithSlug } from '../../platform/crypto/tokens.js';
import type { Db } from '../../platform/db/connect.js';
import { inTransaction } from '../../platform/db/transaction.js';
import { invalid, notFound, type FieldError } from '../../platform/http/errors.js';
import { afterNewestFirst, toPage } from '../../platform/http/pagination.js';
import { dayRange } from '../../platform/time/day-range.js';
import { existingTagIds } from '../contacts/index.js';
import { isGroupConversation } from './queries/refs.js';
import { QR_IMAGE_MAX_BYTES, type CodeInput, type CodePatch, type GroupInput, type GroupPatch } from './schema.js';
import * as store from './store.js';
import type { QrImageType } from './tables.js';

const toGroup = (g: store.GroupRow) => ({
  id: g.id,
  name: g.name,
  position: g.position,
  joinUrl: g.join_url,
  hasQrImage: g.has_qr_image,
  expiresOn: g.expires_on,
  capacity: g.capacity,
  dailyCap: g.daily_cap,
  members: g.members,
  conversationId: g.conversation_id,
  enabled: g.enabled,
  filled: g.filled,
  today: g.today,
});

const toCode = (r: store.CodeRow, groups: readonly store.GroupRow[]) => ({
  id: r.id,
  name: r.name,
  slug: r.slug,
  tagIds: r.tag_ids,
  enabled: r.enabled,
  groups: groups.filter((g) => g.code_id === r.id).map(toGroup),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});
export type GroupCode = ReturnType<typeof toCode>;

async function requireCode(db: Db, workspaceId: string, id: string) {
  const row = await store.findCode(db, workspaceId, id);
  if (!row) throw notFound('Group code');
  return row;
}

async function withGroups(db: Db, workspaceId: string, rows: store.CodeRow[]) {
  const groups = await store.groupsWithFill(db, workspaceId, rows.map((r) => r.id), await store.todayOf(db, workspaceId));
  return rows.map((r) => toCode(r, groups));
}

async function checkTags(db: Db, workspaceId: string, tagIds: readonly string[]) {
  const tags = await existingTagIds(db, workspaceId, tagIds);
  const errors: FieldError[] = tagIds.flatMap((id, i) => (tags.has(id) ? [] : [{ path: `tagIds.${i}`, message: 'No such tag in this workspace' }]));
  if (errors.length) throw invalid(errors);
}

export async function listCodes(db: Db, actor: Actor, q: { cursor?: string; limit: number }) {
  requireAccess(actor, 'live-codes:read');
  const rows = await store.listCodes(db, actor.workspaceId, afterNewestFirst('created_at', 'id', q.cursor), q.limit);
  const page = toPage(rows, q.limit, (r) => [r.created_at.toISOString(), r.id], (r) => r);
  return { ...page, items: await withGroups(db, actor.workspaceId, page.items) };
}

export async function getCode(db: Db, actor: Actor, id: string) {
  requireAccess(actor, 'live-codes:read');
  return (await withGroups(db, actor.workspaceId, [await requireCode(db, actor.workspaceId, id)]))[0]!;
}

export async function createCode(db: Db, actor: Actor, input: CodeInput) {
  requireAccess(actor, 'live-codes:write');
  return inTransaction(db, async (tx) => {
    await checkTags(tx, actor.workspaceId, input.tagIds);
    const values = { ...input, tagIds: [...new Set(input.tagIds)] };
    const row = await insertWithSlug((slug) => store.insertCode(tx, actor.workspaceId, slug, values, actor.memberId));
    await recordAudit(tx, actor, { action: 'group_code.created', entityType: 'group_code', entityId: row.id, after: values });
    return toCode(row, []);
  });
}

export async function updateCode(db: Db, actor: Actor, id: string, patch: CodePatch) {
  requireAccess(actor, 'live-codes:write');
  return inTransaction(db, async (tx) => {
    const before = await requireCode(tx, actor.workspaceId, id);
    const merged = { name: patch.name ?? before.name, tagIds: [...new Set(patch.tagIds ?? before.tag_ids)], enabled: patch.enabled ?? before.enabled };
    await checkTags(tx, actor.workspaceId, merged.tagIds);
    const after = (await store.updateCode(tx, actor.workspaceId, id, merged))!;
    await recordAudit(tx, actor, { action: 'group_code.updated', entityType: 'group_code', entityId: id, before: { name: before.name, tagIds: before.tag_ids, enabled: before.enabled }, after: merged });
    return (await withGroups(tx, actor.workspaceId, [after]))[0]!;
  });
}

export async function deleteCode(db: Db, actor: Actor, id: string) {
  requireAccess(actor, 'live-codes:write');
  await inTransaction(db, async (tx) => {
    const row = await requireCode(tx, actor.workspaceId, id);
    await store.deleteCode(tx, actor.workspaceId, id);
    await recordAudit(tx, actor, { action: 'group_code.deleted', entityType: 'group_code', entityId: id, before: { name: row.name, slug: row.slug } });
  });
}

/** The decoded QR image, PNG or JPEG by its bytes. */
async function qrImageOf(base64: string): Promise<{ data: Buffer; type: QrImageType }> {
  const data = Buffer.from(base64, 'base64');
  const sniffed = await fileTypeFromBuffer(data);
  if (data.length > QR_IMAGE_MAX_BYTES) throw invalid([{ path: 'qrImage', message: `At most ${QR_IMAGE_MAX_BYTES / 1024} KB` }]);
  if (sniffed?.mime !== 'image/png' && sniffed?.mime !== 'image/jpeg') throw invalid([{ path: 'qrImage', message: 'A PNG or JPEG image' }]);
  return { data, type: sniffed.mime };
}

type GroupFields = Omit<store.GroupValues, 'qrImage'> & { qrImage: { data: Buffer; type: QrImageType } | null };

async function checkGroup(db: Db, workspaceId: string, v: GroupFields) {
  const errors: FieldError[] = [];
  if ((v.joinUrl === null) === (v.qrImage === null)) errors.push({ path: 'joinUrl', message: 'Give exactly one way to join: joinUrl or qrImage' });
  if (v.conversationId && !(await isGroupConversation(db, workspaceId, v.conversationId))) errors.push({ path: 'conversationId', message: 'No such group conversation in this workspace' });
  if (errors.length) throw invalid(errors);
}

export async function addGroup(db: Db, actor: Actor, codeId: string, input: GroupInput) {
  requireAccess(actor, 'live-codes:write');
  return inTransaction(db, async (tx) => {
    await requireCode(tx, actor.workspaceId, codeId);
    const { qrImage, position, ...rest } = input;
    const values: GroupFields = { ...rest, qrImage: qrImage === null ? null : await qrImageOf(qrImage), position: position ?? (await store.nextPosition(tx, actor.workspaceId, codeId)) };
    await checkGroup(tx, actor.workspaceId, values);
    const groupId = await store.insertGroup(tx, actor.workspaceId, codeId, values);
    await recordAudit(tx, actor, { action: 'group_code.group_added', entityType: 'group_code', entityId: codeId, after: { groupId, name: values.name, capacity: values.capacity } });
    return (await withGroups(tx, actor.workspaceId, [(await store.findCode(tx, actor.workspaceId, codeId))!]))[0]!;
  });
}

async function requireGroup(db: Db, workspaceId: string, codeId: string, groupId: string) {
  const group = await store.findGroup(db, workspaceId, codeId, groupId);
  if (!group) throw notFound('Group');
  return group;
}

export async function updateGroup(db: Db, actor: Actor, codeId: string, groupId: string, patch: GroupPatch) {
  requireAccess(actor, 'live-codes:write');
  return inTransaction(db, async (tx) => {
    await requireCode(tx, actor.workspaceId, codeId);
    const g = await requireGroup(tx, actor.workspaceId, codeId, groupId);
    const stored = g.qr_image && g.qr_image_type ? { data: g.qr_image, type: g.qr_image_type } : null;
    // Naming one way to join drops the other.
    const qrImage = patch.qrImage !== undefined ? (patch.qrImage === null ? null : await qrImageOf(patch.qrImage)) : patch.joinUrl ? null : stored;
    const values: GroupFields = {
      name: patch.name ?? g.name,
      position: patch.position ?? g.position,
      joinUrl: patch.joinUrl !== undefined ? patch.joinUrl : patch.qrImage ? null : g.join_url,
      qrImage,
      expiresOn: patch.expiresOn !== undefined ? patch.expiresOn : g.expires_on,
      capacity: patch.capacity ?? g.capacity,
      dailyCap: patch.dailyCap !== undefined ? patch.dailyCap : g.daily_cap,
      members: patch.members ?? g.members,
      conversationId: patch.conversationId !== undefined ? patch.conversationId : g.conversation_id,
      enabled: patch.enabled ?? g.enabled,
    };
    await checkGroup(tx, actor.workspaceId, values);
    await store.updateGroup(tx, actor.workspaceId, groupId, values);
    await recordAudit(tx, actor, { action: 'group_code.group_updated', entityType: 'group_code', entityId: codeId, after: { groupId, ...patch, qrImage: patch.qrImage === undefined ? undefined : '(image)' } });
    return (await withGroups(tx, actor.workspaceId, [(await store.findCode(tx, actor.workspaceId, codeId))!]))[0]!;
  });
}

export async function removeGroup(db: Db, actor: Actor, codeId: string, groupId: string) {
  requireAccess(actor, 'live-codes:write');
  await inTransaction(db, async (tx) => {
    await requireGroup(tx, actor.workspaceId, codeId, groupId);
    await store.deleteGroup(tx, actor.workspaceId, groupId);
    await recordAudit(tx, actor, { action: 'group_code.group_removed', entityType: 'group_code', entityId: codeId, before: { groupId } });
  });
}

/** Per group and local day from `from` to `to` (default: the last 30 days up to today). */
export async function codeStats(db: Db, actor: Actor, id: string, q: { from?: string; to?: string }) {
  requireAccess(actor, 'live-codes:read');
  await requireCode(db, actor.workspaceId, id);
  const { from, to } = dayRange(q, await store.todayOf(db, actor.workspaceId));
  const rows = await store.dailyStats(db, actor.workspaceId, id, from, to);
  return { from, to, rows: rows.map((r) => ({ day: r.day, groupId: r.group_id, scans: r.scans, joins: r.joins, leaves: r.leaves })) };
}
