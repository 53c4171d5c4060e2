// Keyset (cursor) pagination: stays fast deep into a list, unlike OFFSET.
import { sql, type Expression, type SqlBool } from 'kysely';
import { z } from 'zod';
import { invalid } from './errors.js';

export const pageQuery = z.object({
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type PageQuery = z.infer<typeof pageQuery>;

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export const pageSchema = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function encodeCursor(values: ReadonlyArray<string | number>): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

export function decodeCursor(cursor: string, arity: number): Array<string | number> {
  try {
    const values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(values) && values.length === arity && values.every((v) => typeof v === 'string' || typeof v === 'number')) {
      return values;
    }
  } catch {
    // fall through to the validation error
  }
  throw invalid([{ path: 'cursor', message: 'Invalid cursor' }]);
}

/**
 * Timestamps are stored with millisecond precision (`timestamptz(3)` in every migration), the
 * same as a JS Date, so a cursor built from a Date names its row exactly.
 *
 * The "after this row" predicate for a descending (timestamp, id) order:
 * `(ts, id) < (cursor.ts, cursor.id)`. Rows must be ordered `ts desc, id desc`.
 */
export function afterNewestFirst(tsColumn: string, idColumn: string, cursor: string | undefined): Expression<SqlBool> | undefined {
  if (!cursor) return undefined;
  const [ts, id] = decodeCursor(cursor, 2);
  const at = new Date(ts as string);
  if (Number.isNaN(at.getTime()) || !UUID.test(String(id))) throw invalid([{ path: 'cursor', message: 'Invalid cursor' }]);
  return sql<SqlBool>`(${sql.ref(tsColumn)}, ${sql.ref(idColumn)}) < (${at}, ${id})`;
}

/** Trims the look-ahead row (queries fetch limit + 1) and builds the next cursor from the last row. */
export function toPage<R, T>(rows: R[], limit: number, cursorOf: (row: R) => ReadonlyArray<string | number>, map: (row: R) => T): Page<T> {
  const more = rows.length > limit;
  const kept = more ? rows.slice(0, limit) : rows;
  const last = kept.at(-1);
  return { items: kept.map(map), nextCursor: more && last ? encodeCursor(cursorOf(last)) : null };
}
