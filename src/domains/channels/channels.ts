// Channels: configuring a workspace's provider accounts. Settings are checked by the provider's
// adapter; credentials are write-only (encrypted on the way in, never shown — only the names of
// those set — never in the audit log); a channel with conversations is disabled rather than deleted.
import { randomUUID } from 'node:crypto';
import { recordAudit } from '../../platform/audit/audit.js';
import { requireAccess, type Actor } from '../../platform/auth/actor.js';
import type { Db } from '../../platform/db/connect.js';
import { inTransaction } from '../../platform/db/transaction.js';
import { AppError, conflict, invalid, notFound, type FieldError } from '../../platform/http/errors.js';
import { decodeCursor, encodeCursor } from '../../platform/http/pagination.js';
import { adapterFor, type AnyChannelAdapter } from '../../channels/index.js';
import { bindingOf, type Keyring } from './secrets.js';
import * as store from './store.js';

export function requireRead(actor: Actor) {
  if (!actor.permissions.has('inbox:read') && !actor.permissions.has('channels:manage')) requireAccess(actor, 'inbox:read');
}

/** The send rate in force: the channel's own, else the adapter's default. */
export function rateOf(row: Pick<store.ChannelRow, 'rate_per_second' | 'rate_burst' | 'settings'>, adapter: AnyChannelAdapter) {
  const defaults = adapter.capabilities(adapter.settings.parse(row.settings)).rateLimit;
  return { perSecond: row.rate_per_second ?? defaults.perSecond, burst: row.rate_burst ?? defaults.burst };
}

function requireAdapter(type: string) {
  const adapter = adapterFor(type);
  // A row whose provider this build does not know (a newer version wrote it) is not usable here.
  if (!adapter) throw new AppError('conflict', `This server has no adapter for channel type ${type}`);
  return adapter;
}

/** The stored credentials, or none when they no longer open (the key changed): the admin enters them again. */
function openSecrets(keyring: Keyring, r: Pick<store.ChannelRow, 'workspace_id' | 'id' | 'secrets'>): Record<string, unknown> {
  try {
    return keyring.open(r.secrets, bindingOf(r.workspace_id, r.id));
  } catch {
    return {};
  }
}

export function toChannel(r: store.ChannelView, keyring: Keyring) {
  const adapter = requireAdapter(r.type);
  const capabilities = adapter.capabilities(adapter.settings.parse(r.settings));
  return {
    id: r.id,
    type: r.type,
    name: r.name,
    settings: r.settings,
    enabled: r.enabled,
    teamId: r.team_id,
    rate: rateOf(r, adapter),
    /** Names of the credentials set, never their values. */
    secretsSet: Object.keys(openSecrets(keyring, r)).sort(),
    capabilities: { ...capabilities, messageKinds: [...capabilities.messageKinds] },
    health: {
      lastEventAt: r.last_event_at,
      refusedCount: r.refused_count,
      lastRefusedAt: r.last_refused_at,
      lastRefusedReason: r.last_refused_reason,
      sendPausedUntil: r.send_paused_until,
      credentialsCheckedAt: r.credentials_checked_at,
      credentialsProblem: r.credentials_problem,
    },
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}
export type Channel = ReturnType<typeof toChannel>;

async function requireChannel(db: Db, actor: Actor, id: string, lock = false) {
  const row = await store.findChannel(db, actor.workspaceId, id, lock);
  if (!row) throw notFound('Channel');
  return row;
}

export async function listChannels(db: Db, keyring: Keyring, actor: Actor, page: { cursor?: string; limit: number }) {
  requireRead(actor);
  const after = page.cursor ? decodeCursor(page.cursor, 2) : undefined;
  const rows = await store.listChannels(db, actor.workspaceId, { limit: page.limit, ...(after ? { after: { name: String(after[0]), id: String(after[1]) } } : {}) });
  const kept = rows.slice(0, page.limit);
  return { items: kept.map((r) => toChannel(r, keyring)), nextCursor: rows.length > page.limit ? encodeCursor([kept.at(-1)!.name, kept.at(-1)!.id]) : null };
}

export async function getChannel(db: Db, keyring: Keyring, actor: Actor, id: string) {
  requireRead(actor);
  return toChannel(await requireChannel(db, actor, id), keyring);
}

/** Checks a settings or secrets object against the adapter's schema; messages never echo the values. */
function checked<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: Array<{ path: PropertyKey[]; message: string }> } } }, value: unknown, path: string, errors: FieldError[]): T | undefined {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  errors.push(...parsed.error.issues.map((i) => ({ path: [path, ...i.path.map(String)].join('.'), message: i.message })));
  return undefined;
}

export interface ChannelInput {
  type: string;
  name: string;
  settings: Record<string, unknown>;
  secrets: Record<string, unknown>;
  teamId?: string | null;
  ratePerSecond?: number | null;
  rateBurst?: number | null;
}

