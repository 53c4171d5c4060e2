// The compiler against an independent evaluator: every operator of every field type, then random
// nested definitions (fast-check), each run as SQL on the database and in memory over the same
// generated contacts; the member sets must be identical. Then hostile strings in every string
// operand: they must be data, never SQL.
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, createTeam, createTestApp, signedInOwner, type TestApp } from '../../../test/support/app.js';
import { channelTypes } from '../contacts/index.js';
import { contactFields, definitionSchema, opsByKind, propOps, rfmLayers, type Condition, type Definition, type DefinitionNode, type ValueKind } from './definition.js';
import { MemoryEvaluator } from './memory-evaluator.js';
import { compileDefinition } from './queries/compile.js';
import {
  buildWorld, CHANNELS, CITIES, CONSENT_CHANNELS, EVENT_TYPES, hostileStrings, IDENTITY_TYPES, MESSAGE_CHANNELS, MULTI_OPTIONS, SELECT_OPTIONS, TEXT_POOL, WORLD_FIELDS, type TestWorld,
} from './test-world.js';

let t: TestApp;
let world: TestWorld;
let memory: MemoryEvaluator;
const NOW = new Date(Date.UTC(2026, 10, 20, 17, 30, 0)); // 01:30 next day in Shanghai: day boundaries differ from UTC
const DAY = 86_400_000;
const day = (offset: number) => new Date(NOW.getTime() + offset * DAY).toISOString().slice(0, 10);

beforeAll(async () => {
  t = await createTestApp();
  const o = await signedInOwner(t);
  const ws = o.workspace.id;
  const m1 = (await addMember(t, ws, 'agent')).memberId;
  const m2 = (await addMember(t, ws, 'agent')).memberId;
  const parent = await createTeam(t, ws, [o.memberId, m1]);
  const child = await createTeam(t, ws, [m2], parent);
  const lonely = await createTeam(t, ws, []);
  const stageIds = (await t.database.db.selectFrom('stages').select('id').where('workspace_id', '=', ws).orderBy('position').execute()).map((s) => s.id);
  world = await buildWorld(
    t.database.db,
    {
      workspaceId: ws,
      memberIds: [o.memberId, m1, m2],
      teams: [
        { id: parent, parentId: null, memberIds: [o.memberId, m1] },
        { id: child, parentId: parent, memberIds: [m2] },
        { id: lonely, parentId: null, memberIds: [] },
      ],
      stageIds: stageIds.slice(0, 3),
    },
    { seed: 20261125, count: 120, now: NOW, timezone: 'Asia/Shanghai' },
  );
  memory = new MemoryEvaluator(world);
});
afterAll(() => t.close());

/**
 * The compiled query's members: over the whole workspace (where the compiler may start from a set
 * instead of contacts), or only among `contactIds` (an incremental evaluation, from contacts).
 */
async function viaSql(definition: Definition, contactIds?: string[]): Promise<string[]> {
  const parsed = definitionSchema.parse(definition);
  const c = compileDefinition(parsed, { workspaceId: world.ids.workspaceId, fields: WORLD_FIELDS, timezone: world.timezone, now: NOW, ...(contactIds ? { contactIds } : {}) });
  const { rows } = await sql<{ id: string }>`select c.id from ${c.from} where ${c.where}`.execute(t.database.db);
  return rows.map((r) => r.id).sort();
}

/** Every other contact: the incremental evaluation is checked on a subset it must not leave. */
const someContacts = () => world.contacts.filter((_, i) => i % 2 === 0).map((c) => c.id);

async function agree(definition: Definition) {
  const expected = memory.members(definition);
  expect(await viaSql(definition), JSON.stringify(definition)).toEqual(expected);
  const some = someContacts();
  expect(await viaSql(definition, some), `among some: ${JSON.stringify(definition)}`).toEqual(expected.filter((id) => some.includes(id)));
  return expected.length;
}

const and = (...conditions: DefinitionNode[]): Definition => ({ kind: 'group', op: 'and', conditions });

// ----- arbitraries -----

const pick = <T>(xs: readonly T[]) => fc.constantFrom(...xs);
const text = fc.oneof(pick(TEXT_POOL), pick(CITIES), fc.string({ maxLength: 4, unit: pick(['a', 'A', 'l', 'i', 'e', '王', '%', '_', '\\', "'", ' ']) }));
const nums = fc.oneof(pick([0, 1, 5, 10, 42, 50, 99.5, 100, -3, 1000]), fc.integer({ min: -10, max: 1100 }));
const dates = fc.integer({ min: -25000, max: 40 }).map(day);
const recentDates = fc.integer({ min: -950, max: 5 }).map(day);
const sortedPair = <T>(a: fc.Arbitrary<T>) => fc.tuple(a, a).map(([x, y]) => (x <= y ? [x, y] : [y, x]));

