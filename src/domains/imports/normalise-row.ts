// One CSV record → the contact it describes, or the reasons it cannot be imported (per column).
// Pure: the workspace's stages, members, custom fields and region come in as a lookup.
import { checkCustomValues, normaliseEmail, normalisePhone, type FieldDefinition } from '../contacts/index.js';
import type { Mapping } from './mapping.js';

export interface Lookup {
  defaultRegion: string;
  fields: readonly FieldDefinition[];
  /** lower(name) → stage id */
  stages: ReadonlyMap<string, string>;
  /** lower(e-mail) → member id (active members) */
  owners: ReadonlyMap<string, string>;
}

/** The contact columns an import writes (snake_case, as stored). */
export interface ContactColumns {
  name: string | null;
  gender: 'male' | 'female' | 'other' | 'unknown' | null;
  birthday: string | null;
  phone: string | null;
  email: string | null;
  company: string | null;
  title: string | null;
  city: string | null;
  region: string | null;
  stage_id: string | null;
  owner_member_id: string | null;
  source_channel: string | null;
  influence: number | null;
}

export interface RowError {
  column: string;
  reason: string;
}

export interface NormalisedRow {
  line: number;
  columns: ContactColumns;
  custom: Record<string, unknown>;
  tags: string[];
  identities: Array<{ channelType: string; externalId: string }>;
  /** The normalised values by target, for the preview. */
  values: Record<string, unknown>;
  errors: RowError[];
}

const GENDERS: Record<string, ContactColumns['gender']> = {
  男: 'male', 男性: 'male', 先生: 'male', m: 'male', male: 'male', man: 'male',
  女: 'female', 女性: 'female', 女士: 'female', 小姐: 'female', f: 'female', female: 'female', woman: 'female',
  其他: 'other', other: 'other',
  未知: 'unknown', unknown: 'unknown', 保密: 'unknown',
};

const TAG_SEPARATORS = /[,;，；、|]/;
const TEXT_LIMIT = 500;

/**
 * Dates as spreadsheets write them, year first (the order used in China and by ISO): 1990-05-01,
 * 1990/5/1, 1990.5.1, 1990年5月1日, 19900501, and an ISO timestamp's date part. Day-first and
 * month-first forms (01/05/1990) are ambiguous and refused rather than guessed.
 */
