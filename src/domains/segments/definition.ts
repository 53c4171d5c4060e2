// The segment definition language: nested AND/OR groups of conditions on a contact's fields,
// custom fields, tags, stage, owner and team, source, consent, identities, RFM scores and layer,
// and behaviour ("did EVENT [where …] at least N times in the last D days"). One Zod schema
// validates the shape; the workspace-dependent checks (custom keys and their types, the ids
// named) happen in checkDefinition. Auto-tag rules reuse both (index.ts).
//
// Semantics every compiler of this language keeps (compile.ts in SQL, the test's in-memory one):
// - A group with op `and` matches when all its conditions do (an empty one: everyone); `or` when
//   any does (an empty one: no one). There is no NOT: negation lives in the operators
//   (neq, not_in, not_contains, none, lacks, at_most…), so "no value" is simply "false" for
//   positive operators and "true" for negative ones.
// - Text comparisons are exact (eq, in) or case-insensitive substrings (contains, starts_with);
//   "empty" text is absent or ''.
// - Dates are calendar days; instants (created_at…) and event windows are compared by the days of
//   the workspace's time zone. "last D days" is today and the D − 1 days before it.
import { z } from 'zod';
import { channelTypes } from '../contacts/index.js';

export const MAX_DEPTH = 10;
export const MAX_CONDITIONS = 200;

const id = z.uuid();
const ids = z.array(id).min(1).max(500);
const isoDate = z.iso.date();
const text = z.string().max(1000).refine((s) => !s.includes('\u0000'), 'NUL characters are not allowed');
const number = z.number().finite();
const days = z.number().int().min(1).max(36_500);

/** Field kinds: they decide the operators and the value's shape (catalogue.ts lists them). */
export type ValueKind = 'text' | 'number' | 'date' | 'instant' | 'boolean' | 'select' | 'multi';

export const opsByKind = {
  text: ['eq', 'neq', 'contains', 'not_contains', 'starts_with', 'in', 'not_in', 'empty', 'not_empty'],
  number: ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'between', 'empty', 'not_empty'],
  date: ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'between', 'empty', 'not_empty'],
  instant: ['after', 'before', 'between', 'within_last_days', 'not_within_last_days', 'empty', 'not_empty'],
  boolean: ['eq', 'neq', 'empty', 'not_empty'],
  select: ['eq', 'neq', 'in', 'not_in', 'empty', 'not_empty'],
  multi: ['has_any', 'has_all', 'has_none', 'empty', 'not_empty'],
} as const satisfies Record<ValueKind, readonly string[]>;
export const valueOps = [
  'eq', 'neq', 'contains', 'not_contains', 'starts_with', 'in', 'not_in', 'gt', 'gte', 'lt', 'lte', 'between',
  'after', 'before', 'within_last_days', 'not_within_last_days', 'has_any', 'has_all', 'has_none', 'empty', 'not_empty',
] as const;
export type ValueOp = (typeof valueOps)[number];

export const genders = ['male', 'female', 'other', 'unknown'] as const;

/** Contact columns a definition may test, with their kind. */
export const contactFields = {
  name: 'text',
  email: 'text',
  phone: 'text',
  company: 'text',
  title: 'text',
  city: 'text',
  region: 'text',
  gender: 'select',
  preferred_channel: 'select',
  influence: 'number',
  birthday: 'date',
  created_at: 'instant',
  updated_at: 'instant',
  last_active_at: 'instant',
} as const satisfies Record<string, ValueKind>;
export type ContactField = keyof typeof contactFields;

/** The allowed values of a select-kind contact field. */
export const selectValues: Partial<Record<ContactField, readonly string[]>> = { gender: genders, preferred_channel: channelTypes };

export const rfmLayers = [
  'important_value', 'important_develop', 'important_keep', 'important_retain',
  'general_value', 'general_develop', 'general_keep', 'general_retain',
] as const;

const valueCondition = { op: z.enum(valueOps), value: z.unknown().optional() };

