// Compiles a segment definition into one parameterised SQL query: the relation `c` it starts
// from, the LEFT JOINs its conditions need, and one predicate. Every value the user wrote (texts,
// numbers, ids, custom keys, property paths, event types) reaches SQL as a bound parameter; the
// only SQL text chosen from the definition comes from fixed tables (column names, operators).
//
// Plans (measured at 10^6 contacts / 10^7 events, bench/benchmarks/segments.ts):
// - Conditions that need nothing of the contact's row — behaviour (per-contact counters or an
//   aggregate of the events, behaviour.ts), numeric custom values, RFM, consents, identities
//   (id-sets.ts) — are each a set of contact ids read from a narrow index, LEFT JOINed and tested
//   for membership. At the top level of an AND the test is strict, so the planner makes the join
//   an inner one and may start from the set; under an OR the sets are hashed once each.
// - Over a whole workspace, when no condition reads the contact's row, the query does not read
//   contacts at all: it starts from the set of a top-level condition (or a union covering an OR),
//   and only leaves out the few deleted contacts by an anti-join. Reading the row — 329 MB of heap
//   at 10^6 contacts — is what a count could not afford; tags are tested by the contacts domain's
//   helper, which reads its own narrow table.
// - There is no NOT in the language, so a NULL (no value, no row) is simply false for positive
//   operators; negative ones are written to be true on NULL, or as "not in the set".
// - When only some contacts are evaluated (an incremental change), their ids are pushed into
//   every set, which then reads those contacts' rows through the per-contact indexes.
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { Actor } from '../../../platform/auth/actor.js';
import { invalid, type FieldError } from '../../../platform/http/errors.js';
import { contactTagsMatch, customValueSql, escapeLike, visibleContact, type FieldDefinition } from '../../contacts/index.js';
import {
  conditionsOf,
  contactFields,
  valueErrors,
  type Condition,
  type ContactField,
  type CustomCondition,
  type Definition,
  type DefinitionNode,
  type ValueKind,
} from '../definition.js';
import { eventSet } from './behaviour.js';
import { Clock } from './clock.js';
import { customNumberSet, relationSet, within, type IdSet } from './id-sets.js';

export interface CompileContext {
  workspaceId: string;
  /** The workspace's custom field definitions (needed for `custom` conditions). */
  fields: readonly FieldDefinition[];
  /** IANA zone of the workspace: days and windows are its calendar days. */
  timezone: string;
  /** Evaluate only these contacts (incremental re-evaluation). */
  contactIds?: readonly string[];
  /** Match only the contacts this actor sees (their data scope); every live contact when absent. */
  actor?: Actor;
  /** "Now" for relative windows; the application's clock by default (tests pin it). */
  now?: Date;
  /** Where the definition sits in the request, for error paths (default `definition`). */
  path?: string;
}

export interface CompiledDefinition {
  /** The relation `c` (with `c.workspace_id` and `c.id`; a contacts row when the definition reads one) and the joins the predicate reads. */
  from: RawBuilder<unknown>;
  /** Workspace, live, the scope's contacts, the actor's data scope, and the definition. */
  where: RawBuilder<SqlBool>;
}

type Sql = RawBuilder<unknown>;
type Bool = RawBuilder<SqlBool>;

const TRUE: Bool = sql<SqlBool>`true`;
const FALSE: Bool = sql<SqlBool>`false`;

const customKind: Record<FieldDefinition['type'], ValueKind> = {
  text: 'text', long_text: 'text', url: 'text', number: 'number', money: 'number', date: 'date',
  boolean: 'boolean', single_select: 'select', multi_select: 'multi',
};

/** Contact columns by field: the name is fixed here, never taken from the request. */
const columnOf: Record<ContactField, string> = {
  name: 'c.name', email: 'c.email', phone: 'c.phone', company: 'c.company', title: 'c.title', city: 'c.city', region: 'c.region',
  gender: 'c.gender', preferred_channel: 'c.preferred_channel', influence: 'c.influence', birthday: 'c.birthday',
  created_at: 'c.created_at', updated_at: 'c.updated_at', last_active_at: 'c.last_active_at',
};

/** Conditions on the contact's own columns. */
const rowKinds: ReadonlySet<Condition['kind']> = new Set(['field', 'stage', 'owner', 'team', 'source_channel', 'source_code']);

/** E-mails are stored trimmed and lower-case; exact comparisons normalise the operand the same way. */
export function normaliseEmailOperand(op: string, value: unknown): unknown {
  if (op !== 'eq' && op !== 'neq' && op !== 'in' && op !== 'not_in') return value;
  const norm = (v: unknown) => (typeof v === 'string' ? v.trim().toLowerCase() : v);
  return Array.isArray(value) ? value.map(norm) : norm(value);
}