function scalarOf(kind: ValueKind, options?: readonly string[], strict = false): fc.Arbitrary<unknown> {
  switch (kind) {
    case 'text':
      return text;
    case 'number':
      return nums;
    case 'date':
      return fc.oneof(dates, recentDates);
    case 'instant':
      return recentDates;
    case 'boolean':
      return fc.boolean();
    case 'select':
    case 'multi':
      return options ? (strict ? pick(options) : fc.oneof(pick(options), text)) : text;
  }
}

function valueFor(kind: ValueKind, op: string, options?: readonly string[], strict = false): fc.Arbitrary<unknown> {
  const one = scalarOf(kind, options, strict);
  switch (op) {
    case 'empty':
    case 'not_empty':
      return fc.constant(undefined);
    case 'in':
    case 'not_in':
    case 'has_any':
    case 'has_all':
    case 'has_none':
      return fc.array(one, { minLength: 1, maxLength: 3 });
    case 'between':
      return sortedPair(one as fc.Arbitrary<number | string>);
    case 'within_last_days':
    case 'not_within_last_days':
      return fc.integer({ min: 1, max: 500 });
    case 'contains':
    case 'not_contains':
    case 'starts_with':
      return fc.oneof(text, pick(['a', 'al', '%', '_', '\\', "'", '王', 'hai', '100%']));
    default:
      return one;
  }
}

const selectOptions: Partial<Record<string, readonly string[]>> = { gender: ['male', 'female', 'other', 'unknown'], preferred_channel: ['wecom', 'email', 'whatsapp', 'line'] };
const fieldNames = Object.keys(contactFields) as Array<keyof typeof contactFields>;

const fieldCondition = (field: keyof typeof contactFields, op?: string) =>
  (op ? fc.constant(op) : pick(opsByKind[contactFields[field]])).chain((o) =>
    valueFor(contactFields[field], o, selectOptions[field], true).map((value) => ({ kind: 'field', field, op: o, ...(value === undefined ? {} : { value }) }) as Condition),
  );

const customKind: Record<string, ValueKind> = { text: 'text', url: 'text', number: 'number', money: 'number', date: 'date', boolean: 'boolean', single_select: 'select', multi_select: 'multi' };
const customCondition = (key: string, op?: string) => {
  const def = WORLD_FIELDS.find((f) => f.key === key)!;
  const kind = customKind[def.type]!;
  const options = def.type === 'single_select' ? SELECT_OPTIONS : def.type === 'multi_select' ? MULTI_OPTIONS : undefined;
  return (op ? fc.constant(op) : pick(opsByKind[kind])).chain((o) => valueFor(kind, o, options).map((value) => ({ kind: 'custom', key, op: o, ...(value === undefined ? {} : { value }) }) as Condition));
};

const someOf = <T>(xs: readonly T[]) => fc.subarray([...xs], { minLength: 1 });

const propCondition = fc.oneof(
  fc.record({ path: fc.constant('amount'), op: pick(['gt', 'gte', 'lt', 'lte'] as const), value: nums }),
  fc.record({ path: pick(['amount', 'status', 'channel', 'direction', 'fields.city', 'pinned', 'coupon']), op: pick(['eq', 'neq'] as const), value: fc.oneof(nums, pick(['paid', 'in', 'out', ...MESSAGE_CHANNELS, ...CITIES]), fc.boolean()) }),
  fc.record({ path: pick(['channel', 'fields.city', 'status']), op: fc.constant('in' as const), value: fc.array(fc.oneof(pick([...MESSAGE_CHANNELS, ...CITIES, 'paid']), nums), { minLength: 1, maxLength: 3 }) }),
  fc.record({ path: pick(['channel', 'body', 'fields.city', 'amount']), op: fc.constant('contains' as const), value: pick(['a', 'chat', '%', "'", '上', 'hai', '\\']) }),
  fc.record({ path: pick(['coupon', 'pinned', 'fields.city', 'fields', 'nope.deeper']), op: pick(['exists', 'not_exists'] as const) }),
);