const fieldCondition = z.strictObject({ kind: z.literal('field'), field: z.enum(Object.keys(contactFields) as [ContactField, ...ContactField[]]), ...valueCondition });
const customCondition = z.strictObject({ kind: z.literal('custom'), key: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/), ...valueCondition });
const tagsCondition = z.strictObject({ kind: z.literal('tags'), op: z.enum(['any', 'all', 'none']), tagIds: ids });
const stageCondition = z.strictObject({ kind: z.literal('stage'), op: z.enum(['in', 'not_in', 'empty', 'not_empty']), stageIds: ids.optional() });
const ownerCondition = z.strictObject({ kind: z.literal('owner'), op: z.enum(['in', 'not_in']), memberIds: z.array(z.union([id, z.literal('none')])).min(1).max(500) });
const teamCondition = z.strictObject({ kind: z.literal('team'), op: z.enum(['in', 'not_in']), teamIds: ids });
const sourceChannelCondition = z.strictObject({
  kind: z.literal('source_channel'),
  op: z.enum(['in', 'not_in', 'empty', 'not_empty']),
  values: z.array(text.pipe(z.string().min(1).max(50))).min(1).max(50).optional(),
});
const sourceCodeCondition = z.strictObject({ kind: z.literal('source_code'), op: z.enum(['in', 'not_in', 'empty', 'not_empty']), codeIds: ids.optional() });
const consentCondition = z.strictObject({
  kind: z.literal('consent'),
  channelType: z.enum(channelTypes),
  op: z.enum(['is', 'is_not']),
  status: z.enum(['opt_in', 'opt_out', 'unknown']),
});
const identityCondition = z.strictObject({ kind: z.literal('identity'), op: z.enum(['has', 'lacks']), channelTypes: z.array(z.enum(channelTypes)).min(1).max(20) });
const score = z.number().int().min(1).max(5);
const rfmScoreCondition = z.strictObject({
  kind: z.literal('rfm_score'),
  score: z.enum(['r', 'f', 'm']),
  op: z.enum(['eq', 'neq', 'gte', 'lte', 'between', 'in', 'empty', 'not_empty']),
  value: z.union([score, z.array(score).min(1).max(5)]).optional(),
});
const rfmLayerCondition = z.strictObject({ kind: z.literal('rfm_layer'), op: z.enum(['in', 'not_in', 'empty', 'not_empty']), layers: z.array(z.enum(rfmLayers)).min(1).max(8).optional() });

export const propOps = ['eq', 'neq', 'in', 'contains', 'gt', 'gte', 'lt', 'lte', 'exists', 'not_exists'] as const;
const scalar = z.union([text, number, z.boolean()]);
/** A test on one property of the event (`props`), addressed by a dotted path: `amount`, `fields.city`. */
const propCondition = z
  .strictObject({
    path: z.string().regex(/^[A-Za-z0-9_]{1,60}(\.[A-Za-z0-9_]{1,60}){0,3}$/, 'Dotted keys: letters, digits, _'),
    op: z.enum(propOps),
    value: z.union([scalar, z.array(scalar).min(1).max(100)]).optional(),
  })
  .superRefine((c, ctx) => {
    const fail = (message: string) => ctx.addIssue({ code: 'custom', path: ['value'], message });
    if (c.op === 'exists' || c.op === 'not_exists') {
      if (c.value !== undefined) fail('Leave out the value');
    } else if (c.op === 'in') {
      if (!Array.isArray(c.value)) fail('A list of values');
    } else if (c.op === 'contains') {
      if (typeof c.value !== 'string') fail('Text');
    } else if (c.op === 'gt' || c.op === 'gte' || c.op === 'lt' || c.op === 'lte') {
      if (typeof c.value !== 'number') fail('A number');
    } else if (c.value === undefined || Array.isArray(c.value)) fail('One value: text, number or true/false');
  });
export type PropCondition = z.infer<typeof propCondition>;

const eventWindow = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('ever') }),
  z.strictObject({ kind: z.literal('last_days'), days }),
  z.strictObject({ kind: z.literal('between'), from: isoDate, to: isoDate }).refine((w) => w.from <= w.to, { message: 'from must not be after to', path: ['to'] }),
]);
export type EventWindow = z.infer<typeof eventWindow>;