class Compiler {
  private readonly joins: Sql[] = [];
  private readonly errors: FieldError[] = [];
  private readonly fields: Map<string, FieldDefinition>;
  private readonly ws: string;
  private readonly clock: Clock;
  /** The top-level condition whose set the query starts from: its own test is then `true`. */
  private driving: Condition | null = null;

  constructor(private readonly ctx: CompileContext) {
    this.fields = new Map(ctx.fields.map((f) => [f.key, f]));
    this.ws = ctx.workspaceId;
    this.clock = new Clock(ctx.timezone, ctx.now);
  }

  compile(definition: Definition): CompiledDefinition {
    const driver = this.driver(definition);
    const predicate = this.node(definition, this.ctx.path ?? 'definition');
    if (this.errors.length) throw invalid(this.errors);
    const joins = sql.join(this.joins, sql``);
    if (driver) {
      // Every set holds contacts of this workspace (foreign keys, or derived from a table that has one).
      return {
        from: sql`(select ${this.ws}::uuid as workspace_id, d.contact_id as id from (${driver}) d) c${joins}`,
        where: sql<SqlBool>`(not exists (select 1 from contacts x where x.workspace_id = ${this.ws} and x.id = c.id and x.deleted_at is not null) and ${predicate})`,
      };
    }
    const scope = this.ctx.contactIds ? sql<SqlBool>` and c.id = any(${[...this.ctx.contactIds]}::uuid[])` : sql``;
    const visible = this.ctx.actor ? sql<SqlBool>` and ${visibleContact(this.ctx.actor)}` : sql``;
    return {
      from: sql`contacts c${joins}`,
      where: sql<SqlBool>`(c.workspace_id = ${this.ws} and c.deleted_at is null${scope}${visible} and ${predicate})`,
    };
  }

  // ----- where the query starts -----

  /**
   * Over a whole workspace, a query of contact ids holding every contact the definition matches,
   * when nothing reads the contact's row (no condition on its columns or non-numeric custom
   * values, and no actor whose scope is narrower than the workspace — scope `all` sees every live
   * contact): the set of a top-level condition, else a union covering a top-level OR. Null when
   * there is none: the query then starts from contacts.
   */
  private driver(root: Definition): Sql | null {
    if (this.ctx.contactIds || (this.ctx.actor && this.ctx.actor.scope !== 'all')) return null;
    if (conditionsOf(root).some((c) => this.readsRow(c))) return null;
    const own = root.op === 'and' ? root.conditions.find((c): c is Condition => c.kind !== 'group' && this.memberSet(c) !== null) : undefined;
    if (own) {
      this.driving = own;
      return this.memberSet(own);
    }
    return this.cover(root);
  }

  /** A set holding every contact `n` matches: one of an AND's, or the union of all of an OR's. */
  private cover(n: DefinitionNode): Sql | null {
    if (n.kind !== 'group') return this.memberSet(n);
    if (n.op === 'and') {
      for (const c of n.conditions) {
        const set = this.cover(c);
        if (set) return set;
      }
      return null;
    }
    const sets = n.conditions.map((c) => this.cover(c));
    if (!sets.length || sets.some((s) => !s)) return null;
    return sql.join(sets.map((s) => sql`(${s})`), sql` union `);
  }

  /** The set a condition holds for, when it is a set of its own and holds for its members. */
  private memberSet(c: Condition): Sql | null {
    const set = this.idSet(c);
    return set && set !== 'everyone' && set.member ? set.ids : null;
  }

  private readsRow(c: Condition): boolean {
    return rowKinds.has(c.kind) || (c.kind === 'custom' && !this.numberField(c));
  }

  /** A condition that needs nothing of the contact's row as a set (null for the others, and for tags). */
  private idSet(c: Condition): IdSet | 'everyone' | null {
    const ids = this.ctx.contactIds;
    switch (c.kind) {
      case 'event':
        return eventSet(c, this.ws, this.clock, ids);
      case 'custom':
        return this.numberField(c) && !valueErrors('number', c.op, c.value).length ? customNumberSet(this.ws, c.key, c.op, c.value, within('n', ids)) : null;
      case 'rfm_score':
      case 'rfm_layer':
      case 'consent':
      case 'identity':
        return relationSet(this.ws, c, (alias) => within(alias, ids));
      default:
        return null;
    }
  }

