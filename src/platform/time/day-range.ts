// A report's range of local days from a query's optional `from` and `to` (YYYY-MM-DD): by default
// the last `defaultDays` days up to today, at most `maxDays`; a bad range is a field error.
import { invalid } from '../http/errors.js';

const DAY_MS = 86_400_000;

export function dayRange(q: { from?: string; to?: string }, today: string, { defaultDays = 30, maxDays = 366 } = {}) {
  const to = q.to ?? today;
  const from = q.from ?? new Date(Date.parse(`${to}T00:00:00Z`) - (defaultDays - 1) * DAY_MS).toISOString().slice(0, 10);
  const span = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS;
  if (!Number.isFinite(span) || span < 0) throw invalid([{ path: 'from', message: 'from must be a date on or before to' }]);
  if (span >= maxDays) throw invalid([{ path: 'from', message: `At most ${maxDays} days` }]);
  return { from, to };
}