const eventWindow = fc.oneof(
  fc.constant({ kind: 'ever' as const }),
  fc.record({ kind: fc.constant('last_days' as const), days: fc.integer({ min: 1, max: 420 }) }),
  sortedPair(fc.integer({ min: -420, max: 2 }).map(day)).map(([from, to]) => ({ kind: 'between' as const, from: from!, to: to! })),
);

const eventCondition = fc.record({
  kind: fc.constant('event' as const),
  type: pick([...EVENT_TYPES, 'visit']),
  where: fc.option(fc.array(propCondition, { maxLength: 2 }), { nil: undefined }),
  count: fc.record({ op: pick(['at_least', 'at_most', 'exactly'] as const), n: fc.integer({ min: 0, max: 4 }) }),
  window: eventWindow,
}).map(({ where, ...rest }) => (where === undefined ? rest : { ...rest, where }) as Condition);

const inOrEmpty = <K extends string>(kind: string, key: K, values: fc.Arbitrary<string[]>) =>
  pick(['in', 'not_in', 'empty', 'not_empty'] as const).chain((op) =>
    op === 'in' || op === 'not_in' ? values.map((v) => ({ kind, op, [key]: v }) as unknown as Condition) : fc.constant({ kind, op } as unknown as Condition),
  );

function conditionArb(): fc.Arbitrary<Condition> {
  const ids = world.ids;
  return fc.oneof(
    { weight: 4, arbitrary: pick(fieldNames).chain((f) => fieldCondition(f)) },
    { weight: 4, arbitrary: pick(WORLD_FIELDS.map((f) => f.key)).chain((k) => customCondition(k)) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('tags' as const), op: pick(['any', 'all', 'none'] as const), tagIds: someOf(ids.tagIds) }) },
    { weight: 1, arbitrary: inOrEmpty('stage', 'stageIds', someOf(ids.stageIds)) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('owner' as const), op: pick(['in', 'not_in'] as const), memberIds: someOf([...ids.memberIds, 'none']) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('team' as const), op: pick(['in', 'not_in'] as const), teamIds: someOf(ids.teamIds) }) },
    { weight: 1, arbitrary: inOrEmpty('source_channel', 'values', someOf(CHANNELS)) },
    { weight: 1, arbitrary: inOrEmpty('source_code', 'codeIds', someOf(ids.sourceCodeIds)) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('consent' as const), channelType: pick(CONSENT_CHANNELS), op: pick(['is', 'is_not'] as const), status: pick(['opt_in', 'opt_out', 'unknown'] as const) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('identity' as const), op: pick(['has', 'lacks'] as const), channelTypes: someOf(IDENTITY_TYPES) }) },
    {
      weight: 1,
      arbitrary: fc.record({ score: pick(['r', 'f', 'm'] as const), op: pick(['eq', 'neq', 'gte', 'lte', 'between', 'in', 'empty', 'not_empty'] as const) }).chain(({ score, op }) =>
        (op === 'in' ? someOf([1, 2, 3, 4, 5]) : op === 'between' ? sortedPair(fc.integer({ min: 1, max: 5 })) : op === 'empty' || op === 'not_empty' ? fc.constant(undefined) : fc.integer({ min: 1, max: 5 })).map(
          (value) => ({ kind: 'rfm_score', score, op, ...(value === undefined ? {} : { value }) }) as Condition,
        ),
      ),
    },
    { weight: 1, arbitrary: inOrEmpty('rfm_layer', 'layers', someOf(rfmLayers)) },
    { weight: 4, arbitrary: eventCondition },
  );
}

function definitionArb(): fc.Arbitrary<Definition> {
  const condition = conditionArb();
  const { node } = fc.letrec<{ node: DefinitionNode; group: Definition }>((tie) => ({
    node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, { weight: 3, arbitrary: condition }, { weight: 1, arbitrary: tie('group') }),
    group: fc.record({ kind: fc.constant('group' as const), op: pick(['and', 'or'] as const), conditions: fc.array(tie('node'), { maxLength: 4 }) }),
  }));
  return fc.record({ kind: fc.constant('group' as const), op: pick(['and', 'or'] as const), conditions: fc.array(node, { minLength: 1, maxLength: 4 }) });
}

// ----- the suites -----