async function checkTeam(db: Db, actor: Actor, teamId: string | null | undefined) {
  if (teamId && !(await store.teamExists(db, actor.workspaceId, teamId))) throw notFound('Team');
}

const audited = (r: { name: string; type: string; settings: Record<string, unknown>; enabled?: boolean; team_id?: string | null }) => ({
  name: r.name,
  type: r.type,
  settings: r.settings,
  ...(r.enabled !== undefined ? { enabled: r.enabled } : {}),
  ...(r.team_id !== undefined ? { teamId: r.team_id } : {}),
});

export async function createChannel(db: Db, keyring: Keyring, actor: Actor, input: ChannelInput) {
  requireAccess(actor, 'channels:manage');
  const adapter = adapterFor(input.type);
  if (!adapter) throw invalid([{ path: 'type', message: `Unknown channel type ${input.type}` }]);
  const errors: FieldError[] = [];
  const settings = checked(adapter.settings, input.settings, 'settings', errors);
  const secrets = checked(adapter.secrets, input.secrets, 'secrets', errors);
  if (errors.length) throw invalid(errors);
  return inTransaction(db, async (tx) => {
    await checkTeam(tx, actor, input.teamId);
    const id = randomUUID();
    const inserted = await store.insertChannel(tx, actor.workspaceId, {
      id,
      type: adapter.type,
      name: input.name,
      settings: settings as Record<string, unknown>,
      secrets: keyring.seal(secrets as Record<string, unknown>, bindingOf(actor.workspaceId, id)),
      teamId: input.teamId ?? null,
      ratePerSecond: input.ratePerSecond ?? null,
      rateBurst: input.rateBurst ?? null,
      createdBy: actor.memberId,
    });
    if (!inserted) throw conflict('A channel with this name exists', { field: 'name' });
    const row = (await store.findChannel(tx, actor.workspaceId, id))!;
    await recordAudit(tx, actor, { action: 'channel.created', entityType: 'channel', entityId: id, after: { ...audited(row), secretsSet: true } });
    return toChannel(row, keyring);
  });
}

export interface ChannelPatchInput {
  name?: string;
  /** Merged over the current settings (null removes one), then checked whole. */
  settings?: Record<string, unknown>;
  /** Merged over the current credentials (null removes one), then checked whole. */
  secrets?: Record<string, unknown>;
  enabled?: boolean;
  teamId?: string | null;
  ratePerSecond?: number | null;
  rateBurst?: number | null;
}

const withoutNulls = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null));

export async function updateChannel(db: Db, keyring: Keyring, actor: Actor, id: string, patch: ChannelPatchInput) {
  requireAccess(actor, 'channels:manage');
  return inTransaction(db, async (tx) => {
    const before = await requireChannel(tx, actor, id, true);
    const adapter = requireAdapter(before.type);
    const errors: FieldError[] = [];
    const settings = patch.settings && checked(adapter.settings, withoutNulls({ ...before.settings, ...patch.settings }), 'settings', errors);
    const secrets = patch.secrets && checked(adapter.secrets, withoutNulls({ ...openSecrets(keyring, before), ...patch.secrets }), 'secrets', errors);
    if (errors.length) throw invalid(errors);
    await checkTeam(tx, actor, patch.teamId);
    const saved = await store.updateChannel(tx, actor.workspaceId, id, {
      name: patch.name,
      settings: settings as Record<string, unknown> | undefined,
      secrets: secrets ? keyring.seal(secrets as Record<string, unknown>, bindingOf(actor.workspaceId, id)) : undefined,
      enabled: patch.enabled,
      teamId: patch.teamId,
      ratePerSecond: patch.ratePerSecond,
      rateBurst: patch.rateBurst,
    });
    if (!saved) throw conflict('A channel with this name exists', { field: 'name' });
    const after = (await store.findChannel(tx, actor.workspaceId, id))!;
    await recordAudit(tx, actor, {
      action: 'channel.updated',
      entityType: 'channel',
      entityId: id,
      before: audited(before),
      after: { ...audited(after), ...(secrets ? { secretsReplaced: true } : {}) },
    });
    return toChannel(after, keyring);
  });
}

const isForeignKeyViolation = (error: unknown) => typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23503';

export async function deleteChannel(db: Db, actor: Actor, id: string) {
  requireAccess(actor, 'channels:manage');
  try {
    await inTransaction(db, async (tx) => {
      const row = await requireChannel(tx, actor, id, true);
      await store.deleteChannel(tx, actor.workspaceId, id);
      await recordAudit(tx, actor, { action: 'channel.deleted', entityType: 'channel', entityId: id, before: audited(row) });
    });
  } catch (error) {
    if (isForeignKeyViolation(error)) throw conflict('The channel has conversations; disable it instead (enabled: false)');
    throw error;
  }
}
