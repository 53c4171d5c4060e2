// Weekly schedules in a time zone — a team's business hours, a live code's staff shifts: weekly
// intervals and closed dates (holidays), and their zod shape. Pure: the zone arithmetic goes
// through Intl (the runtime's IANA database), so summer time is handled.
import { z } from 'zod';

export interface WeeklyInterval {
  /** 0 Sunday … 6 Saturday. */
  day: number;
  /** HH:MM, local time of the schedule's zone. */
  open: string;
  /** HH:MM after `open`; 24:00 is midnight at the end of the day. */
  close: string;
}

const time = z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'A time is HH:MM');
export const weeklyInterval = z
  .object({ day: z.number().int().min(0).max(6), open: time, close: time })
  .refine((i) => i.open < i.close, { message: 'An interval closes after it opens (same day; 24:00 for midnight)', path: ['close'] });

export interface Schedule {
  timezone: string;
  weekly: readonly WeeklyInterval[];
  /** Local dates, YYYY-MM-DD. */
  closedDates: readonly string[];
}

/** How far back a closed period is looked for (long holidays included). */
const LOOK_BACK_DAYS = 62;

const formats = new Map<string, Intl.DateTimeFormat>();
function formatIn(timezone: string) {
  let f = formats.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: timezone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formats.set(timezone, f);
  }
  return f;
}

export function isTimezone(timezone: string) {
  try {
    formatIn(timezone);
    return true;
  } catch {
    return false;
  }
}

export const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** The wall clock in the zone at an instant. */
function wallClock(timezone: string, at: Date) {
  const p = Object.fromEntries(formatIn(timezone).formatToParts(at).map((x) => [x.type, Number(x.value)]));
  return { year: p.year!, month: p.month!, day: p.day!, minutes: p.hour! * 60 + p.minute!, second: p.second! };
}

/** Milliseconds the zone is ahead of UTC at an instant. */
function offsetAt(timezone: string, at: number) {
  const w = wallClock(timezone, new Date(at));
  return Date.UTC(w.year, w.month - 1, w.day, 0, w.minutes, w.second) - Math.floor(at / 1000) * 1000;
}

/** The instant a local date and time names (the later reading of an hour summer time repeats). */
function instantOf(timezone: string, year: number, month: number, day: number, minutes: number) {
  const wall = Date.UTC(year, month - 1, day, 0, minutes);
  const first = wall - offsetAt(timezone, wall);
  return new Date(wall - offsetAt(timezone, first));
}

const isoDate = (d: Date) => d.toISOString().slice(0, 10);

export function isOpen(s: Schedule, at: Date) {
  const w = wallClock(s.timezone, at);
  const date = new Date(Date.UTC(w.year, w.month - 1, w.day));
  if (s.closedDates.includes(isoDate(date))) return false;
  const weekday = date.getUTCDay();
  return s.weekly.some((i) => i.day === weekday && minutesOf(i.open) <= w.minutes && w.minutes < minutesOf(i.close));
}

/**
 * When the closed period holding `at` began (the end of the last open interval), or null when
 * the schedule was not open in the last LOOK_BACK_DAYS. Names the period for "one away message
 * per conversation per closed period".
 */
export function closedSince(s: Schedule, at: Date): Date | null {
  const w = wallClock(s.timezone, at);
  for (let back = 0; back <= LOOK_BACK_DAYS; back++) {
    const date = new Date(Date.UTC(w.year, w.month - 1, w.day - back));
    if (s.closedDates.includes(isoDate(date))) continue;
    const closes = s.weekly
      .filter((i) => i.day === date.getUTCDay())
      .map((i) => instantOf(s.timezone, date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), minutesOf(i.close)))
      .filter((c) => c.getTime() <= at.getTime())
      .sort((a, b) => b.getTime() - a.getTime());
    if (closes[0]) return closes[0];
  }
  return null;
}
