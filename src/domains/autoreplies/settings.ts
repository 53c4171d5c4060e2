// Keyword rules per channel, business hours per team and each channel's welcome message and
// survey switch: read with inbox:read, changed with inbox:manage.
import { requireAccess, type Actor } from '../../platform/auth/actor.js';
import type { Db } from '../../platform/db/connect.js';
import { AppError, invalid, notFound } from '../../platform/http/errors.js';
import { decodeCursor, toPage } from '../../platform/http/pagination.js';
import { isOpen, isTimezone } from '../../platform/time/weekly.js';
import { regexProblem } from './match.js';
import { channelExists, teamExists } from './queries/refs.js';
import type { ChannelSettingsInput, HoursInput, RuleInput, RulePatch } from './schema.js';
import * as store from './store.js';

const UUID = /^[0-9a-f-]{36}$/i;

type RuleRow = Awaited<ReturnType<typeof store.findRule>> & object;
const toRule = (r: RuleRow) => ({
  id: r.id,
  channelId: r.channel_id,
  position: r.position,
  matchKind: r.match_kind,
  pattern: r.pattern,
  caseSensitive: r.case_sensitive,
  reply: r.reply,
  enabled: r.enabled,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** A regular expression RE2 cannot run is refused with a stable reason (400 validation_failed). */
function checkPattern(v: { matchKind: string; pattern: string }) {
  if (v.matchKind !== 'regex') return;
  const problem = regexProblem(v.pattern);
  if (problem) throw new AppError('validation_failed', 'The pattern is not a regular expression this server can run', { details: { reason: 'invalid_regex', errors: [{ path: 'pattern', message: problem }] } });
}

export async function listRules(db: Db, actor: Actor, f: { channelId?: string; cursor?: string; limit: number }) {
  requireAccess(actor, 'inbox:read');
  const after = f.cursor ? decodeCursor(f.cursor, 3) : undefined;
  if (after && !(UUID.test(String(after[0])) && typeof after[1] === 'number' && UUID.test(String(after[2])))) throw invalid([{ path: 'cursor', message: 'Invalid cursor' }]);
  const rows = await store.listRules(db, actor.workspaceId, { channelId: f.channelId, after: after && { channelId: String(after[0]), position: Number(after[1]), id: String(after[2]) }, limit: f.limit });
  return toPage(rows, f.limit, (r) => [r.channel_id, r.position, r.id], toRule);
}

export async function createRule(db: Db, actor: Actor, input: RuleInput) {
  requireAccess(actor, 'inbox:manage');
  checkPattern(input);
  if (!(await channelExists(db, actor.workspaceId, input.channelId))) throw notFound('Channel');
  return toRule(await store.insertRule(db, actor.workspaceId, input, actor.memberId));
}

export async function updateRule(db: Db, actor: Actor, id: string, patch: RulePatch) {
  requireAccess(actor, 'inbox:manage');
  const before = await store.findRule(db, actor.workspaceId, id);
  if (!before) throw notFound('Keyword rule');
  const next = { ...toRule(before), ...patch };
  checkPattern(next);
  return toRule((await store.updateRule(db, actor.workspaceId, id, next))!);
}

export async function deleteRule(db: Db, actor: Actor, id: string) {
  requireAccess(actor, 'inbox:manage');
  if (!(await store.deleteRule(db, actor.workspaceId, id))) throw notFound('Keyword rule');
}

type HoursRow = Awaited<ReturnType<typeof store.findHours>> & object;
const toHours = (r: HoursRow) => ({
  teamId: r.team_id,
  timezone: r.timezone,
  weekly: r.weekly,
  closedDates: r.closed_dates,
  awayMessage: r.away_message,
  enabled: r.enabled,
  openNow: isOpen({ timezone: r.timezone, weekly: r.weekly, closedDates: r.closed_dates }, new Date()),
  updatedAt: r.updated_at,
});

export async function listHours(db: Db, actor: Actor) {
  requireAccess(actor, 'inbox:read');
  return { items: (await store.listHours(db, actor.workspaceId)).map(toHours), nextCursor: null };
}

export async function setHours(db: Db, actor: Actor, teamId: string, input: HoursInput) {
  requireAccess(actor, 'inbox:manage');
  if (!(await teamExists(db, actor.workspaceId, teamId))) throw notFound('Team');
  if (!isTimezone(input.timezone)) throw invalid([{ path: 'timezone', message: 'Not an IANA time zone (e.g. Asia/Shanghai)' }]);
  return toHours(await store.upsertHours(db, actor.workspaceId, teamId, input));
}

export async function deleteHours(db: Db, actor: Actor, teamId: string) {
  requireAccess(actor, 'inbox:manage');
  if (!(await store.deleteHours(db, actor.workspaceId, teamId))) throw notFound('Business hours');
}

type SettingsRow = Awaited<ReturnType<typeof store.findChannelSettings>> & object;
const toSettings = (r: SettingsRow) => ({ channelId: r.channel_id, welcomeMessage: r.welcome_message, csatEnabled: r.csat_enabled, updatedAt: r.updated_at });

export async function listChannelSettings(db: Db, actor: Actor) {
  requireAccess(actor, 'inbox:read');
  return { items: (await store.listChannelSettings(db, actor.workspaceId)).map(toSettings), nextCursor: null };
}

export async function setChannelSettings(db: Db, actor: Actor, channelId: string, input: ChannelSettingsInput) {
  requireAccess(actor, 'inbox:manage');
  if (!(await channelExists(db, actor.workspaceId, channelId))) throw notFound('Channel');
  return toSettings(await store.upsertChannelSettings(db, actor.workspaceId, channelId, input));
}