describe('every operator of every field type: SQL and memory agree', () => {
  const fieldCases = fieldNames.flatMap((f) => opsByKind[contactFields[f]].map((op) => [f, op] as const));
  it.each(fieldCases)('field %s %s', async (field, op) => {
    await fc.assert(fc.asyncProperty(fieldCondition(field, op), async (c) => void (await agree(and(c)))), { numRuns: 12 });
  });

  const customCases = WORLD_FIELDS.flatMap((f) => opsByKind[customKind[f.type]!].map((op) => [f.key, op] as const));
  it.each(customCases)('custom %s %s', async (key, op) => {
    await fc.assert(fc.asyncProperty(customCondition(key, op), async (c) => void (await agree(and(c)))), { numRuns: 12 });
  });

  it.each(propOps.map((op) => [op]))('event property %s', async (op) => {
    const arb = eventCondition.filter((c) => c.kind === 'event' && (c.where ?? []).some((p) => p.op === op));
    await fc.assert(fc.asyncProperty(arb, async (c) => void (await agree(and(c)))), { numRuns: 15 });
  });

  it.each(['at_least', 'at_most', 'exactly'].flatMap((op) => ['ever', 'last_days', 'between'].map((w) => [op, w])))('event count %s, window %s', async (op, w) => {
    const arb = eventCondition.filter((c) => c.kind === 'event' && c.count.op === op && c.window.kind === w);
    await fc.assert(fc.asyncProperty(arb, async (c) => void (await agree(and(c)))), { numRuns: 15 });
  });

  it('the other condition kinds, each operator', async () => {
    await fc.assert(
      fc.asyncProperty(conditionArb().filter((c) => c.kind !== 'field' && c.kind !== 'custom' && c.kind !== 'event'), async (c) => void (await agree(and(c)))),
      { numRuns: 250 },
    );
  });

  it('finds members and non-members (the data is not trivially empty or full)', async () => {
    const sizes = await Promise.all([
      agree(and({ kind: 'field', field: 'city', op: 'eq', value: '上海' })),
      agree(and({ kind: 'event', type: 'order', count: { op: 'at_least', n: 2 }, window: { kind: 'last_days', days: 200 } })),
      agree(and({ kind: 'custom', key: 't_multi', op: 'has_any', value: ['x'] })),
    ]);
    for (const n of sizes) {
      expect(n).toBeGreaterThan(0);
      expect(n).toBeLessThan(world.contacts.length);
    }
  });
});

