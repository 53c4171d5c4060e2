// A batch of rows sent to the database as one text parameter and read back as a recordset by
// string_to_table / string_to_array — the cheapest way in for 10^4 rows that both PostgreSQL and
// PGlite share. Measured on 10^4 contact rows (16 fields): json_to_recordset 32–43 µs a row of
// backend CPU, jsonb_to_recordset about the same, unnest of typed arrays ~22 µs; this ~6–7 µs,
// close to COPY's ~9 µs, which the driver behind Kysely cannot reach.
//
// Rows are separated by U+001E (record separator), fields by U+001F (unit separator). An empty
// field is SQL null (the import never writes empty strings: an empty cell means "no value").
// A text value holding U+001D, U+001E or U+001F has each written as U+001D followed by d, e or f,
// and only such values pay for the unescaping in SQL.
import { sql, type RawBuilder } from 'kysely';

const ROW = '\x1e';
const FIELD = '\x1f';
// Control characters by design: they are the separators and the escape.
// eslint-disable-next-line no-control-regex
const SPECIAL = /[\x1d\x1e\x1f]/;
// eslint-disable-next-line no-control-regex
const SPECIALS = /[\x1d\x1e\x1f]/g;
const ESCAPES: Record<string, string> = { '\x1d': '\x1dd', '\x1e': '\x1de', '\x1f': '\x1df' };

export type FieldValue = string | number | null | undefined;

function field(value: FieldValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  return SPECIAL.test(value) ? value.replace(SPECIALS, (c) => ESCAPES[c]!) : value;
}

/** The rows, each a list of fields in the order `recordset` names them, as one string. */
export function encodeRows(rows: Iterable<readonly FieldValue[]>): string {
  let out = '';
  let first = true;
  for (const row of rows) {
    if (!first) out += ROW;
    first = false;
    for (let i = 0; i < row.length; i++) out += i === 0 ? field(row[i]) : FIELD + field(row[i]);
  }
  return out;
}

/** SQL types a field may be read as; `text` fields are unescaped, the others never need it. */
export type FieldType = 'text' | 'uuid' | 'int' | 'date' | 'jsonb';

// U+001D, U+001E, U+001F in SQL (E'' strings read \x escapes).
const unescaped = (a: string) =>
  `case when strpos(${a}, E'\\x1d') = 0 then ${a} else replace(replace(replace(${a}, E'\\x1de', E'\\x1e'), E'\\x1df', E'\\x1f'), E'\\x1dd', E'\\x1d') end`;

/**
 * `select <fields> from <the rows of text>` with each field named and typed: use it as a
 * subquery (`from (${recordset(...)}) r`). Field i of a row is element i of its array.
 */
export function recordset(text: string, fields: ReadonlyArray<readonly [name: string, type: FieldType]>): RawBuilder<unknown> {
  const columns = fields
    .map(([name, type], i) => {
      const value = `f[${i + 1}]`;
      return `${type === 'text' ? unescaped(value) : `${value}::${type}`} as ${name}`;
    })
    .join(', ');
  return sql`select ${sql.raw(columns)} from string_to_table(${text}::text, E'\\x1e') as l, string_to_array(l, E'\\x1f', '') as f`;
}
