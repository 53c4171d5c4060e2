// Who can be chosen at a moment (shifts, special periods, backups), without a database.
import { describe, expect, it } from 'vitest';
import { choose, periodOn, poolAt, type StaffRow } from './pick.js';

const row = (member_id: string, position: number, extra: Partial<StaffRow> = {}): StaffRow => ({ member_id, position, backup: false, weight: 1, daily_cap: null, picks: 0, hours: null, ...extra });
// Wednesday 2 December 2026: 10:00 in Shanghai is 02:00 UTC; 20:00 is 12:00 UTC.
const morning = { timezone: 'Asia/Shanghai', at: new Date('2026-12-02T02:00:00Z'), today: '2026-12-02' };
const evening = { ...morning, at: new Date('2026-12-02T12:00:00Z') };
const officeHours = [1, 2, 3, 4, 5].map((day) => ({ day, open: '09:00', close: '18:00' }));

describe('the pool at a moment', () => {
  const staff = [row('day-shift', 0, { hours: officeHours }), row('always', 1), row('backup', 2, { backup: true, hours: officeHours })];

  it('holds the staff on duty by their hours in the workspace’s zone, and the backups on duty', () => {
    expect(poolAt(staff, undefined, new Map(), morning).map((m) => m.member_id)).toEqual(['day-shift', 'always', 'backup']);
    expect(poolAt(staff, undefined, new Map(), evening).map((m) => m.member_id)).toEqual(['always']);
    // Saturday morning: the weekday shifts are off.
    expect(poolAt(staff, undefined, new Map(), { ...morning, at: new Date('2026-12-05T02:00:00Z') }).map((m) => m.member_id)).toEqual(['always']);
  });

  it('on a special period’s day, the period’s staff replace the pool (with today’s picks and caps); backups stay', () => {
    const periods = [{ name: '国庆', from: '2026-10-01', to: '2026-10-07', staff: [{ memberId: 'holiday', dailyCap: 2 }] }];
    expect(periodOn(periods, '2026-10-07')?.name).toBe('国庆');
    expect(periodOn(periods, '2026-10-08')).toBeUndefined();
    const pool = poolAt(staff, periods[0], new Map([['holiday', 2]]), { ...morning, today: '2026-10-07' });
    expect(pool.map((m) => [m.member_id, m.picks, m.daily_cap])).toEqual([
      ['holiday', 2, 2],
      ['backup', 0, null],
    ]);
    // The period's member is at their cap: the backup takes over.
    expect(choose('round_robin', pool, 0)).toMatchObject({ memberId: 'backup', outcome: 'backup' });
  });
});