describe('where the query starts', () => {
  const from = (d: Definition, actor?: Parameters<typeof compileDefinition>[1]['actor']) =>
    compileDefinition(d, { workspaceId: world.ids.workspaceId, fields: WORLD_FIELDS, timezone: world.timezone, ...(actor ? { actor } : {}) }).from.compile(t.database.db).sql.trim();
  const orders = { kind: 'event', type: 'order', count: { op: 'at_least', n: 2 }, window: { kind: 'last_days', days: 90 } } as const;
  const num = { kind: 'custom', key: 't_num', op: 'gte', value: 5 } as const;

  it('from a top-level condition’s set when nothing reads the contact’s row, never reading contacts', () => {
    expect(from(and(orders, num))).toMatch(/^\(select \$1::uuid as workspace_id, d\.contact_id as id from \(select k\.contact_id from contact_event_recent k/);
    expect(from(and(orders, num))).not.toMatch(/contacts c/);
    expect(from({ kind: 'group', op: 'or', conditions: [orders, num] })).toMatch(/^\(select .* union /);
  });

  it('from contacts when a condition reads the row, or the actor sees only some contacts', () => {
    expect(from(and(orders, { kind: 'field', field: 'city', op: 'eq', value: '上海' }))).toMatch(/^contacts c/);
    expect(from(and(orders, { kind: 'custom', key: 't_text', op: 'eq', value: 'A' }))).toMatch(/^contacts c/);
    expect(from(and(orders), { scope: 'own', memberId: world.ids.memberIds[0]! } as Parameters<typeof compileDefinition>[1]['actor'])).toMatch(/^contacts c/);
  });
});

describe('random nested definitions', () => {
  it('SQL and memory agree on every generated definition', async () => {
    await fc.assert(fc.asyncProperty(definitionArb(), async (d) => void (await agree(d))), { numRuns: 400 });
  }, 180_000);

  it('a group nests any depth (up to the limit)', async () => {
    let d: Definition = and({ kind: 'field', field: 'city', op: 'eq', value: '上海' });
    for (let i = 0; i < 9; i++) d = { kind: 'group', op: i % 2 ? 'and' : 'or', conditions: [d, { kind: 'tags', op: 'any', tagIds: [world.ids.tagIds[i % 4]!] }] };
    await agree(d);
    const tooDeep = { kind: 'group', op: 'and', conditions: [d] };
    expect(definitionSchema.safeParse(tooDeep).success).toBe(false);
  });
});

describe('SQL injection: hostile strings are data in every string operand', () => {
  const operands = (s: string): Condition[] => [
    { kind: 'field', field: 'name', op: 'eq', value: s },
    { kind: 'field', field: 'name', op: 'neq', value: s },
    { kind: 'field', field: 'company', op: 'contains', value: s },
    { kind: 'field', field: 'company', op: 'not_contains', value: s },
    { kind: 'field', field: 'title', op: 'starts_with', value: s },
    { kind: 'field', field: 'city', op: 'in', value: [s, '上海'] },
    { kind: 'field', field: 'region', op: 'not_in', value: [s] },
    { kind: 'field', field: 'email', op: 'eq', value: s },
    { kind: 'custom', key: 't_text', op: 'eq', value: s },
    { kind: 'custom', key: 't_text', op: 'contains', value: s },
    { kind: 'custom', key: 't_url', op: 'starts_with', value: s },
    { kind: 'custom', key: 't_sel', op: 'in', value: [s] },
    { kind: 'custom', key: 't_multi', op: 'has_any', value: [s, 'x'] },
    { kind: 'custom', key: 't_multi', op: 'has_none', value: [s] },
    { kind: 'source_channel', op: 'in', values: [s] },
    { kind: 'source_channel', op: 'not_in', values: [s] },
    { kind: 'event', type: 'message', where: [{ path: 'body', op: 'eq', value: s }], count: { op: 'at_least', n: 1 }, window: { kind: 'ever' } },
    { kind: 'event', type: 'message', where: [{ path: 'body', op: 'contains', value: s }], count: { op: 'at_least', n: 1 }, window: { kind: 'ever' } },
    { kind: 'event', type: 'message', where: [{ path: 'channel', op: 'in', value: [s, 'sms'] }], count: { op: 'at_most', n: 1 }, window: { kind: 'last_days', days: 30 } },
    { kind: 'event', type: 'order', where: [{ path: 'status', op: 'neq', value: s }], count: { op: 'exactly', n: 1 }, window: { kind: 'ever' } },
  ];

  it.each(hostileStrings.map((s) => [s]))('%s', async (s) => {
    const before = await sql<{ n: number }>`select count(*)::int as n from contacts`.execute(t.database.db);
    for (const c of operands(s)) await agree(and(c));
    await agree({ kind: 'group', op: 'or', conditions: operands(s) });
    const after = await sql<{ n: number }>`select count(*)::int as n from contacts`.execute(t.database.db);
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
  });

  it('matches a hostile string literally (the data holds them)', async () => {
    expect(await agree(and({ kind: 'field', field: 'name', op: 'in', value: [...hostileStrings] }))).toBeGreaterThan(0);
    expect(await agree(and({ kind: 'field', field: 'name', op: 'contains', value: '%' }))).toBeLessThan(world.contacts.length);
  });

  it('refuses what may not be data: custom keys, property paths and event types are checked by shape', () => {
    const bad: unknown[] = [
      and({ kind: 'custom', key: "t_text' or 1=1 --", op: 'eq', value: 'x' } as unknown as Condition),
      and({ kind: 'event', type: "order'; drop table contacts; --", count: { op: 'at_least', n: 1 }, window: { kind: 'ever' } } as unknown as Condition),
      and({ kind: 'event', type: 'order', where: [{ path: "amount'}", op: 'exists' }], count: { op: 'at_least', n: 1 }, window: { kind: 'ever' } } as unknown as Condition),
      and({ kind: 'field', field: 'name; drop table contacts', op: 'eq', value: 'x' } as unknown as Condition),
      and({ kind: 'consent', channelType: "email' --", op: 'is', status: 'opt_in' } as unknown as Condition),
      and({ kind: 'field', field: 'name', op: 'eq', value: 'nul\u0000byte' }),
    ];
    for (const d of bad) expect(definitionSchema.safeParse(d).success, JSON.stringify(d)).toBe(false);
  });

  it('an unknown custom key is a validation error naming its path', async () => {
    expect(() =>
      compileDefinition(and({ kind: 'custom', key: 'nope', op: 'eq', value: 1 }), { workspaceId: world.ids.workspaceId, fields: WORLD_FIELDS, timezone: 'UTC' }),
    ).toThrow(expect.objectContaining({ code: 'validation_failed', details: { errors: [{ path: 'definition.conditions.0.key', message: 'Unknown custom field' }] } }));
  });
});

it('channel types in the language are the contacts domain’s', () => {
  expect(channelTypes).toContain('wecom');
});
