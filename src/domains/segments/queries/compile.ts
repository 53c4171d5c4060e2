// Compiles a segment definition into one parameterised SQL predicate over `contacts c`, plus the
// LEFT JOINs its behaviour conditions need. Every value the user wrote (texts, numbers, ids, custom
// keys, property paths, event types) reaches SQL as a bound parameter; the only SQL text chosen
// from the definition comes from fixed tables in this file (column names, operators).
//
// Plans (measured at 10^6 contacts / 10^7 events, bench/benchmarks/segments.ts):
// - Behaviour ("did order ≥ 2 times in the last 90 days") is one aggregate per condition over the
//   events of that type in the window, `LEFT JOIN`ed on the contact. It reads the
//   (workspace_id, type, occurred_at) INCLUDE (contact_id) index of timeline_events with an
//   index-only scan, whatever the boolean tree around it; a positive count test is strict, so at
//   the top level of an AND the planner turns the LEFT JOIN into an inner (hash) join.
// - There is no NOT in the language, so a NULL (no value, no row) is simply false for positive
//   operators; negative ones are written to be true on NULL.
// - When only some contacts are evaluated (an incremental change), their ids are pushed into each
//   aggregate, which then reads those contacts' events through the per-contact index.
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { contactTagsMatch, customValueSql, escapeLike, type FieldDefinition } from '../../contacts/index.js';
import { invalid, type FieldError } from '../../../platform/http/errors.js';
import {
  contactFields,
  valueErrors,
  type Condition,
  type ContactField,
  type CustomCondition,
  type Definition,
  type DefinitionNode,
  type EventCondition,
  type EventWindow,
  type PropCondition,
  type ValueKind,
} from '../definition.js';

export interface CompileContext {
  workspaceId: string;
  /** The workspace's custom field definitions (needed for `custom` conditions). */
  fields: readonly FieldDefinition[];
  /** IANA zone of the workspace: days and windows are its calendar days. */
  timezone: string;
  /** Evaluate only these contacts (incremental re-evaluation). */
  contactIds?: readonly string[];
  /** "Now" for relative windows; the database clock by default (tests pin it). */
  now?: Date;
  /** Where the definition sits in the request, for error paths (default `definition`). */
  path?: string;
}

export interface CompiledDefinition {
  /** `contacts c` and the joins the predicate reads. */
  from: RawBuilder<unknown>;
  /** Workspace, live, the scope's contacts, and the definition. */
  where: RawBuilder<SqlBool>;
}

type Sql = RawBuilder<unknown>;
type Bool = RawBuilder<SqlBool>;

