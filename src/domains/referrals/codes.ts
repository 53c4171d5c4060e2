// Referral programmes and their personal codes (fission:read / fission:write): a programme names
// the channel its codes lead to; a code belongs to a contact (一客一码) or a member (全员营销)
// and carries its invite statistics.
import type { Config } from '../../config.js';
import { publicUrl } from '../../config.js';
import { recordAudit } from '../../platform/audit/audit.js';
import { requireAccess, type Actor } from '../../platform/auth/actor.js';
import type { Db } from '../../platform/db/connect.js';
import { inTransaction } from '../../platform/db/transaction.js';
import { insertWithSlug } from '../../platform/crypto/tokens.js';
import { invalid, notFound } from '../../platform/http/errors.js';
import { afterNewestFirst, toPage } from '../../platform/http/pagination.js';
import { channelProfile } from '../channels/index.js';
import { requireVisibleContact } from '../contacts/index.js';
import * as store from './codes-store.js';
import { activeMember, activeMemberIds } from './queries/refs.js';
import type { ProgramInput } from './schema.js';
import type { NodeRef } from './tree-store.js';

/** The arrival source of a code: r_ and its slug (14 characters). */
export const CODE_SOURCE = 'r_';

const toProgram = (r: store.ProgramRow) => ({ id: r.id, name: r.name, channelId: r.channel_id, enabled: r.enabled, createdAt: r.created_at });

export const codeLink = (config: Config, slug: string) => `${publicUrl(config)}/r/${slug}`;

async function shapedCodes(db: Db, config: Config, workspaceId: string, rows: readonly store.CodeRow[]) {
  const stats = await store.statsOf(db, workspaceId, rows.map((r) => r.id));
  return rows.map((r) => ({
    id: r.id,
    programId: r.program_id,
    slug: r.slug,
    url: codeLink(config, r.slug),
    source: `${CODE_SOURCE}${r.slug}`,
    ownerContactId: r.owner_contact_id,
    ownerMemberId: r.owner_member_id,
    createdAt: r.created_at,
    stats: stats.get(r.id) ?? { visits: 0, arrivals: 0, newContacts: 0, validNewContacts: 0 },
  }));
}
export type ReferralCode = Awaited<ReturnType<typeof shapedCodes>>[number];

async function requireProgram(db: Db, workspaceId: string, id: string) {
  const row = await store.findProgram(db, workspaceId, id);
  if (!row) throw notFound('Program');
  return row;
}

async function checkChannel(db: Db, workspaceId: string, channelId: string) {
  if (!(await channelProfile(db, workspaceId, channelId))) throw invalid([{ path: 'channelId', message: 'No such channel in this workspace' }]);
}

export async function listPrograms(db: Db, actor: Actor, q: { cursor?: string; limit: number }) {
  requireAccess(actor, 'fission:read');
  const rows = await store.listPrograms(db, actor.workspaceId, afterNewestFirst('created_at', 'id', q.cursor), q.limit);
  return toPage(rows, q.limit, (r) => [r.created_at.toISOString(), r.id], toProgram);
}

export async function getProgram(db: Db, actor: Actor, id: string) {
  requireAccess(actor, 'fission:read');
  return toProgram(await requireProgram(db, actor.workspaceId, id));
}

export async function createProgram(db: Db, actor: Actor, input: ProgramInput) {
  requireAccess(actor, 'fission:write');
  return inTransaction(db, async (tx) => {
    await checkChannel(tx, actor.workspaceId, input.channelId);
    const program = toProgram(await store.insertProgram(tx, actor.workspaceId, input, actor.memberId));
    await recordAudit(tx, actor, { action: 'referral_program.created', entityType: 'referral_program', entityId: program.id, after: program });
    return program;
  });
}

export async function updateProgram(db: Db, actor: Actor, id: string, patch: Partial<ProgramInput>) {
  requireAccess(actor, 'fission:write');
  return inTransaction(db, async (tx) => {
    const before = toProgram(await requireProgram(tx, actor.workspaceId, id));
    if (patch.channelId) await checkChannel(tx, actor.workspaceId, patch.channelId);
    const after = toProgram(await store.updateProgram(tx, actor.workspaceId, id, { ...before, ...patch }));
    await recordAudit(tx, actor, { action: 'referral_program.updated', entityType: 'referral_program', entityId: id, before, after });
    return after;
  });
}

/** The owner's code in the programme, made with a fresh slug when they have none. */
async function codeFor(db: Db, workspaceId: string, programId: string, owner: NodeRef) {
  const existing = await store.codeOfOwner(db, workspaceId, programId, owner);
  if (existing) return { row: existing, created: false };
  // A clash on the owner rather than the slug (a concurrent request made their code) ends the draw with that code.
  let raced: store.CodeRow | undefined;
  const row = await insertWithSlug(async (slug) => (await store.insertCode(db, workspaceId, programId, slug, owner)) ?? (raced = await store.codeOfOwner(db, workspaceId, programId, owner)));
  return { row, created: row !== raced };
}

export async function createCode(db: Db, config: Config, actor: Actor, programId: string, owner: NodeRef) {
  requireAccess(actor, 'fission:write');
  return inTransaction(db, async (tx) => {
    await requireProgram(tx, actor.workspaceId, programId);
    if ('contactId' in owner) {
      await requireVisibleContact(tx, actor, owner.contactId).catch(() => {
        throw invalid([{ path: 'contactId', message: 'No such contact in this workspace' }]);
      });
    } else if (!(await activeMember(tx, actor.workspaceId, owner.memberId))) {
      throw invalid([{ path: 'memberId', message: 'No such active member in this workspace' }]);
    }
    const { row, created } = await codeFor(tx, actor.workspaceId, programId, owner);
    if (created) await recordAudit(tx, actor, { action: 'referral_code.created', entityType: 'referral_code', entityId: row.id, after: { programId, ...owner } });
    return { code: (await shapedCodes(tx, config, actor.workspaceId, [row]))[0]!, created };
  });
}

/** 全员营销: a code for every active member who has none in the programme; how many were made. */
export async function createMemberCodes(db: Db, actor: Actor, programId: string) {
  requireAccess(actor, 'fission:write');
  return inTransaction(db, async (tx) => {
    await requireProgram(tx, actor.workspaceId, programId);
    let created = 0;
    for (const memberId of await activeMemberIds(tx, actor.workspaceId)) if ((await codeFor(tx, actor.workspaceId, programId, { memberId })).created) created++;
    await recordAudit(tx, actor, { action: 'referral_program.member_codes_created', entityType: 'referral_program', entityId: programId, after: { created } });
    return created;
  });
}

export async function listCodes(db: Db, config: Config, actor: Actor, programId: string, q: { cursor?: string; limit: number }) {
  requireAccess(actor, 'fission:read');
  await requireProgram(db, actor.workspaceId, programId);
  const rows = await store.listCodes(db, actor.workspaceId, programId, afterNewestFirst('created_at', 'id', q.cursor), q.limit);
  const page = toPage(rows, q.limit, (r) => [r.created_at.toISOString(), r.id], (r) => r);
  return { ...page, items: await shapedCodes(db, config, actor.workspaceId, page.items) };
}

export async function getCode(db: Db, config: Config, actor: Actor, id: string) {
  requireAccess(actor, 'fission:read');
  const row = await store.findCode(db, actor.workspaceId, id);
  if (!row) throw notFound('Referral code');
  return (await shapedCodes(db, config, actor.workspaceId, [row]))[0]!;
}
