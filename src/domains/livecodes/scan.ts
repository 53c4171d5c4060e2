// A scan of /c/<slug>: the staff member chosen for the visitor, recorded, and where the visitor
// goes next. Scans are group-committed (platform/db/group-commit.ts): the scans that arrive while
// the previous group is being written go together in one transaction, which locks the rows of the
// group's codes (SELECT … FOR NO KEY UPDATE, in key order) while it reads their staff with today's
// picks, chooses for each code's scans in arrival order (pick.ts), then in one statement adds the
// picks to the counters, moves the round-robin cursors and records the scans. Caps stay exact
// across processes (the locks), and a busy server costs one transaction per group — whether its
// scans are of one code or of many — rather than one per scan.
import { createHash } from 'node:crypto';
import type { Db } from '../../platform/db/connect.js';
import { groupCommit } from '../../platform/db/group-commit.js';
import { inTransaction } from '../../platform/db/transaction.js';
import { entryLinkOf } from '../channels/index.js';
import { choose, periodOn, poolAt, type Choice, type StaffRow } from './pick.js';
import { memberNames } from '../workspaces/index.js';
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

type LockedCode = Awaited<ReturnType<typeof store.lockForScans>>[number];

/** Items by key, in order (Map.groupBy arrives in Node 21). */
function groupBy<T>(items: Iterable<T>, keyOf: (item: T) => string) {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}
const keyOf = (k: { workspaceId: string; codeId: string }) => `${k.workspaceId} ${k.codeId}`;

/** Chooses for a code's scans in arrival order, its picks growing as it goes. */
async function chooseFor(tx: Db, code: LockedCode, staff: StaffRow[], visits: readonly Visit[]) {
  const period = periodOn(code.periods, code.today);
  const periodPicks = period ? await store.picksOf(tx, code.workspace_id, code.id, code.today, period.staff.map((s) => s.memberId)) : new Map<string, number>();
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
  return { choices, cursor };
}

async function writeScans(db: Db, visits: readonly Visit[]): Promise<(ScanResult | undefined)[]> {
  const byCode = groupBy(visits, keyOf);
  const recorded = await inTransaction(db, async (tx) => {
    const codes = await store.lockForScans(tx, [...byCode.values()].map((v) => v[0]!));
    const staff = groupBy(await store.staffWithPicks(tx, codes.map((c) => ({ workspaceId: c.workspace_id, codeId: c.id, day: c.today }))), (s) => `${s.workspace_id} ${s.code_id}`);
    const chosen = new Map<string, { code: LockedCode; choices: Choice[] }>();
    const scans: store.ScanValues[] = [];
    const cursors = [];
    for (const code of codes) {
      const key = `${code.workspace_id} ${code.id}`;
      const mine = byCode.get(key)!;
      const { choices, cursor } = await chooseFor(tx, code, staff.get(key) ?? [], mine);
      chosen.set(key, { code, choices });
      cursors.push({ workspaceId: code.workspace_id, codeId: code.id, cursor });
      choices.forEach((c, i) => scans.push({ workspaceId: code.workspace_id, codeId: code.id, day: code.today, memberId: c.memberId, outcome: c.outcome, userAgentHash: userAgentHash(mine[i]!.userAgent) }));
    }
    if (scans.length) await store.recordScans(tx, scans, cursors);
    return chosen;
  });
  // Where the visitors go, after the commit: entry links from the locked rows, names in one query for those shown a page.
  const shown = [...recorded.values()].filter(({ code }) => !code.landing_url && !(code.channel_type && entryLinkOf(code.channel_type, code.channel_settings, code.slug)));
  const names = new Map<string, string>();
  for (const [workspaceId, group] of groupBy(shown, (r) => r.code.workspace_id)) {
    const ids = [...new Set(group.flatMap((r) => r.choices.flatMap((c) => (c.memberId ? [c.memberId] : []))))];
    for (const [id, name] of await memberNames(db, workspaceId, ids)) names.set(id, name);
  }
  const next = new Map([...recorded].map(([key, r]) => [key, { ...r, at: 0 }]));
  return visits.map((visit) => {
    const r = next.get(keyOf(visit));
    if (!r) return undefined;
    const choice = r.choices[r.at++]!;
    const { code } = r;
    return {
      ...choice,
      workspaceId: code.workspace_id,
      codeId: code.id,
      slug: code.slug,
      landingUrl: code.landing_url,
      channel: code.channel_type ? { name: code.channel_name!, link: entryLinkOf(code.channel_type, code.channel_settings, code.slug) } : null,
      memberName: (choice.memberId && names.get(choice.memberId)) || null,
      workspaceLocale: code.locale,
    };
  });
}

const scanners = new WeakMap<Db, (key: string, visit: Visit) => Promise<ScanResult | undefined>>();

/** Records one scan of the workspace's enabled code; undefined for a missing or disabled code. */
export function scanCode(db: Db, workspaceId: string, codeId: string, visitor: Visitor = {}): Promise<ScanResult | undefined> {
  let scanner = scanners.get(db);
  if (!scanner) scanners.set(db, (scanner = groupCommit<Visit, ScanResult | undefined>({ maxWeight: GROUP_SCANS, write: (_key, visits) => writeScans(db, visits) })));
  // One queue for every code: a group's transaction locks each of its codes' rows.
  return scanner('scans', { ...visitor, workspaceId, codeId });
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
