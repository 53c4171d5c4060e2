// Conditions that need nothing of the contact's own row, each as the set of contact ids that meet
// it, read from a narrow table by its index: numeric custom values (contact_custom_numbers), RFM
// scores and layers, consents, identities. The compiler left-joins a set and tests whether the
// contact is in it (or not); over a whole workspace it may also start from one (compile.ts).
import { sql, type RawBuilder } from 'kysely';
import type { Condition } from '../definition.js';

export type Sql = RawBuilder<unknown>;

/** A condition as a set: `ids` selects `contact_id` (each once); the condition holds for its members, or (member: false) for everyone else. */
export interface IdSet {
  ids: Sql;
  member: boolean;
}

/** Keeps a set to `contactIds` (an incremental evaluation) when given. */
export const within = (alias: string, contactIds: readonly string[] | undefined): Sql =>
  contactIds ? sql` and ${sql.ref(`${alias}.contact_id`)} = any(${[...contactIds]}::uuid[])` : sql``;

const scoreColumn = { r: 'r.r_score', f: 'r.f_score', m: 'r.m_score' } as const;

/**
 * A number-kind custom value (number, money): "employees ≥ 200" is the contacts with a number
 * ≥ 200 under that key; "≠ 200" and "empty" are everyone outside a set. Values are checked
 * (valueErrors) before this is called.
 */
export function customNumberSet(ws: string, key: string, op: string, value: unknown, scope: Sql): IdSet {
  const v = sql`${value}::numeric`;
  const list = Array.isArray(value) ? value : [];
  const test = {
    eq: sql`n.value = ${v}`,
    neq: sql`n.value = ${v}`,
    gt: sql`n.value > ${v}`,
    gte: sql`n.value >= ${v}`,
    lt: sql`n.value < ${v}`,
    lte: sql`n.value <= ${v}`,
    between: sql`n.value between ${list[0]}::numeric and ${list[1]}::numeric`,
    empty: sql`true`,
    not_empty: sql`true`,
  }[op];
  if (!test) throw new Error(`unknown number operator ${op}`);
  return {
    ids: sql`select n.contact_id from contact_custom_numbers n where n.workspace_id = ${ws} and n.key = ${key}::text and ${test}${scope}`,
    member: op !== 'neq' && op !== 'empty',
  };
}

type RelationCondition = Extract<Condition, { kind: 'rfm_score' | 'rfm_layer' | 'consent' | 'identity' }>;

/** RFM scores and layer (contact_rfm), consent per channel, identities present. */
export function relationSet(ws: string, c: RelationCondition, scope: (alias: string) => Sql): IdSet {
  switch (c.kind) {
    case 'rfm_score': {
      const col = sql.ref(scoreColumn[c.score]);
      const v = c.value;
      const list = Array.isArray(v) ? v : [];
      const test = {
        eq: sql`${col} = ${v}::int`,
        neq: sql`${col} = ${v}::int`,
        gte: sql`${col} >= ${v}::int`,
        lte: sql`${col} <= ${v}::int`,
        between: sql`${col} between ${list[0]}::int and ${list[1]}::int`,
        in: sql`${col} = any(${list}::int[])`,
        empty: sql`true`,
        not_empty: sql`true`,
      }[c.op];
      return { ids: rfm(ws, test, scope('r')), member: c.op !== 'neq' && c.op !== 'empty' };
    }
    case 'rfm_layer': {
      const test = c.op === 'in' || c.op === 'not_in' ? sql`r.layer = any(${c.layers ?? []}::text[])` : sql`true`;
      return { ids: rfm(ws, test, scope('r')), member: c.op === 'in' || c.op === 'not_empty' };
    }
    case 'consent': {
      // "unknown" is having no consent row for the channel at all.
      const status = c.status === 'unknown' ? sql`` : sql` and cc.status = ${c.status}`;
      const ids = sql`select cc.contact_id from contact_consents cc
        where cc.workspace_id = ${ws} and cc.channel_type = ${c.channelType}${status}${scope('cc')}`;
      return { ids, member: (c.op === 'is') !== (c.status === 'unknown') };
    }
    case 'identity': {
      // A contact may hold several identities of the channels named: each once.
      const ids = sql`select distinct ci.contact_id from contact_identities ci
        where ci.workspace_id = ${ws} and ci.channel_type = any(${c.channelTypes}::text[])${scope('ci')}`;
      return { ids, member: c.op === 'has' };
    }
  }
}

const rfm = (ws: string, test: Sql, scope: Sql) => sql`select r.contact_id from contact_rfm r where r.workspace_id = ${ws} and ${test}${scope}`;