/** "did EVENT [where …] at least / at most / exactly N times in WINDOW"; never = exactly 0. */
const eventCondition = z.strictObject({
  kind: z.literal('event'),
  type: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'A timeline type such as order, message, code_scan'),
  where: z.array(propCondition).max(20).optional(),
  count: z.strictObject({ op: z.enum(['at_least', 'at_most', 'exactly']), n: z.number().int().min(0).max(100_000) }),
  window: eventWindow,
});

export const conditionSchema = z.discriminatedUnion('kind', [
  fieldCondition, customCondition, tagsCondition, stageCondition, ownerCondition, teamCondition, sourceChannelCondition,
  sourceCodeCondition, consentCondition, identityCondition, rfmScoreCondition, rfmLayerCondition, eventCondition,
]);
export type Condition = z.infer<typeof conditionSchema>;
export type FieldCondition = z.infer<typeof fieldCondition>;
export type CustomCondition = z.infer<typeof customCondition>;
export type EventCondition = z.infer<typeof eventCondition>;

export interface Group {
  kind: 'group';
  op: 'and' | 'or';
  conditions: Array<Group | Condition>;
}
export type DefinitionNode = Group | Condition;

const groupSchema: z.ZodType<Group> = z.lazy(() => groupObject);
const groupObject = z.strictObject({ kind: z.literal('group'), op: z.enum(['and', 'or']), conditions: z.array(z.union([groupSchema, conditionSchema])).max(MAX_CONDITIONS) });
// Named in the OpenAPI document's components (the group is recursive, so it needs a $ref target).
z.globalRegistry.add(groupObject, { id: 'SegmentGroup' });

/** A whole definition: a root group, at most MAX_DEPTH deep and MAX_CONDITIONS conditions in all. */
export const definitionSchema = groupSchema.superRefine((root, ctx) => {
  let conditions = 0;
  const walk = (g: Group, depth: number, path: Array<string | number>) => {
    if (depth > MAX_DEPTH) ctx.addIssue({ code: 'custom', path, message: `Groups nest at most ${MAX_DEPTH} deep` });
    g.conditions.forEach((c, i) => {
      if (c.kind === 'group') walk(c, depth + 1, [...path, 'conditions', i]);
      else {
        conditions += 1;
        shapeErrors(c).forEach((e) => ctx.addIssue({ code: 'custom', path: [...path, 'conditions', i, ...e.path], message: e.message }));
      }
    });
  };
  walk(root, 1, []);
  if (conditions > MAX_CONDITIONS) ctx.addIssue({ code: 'custom', path: [], message: `At most ${MAX_CONDITIONS} conditions` });
});
export type Definition = Group;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const isDate = (v: unknown) => typeof v === 'string' && ISO_DATE.test(v) && isoDate.safeParse(v).success;

function scalarOk(kind: ValueKind, v: unknown, allowed?: readonly string[]): boolean {
  switch (kind) {
    case 'text':
    case 'multi':
      return text.safeParse(v).success;
    case 'select':
      return text.safeParse(v).success && (!allowed || allowed.includes(v as string));
    case 'number':
      return typeof v === 'number' && Number.isFinite(v);
    case 'date':
    case 'instant':
      return isDate(v);
    case 'boolean':
      return typeof v === 'boolean';
  }
}

export interface ShapeError {
  path: Array<string | number>;
  message: string;
}

