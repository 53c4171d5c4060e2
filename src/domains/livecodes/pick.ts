// The scan: which staff member a person who opens /c/<slug> is sent to. One transaction per
// scan holds the code's row lock (SELECT … FOR NO KEY UPDATE) while it reads today's picks, chooses,
// bumps the chosen member's counter and records the scan — so two scans at once never both take a
// capped member's last slot, and the round robin's cursor never skips or repeats. Scans of
// different codes do not wait for each other.
//
// Strategies, over the pool's members under their daily cap (in pool order):
// - round_robin: the first member at or after the persisted cursor, cyclically; the cursor then
//   moves past them (a capped member is skipped, not waited for).
// - weighted: deterministic, the member whose share is furthest behind their weight today — the
//   least (picks today + 1) / weight, ties by pool order (stride scheduling). Weights 3:1 give
//   picks 3:1 over any whole cycle, with no randomness to make tests or reports flaky.
// - least_loaded: the fewest picks today, ties by pool order.
// When every member is capped: the backups, least picked today first, under their own caps;
// else the outcome is `no_staff_available` (the scan is still recorded and the visitor still
// reaches the channel).
import { createHash } from 'node:crypto';
import type { Db } from '../../platform/db/connect.js';
import { inTransaction } from '../../platform/db/transaction.js';
import type { ScanOutcome, Strategy } from './tables.js';
import * as store from './store.js';

type PoolRow = Awaited<ReturnType<typeof store.poolWithPicks>>[number];

export interface Choice {
  memberId: string | null;
  outcome: ScanOutcome;
  /** The round robin's next cursor (unchanged for the other strategies). */
  cursor: number;
}

const underCap = (m: PoolRow) => m.daily_cap === null || m.picks < m.daily_cap;
const byLoad = (a: PoolRow, b: PoolRow) => a.picks - b.picks || a.position - b.position;

/** The choice for one scan: pure, given the pool with today's picks (ordered by position). */
export function choose(strategy: Strategy, pool: readonly PoolRow[], cursor: number): Choice {
  const members = pool.filter((m) => !m.backup);
  const open = members.filter(underCap);
  if (open.length) {
    if (strategy === 'round_robin') {
      const n = members.length;
      for (let i = 0; i < n; i++) {
        const index = (((cursor + i) % n) + n) % n;
        const m = members[index]!;
        if (underCap(m)) return { memberId: m.member_id, outcome: 'staff', cursor: (index + 1) % n };
      }
    }
    const best =
      strategy === 'weighted'
        ? [...open].sort((a, b) => (a.picks + 1) / a.weight - (b.picks + 1) / b.weight || a.position - b.position)[0]!
        : [...open].sort(byLoad)[0]!;
    return { memberId: best.member_id, outcome: 'staff', cursor };
  }
  const backup = pool.filter((m) => m.backup && underCap(m)).sort(byLoad)[0];
  return backup ? { memberId: backup.member_id, outcome: 'backup', cursor } : { memberId: null, outcome: 'no_staff_available', cursor };
}

export const userAgentHash = (userAgent: string | undefined) => (userAgent ? createHash('sha256').update(userAgent).digest('hex').slice(0, 32) : null);

export interface ScanResult extends Choice {
  workspaceId: string;
  codeId: string;
  slug: string;
  channelId: string | null;
  landingUrl: string | null;
}

/** Records one scan of the enabled code `slug` and returns whom it chose; undefined for an unknown or disabled code. */
export async function scan(db: Db, slug: string, userAgent: string | undefined): Promise<ScanResult | undefined> {
  const found = await store.findPublicCode(db, slug);
  if (!found) return undefined;
  return scanCode(db, found.workspace_id, found.id, userAgent);
}

export async function scanCode(db: Db, workspaceId: string, codeId: string, userAgent?: string): Promise<ScanResult | undefined> {
  return inTransaction(db, async (tx) => {
    const code = await store.lockForScan(tx, workspaceId, codeId);
    if (!code) return undefined;
    const pool = await store.poolWithPicks(tx, workspaceId, codeId, code.today);
    const choice = choose(code.strategy, pool, code.rr_cursor);
    if (choice.memberId) await store.countPick(tx, workspaceId, codeId, code.today, choice.memberId);
    if (choice.cursor !== code.rr_cursor) await store.setCursor(tx, workspaceId, codeId, choice.cursor);
    await store.insertScan(tx, workspaceId, { codeId, day: code.today, memberId: choice.memberId, outcome: choice.outcome, userAgentHash: userAgentHash(userAgent) });
    return { ...choice, workspaceId, codeId, slug: code.slug, channelId: code.channel_id, landingUrl: code.landing_url };
  });
}