  /** Whether the contact is in a set (or, for a negative condition, is not): a LEFT JOIN on it. */
  private member(set: IdSet): Bool {
    const alias = sql.id(`b${this.joins.length}`);
    this.joins.push(sql`
      left join (${set.ids}) ${alias} on c.workspace_id = ${this.ws} and ${alias}.contact_id = c.id`);
    return set.member ? sql<SqlBool>`${alias}.contact_id is not null` : sql<SqlBool>`${alias}.contact_id is null`;
  }

  // ----- the predicate -----

  private node(n: DefinitionNode, path: string): Bool {
    if (n.kind !== 'group') return this.condition(n, path);
    if (!n.conditions.length) return n.op === 'and' ? TRUE : FALSE;
    const parts = n.conditions.map((c, i) => this.node(c, `${path}.conditions.${i}`));
    return parts.length === 1 ? parts[0]! : sql<SqlBool>`(${sql.join(parts, n.op === 'and' ? sql` and ` : sql` or `)})`;
  }

  // ----- values -----

  private bind(kind: ValueKind, v: unknown): Sql {
    if (kind === 'number') return sql`${v}::numeric`;
    if (kind === 'date') return sql`${v}::date`;
    if (kind === 'boolean') return sql`${v}::boolean`;
    return sql`${v}::text`;
  }

  private array(kind: ValueKind, values: unknown[]): Sql {
    if (kind === 'number') return sql`${values}::numeric[]`;
    if (kind === 'date') return sql`${values}::date[]`;
    return sql`${values}::text[]`;
  }

  /** `expr OP value` for a value of `kind`; `expr` is NULL when the contact has no value. */
  private value(expr: Sql, kind: ValueKind, op: string, value: unknown): Bool {
    const v = value;
    const list = Array.isArray(v) ? (v as unknown[]) : [];
    const isEmpty = kind === 'text' || kind === 'select' ? sql<SqlBool>`(${expr} is null or ${expr} = '')` : sql<SqlBool>`${expr} is null`;
    switch (op) {
      case 'eq':
        return sql<SqlBool>`${expr} = ${this.bind(kind, v)}`;
      case 'neq':
        return sql<SqlBool>`${expr} is distinct from ${this.bind(kind, v)}`;
      case 'contains':
        return sql<SqlBool>`${expr} ilike ${`%${escapeLike(String(v))}%`}`;
      case 'not_contains':
        return sql<SqlBool>`(${expr} is null or ${expr} not ilike ${`%${escapeLike(String(v))}%`})`;
      case 'starts_with':
        return sql<SqlBool>`${expr} ilike ${`${escapeLike(String(v))}%`}`;
      case 'in':
        return sql<SqlBool>`${expr} = any(${this.array(kind, list)})`;
      case 'not_in':
        return sql<SqlBool>`(${expr} is null or not (${expr} = any(${this.array(kind, list)})))`;
      case 'gt':
        return sql<SqlBool>`${expr} > ${this.bind(kind, v)}`;
      case 'gte':
        return sql<SqlBool>`${expr} >= ${this.bind(kind, v)}`;
      case 'lt':
        return sql<SqlBool>`${expr} < ${this.bind(kind, v)}`;
      case 'lte':
        return sql<SqlBool>`${expr} <= ${this.bind(kind, v)}`;
      case 'between':
        if (kind === 'instant') return sql<SqlBool>`(${expr} >= ${this.clock.startOf(list[0])} and ${expr} < ${this.clock.endOf(list[1])})`;
        return sql<SqlBool>`${expr} between ${this.bind(kind, list[0])} and ${this.bind(kind, list[1])}`;
      case 'after':
        return sql<SqlBool>`${expr} >= ${this.clock.startOf(v)}`;
      case 'before':
        return sql<SqlBool>`${expr} < ${this.clock.startOf(v)}`;
      case 'within_last_days':
        return sql<SqlBool>`${expr} >= ${this.clock.startOfLastDays(v as number)}`;
      case 'not_within_last_days':
        return sql<SqlBool>`(${expr} is null or ${expr} < ${this.clock.startOfLastDays(v as number)})`;
      case 'has_any':
        return sql<SqlBool>`${expr} ?| ${list}::text[]`;
      case 'has_all':
        return sql<SqlBool>`${expr} ?& ${list}::text[]`;
      case 'has_none':
        return sql<SqlBool>`(${expr} is null or not (${expr} ?| ${list}::text[]))`;
      case 'empty':
        return kind === 'multi' ? sql<SqlBool>`coalesce(jsonb_array_length(${expr}), 0) = 0` : isEmpty;
      case 'not_empty':
        return kind === 'multi' ? sql<SqlBool>`jsonb_array_length(${expr}) > 0` : sql<SqlBool>`not ${isEmpty}`;
      default:
        throw new Error(`unknown operator ${op}`);
    }
  }