export function parseDate(raw: string): string | null {
  const text = raw.trim();
  const m =
    /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[T\s].*)?$/.exec(text) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const iso = `${m[1]}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  const date = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || date.getUTCFullYear() !== y || date.getUTCMonth() + 1 !== mo || date.getUTCDate() !== d) return null;
  return iso;
}

const emptyColumns = (): ContactColumns => ({
  name: null, gender: null, birthday: null, phone: null, email: null, company: null, title: null, city: null,
  region: null, stage_id: null, owner_member_id: null, source_channel: null, influence: null,
});

export function splitTags(raw: string): string[] {
  return [...new Set(raw.split(TAG_SEPARATORS).map((t) => t.trim()).filter(Boolean))];
}

/**
 * Normalises one record. Empty cells mean "no value" (they never clear anything); a row with no
 * phone, e-mail or identity is refused because it could not be matched again on a re-run.
 */
export function normaliseRow(line: number, cells: readonly string[], headers: readonly string[], mapping: Mapping, lookup: Lookup): NormalisedRow {
  return rowNormaliser(headers, mapping, lookup)(line, cells);
}

type Cell = (row: NormalisedRow, raw: string) => void;

/**
 * normaliseRow for many rows of one file: what depends only on the mapping — which columns are
 * read, and the function that reads each — is worked out once, so a row costs one call per
 * mapped cell (10^6-row imports; phone numbers are most of what remains).
 */
export function rowNormaliser(headers: readonly string[], mapping: Mapping, lookup: Lookup): (line: number, cells: readonly string[]) => NormalisedRow {
  const fieldsByKey = new Map(lookup.fields.map((f) => [f.key, f]));
  // One field per check (mode 'update' checks only the keys given, so the result is the same).
  const fieldLists = new Map(lookup.fields.map((f) => [f.key, [f]]));
  const keyHeader = headers.find((h) => mapping[h] === 'phone' || mapping[h] === 'email' || mapping[h]?.startsWith('identity.')) ?? '';
  const readers: Array<{ index: number; read: Cell }> = [];
  headers.forEach((header, index) => {
    const target = mapping[header];
    if (target && target !== 'ignore') readers.push({ index, read: cellReader(header, target, lookup, fieldsByKey, fieldLists) });
  });
  return (line, cells) => {
    const row: NormalisedRow = { line, columns: emptyColumns(), custom: {}, tags: [], identities: [], values: {}, errors: [] };
    for (const { index, read } of readers) {
      const raw = (cells[index] ?? '').trim();
      if (raw !== '') read(row, raw);
    }
    if (!row.errors.length && !row.columns.phone && !row.columns.email && !row.identities.length) {
      row.errors.push({ column: keyHeader, reason: 'No phone, e-mail or identity: the row could not be matched on a re-run' });
    }
    return row;
  };
}

/** The function that reads one column's (trimmed, non-empty) cells into a row. */
function cellReader(
  header: string,
  target: string,
  lookup: Lookup,
  fieldsByKey: ReadonlyMap<string, FieldDefinition>,
  fieldLists: ReadonlyMap<string, FieldDefinition[]>,
): Cell {
  const fail = (row: NormalisedRow, reason: string) => {
    row.errors.push({ column: header, reason });
  };
  const text =
    (key: keyof ContactColumns): Cell =>
    (row, raw) => {
      if (raw.length > TEXT_LIMIT) return fail(row, `at most ${TEXT_LIMIT} characters`);
      (row.columns[key] as string) = raw;
      row.values[target] = raw;
    };
  switch (target) {
    case 'name':
    case 'company':
    case 'title':
    case 'city':
    case 'region':
      return text(target);
    case 'sourceChannel':
      return text('source_channel');
    case 'phone':
      return (row, raw) => {
        const r = normalisePhone(raw, lookup.defaultRegion);
        if (!r.ok) return fail(row, r.reason);
        row.columns.phone = r.value;
        row.values.phone = r.value;
      };
    case 'email':
      return (row, raw) => {
        const r = normaliseEmail(raw);
        if (!r.ok) return fail(row, r.reason);
        row.columns.email = r.value;
        row.values.email = r.value;
      };
    case 'gender':
      return (row, raw) => {
        const g = GENDERS[raw.toLowerCase()];
        if (!g) return fail(row, `"${raw}" is not a gender (男/女, male/female, other, unknown)`);
        row.columns.gender = g;
        row.values.gender = g;
      };
    case 'birthday':
      return (row, raw) => {
        const d = parseDate(raw);
        if (!d) return fail(row, `"${raw}" is not a date (YYYY-MM-DD, YYYY/M/D, YYYY年M月D日)`);
        row.columns.birthday = d;
        row.values.birthday = d;
      };
    case 'influence':
      return (row, raw) => {
        const n = Number(raw.replace(/[,，\s]/g, ''));
        if (!Number.isInteger(n) || n < 0 || n > 2_147_483_647) return fail(row, `"${raw}" is not a whole number ≥ 0`);
        row.columns.influence = n;
        row.values.influence = n;
      };
    case 'stage':
      return (row, raw) => {
        const id = lookup.stages.get(raw.toLowerCase());
        if (!id) return fail(row, `No stage named "${raw}"`);
        row.columns.stage_id = id;
        row.values.stage = raw;
      };
    case 'owner':
      return (row, raw) => {
        const id = lookup.owners.get(raw.toLowerCase());
        if (!id) return fail(row, `No active member with e-mail "${raw}"`);
        row.columns.owner_member_id = id;
        row.values.owner = raw.toLowerCase();
      };
    case 'tags':
      return (row, raw) => {
        const names = splitTags(raw);
        const long = names.find((n) => n.length > 50);
        if (long) return fail(row, `Tag "${long}" is longer than 50 characters`);
        row.tags = names;
        row.values.tags = names;
      };
  }
  if (target.startsWith('identity.')) {
    const channelType = target.slice(9);
    return (row, raw) => {
      if (raw.length > 200) return fail(row, 'at most 200 characters');
      row.identities.push({ channelType, externalId: raw });
      row.values[target] = raw;
    };
  }
  if (target.startsWith('custom.')) {
    const key = target.slice(7);
    const field = fieldsByKey.get(key);
    const fields = fieldLists.get(key) ?? lookup.fields;
    return (row, raw) => {
      // A date cell in any of the accepted spellings is read as ISO before the field's own check.
      const value = field?.type === 'date' ? (parseDate(raw) ?? raw) : raw;
      const { values, errors } = checkCustomValues(fields, { [key]: value }, { mode: 'update', coerce: true });
      if (errors.length) return fail(row, errors[0]!.message);
      row.custom[key] = values[key];
      row.values[target] = values[key];
    };
  }
  return () => undefined;
}

/** The keys a row is matched on, strongest first. */
export function rowKeys(row: NormalisedRow): string[] {
  return [
    ...row.identities.map((i) => `identity:${i.channelType}:${i.externalId}`),
    ...(row.columns.phone ? [`phone:${row.columns.phone}`] : []),
    ...(row.columns.email ? [`email:${row.columns.email}`] : []),
  ];
}
