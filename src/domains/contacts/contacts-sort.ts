// Keyset pagination over any contact sort: createdAt, updatedAt, lastActiveAt, name or a custom
// field. Rows are ordered `value <dir> nulls last, id <dir>`; the cursor names the sort, whether
// the last value was null, the value as text and the id, and is checked before it reaches SQL.
// Columns that are never null (created_at, updated_at, name) are ordered and compared as a plain
// row `(value, id)`, the form that walks their (workspace_id, value desc, id desc) indexes.
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { z } from 'zod';
import { decodeCursor, encodeCursor } from '../../platform/http/pagination.js';
import { invalid } from '../../platform/http/errors.js';
import type { FieldDefinition } from './custom-values.js';
import { customValueSql } from './filter.js';

export const contactSortSchema = z.strictObject({
  by: z.union([z.enum(['createdAt', 'updatedAt', 'lastActiveAt', 'name']), z.string().regex(/^custom\.[a-z][a-z0-9_]{0,39}$/, 'createdAt, updatedAt, lastActiveAt, name or custom.<key>')]),
  dir: z.enum(['asc', 'desc']).default('desc'),
});
export type ContactSort = z.input<typeof contactSortSchema>;

type ValueKind = 'timestamp' | 'text' | 'number' | 'date' | 'boolean';

export interface CompiledSort {
  /** Identifies the sort in cursors, so a cursor from another sort is refused. */
  key: string;
  dir: 'asc' | 'desc';
  kind: ValueKind;
  /** The sort value of `c`. */
  expr: RawBuilder<unknown>;
  /** The value is a NOT NULL column. */
  notNull: boolean;
  /** A (workspace_id, value, id) index of live contacts serves this order and its cursor (the NOT NULL columns). */
  indexed: boolean;
}

const builtin: Record<string, { column: string; kind: ValueKind; notNull: boolean }> = {
  createdAt: { column: 'created_at', kind: 'timestamp', notNull: true },
  updatedAt: { column: 'updated_at', kind: 'timestamp', notNull: true },
  lastActiveAt: { column: 'last_active_at', kind: 'timestamp', notNull: false },
  name: { column: 'name', kind: 'text', notNull: true },
};

/** Resolves the sort against the workspace's custom fields (400 on an unknown or list-valued field). */
export function compileSort(sort: ContactSort | undefined, fields: readonly FieldDefinition[], path = 'sort'): CompiledSort {
  const by = sort?.by ?? 'createdAt';
  const dir = sort?.dir ?? 'desc';
  const known = builtin[by];
  if (known) return { key: `${by}:${dir}`, dir, kind: known.kind, expr: sql`${sql.ref(`c.${known.column}`)}`, notNull: known.notNull, indexed: known.notNull };
  const key = by.slice('custom.'.length);
  const field = fields.find((f) => f.key === key);
  if (!field) throw invalid([{ path: `${path}.by`, message: 'Unknown custom field' }]);
  if (field.type === 'multi_select') throw invalid([{ path: `${path}.by`, message: 'A multi-select field cannot be sorted on' }]);
  const kind: ValueKind = field.type === 'number' || field.type === 'money' ? 'number' : field.type === 'date' ? 'date' : field.type === 'boolean' ? 'boolean' : 'text';
  return { key: `${by}:${dir}`, dir, kind, expr: customValueSql('c', key, field.type), notNull: false, indexed: false };
}

/** The sort value as text (what the cursor carries); null stays null. */
export const sortValueText = (s: CompiledSort) => sql<string | null>`to_json(${s.expr}) #>> '{}'`;

export function orderBySort(s: CompiledSort) {
  const dir = sql.raw(s.dir);
  return s.notNull ? sql`${s.expr} ${dir}, c.id ${dir}` : sql`${s.expr} ${dir} nulls last, c.id ${dir}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NUMBER = /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export const sortCursor = (s: CompiledSort, row: { id: string; sort_value: string | null }) =>
  encodeCursor([s.key, row.sort_value === null ? 1 : 0, row.sort_value ?? '', row.id]);

/** The typed, bound cursor value; throws 400 on anything that does not fit the sort. */
function bindValue(kind: ValueKind, text: string): RawBuilder<unknown> | null {
  switch (kind) {
    case 'timestamp': {
      const at = new Date(text);
      return Number.isNaN(at.getTime()) ? null : sql`${at}::timestamptz`;
    }
    case 'number':
      return NUMBER.test(text) ? sql`${text}::numeric` : null;
    case 'date':
      return DATE.test(text) && !Number.isNaN(new Date(`${text}T00:00:00Z`).getTime()) ? sql`${text}::date` : null;
    case 'boolean':
      return text === 'true' || text === 'false' ? sql`${text === 'true'}::boolean` : null;
    case 'text':
      return sql`${text}::text`;
  }
}

/** The "after the cursor's row" predicate for this sort, or undefined without a cursor. */
export function afterCursor(s: CompiledSort, cursor: string | undefined | null): RawBuilder<SqlBool> | undefined {
  if (!cursor) return undefined;
  const refused = () => invalid([{ path: 'cursor', message: 'Invalid cursor' }]);
  const [key, isNull, text, id] = decodeCursor(cursor, 4);
  if (key !== s.key || (isNull !== 0 && isNull !== 1) || typeof text !== 'string' || typeof id !== 'string' || !UUID.test(id)) throw refused();
  const past = s.dir === 'asc' ? sql.raw('>') : sql.raw('<');
  if (isNull === 1) return sql<SqlBool>`(${s.expr} is null and c.id ${past} ${id}::uuid)`;
  const value = bindValue(s.kind, text);
  if (!value) throw refused();
  if (s.notNull) return sql<SqlBool>`((${s.expr}, c.id) ${past} (${value}, ${id}::uuid))`;
  return sql<SqlBool>`(${s.expr} ${past} ${value} or (${s.expr} = ${value} and c.id ${past} ${id}::uuid) or ${s.expr} is null)`;
}
