import type { Cell } from './types.js';

// East Asian wide characters take two columns in a terminal.
const width = (s: string) => [...s].reduce((w, ch) => w + (/[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1), 0);

const show = (c: Cell | undefined) => (c === undefined ? '' : typeof c === 'number' ? (Number.isInteger(c) ? String(c) : c.toFixed(1)) : c);

/** A plain-text table: numbers right-aligned, text left-aligned. */
export function formatTable(rows: ReadonlyArray<Record<string, Cell>>): string {
  if (!rows.length) return '(no rows)';
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cells = rows.map((r) => columns.map((c) => show(r[c])));
  const widths = columns.map((c, i) => Math.max(width(c), ...cells.map((row) => width(row[i]!))));
  const numeric = columns.map((c) => rows.every((r) => typeof r[c] !== 'string'));
  const line = (values: string[]) =>
    values.map((v, i) => (numeric[i] ? ' '.repeat(widths[i]! - width(v)) + v : v + ' '.repeat(widths[i]! - width(v)))).join('  ');
  return [line(columns), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}
