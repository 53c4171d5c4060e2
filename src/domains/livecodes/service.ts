// Live codes: CRUD (live-codes:read / live-codes:write), and the per-day stats. The scan-time
// choice of a staff member is pick.ts; attribution of arrivals is on-events.ts.
import { recordAudit } from '../../platform/audit/audit.js';
import { insertWithSlug } from '../../platform/crypto/tokens.js';
import { requireAccess, type Actor } from '../../platform/auth/actor.js';
import type { Db } from '../../platform/db/connect.js';
import { inTransaction } from '../../platform/db/transaction.js';
import { AppError, invalid, notFound, type FieldError } from '../../platform/http/errors.js';
import { afterNewestFirst, toPage } from '../../platform/http/pagination.js';
import { dayRange } from '../../platform/time/day-range.js';
import { channelProfile, registerChannelEntry, type Keyring } from '../channels/index.js';
import { existingTagIds } from '../contacts/index.js';
import { activeMembers } from './queries/refs.js';
import { dailyStats } from './queries/stats.js';
import { figureNames, type CodeInput, type CodePatch, type CodeStats } from './schema.js';
import * as store from './store.js';


type StaffRow = Awaited<ReturnType<typeof store.staffOf>>[number];

function toCode(r: store.CodeRow, staff: readonly StaffRow[]) {
  const mine = staff.filter((s) => s.code_id === r.id);
  return {
    id: r.id,
    name: r.name,
    slug: r.slug,
    channelId: r.channel_id,
    landingUrl: r.landing_url,
    strategy: r.strategy,
    staff: mine.filter((s) => !s.backup).map((s) => ({ memberId: s.member_id, weight: s.weight, dailyCap: s.daily_cap, hours: s.hours })),
    backupStaff: mine.filter((s) => s.backup).map((s) => ({ memberId: s.member_id, dailyCap: s.daily_cap, hours: s.hours })),
    tagIds: r.tag_ids,
    welcomeMessage: r.welcome_message,
    periods: r.periods,
    exclusive: r.exclusive,
    welcomeBlockedNames: r.welcome_blocked_names,
    registration: r.registered_at && { ref: r.provider_ref!, qrContent: r.provider_qr_content, qrImageUrl: r.provider_qr_image_url, registeredAt: r.registered_at },
    enabled: r.enabled,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}
export type LiveCode = ReturnType<typeof toCode>;

/** Checks the ids the code names are the workspace's; field errors (400) rather than 404, since the path's id is fine. */
async function check(db: Db, workspaceId: string, v: CodeInput) {
  const errors: FieldError[] = [];
  if ((v.channelId === null) === (v.landingUrl === null)) errors.push({ path: 'channelId', message: 'Give exactly one target: channelId or landingUrl' });
  if (v.channelId && !(await channelProfile(db, workspaceId, v.channelId))) errors.push({ path: 'channelId', message: 'No such channel in this workspace' });
  if (!v.staff.length) errors.push({ path: 'staff', message: 'At least one staff member' });
  const all = [...v.staff, ...v.backupStaff].map((s) => s.memberId);
  const members = await activeMembers(db, workspaceId, [...all, ...v.periods.flatMap((p) => p.staff.map((s) => s.memberId))]);
  const seen = new Set<string>();
  all.forEach((id, i) => {
    const path = i < v.staff.length ? `staff.${i}.memberId` : `backupStaff.${i - v.staff.length}.memberId`;
    if (!members.has(id)) errors.push({ path, message: 'No such active member in this workspace' });
    if (seen.has(id)) errors.push({ path, message: 'A member appears once in the pool and the backups' });
    seen.add(id);
  });
  const periods = [...v.periods].map((p, i) => ({ ...p, i })).sort((a, b) => a.from.localeCompare(b.from));
  periods.forEach((p, k) => {
    const next = periods[k + 1];
    if (next && next.from <= p.to) errors.push({ path: `periods.${next.i}.from`, message: `Overlaps the period "${p.name}"` });
    const inPeriod = new Set<string>();
    p.staff.forEach((s, j) => {
      const path = `periods.${p.i}.staff.${j}.memberId`;
      if (!members.has(s.memberId)) errors.push({ path, message: 'No such active member in this workspace' });
      if (inPeriod.has(s.memberId)) errors.push({ path, message: 'A member appears once in a period' });
      inPeriod.add(s.memberId);
    });
  });
  const tags = await existingTagIds(db, workspaceId, v.tagIds);
  v.tagIds.forEach((id, i) => {
    if (!tags.has(id)) errors.push({ path: `tagIds.${i}`, message: 'No such tag in this workspace' });
  });
  if (errors.length) throw invalid(errors);
}

const valuesOf = (v: CodeInput): store.CodeValues => ({
  name: v.name,
  channelId: v.channelId,
  landingUrl: v.landingUrl,
  strategy: v.strategy,
  tagIds: [...new Set(v.tagIds)],
  welcomeMessage: v.welcomeMessage,
  periods: v.periods,
  exclusive: v.exclusive,
  welcomeBlockedNames: [...new Set(v.welcomeBlockedNames)],
  enabled: v.enabled,
});
const staffOf = (v: CodeInput): store.StaffValues[] => [
  ...v.staff.map((s) => ({ memberId: s.memberId, backup: false, weight: s.weight, dailyCap: s.dailyCap, hours: s.hours })),
  ...v.backupStaff.map((s) => ({ memberId: s.memberId, backup: true, weight: 1, dailyCap: s.dailyCap, hours: s.hours })),
];

export async function listCodes(db: Db, actor: Actor, q: { cursor?: string; limit: number }) {
  requireAccess(actor, 'live-codes:read');
  const rows = await store.listCodes(db, actor.workspaceId, afterNewestFirst('created_at', 'id', q.cursor), q.limit);
  const staff = await store.staffOf(db, actor.workspaceId, rows.map((r) => r.id));
  return toPage(rows, q.limit, (r) => [r.created_at.toISOString(), r.id], (r) => toCode(r, staff));
}

async function requireCode(db: Db, workspaceId: string, id: string) {
  const row = await store.findCode(db, workspaceId, id);
  if (!row) throw notFound('Live code');
  return row;
}

export async function getCode(db: Db, actor: Actor, id: string) {
  requireAccess(actor, 'live-codes:read');
  const row = await requireCode(db, actor.workspaceId, id);
  return toCode(row, await store.staffOf(db, actor.workspaceId, [id]));
}

export async function createCode(db: Db, actor: Actor, input: CodeInput) {
  requireAccess(actor, 'live-codes:write');
  return inTransaction(db, async (tx) => {
    await check(tx, actor.workspaceId, input);
    const row = await insertWithSlug((slug) => store.insertCode(tx, actor.workspaceId, slug, valuesOf(input), actor.memberId));
    await store.replaceStaff(tx, actor.workspaceId, row.id, staffOf(input));
    const code = toCode(row, await store.staffOf(tx, actor.workspaceId, [row.id]));
    await recordAudit(tx, actor, { action: 'live_code.created', entityType: 'live_code', entityId: row.id, after: code });
    return code;
  });
}

export async function updateCode(db: Db, actor: Actor, id: string, patch: CodePatch) {
  requireAccess(actor, 'live-codes:write');
  return inTransaction(db, async (tx) => {
    const row = await requireCode(tx, actor.workspaceId, id);
    const before = toCode(row, await store.staffOf(tx, actor.workspaceId, [id]));
    // A patch naming one target replaces the other.
    const target = patch.channelId ? { landingUrl: null } : patch.landingUrl ? { channelId: null } : {};
    const merged: CodeInput = { ...before, ...target, ...patch } as CodeInput;
    await check(tx, actor.workspaceId, merged);
    const updated = (await store.updateCode(tx, actor.workspaceId, id, valuesOf(merged)))!;
    if (patch.staff !== undefined || patch.backupStaff !== undefined) await store.replaceStaff(tx, actor.workspaceId, id, staffOf(merged));
    const after = toCode(updated, await store.staffOf(tx, actor.workspaceId, [id]));
    await recordAudit(tx, actor, { action: 'live_code.updated', entityType: 'live_code', entityId: id, before, after });
    return after;
  });
}

export async function deleteCode(db: Db, actor: Actor, id: string) {
  requireAccess(actor, 'live-codes:write');
  await inTransaction(db, async (tx) => {
    const row = await requireCode(tx, actor.workspaceId, id);
    await store.deleteCode(tx, actor.workspaceId, id);
    await recordAudit(tx, actor, { action: 'live_code.deleted', entityType: 'live_code', entityId: id, before: { name: row.name, slug: row.slug } });
  });
}

/** What the code's QR code holds: the provider's content when registered with one, else the slug (for PUBLIC_URL/c/<slug>). */
export async function qrTargetOf(db: Db, actor: Actor, id: string) {
  requireAccess(actor, 'live-codes:read');
  const row = await requireCode(db, actor.workspaceId, id);
  return { slug: row.slug, providerContent: row.provider_qr_content };
}

/**
 * Registers the code with its channel's provider (an explicit step, as connecting a channel is):
 * its staff and slug go to the provider, whose answer is kept. Registering again makes a new entry
 * there (the earlier one is left at the provider).
 */
export async function registerCode(db: Db, keyring: Keyring, actor: Actor, id: string, o: { allowPrivateTargets: boolean }) {
  requireAccess(actor, 'live-codes:write');
  const row = await requireCode(db, actor.workspaceId, id);
  if (!row.channel_id) throw new AppError('conflict', 'A landing-page code has no provider to register with', { details: { reason: 'not_supported' } });
  const staff = await store.staffOf(db, actor.workspaceId, [id]);
  const periodStaff = row.periods.flatMap((p) => p.staff.map((s) => s.memberId));
  const entry = { code: row.slug, name: row.name, memberIds: [...new Set([...staff.map((s) => s.member_id), ...periodStaff])] };
  const registered = await registerChannelEntry(db, keyring, actor.workspaceId, row.channel_id, entry, o);
  return inTransaction(db, async (tx) => {
    const updated = await store.setRegistration(tx, actor.workspaceId, id, registered);
    await recordAudit(tx, actor, { action: 'live_code.registered', entityType: 'live_code', entityId: id, after: { ref: registered.ref } });
    return toCode(updated, await store.staffOf(tx, actor.workspaceId, [id]));
  });
}

/** Per local day from `from` to `to` (default: the last 30 days up to today), zero-filled. */
export async function codeStats(db: Db, actor: Actor, id: string, q: { from?: string; to?: string; stageId?: string }): Promise<CodeStats> {
  requireAccess(actor, 'live-codes:read');
  await requireCode(db, actor.workspaceId, id);
  const { from, to } = dayRange(q, (await store.todayOf(db, actor.workspaceId))!);
  const rows = await dailyStats(db, actor.workspaceId, id, from, to, q.stageId ?? null);
  const days = rows.map((r) => ({
    day: r.day,
    scans: r.scans,
    noStaffAvailable: r.no_staff,
    adds: r.adds,
    attributed: r.attributed,
    left: r.left,
    net: r.adds - r.left,
    ordered: r.ordered,
    reachedStage: r.reached_stage,
  }));
  const totals = Object.fromEntries(figureNames.map((k) => [k, days.reduce((n, d) => n + d[k], 0)])) as CodeStats['totals'];
  return { from, to, days, totals };
}
