// Campaigns: CRUD (fission:read / fission:write), coupon pools and the poster background. Tiers,
// the channel and the period are fixed once a campaign has left draft, except that it may end.
import type { Config } from '../../config.js';
import { recordAudit } from '../../platform/audit/audit.js';
import { requireAccess, type Actor } from '../../platform/auth/actor.js';
import { insertWithSlug } from '../../platform/crypto/tokens.js';
import type { Db } from '../../platform/db/connect.js';
import { inTransaction } from '../../platform/db/transaction.js';
import { conflict, invalid, notFound, type FieldError } from '../../platform/http/errors.js';
import { afterNewestFirst, toPage } from '../../platform/http/pagination.js';
import { channelEntry, channelProfile } from '../channels/index.js';
import { checkFile, inboxDeps, storeFile } from '../inbox/index.js';
import { CAMPAIGN_SOURCE } from './invites.js';
import type { CampaignInput, CampaignPatch } from './schema.js';
import * as store from './store.js';

function toCampaign(r: store.CampaignRow, tiers: readonly store.TierRow[], entryLink: string | null) {
  return {
    id: r.id,
    name: r.name,
    status: r.status,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    channelId: r.channel_id,
    entryLink,
    tiers: tiers
      .filter((t) => t.campaign_id === r.id)
      .map((t) => ({ tier: t.tier, goal: t.goal, rewardKind: t.reward_kind, rewardName: t.reward_name, points: t.points, couponsLeft: t.reward_kind === 'coupon' ? Number(t.coupons_left) : null })),
    holdDays: r.hold_days,
    voidDays: r.void_days,
    rulesText: r.rules_text,
    burstCount: r.burst_count,
    burstMinutes: r.burst_minutes,
    progressMessages: r.progress_messages,
    hasBackground: r.background_attachment_id !== null,
    posterLayout: r.poster_layout,
    posterVersion: r.poster_version,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}
export type Campaign = ReturnType<typeof toCampaign>;

async function shaped(db: Db, workspaceId: string, rows: readonly store.CampaignRow[]) {
  const tiers = await store.tiersOf(db, workspaceId, rows.map((r) => r.id));
  return Promise.all(rows.map(async (r) => toCampaign(r, tiers, (await channelEntry(db, workspaceId, r.channel_id, `${CAMPAIGN_SOURCE}${r.slug}`))?.link ?? null)));
}

async function check(db: Db, workspaceId: string, v: CampaignInput) {
  const errors: FieldError[] = [];
  if (v.endsAt <= v.startsAt) errors.push({ path: 'endsAt', message: 'endsAt must be after startsAt' });
  if (!(await channelProfile(db, workspaceId, v.channelId))) errors.push({ path: 'channelId', message: 'No such channel in this workspace' });
  v.tiers.forEach((t, i) => {
    if (i > 0 && t.goal <= v.tiers[i - 1]!.goal) errors.push({ path: `tiers.${i}.goal`, message: 'Goals must rise from tier to tier' });
    if (t.rewardKind === 'points' && !t.points) errors.push({ path: `tiers.${i}.points`, message: 'A points reward needs points' });
  });
  const layout = v.posterLayout;
  for (const part of ['avatar', 'qr'] as const) {
    const box = layout[part];
    if (box.x + box.size > layout.width || box.y + box.size > layout.height) errors.push({ path: `posterLayout.${part}`, message: 'Must lie inside the poster' });
  }
  if (errors.length) throw invalid(errors);
}

const valuesOf = (v: CampaignInput, status: store.CampaignValues['status']): store.CampaignValues => ({ ...v, status });

export async function requireCampaign(db: Db, workspaceId: string, id: string) {
  const row = await store.findCampaign(db, workspaceId, id);
  if (!row) throw notFound('Campaign');
  return row;
}

export async function listCampaigns(db: Db, actor: Actor, q: { cursor?: string; limit: number }) {
  requireAccess(actor, 'fission:read');
  const rows = await store.listCampaigns(db, actor.workspaceId, afterNewestFirst('created_at', 'id', q.cursor), q.limit);
  const page = toPage(rows, q.limit, (r) => [r.created_at.toISOString(), r.id], (r) => r);
  return { ...page, items: await shaped(db, actor.workspaceId, page.items) };
}

export async function getCampaign(db: Db, actor: Actor, id: string) {
  requireAccess(actor, 'fission:read');
  return (await shaped(db, actor.workspaceId, [await requireCampaign(db, actor.workspaceId, id)]))[0]!;
}

export async function createCampaign(db: Db, actor: Actor, input: CampaignInput) {
  requireAccess(actor, 'fission:write');
  return inTransaction(db, async (tx) => {
    await check(tx, actor.workspaceId, input);
    const row = await insertWithSlug((slug) => store.insertCampaign(tx, actor.workspaceId, slug, valuesOf(input, 'draft'), actor.memberId));
    await store.replaceTiers(tx, actor.workspaceId, row.id, input.tiers);
    const campaign = (await shaped(tx, actor.workspaceId, [row]))[0]!;
    await recordAudit(tx, actor, { action: 'fission_campaign.created', entityType: 'fission_campaign', entityId: row.id, after: campaign });
    return campaign;
  });
}

const FIXED_AFTER_DRAFT = ['tiers', 'channelId', 'startsAt'] as const;

export async function updateCampaign(db: Db, actor: Actor, id: string, patch: CampaignPatch) {
  requireAccess(actor, 'fission:write');
  return inTransaction(db, async (tx) => {
    const row = await requireCampaign(tx, actor.workspaceId, id);
    const before = (await shaped(tx, actor.workspaceId, [row]))[0]!;
    if (row.status !== 'draft') {
      const fixed = FIXED_AFTER_DRAFT.filter((k) => patch[k] !== undefined);
      if (fixed.length) throw conflict(`${fixed.join(', ')} cannot change once the campaign has started`, { fields: fixed });
      if (patch.status === 'draft') throw conflict('A started campaign cannot go back to draft');
    }
    if (row.status === 'ended' && patch.status === 'active') throw conflict('An ended campaign stays ended');
    const merged = { ...before, ...patch } as CampaignInput & { status: store.CampaignValues['status'] };
    await check(tx, actor.workspaceId, merged);
    const posterChanged = patch.posterLayout !== undefined;
    const updated = (await store.updateCampaign(tx, actor.workspaceId, id, valuesOf(merged, merged.status), posterChanged))!;
    if (patch.tiers) await store.replaceTiers(tx, actor.workspaceId, id, patch.tiers);
    const after = (await shaped(tx, actor.workspaceId, [updated]))[0]!;
    await recordAudit(tx, actor, { action: 'fission_campaign.updated', entityType: 'fission_campaign', entityId: id, before, after });
    return after;
  });
}

export async function deleteCampaign(db: Db, actor: Actor, id: string) {
  requireAccess(actor, 'fission:write');
  await inTransaction(db, async (tx) => {
    const row = await requireCampaign(tx, actor.workspaceId, id);
    if (row.status === 'active') throw conflict('End the campaign before deleting it');
    await store.deleteCampaign(tx, actor.workspaceId, id);
    await recordAudit(tx, actor, { action: 'fission_campaign.deleted', entityType: 'fission_campaign', entityId: id, before: { name: row.name } });
  });
}

/** Adds codes to a coupon tier's pool; returns how many were new. */
export async function addCoupons(db: Db, actor: Actor, id: string, body: { tier: number; codes: string[] }) {
  requireAccess(actor, 'fission:write');
  return inTransaction(db, async (tx) => {
    await requireCampaign(tx, actor.workspaceId, id);
    const tier = (await store.tiersOf(tx, actor.workspaceId, [id])).find((t) => t.tier === body.tier);
    if (tier?.reward_kind !== 'coupon') throw invalid([{ path: 'tier', message: 'No coupon tier with this number' }]);
    const added = await store.addCoupons(tx, actor.workspaceId, id, body.tier, body.codes);
    await recordAudit(tx, actor, { action: 'fission_campaign.coupons_added', entityType: 'fission_campaign', entityId: id, after: { tier: body.tier, added } });
    return added;
  });
}

const BACKGROUND_TYPES = ['image/png', 'image/jpeg', 'image/webp'];

/** Stores the poster background where the inbox keeps its files; a new background is a new poster version. */
export async function setBackground(db: Db, config: Config, actor: Actor, id: string, read: () => Promise<{ fileName: string; declaredType: string; data: Buffer }>) {
  requireAccess(actor, 'fission:write');
  await requireCampaign(db, actor.workspaceId, id);
  const limits = { ...inboxDeps(config).limits, types: BACKGROUND_TYPES };
  const checked = await checkFile(limits, await read());
  return inTransaction(db, async (tx) => {
    const attachmentId = await storeFile(tx, limits, actor.workspaceId, checked, actor.memberId);
    await store.setBackground(tx, actor.workspaceId, id, attachmentId);
    await recordAudit(tx, actor, { action: 'fission_campaign.background_set', entityType: 'fission_campaign', entityId: id, after: { attachmentId } });
    return getCampaign(tx, actor, id);
  });
}
