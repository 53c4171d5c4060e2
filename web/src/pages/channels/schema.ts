// What the channel forms need from a type's JSON Schema: which branch of a union a value is in,
// the initial values, and the values as the API takes them.
import type { JsonSchema } from '../../api/channels';

export type { JsonSchema };

export const branchesOf = (s: JsonSchema) => s.oneOf ?? s.anyOf;

/** The property whose `const` tells a union's branches apart (e.g. `mode`). */
export function discriminatorOf(branches: JsonSchema[]): string | undefined {
  const first = branches[0]?.properties ?? {};
  return Object.keys(first).find((key) => branches.every((b) => b.properties?.[key]?.const !== undefined));
}

export function branchFor(branches: JsonSchema[], key: string, value: unknown): JsonSchema | undefined {
  return branches.find((b) => b.properties?.[key]?.const === value);
}

export const isColour = (s: JsonSchema) => s.type === 'string' && /#\[0-9a-f\]\{6\}/i.test(s.pattern ?? '');

/** Initial values for a new channel: each default, and the first branch of a union. */
export function defaultsOf(s: JsonSchema): unknown {
  if (s.default !== undefined) return s.default;
  const branches = branchesOf(s);
  if (branches?.[0]) return defaultsOf(branches[0]);
  if (s.const !== undefined) return s.const;
  if (s.type === 'object' && s.properties) {
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(s.properties)) {
      const value = defaultsOf(child);
      if (value !== undefined) out[key] = value;
    }
    return out;
  }
  return undefined;
}

const isBlank = (v: unknown) => v === undefined || v === null || v === '';

/** What the form holds, as the API takes it: blank optional fields left out. */
export function cleaned(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(cleaned);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      const c = cleaned(v);
      if (!isBlank(c)) out[key] = c;
    }
    return out;
  }
  return typeof value === 'string' ? value.trim() : value;
}

/** A label for a property the translations do not name: `requireTls` → "Require tls". */
export function humanize(key: string): string {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
