// The incremental path tests one recorded event against a rule's property tests and keywords
// (queries/event-match.ts); a backfill asks the segments compiler who did such an event. The two
// must agree: on random events (numbers, strings, booleans, nulls, nested values, missing keys)
// and random tests (fast-check), the contacts whose one event passes are exactly those the
// compiler finds.
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signedInOwner, type TestApp } from '../../../test/support/app.js';
import { compileDefinition } from '../segments/index.js';
import { eventPredicate } from './queries/event-match.js';
import { eventDefinition, eventTrigger, type EventTrigger, type PropTest } from './schema.js';

let t: TestApp;
let ws: string;
const db = () => t.database.db;

const values = [0, 1, 999.5, 1000, 5000, -3, '1000', 'Shanghai', '上海', 'shanghai', '价格', '请问价格多少', 'PRICE list', '', '100%_x', true, false, null];
const paths = ['amount', 'currency', 'body', 'flag', 'fields.city', 'fields.n', 'missing'];

const scalar = fc.constantFrom(...values);
/** The props of one event: some of the paths, any value (null included), or absent. */
const props = fc.record(
  {
    amount: scalar,
    currency: fc.constantFrom('CNY', 'USD', null),
    body: fc.constantFrom('请问价格多少', 'PRICE list', '你好', '100%_x', '', null, 7),
    flag: fc.constantFrom(true, false, 'true', null),
    fields: fc.record({ city: scalar, n: fc.constantFrom(1, 2, '2', null) }, { requiredKeys: [] }),
  },
  { requiredKeys: [] },
);

const prop: fc.Arbitrary<PropTest> = fc.oneof(
  fc.record({ path: fc.constantFrom(...paths), op: fc.constantFrom('eq', 'neq'), value: fc.constantFrom(...values.filter((v) => v !== null)) }),
  fc.record({ path: fc.constantFrom(...paths), op: fc.constant('in'), value: fc.uniqueArray(fc.constantFrom(...values.filter((v) => v !== null)), { minLength: 1, maxLength: 3 }) }),
  fc.record({ path: fc.constantFrom(...paths), op: fc.constant('contains'), value: fc.constantFrom('价格', 'price', '%', '_', 'shang') }),
  fc.record({ path: fc.constantFrom(...paths), op: fc.constantFrom('gt', 'gte', 'lt', 'lte'), value: fc.constantFrom(0, 999.5, 1000, -3) }),
  fc.record({ path: fc.constantFrom(...paths), op: fc.constantFrom('exists', 'not_exists') }),
) as fc.Arbitrary<PropTest>;

const trigger: fc.Arbitrary<EventTrigger> = fc
  .record({ where: fc.array(prop, { maxLength: 3 }), keywords: fc.option(fc.uniqueArray(fc.constantFrom('价格', 'price', '%', 'hello'), { minLength: 1, maxLength: 2 }), { nil: undefined }) })
  .map(({ where, keywords }) => ({ kind: 'event', type: 'order', ...(where.length ? { where } : {}), ...(keywords ? { keywords } : {}) }));

beforeAll(async () => {
  t = await createTestApp();
  ws = (await signedInOwner(t)).workspace.id;
});
afterAll(() => t.close());

/** A fresh set of contacts, each with one event of the given props. */
async function seed(events: Array<Record<string, unknown>>) {
  await sql`delete from contacts where workspace_id = ${ws}`.execute(db());
  const ids: string[] = [];
  for (const p of events) {
    const { id } = await db().insertInto('contacts').values({ workspace_id: ws, name: 'x', custom: '{}' }).returning('id').executeTakeFirstOrThrow();
    await db().insertInto('timeline_events').values({ workspace_id: ws, contact_id: id, type: 'order', actor_member_id: null, props: JSON.stringify(p) }).execute();
    ids.push(id);
  }
  return ids;
}

async function bothWays(tr: EventTrigger) {
  expect(eventTrigger.safeParse(tr).success, JSON.stringify(tr)).toBe(true);
  const compiled = compileDefinition(eventDefinition(tr), { workspaceId: ws, fields: [], timezone: 'Asia/Shanghai' });
  const byCompiler = (await sql<{ id: string }>`select c.id from ${compiled.from} where ${compiled.where}`.execute(db())).rows.map((r) => r.id).sort();
  const byEvent = (await sql<{ id: string }>`select e.contact_id as id from timeline_events e where e.workspace_id = ${ws} and ${eventPredicate(tr)}`.execute(db())).rows
    .map((r) => r.id)
    .sort();
  return { byCompiler, byEvent };
}

describe('event matching', () => {
  it('agrees with the segments compiler on random events and tests', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(props, { minLength: 1, maxLength: 12 }), fc.array(trigger, { minLength: 1, maxLength: 8 }), async (events, triggers) => {
        await seed(events);
        for (const tr of triggers) {
          const { byCompiler, byEvent } = await bothWays(tr);
          expect(byEvent, JSON.stringify({ tr, events })).toEqual(byCompiler);
        }
      }),
      { numRuns: 25, seed: 20261125 },
    );
  });

  it('on the cases that matter: amounts, nested form fields, keywords with LIKE characters', async () => {
    const [big, small, text, nested, pct] = await seed([{ amount: 1000 }, { amount: 999.5 }, { amount: '5000' }, { fields: { city: '上海' } }, { body: '100%_x' }]);
    const match = async (tr: EventTrigger) => (await bothWays(tr)).byEvent;
    expect(await match({ kind: 'event', type: 'order', where: [{ path: 'amount', op: 'gte', value: 1000 }] })).toEqual([big]);
    expect(await match({ kind: 'event', type: 'order', where: [{ path: 'amount', op: 'lt', value: 1000 }] })).toEqual([small]);
    expect(await match({ kind: 'event', type: 'order', where: [{ path: 'amount', op: 'eq', value: '5000' }] })).toEqual([text]);
    expect(await match({ kind: 'event', type: 'order', where: [{ path: 'fields.city', op: 'in', value: ['上海', 'Shanghai'] }] })).toEqual([nested]);
    expect(await match({ kind: 'event', type: 'order', keywords: ['%_'] })).toEqual([pct]);
    expect(await match({ kind: 'event', type: 'order', keywords: ['0%x'] })).toEqual([]);
  });
});
