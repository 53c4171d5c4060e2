// Business hours in a zone, at fixed instants: open and closed, holidays, summer time, and the
// start of the closed period that names "one away message per period".
import { describe, expect, it } from 'vitest';
import { closedSince, isOpen, isTimezone } from './weekly.js';

const weekdays = [1, 2, 3, 4, 5].map((day) => ({ day, open: '09:00', close: '18:00' }));
const shanghai = { timezone: 'Asia/Shanghai', weekly: weekdays, closedDates: ['2026-10-01'] };

describe('business hours', () => {
  it('reads the wall clock of the team’s zone', () => {
    // Wednesday 2 Dec 2026, 10:00 in Shanghai is 02:00 UTC.
    expect(isOpen(shanghai, new Date('2026-12-02T02:00:00Z'))).toBe(true);
    // 18:00 closes (the interval is half-open); 08:59 is before opening.
    expect(isOpen(shanghai, new Date('2026-12-02T10:00:00Z'))).toBe(false);
    expect(isOpen(shanghai, new Date('2026-12-02T00:59:00Z'))).toBe(false);
    // Saturday, and a holiday that falls on a Thursday.
    expect(isOpen(shanghai, new Date('2026-12-05T03:00:00Z'))).toBe(false);
    expect(isOpen(shanghai, new Date('2026-10-01T03:00:00Z'))).toBe(false);
  });

  it('names the closed period by when it began: the same for a whole night or weekend', () => {
    const friday = new Date('2026-12-04T10:00:00Z'); // Friday 18:00 in Shanghai
    expect(closedSince(shanghai, new Date('2026-12-04T15:00:00Z'))).toEqual(friday);
    expect(closedSince(shanghai, new Date('2026-12-06T12:00:00Z'))).toEqual(friday);
    expect(closedSince(shanghai, new Date('2026-12-07T00:30:00Z'))).toEqual(friday); // Monday 08:30
    expect(closedSince(shanghai, new Date('2026-12-07T11:00:00Z'))).toEqual(new Date('2026-12-07T10:00:00Z'));
    // A holiday on Thursday: closed since Wednesday 18:00 until Friday 09:00.
    expect(closedSince(shanghai, new Date('2026-10-01T05:00:00Z'))).toEqual(new Date('2026-09-30T10:00:00Z'));
    expect(closedSince({ ...shanghai, weekly: [] }, new Date())).toBeNull();
  });

  it('follows summer time', () => {
    const ny = { timezone: 'America/New_York', weekly: weekdays, closedDates: [] };
    // 09:30 in New York: 14:30 UTC in winter (EST), 13:30 UTC in summer (EDT).
    expect(isOpen(ny, new Date('2026-12-02T14:30:00Z'))).toBe(true);
    expect(isOpen(ny, new Date('2026-07-01T13:30:00Z'))).toBe(true);
    expect(isOpen(ny, new Date('2026-12-02T13:30:00Z'))).toBe(false);
    expect(closedSince(ny, new Date('2026-07-01T23:00:00Z'))).toEqual(new Date('2026-07-01T22:00:00Z'));
  });

  it('knows IANA zones', () => {
    expect(isTimezone('Asia/Shanghai')).toBe(true);
    expect(isTimezone('Mars/Olympus')).toBe(false);
  });
});