  /** A custom field of a number kind (number, money): its values are in contact_custom_numbers. */
  private numberField(c: CustomCondition): boolean {
    const def = this.fields.get(c.key);
    return def !== undefined && customKind[def.type] === 'number';
  }

  private custom(c: CustomCondition, path: string): Bool {
    const def = this.fields.get(c.key);
    if (!def) {
      this.errors.push({ path: `${path}.key`, message: 'Unknown custom field' });
      return FALSE;
    }
    const kind = customKind[def.type];
    const errors = valueErrors(kind, c.op, c.value);
    if (errors.length) {
      this.errors.push(...errors.map((e) => ({ path: [path, ...e.path].join('.'), message: e.message })));
      return FALSE;
    }
    if (kind === 'number') return this.member(customNumberSet(this.ws, c.key, c.op, c.value, within('n', this.ctx.contactIds)));
    const raw = customValueSql('c', c.key, def.type);
    // A multi-select value counts only as an array (`?|` would also match a bare string).
    const expr = kind === 'multi' ? sql`(case when jsonb_typeof(${raw}) = 'array' then ${raw} end)` : raw;
    return this.value(expr, kind, c.op, c.value);
  }

  // ----- relations of the contact -----

  private teamMembers(teamIds: readonly string[]): Sql {
    return sql`(
      with recursive tree (id) as (
        select t.id from teams t where t.workspace_id = ${this.ws} and t.id = any(${[...teamIds]}::uuid[])
        union
        select t.id from teams t join tree on t.parent_id = tree.id where t.workspace_id = ${this.ws}
      )
      select tm.member_id from team_members tm where tm.workspace_id = ${this.ws} and tm.team_id in (select id from tree))`;
  }

  private inList(column: string, op: 'in' | 'not_in' | 'empty' | 'not_empty', values: readonly string[] | undefined, type: 'uuid' | 'text'): Bool {
    const col = sql.ref(column);
    const arr = type === 'uuid' ? sql`${[...(values ?? [])]}::uuid[]` : sql`${[...(values ?? [])]}::text[]`;
    const empty = type === 'text' ? sql<SqlBool>`(${col} is null or ${col} = '')` : sql<SqlBool>`${col} is null`;
    switch (op) {
      case 'in':
        return sql<SqlBool>`${col} = any(${arr})`;
      case 'not_in':
        return sql<SqlBool>`(${col} is null or not (${col} = any(${arr})))`;
      case 'empty':
        return empty;
      case 'not_empty':
        return sql<SqlBool>`not ${empty}`;
    }
  }

  private condition(c: Condition, path: string): Bool {
    if (c === this.driving) return TRUE;
    switch (c.kind) {
      case 'field':
        return this.value(sql.ref(columnOf[c.field]), contactFields[c.field], c.op, c.field === 'email' ? normaliseEmailOperand(c.op, c.value) : c.value);
      case 'custom':
        return this.custom(c, path);
      case 'tags':
        return contactTagsMatch('c', c.op, c.tagIds);
      case 'stage':
        return this.inList('c.stage_id', c.op, c.stageIds, 'uuid');
      case 'owner': {
        const ids = c.memberIds.filter((m) => m !== 'none');
        const none = ids.length < c.memberIds.length;
        const inIds = sql<SqlBool>`c.owner_member_id = any(${ids}::uuid[])`;
        if (c.op === 'in') return none ? sql<SqlBool>`(${inIds} or c.owner_member_id is null)` : inIds;
        return none ? sql<SqlBool>`(c.owner_member_id is not null and not ${inIds})` : sql<SqlBool>`(c.owner_member_id is null or not ${inIds})`;
      }
      case 'team':
        return c.op === 'in'
          ? sql<SqlBool>`c.owner_member_id in ${this.teamMembers(c.teamIds)}`
          : sql<SqlBool>`(c.owner_member_id is null or c.owner_member_id not in ${this.teamMembers(c.teamIds)})`;
      case 'source_channel':
        return this.inList('c.source_channel', c.op, c.values, 'text');
      case 'source_code':
        return this.inList('c.source_code_id', c.op, c.codeIds, 'uuid');
      case 'consent':
      case 'identity':
      case 'rfm_score':
      case 'rfm_layer':
      case 'event': {
        const set = this.idSet(c);
        if (!set) break;
        return set === 'everyone' ? TRUE : this.member(set);
      }
    }
    throw new Error('unreachable');
  }
}

/** The SQL of a definition (throws validation_failed naming unknown custom keys and misfit values). */
export function compileDefinition(definition: Definition, ctx: CompileContext): CompiledDefinition {
  return new Compiler(ctx).compile(definition);
}
