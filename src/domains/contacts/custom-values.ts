// Validates and normalises custom field values on every write (API, batch, import). With
// `coerce`, text from a CSV cell is read into the field's type ("12.5", "是", "a;b").
import type { FieldError } from '../../platform/http/errors.js';
import type { CustomFieldType, CustomValues } from './tables.js';

export interface FieldDefinition {
  key: string;
  label: string;
  type: CustomFieldType;
  options: string[];
  required: boolean;
}

type Value = CustomValues[string];
type Checked = { ok: true; value: Value } | { ok: false; reason: string };

const TEXT_LIMIT: Partial<Record<CustomFieldType, number>> = { text: 1000, long_text: 20000, url: 2000 };
const TRUE = new Set(['true', '1', 'yes', 'y', '是', '对', 'on']);
const FALSE = new Set(['false', '0', 'no', 'n', '否', '不', 'off']);
const LIST_SEPARATORS = /[,;，；、|]/;

function isIsoDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(text);
}

function checkValue(field: FieldDefinition, raw: unknown, coerce: boolean): Checked {
  const text = typeof raw === 'string' ? raw.trim() : raw;
  switch (field.type) {
    case 'text':
    case 'long_text':
      if (typeof text !== 'string') return { ok: false, reason: 'must be text' };
      return text.length > TEXT_LIMIT[field.type]! ? { ok: false, reason: `at most ${TEXT_LIMIT[field.type]} characters` } : { ok: true, value: text };
    case 'url': {
      if (typeof text !== 'string') return { ok: false, reason: 'must be a URL' };
      try {
        const url = new URL(text);
        if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, reason: 'must be an http(s) URL' };
      } catch {
        return { ok: false, reason: `"${text}" is not a URL` };
      }
      return { ok: true, value: text };
    }
    case 'number':
    case 'money': {
      const n = typeof text === 'number' ? text : coerce && typeof text === 'string' && text !== '' ? Number(text.replace(/[,，\s]/g, '')) : NaN;
      if (!Number.isFinite(n)) return { ok: false, reason: `"${String(raw)}" is not a number` };
      if (field.type === 'money' && Math.round(n * 100) / 100 !== n) return { ok: false, reason: 'money has at most two decimals' };
      return { ok: true, value: n };
    }
    case 'date':
      return typeof text === 'string' && isIsoDate(text) ? { ok: true, value: text } : { ok: false, reason: `"${String(raw)}" is not a date (YYYY-MM-DD)` };
    case 'boolean': {
      if (typeof text === 'boolean') return { ok: true, value: text };
      const word = coerce && typeof text === 'string' ? text.toLowerCase() : undefined;
      if (word !== undefined && TRUE.has(word)) return { ok: true, value: true };
      if (word !== undefined && FALSE.has(word)) return { ok: true, value: false };
      return { ok: false, reason: `"${String(raw)}" is not yes or no` };
    }
    case 'single_select':
      return typeof text === 'string' && field.options.includes(text) ? { ok: true, value: text } : { ok: false, reason: `"${String(raw)}" is not one of the options` };
    case 'multi_select': {
      const list = Array.isArray(text) ? text : coerce && typeof text === 'string' ? text.split(LIST_SEPARATORS) : undefined;
      if (!list || !list.every((v) => typeof v === 'string')) return { ok: false, reason: 'must be a list of options' };
      const chosen = [...new Set((list as string[]).map((v) => v.trim()).filter(Boolean))];
      const unknown = chosen.filter((v) => !field.options.includes(v));
      return unknown.length ? { ok: false, reason: `not options: ${unknown.join(', ')}` } : { ok: true, value: chosen };
    }
  }
}

const isEmpty = (v: unknown) => v === null || v === undefined || (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0);

export interface CheckOptions {
  /** Create checks every required field; update checks only what it sets (and refuses clearing a required one). */
  mode: 'create' | 'update';
  coerce?: boolean;
  /** Where the values sit in the request, for error paths (e.g. `custom`). */
  pathPrefix?: string;
}

/**
 * Returns the values to store (null = remove the key) and the errors, each naming its field.
 * Unknown keys are errors: a typo must not silently drop data.
 */
export function checkCustomValues(fields: readonly FieldDefinition[], input: Record<string, unknown>, options: CheckOptions) {
  const prefix = options.pathPrefix ?? 'custom';
  const byKey = new Map(fields.map((f) => [f.key, f]));
  const values: Record<string, Value | null> = {};
  const errors: FieldError[] = [];
  for (const [key, raw] of Object.entries(input)) {
    const field = byKey.get(key);
    if (!field) {
      errors.push({ path: `${prefix}.${key}`, message: 'Unknown custom field' });
      continue;
    }
    if (isEmpty(raw)) {
      if (field.required) errors.push({ path: `${prefix}.${key}`, message: `${field.label} is required` });
      else values[key] = null;
      continue;
    }
    const checked = checkValue(field, raw, options.coerce ?? false);
    if (checked.ok) values[key] = checked.value;
    else errors.push({ path: `${prefix}.${key}`, message: `${field.label}: ${checked.reason}` });
  }
  if (options.mode === 'create') {
    for (const field of fields) {
      if (field.required && !(field.key in input)) errors.push({ path: `${prefix}.${field.key}`, message: `${field.label} is required` });
    }
  }
  return { values, errors };
}
