// Which staff member a person who opens /c/<slug> is sent to (scan.ts runs it under the code's
// row lock, for each scan of a group in turn).
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
import type { ScanOutcome, Strategy } from './tables.js';

/** A pool member with their picks today (`picks` grows as a scan group chooses). */
export interface PoolRow {
  member_id: string;
  position: number;
  backup: boolean;
  weight: number;
  daily_cap: number | null;
  picks: number;
}

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
