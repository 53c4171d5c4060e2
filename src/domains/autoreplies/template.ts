// Canned-response variables: `{{contact.name}}`, `{{agent.name}}`… replaced in one pass, so a value
// that itself looks like a variable (a contact named "{{agent.name}}") stays as written. The
// result is plain text: whatever shows it escapes it (the console renders messages as text).
// A known variable without a value renders empty; unknown variables are refused when a response
// is saved (unknownVariables), so the raw braces of a typo never reach a customer.

export const variables = [
  'contact.name',
  'contact.first_name',
  'contact.company',
  'contact.email',
  'contact.phone',
  'contact.title',
  'contact.city',
  'agent.name',
  'agent.email',
  'channel.name',
  'workspace.name',
] as const;
export type Variable = (typeof variables)[number];
export type TemplateValues = Partial<Record<Variable, string | null>>;

const VARIABLE = /\{\{\s*([a-z_]+\.[a-z_]+)\s*\}\}/g;
const known = new Set<string>(variables);

export function unknownVariables(body: string): string[] {
  return [...new Set([...body.matchAll(VARIABLE)].map((m) => m[1]!).filter((name) => !known.has(name)))];
}

export const render = (body: string, values: TemplateValues) =>
  body.replace(VARIABLE, (raw, name: string) => (known.has(name) ? (values[name as Variable] ?? '') : raw));

/** The first word of a name written with spaces; a name without spaces (most Chinese names) whole. */
export const firstName = (name: string | null | undefined) => name?.trim().split(/\s+/)[0] ?? '';
