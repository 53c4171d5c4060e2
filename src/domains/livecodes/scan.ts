// A scan of /c/<slug>: the staff member chosen for the visitor, recorded, and where the visitor
// goes next. Scans of one code are group-committed (platform/db/group-commit.ts): the scans that
// arrive while the code's previous group is being written go together in one transaction, which
// holds the code's row lock (SELECT … FOR NO KEY UPDATE) while it reads today's picks, chooses for
// each scan in arrival order (pick.ts), then in one statement adds the picks to the counters,
// moves the round-robin cursor and records the scans. Caps stay exact across
// processes (the lock), a busy code costs one transaction per group rather than per scan, and
// scans of different codes do not wait for each other.
import { createHash } from 'node:crypto';
import type { Db } from '../../platform/db/connect.js';
import { groupCommit } from '../../platform/db/group-commit.js';
import { inTransaction } from '../../platform/db/transaction.js';
import { channelEntry } from '../channels/index.js';
import { choose, periodOn, poolAt, type Choice } from './pick.js';
import { memberNames } from './queries/refs.js';
import * as store from './store.js';

export interface Visitor {
  userAgent?: string;
  /** The member an earlier scan gave this browser (the staff cookie), for exclusive mode. */
  returningMemberId?: string;
}

interface Visit extends Visitor {
  workspaceId: string;
  codeId: string;
}

export interface ScanResult extends Choice {
  workspaceId: string;
  codeId: string;
  slug: string;
  landingUrl: string | null;
  /** The code's channel: its name, and the adapter's deep link carrying the slug, if it makes one. */
  channel: { name: string; link: string | null } | null;
  /** The chosen member's display name, when the visitor is shown a page rather than sent on. */
  memberName: string | null;
  workspaceLocale: string;
}

/** Scans per group: one statement's worth, so a burst is written in several short lock holds. */
const GROUP_SCANS = 256;

export const userAgentHash = (userAgent: string | undefined) => (userAgent ? createHash('sha256').update(userAgent).digest('hex').slice(0, 32) : null);

async function writeScans(db: Db, visits: readonly Visit[]): Promise<(ScanResult | undefined)[]> {
  const { workspaceId, codeId } = visits[0]!;
  const recorded = await inTransaction(db, async (tx) => {
    const code = await store.lockForScan(tx, workspaceId, codeId);
    if (!code) return undefined;
    const staff = await store.staffWithPicks(tx, workspaceId, codeId, code.today);
    const period = periodOn(code.periods, code.today);
    const periodPicks = period ? await store.picksOf(tx, workspaceId, codeId, code.today, period.staff.map((s) => s.memberId)) : new Map<string, number>();
    const pool = poolAt(staff, period, periodPicks, { timezone: code.timezone, at: code.now, today: code.today });
    // Exclusive mode: whoever the code can give (pool, backups, today's period) is given back to a returning visitor, caps and hours aside.
    const givable = new Set([...staff.map((s) => s.member_id), ...(period?.staff.map((s) => s.memberId) ?? [])]);
    let cursor = code.rr_cursor;
    const choices = visits.map(({ returningMemberId }): Choice => {
      const returning = code.exclusive && returningMemberId && givable.has(returningMemberId);
      const choice = returning ? { memberId: returningMemberId, outcome: 'returning' as const, cursor } : choose(code.strategy, pool, cursor);
      cursor = choice.cursor;
      // A member can be in the pool twice (a period's staff and a backup): one counter.
      for (const m of pool) if (m.member_id === choice.memberId) m.picks += 1;
      return choice;
    });
    const scans = choices.map((c, i) => ({ memberId: c.memberId, outcome: c.outcome, userAgentHash: userAgentHash(visits[i]!.userAgent) }));
    await store.recordScans(tx, workspaceId, { id: codeId, day: code.today, cursor }, scans);
    return { code, choices };
  });
  if (!recorded) return visits.map(() => undefined);
  // Where the visitors go is the same for the whole group: looked up once, after the commit.
  const { code, choices } = recorded;
  const channel = code.channel_id ? ((await channelEntry(db, workspaceId, code.channel_id, code.slug)) ?? null) : null;
  const showsPage = !code.landing_url && !channel?.link;
  const names = showsPage ? await memberNames(db, workspaceId, [...new Set(choices.flatMap((c) => (c.memberId ? [c.memberId] : [])))]) : new Map<string, string>();
  return choices.map((choice) => ({
    ...choice,
    workspaceId,
    codeId,
    slug: code.slug,
    landingUrl: code.landing_url,
    channel: channel && { name: channel.name, link: channel.link },
    memberName: (choice.memberId && names.get(choice.memberId)) || null,
    workspaceLocale: code.locale,
  }));
}

const scanners = new WeakMap<Db, (key: string, visit: Visit) => Promise<ScanResult | undefined>>();

/** Records one scan of the workspace's enabled code; undefined for a missing or disabled code. */
export function scanCode(db: Db, workspaceId: string, codeId: string, visitor: Visitor = {}): Promise<ScanResult | undefined> {
  let scanner = scanners.get(db);
  if (!scanner) scanners.set(db, (scanner = groupCommit<Visit, ScanResult | undefined>({ maxWeight: GROUP_SCANS, write: (_key, visits) => writeScans(db, visits) })));
  return scanner(`${workspaceId} ${codeId}`, { ...visitor, workspaceId, codeId });
}

/**
 * The browser's memory of the member its scans were given in a workspace (a first-party cookie on
 * /c, set on every scan, read by exclusive codes).
 */
export const staffCookieName = (workspaceId: string) => `renmai_staff_${workspaceId.replaceAll('-', '').slice(0, 12)}`;

// The public link knows only the slug. Which code a slug names never changes (slugs are not
// edited), so each process remembers it; whether the code is still enabled is read under the lock.
const slugCache = new WeakMap<Db, Map<string, { workspace_id: string; id: string }>>();
const SLUG_CACHE_SIZE = 10_000;

/** Records one scan of the enabled code `slug`; undefined for an unknown or disabled code. */
export async function scan(db: Db, slug: string, request: { userAgent?: string; cookies: Readonly<Record<string, string | undefined>> }): Promise<ScanResult | undefined> {
  let cache = slugCache.get(db);
  if (!cache) slugCache.set(db, (cache = new Map()));
  let found = cache.get(slug);
  if (!found) {
    found = await store.findPublicCode(db, slug);
    if (!found) return undefined;
    if (cache.size >= SLUG_CACHE_SIZE) cache.clear();
    cache.set(slug, found);
  }
  const returning = request.cookies[staffCookieName(found.workspace_id)];
  return scanCode(db, found.workspace_id, found.id, { userAgent: request.userAgent, ...(returning && UUID.test(returning) ? { returningMemberId: returning } : {}) });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