/** Why `value` does not fit `op` on a value of `kind`; empty when it does. */
export function valueErrors(kind: ValueKind, op: string, value: unknown, allowed?: readonly string[]): ShapeError[] {
  const ops = opsByKind[kind] as readonly string[];
  if (!ops.includes(op)) return [{ path: ['op'], message: `Use one of: ${ops.join(', ')}` }];
  const bad = (message: string) => [{ path: ['value'], message }];
  switch (op) {
    case 'empty':
    case 'not_empty':
      return value === undefined || value === null ? [] : bad('Leave out the value');
    case 'in':
    case 'not_in':
    case 'has_any':
    case 'has_all':
    case 'has_none':
      return Array.isArray(value) && value.length > 0 && value.length <= 500 && value.every((v) => scalarOk(kind, v, allowed)) ? [] : bad(`A list of 1 to 500 ${kind} values`);
    case 'between':
      return Array.isArray(value) && value.length === 2 && value.every((v) => scalarOk(kind, v, allowed)) && (value[0] as number | string) <= (value[1] as number | string)
        ? []
        : bad(`Two ${kind} values, [from, to], from ≤ to`);
    case 'within_last_days':
    case 'not_within_last_days':
      return days.safeParse(value).success ? [] : bad('A number of days (1 to 36500)');
    default:
      return scalarOk(kind, value, allowed) ? [] : bad(allowed ? `One of: ${allowed.join(', ')}` : `A ${kind} value`);
  }
}

/** Shape checks that need no workspace data (the custom field's type is checked later). */
function shapeErrors(c: Condition): ShapeError[] {
  switch (c.kind) {
    case 'field':
      return valueErrors(contactFields[c.field], c.op, c.value, selectValues[c.field]);
    case 'stage':
    case 'source_code':
    case 'source_channel': {
      const list = c.kind === 'stage' ? c.stageIds : c.kind === 'source_code' ? c.codeIds : c.values;
      const key = c.kind === 'stage' ? 'stageIds' : c.kind === 'source_code' ? 'codeIds' : 'values';
      const needs = c.op === 'in' || c.op === 'not_in';
      if (needs && !list) return [{ path: [key], message: 'Required for in / not_in' }];
      if (!needs && list) return [{ path: [key], message: 'Leave out for empty / not_empty' }];
      return [];
    }
    case 'rfm_score': {
      const v = c.value;
      if (c.op === 'empty' || c.op === 'not_empty') return v === undefined ? [] : [{ path: ['value'], message: 'Leave out the value' }];
      if (c.op === 'in') return Array.isArray(v) ? [] : [{ path: ['value'], message: 'A list of scores 1–5' }];
      if (c.op === 'between') return Array.isArray(v) && v.length === 2 && v[0]! <= v[1]! ? [] : [{ path: ['value'], message: 'Two scores [from, to]' }];
      return typeof v === 'number' ? [] : [{ path: ['value'], message: 'A score 1–5' }];
    }
    case 'rfm_layer': {
      const needs = c.op === 'in' || c.op === 'not_in';
      return needs === Boolean(c.layers) ? [] : [{ path: ['layers'], message: needs ? 'Required for in / not_in' : 'Leave out for empty / not_empty' }];
    }
    default:
      return [];
  }
}

/** Every condition of a definition, depth first. */
export function conditionsOf(node: DefinitionNode): Condition[] {
  return node.kind === 'group' ? node.conditions.flatMap(conditionsOf) : [node];
}

/**
 * What a definition reads, as keys an incremental change is matched against (dependencies.ts
 * maps domain events to the same keys): `field:<column>`, `custom`, `tags`, `stage`, `owner`,
 * `team`, `source`, `consent`, `identity`, `rfm`, `event:<type>`, and `time` when a condition is
 * relative to today (its result drifts as days pass without any event).
 */
export function dependenciesOf(definition: Definition): string[] {
  const keys = new Set<string>();
  for (const c of conditionsOf(definition)) {
    switch (c.kind) {
      case 'field':
        keys.add(`field:${c.field}`);
        if (c.op === 'within_last_days' || c.op === 'not_within_last_days') keys.add('time');
        break;
      case 'custom':
        keys.add('custom');
        break;
      case 'source_channel':
      case 'source_code':
        keys.add('source');
        break;
      case 'team':
        keys.add('team');
        keys.add('owner');
        break;
      case 'rfm_score':
      case 'rfm_layer':
        keys.add('rfm');
        break;
      case 'event':
        keys.add(`event:${c.type}`);
        if (c.window.kind === 'last_days') keys.add('time');
        break;
      default:
        keys.add(c.kind);
    }
  }
  return [...keys].sort();
}
