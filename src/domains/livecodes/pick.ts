// Which staff member a person who opens /c/<slug> is sent to (scan.ts runs it under the code's
// row lock, for each scan of a group in turn).
//
// The pool at a moment (`poolAt`): on a day of a special period, that period's staff (holidays,
// events); otherwise the code's staff on duty (their weekly hours in the workspace's time zone;
// no hours is always). Backups on duty stay behind either.
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
import { isOpen, type WeeklyInterval } from '../../platform/time/weekly.js';
import type { ScanOutcome, SpecialPeriod, Strategy } from './tables.js';

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

/** A staff row of the code with its picks today. */
export interface StaffRow extends PoolRow {
  hours: WeeklyInterval[] | null;
}

export interface PoolMoment {
  timezone: string;
  at: Date;
  /** The workspace's local date, YYYY-MM-DD. */
  today: string;
}

/** The special period holding `today`, if any (periods do not overlap). */
export const periodOn = (periods: readonly SpecialPeriod[], today: string) => periods.find((p) => p.from <= today && today <= p.to);

/** Who can be chosen now: see the header. `periodPicks` are today's picks of the period's staff. */
export function poolAt(staff: readonly StaffRow[], period: SpecialPeriod | undefined, periodPicks: ReadonlyMap<string, number>, moment: PoolMoment): PoolRow[] {
  const onDuty = (s: StaffRow) => s.hours === null || isOpen({ timezone: moment.timezone, weekly: s.hours, closedDates: [] }, moment.at);
  const backups = staff.filter((s) => s.backup && onDuty(s));
  if (!period) return [...staff.filter((s) => !s.backup && onDuty(s)), ...backups];
  const periodStaff = period.staff.map((s, position) => ({ member_id: s.memberId, position, backup: false, weight: 1, daily_cap: s.dailyCap, picks: periodPicks.get(s.memberId) ?? 0 }));
  return [...periodStaff, ...backups];
}