const TRUE: Bool = sql<SqlBool>`true`;
/** How many recent times per contact and type contact_event_recent keeps (its migration). */
const RECENT_KEPT = 8;
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
const scoreColumn = { r: 'r.r_score', f: 'r.f_score', m: 'r.m_score' } as const;

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

  constructor(private readonly ctx: CompileContext) {
    this.fields = new Map(ctx.fields.map((f) => [f.key, f]));
    this.ws = ctx.workspaceId;
  }

  compile(definition: Definition): CompiledDefinition {
    const predicate = this.node(definition, this.ctx.path ?? 'definition');
    if (this.errors.length) throw invalid(this.errors);
    const scope = this.ctx.contactIds ? sql<SqlBool>` and c.id = any(${[...this.ctx.contactIds]}::uuid[])` : sql``;
    return {
      from: sql`contacts c${sql.join(this.joins, sql``)}`,
      where: sql<SqlBool>`(c.workspace_id = ${this.ws} and c.deleted_at is null${scope} and ${predicate})`,
    };
  }

  private node(n: DefinitionNode, path: string): Bool {
    if (n.kind !== 'group') return this.condition(n, path);
    if (!n.conditions.length) return n.op === 'and' ? TRUE : FALSE;
    const parts = n.conditions.map((c, i) => this.node(c, `${path}.conditions.${i}`));
    return parts.length === 1 ? parts[0]! : sql<SqlBool>`(${sql.join(parts, n.op === 'and' ? sql` and ` : sql` or `)})`;
  }

  // ----- time: the workspace's calendar days -----

  private now(): Sql {
    return this.ctx.now ? sql`${this.ctx.now.toISOString()}::timestamptz` : sql`now()`;
  }
  private today(): Sql {
    return sql`(${this.now()} at time zone ${this.ctx.timezone})::date`;
  }
  /** The instant a local day starts. */
  private dayStart(day: Sql): Sql {
    return sql`((${day})::timestamp at time zone ${this.ctx.timezone})`;
  }
  private startOfLastDays(days: number): Sql {
    return this.dayStart(sql`${this.today()} - ${days - 1}::int`);
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
        if (kind === 'instant') {
          return sql<SqlBool>`(${expr} >= ${this.dayStart(sql`${list[0]}::date`)} and ${expr} < ${this.dayStart(sql`${list[1]}::date + 1`)})`;
        }
        return sql<SqlBool>`${expr} between ${this.bind(kind, list[0])} and ${this.bind(kind, list[1])}`;
      case 'after':
        return sql<SqlBool>`${expr} >= ${this.dayStart(sql`${v}::date`)}`;
      case 'before':
        return sql<SqlBool>`${expr} < ${this.dayStart(sql`${v}::date`)}`;
      case 'within_last_days':
        return sql<SqlBool>`${expr} >= ${this.startOfLastDays(v as number)}`;
      case 'not_within_last_days':
        return sql<SqlBool>`(${expr} is null or ${expr} < ${this.startOfLastDays(v as number)})`;
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
    const raw = customValueSql('c', c.key, def.type);
    // A multi-select value counts only as an array (`?|` would also match a bare string).
    const expr = kind === 'multi' ? sql`(case when jsonb_typeof(${raw}) = 'array' then ${raw} end)` : raw;
    return this.value(expr, kind, c.op, c.value);
  }

  // ----- relations of the contact -----

  private exists(body: Sql): Bool {
    return sql<SqlBool>`exists (${body})`;
  }
  private notExists(body: Sql): Bool {
    return sql<SqlBool>`not exists (${body})`;
  }

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

  private rfm(test: Sql | null): Sql {
    return sql`select 1 from contact_rfm r where r.workspace_id = c.workspace_id and r.contact_id = c.id${test ? sql` and ${test}` : sql``}`;
  }

  // ----- behaviour -----

  private window(w: EventWindow): Sql {
    switch (w.kind) {
      case 'ever':
        return sql``;
      case 'last_days':
        return sql` and e.occurred_at >= ${this.startOfLastDays(w.days)}`;
      case 'between':
        return sql` and e.occurred_at >= ${this.dayStart(sql`${w.from}::date`)} and e.occurred_at < ${this.dayStart(sql`${w.to}::date + 1`)}`;
    }
  }

  private prop(p: PropCondition): Bool {
    const at = sql`(e.props #> ${p.path.split('.')}::text[])`;
    const json = (v: unknown) => sql`${JSON.stringify(v)}::jsonb`;
    switch (p.op) {
      case 'eq':
        return sql<SqlBool>`${at} = ${json(p.value)}`;
      case 'neq':
        return sql<SqlBool>`${at} is distinct from ${json(p.value)}`;
      case 'in':
        return sql<SqlBool>`${at} = any(array[${sql.join((p.value as unknown[]).map(json))}])`;
      case 'contains':
        return sql<SqlBool>`(case when jsonb_typeof(${at}) = 'string' then ${at} #>> '{}' end) ilike ${`%${escapeLike(String(p.value))}%`}`;
      case 'gt':
      case 'gte':
      case 'lt':
      case 'lte': {
        const op = { gt: sql`>`, gte: sql`>=`, lt: sql`<`, lte: sql`<=` }[p.op];
        return sql<SqlBool>`(case when jsonb_typeof(${at}) = 'number' then (${at} #>> '{}')::numeric end) ${op} ${p.value}::numeric`;
      }
      case 'exists':
        return sql<SqlBool>`coalesce(jsonb_typeof(${at}), 'null') <> 'null'`;
      case 'not_exists':
        return sql<SqlBool>`coalesce(jsonb_typeof(${at}), 'null') = 'null'`;
    }
  }

  /**
   * The contacts whose count passes (at least N, exactly N) or fails (at most N: more than N)
   * are one aggregate with a HAVING, so the join reads only them; the condition is then whether
   * the contact is among them (an inner join at the top of an AND) or not (an anti-join).
   */
  /**
   * The same condition on the per-contact counters (contact_event_recent: each contact's total
   * and 8 most recent times per type), when it needs no more: a window of the last D days or
   * ever, no property tests, and a threshold within the 8 times kept. Null otherwise.
   */
  private fromCounters(c: EventCondition): Bool | null {
    const { op, n } = c.count;
    if (c.where?.length || (c.window.kind !== 'last_days' && c.window.kind !== 'ever')) return null;
    // "At least m" is the m-th newest time inside the window; at most n is not at least n + 1.
    const m = op === 'at_most' ? n + 1 : n;
    if (c.window.kind === 'last_days' && (m > RECENT_KEPT || (op === 'exactly' && n + 1 > RECENT_KEPT))) return null;
    const since = c.window.kind === 'last_days' ? this.startOfLastDays(c.window.days) : null;
    const atLeast = (k: number) => (since ? sql`k.recent[1] >= ${since} and k.recent[${k}::int] >= ${since}` : sql`k.total >= ${k}::int`);
    const test =
      op === 'exactly' && n > 0
        ? since
          ? sql`${atLeast(n)} and (k.recent[${n + 1}::int] is null or k.recent[${n + 1}::int] < ${since})`
          : sql`k.total = ${n}::int`
        : atLeast(op === 'exactly' ? 1 : m);
    const alias = sql.id(`b${this.joins.length}`);
    const scope = this.ctx.contactIds ? sql` and k.contact_id = any(${[...this.ctx.contactIds]}::uuid[])` : sql``;
    this.joins.push(sql`
      left join (
        select k.contact_id from contact_event_recent k
        where k.workspace_id = ${this.ws} and k.type = ${c.type} and ${test}${scope}
      ) ${alias} on c.workspace_id = ${this.ws} and ${alias}.contact_id = c.id`);
    const found = sql<SqlBool>`${alias}.contact_id is not null`;
    const absent = sql<SqlBool>`${alias}.contact_id is null`;
    if (op === 'at_least') return found;
    if (op === 'exactly') return n === 0 ? absent : found;
    return absent;
  }

  private event(c: EventCondition): Bool {
    const { op, n } = c.count;
    if (op === 'at_least' && n === 0) return TRUE;
    const counters = this.fromCounters(c);
    if (counters) return counters;
    const alias = sql.id(`b${this.joins.length}`);
    const props = (c.where ?? []).map((p) => sql` and ${this.prop(p)}`);
    const scope = this.ctx.contactIds ? sql` and e.contact_id = any(${[...this.ctx.contactIds]}::uuid[])` : sql``;
    const having = op === 'at_least' ? (n > 1 ? sql` having count(*) >= ${n}::int` : sql``) : op === 'exactly' ? (n > 0 ? sql` having count(*) = ${n}::int` : sql``) : sql` having count(*) > ${n}::int`;
    // Grouped by contact only (the workspace is fixed); the join still names the workspace.
    this.joins.push(sql`
      left join (
        select e.contact_id from timeline_events e
        where e.workspace_id = ${this.ws} and e.type = ${c.type}${this.window(c.window)}${sql.join(props, sql``)}${scope}
        group by e.contact_id${having}
      ) ${alias} on c.workspace_id = ${this.ws} and ${alias}.contact_id = c.id`);
    const found = sql<SqlBool>`${alias}.contact_id is not null`;
    const absent = sql<SqlBool>`${alias}.contact_id is null`;
    if (op === 'at_least') return found;
    if (op === 'exactly') return n === 0 ? absent : found;
    return absent;
  }

  private condition(c: Condition, path: string): Bool {
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
      case 'consent': {
        const consent = (status: string | null) =>
          sql`select 1 from contact_consents cc where cc.workspace_id = c.workspace_id and cc.contact_id = c.id and cc.channel_type = ${c.channelType}${status ? sql` and cc.status = ${status}` : sql``}`;
        const is = c.status === 'unknown' ? this.notExists(consent(null)) : this.exists(consent(c.status));
        const isNot = c.status === 'unknown' ? this.exists(consent(null)) : this.notExists(consent(c.status));
        return c.op === 'is' ? is : isNot;
      }
      case 'identity': {
        const body = sql`select 1 from contact_identities ci where ci.workspace_id = c.workspace_id and ci.contact_id = c.id and ci.channel_type = any(${c.channelTypes}::text[])`;
        return c.op === 'has' ? this.exists(body) : this.notExists(body);
      }
      case 'rfm_score': {
        const col = sql.ref(scoreColumn[c.score]);
        const v = c.value;
        const list = Array.isArray(v) ? v : [];
        switch (c.op) {
          case 'eq':
            return this.exists(this.rfm(sql`${col} = ${v}::int`));
          case 'neq':
            return this.notExists(this.rfm(sql`${col} = ${v}::int`));
          case 'gte':
            return this.exists(this.rfm(sql`${col} >= ${v}::int`));
          case 'lte':
            return this.exists(this.rfm(sql`${col} <= ${v}::int`));
          case 'between':
            return this.exists(this.rfm(sql`${col} between ${list[0]}::int and ${list[1]}::int`));
          case 'in':
            return this.exists(this.rfm(sql`${col} = any(${list}::int[])`));
          case 'empty':
            return this.notExists(this.rfm(null));
          case 'not_empty':
            return this.exists(this.rfm(null));
        }
        break;
      }
      case 'rfm_layer': {
        const layers = sql`r.layer = any(${c.layers ?? []}::text[])`;
        if (c.op === 'in') return this.exists(this.rfm(layers));
        if (c.op === 'not_in') return this.notExists(this.rfm(layers));
        return c.op === 'empty' ? this.notExists(this.rfm(null)) : this.exists(this.rfm(null));
      }
      case 'event':
        return this.event(c);
    }
    throw new Error('unreachable');
  }
}

/** The SQL of a definition (throws validation_failed naming unknown custom keys and misfit values). */
export function compileDefinition(definition: Definition, ctx: CompileContext): CompiledDefinition {
  return new Compiler(ctx).compile(definition);
}

/** `select c.id …` of the contacts a compiled definition matches, with an extra predicate. */
export const matchingIds = (compiled: CompiledDefinition, extra: RawBuilder<SqlBool> = TRUE) =>
  sql<{ id: string }>`select c.id from ${compiled.from} where ${compiled.where} and ${extra}`;
