// The contact filter (docs/api/customers.md): one Zod schema for the structured object the list,
// count, saved views, batch work, export and segments share, and one compiler that turns it into
// a parameterised predicate over `contacts as c`. User values only ever reach SQL as bound
// parameters; custom keys are checked against the workspace's field definitions first.
import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import { z } from 'zod';
import type { Actor } from '../../platform/auth/actor.js';
import type { Db } from '../../platform/db/connect.js';
import { invalid, type FieldError } from '../../platform/http/errors.js';
import { visibleContact } from './access.js';
import type { FieldDefinition } from './custom-values.js';
import { listFieldDefinitions } from './custom-fields-store.js';
import { contactTagsMatch } from './tag-sets.js';
import type { CustomFieldType } from './tables.js';

export const channelTypes = [
  'wecom', 'wechat_openid', 'wechat_unionid', 'whatsapp', 'telegram', 'line',
  'messenger', 'instagram', 'email', 'phone', 'web_visitor', 'sms',
] as const;
export const channelType = z.enum(channelTypes);

const idList = z.array(z.uuid()).min(1).max(1000);
const instant = z.union([z.iso.datetime({ offset: true }), z.iso.date()]);
const range = z.strictObject({ from: instant.optional(), to: instant.optional() });

export const filterOps = ['eq', 'neq', 'contains', 'in', 'gt', 'gte', 'lt', 'lte', 'between', 'empty', 'not_empty', 'has_any', 'has_all'] as const;
type Op = (typeof filterOps)[number];

const builtinFields = ['city', 'company', 'title', 'region', 'gender', 'influence', 'birthday', 'name', 'email', 'phone'] as const;
type BuiltinField = (typeof builtinFields)[number];

/** How a value is compared: decides the allowed operators, the value's shape and the SQL cast. */
type Kind = 'text' | 'gender' | 'number' | 'date' | 'boolean' | 'select' | 'multi';

const builtinKind: Record<BuiltinField, Kind> = {
  city: 'text', company: 'text', title: 'text', region: 'text', name: 'text', email: 'text', phone: 'text',
  gender: 'gender', influence: 'number', birthday: 'date',
};

const customKind: Record<CustomFieldType, Kind> = {
  text: 'text', long_text: 'text', url: 'text', number: 'number', money: 'number', date: 'date',
  boolean: 'boolean', single_select: 'select', multi_select: 'multi',
};

const opsByKind: Record<Kind, readonly Op[]> = {
  text: ['eq', 'neq', 'contains', 'in', 'empty', 'not_empty'],
  gender: ['eq', 'neq', 'in'],
  number: ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'between', 'in', 'empty', 'not_empty'],
  date: ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'between', 'empty', 'not_empty'],
  boolean: ['eq', 'neq', 'empty', 'not_empty'],
  select: ['eq', 'neq', 'in', 'empty', 'not_empty'],
  multi: ['has_any', 'has_all', 'empty', 'not_empty'],
};

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const isDate = (v: unknown) => typeof v === 'string' && ISO_DATE.test(v) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v);
const genders = ['male', 'female', 'other', 'unknown'];

function scalarOk(kind: Kind, v: unknown): boolean {
  switch (kind) {
    case 'text':
    case 'select':
    case 'multi':
      return typeof v === 'string' && v.length <= 1000;
    case 'gender':
      return typeof v === 'string' && genders.includes(v);
    case 'number':
      return typeof v === 'number' && Number.isFinite(v);
    case 'date':
      return isDate(v);
    case 'boolean':
      return typeof v === 'boolean';
  }
}

/** Why `value` does not fit `op` on a value of `kind`, as a field error relative to the condition; or null. */
function conditionError(kind: Kind, op: Op, value: unknown): FieldError | null {
  if (!opsByKind[kind].includes(op)) return { path: 'op', message: `Use one of: ${opsByKind[kind].join(', ')}` };
  switch (op) {
    case 'empty':
    case 'not_empty':
      return value === undefined || value === null ? null : { path: 'value', message: 'Leave out the value' };
    case 'in':
    case 'has_any':
    case 'has_all':
      return Array.isArray(value) && value.length > 0 && value.length <= 500 && value.every((v) => scalarOk(kind, v))
        ? null
        : { path: 'value', message: `A list of 1 to 500 ${kind} values` };
    case 'between':
      return Array.isArray(value) && value.length === 2 && value.every((v) => scalarOk(kind, v)) ? null : { path: 'value', message: `Two ${kind} values: [from, to]` };
    default:
      return scalarOk(kind, value) ? null : { path: 'value', message: `A ${kind} value` };
  }
}

const fieldCondition = z
  .strictObject({ field: z.enum(builtinFields), op: z.enum(filterOps), value: z.unknown().optional() })
  .superRefine((c, ctx) => {
    const error = conditionError(builtinKind[c.field], c.op, c.value);
    if (error) ctx.addIssue({ code: 'custom', path: [error.path], message: error.message });
  });

const customCondition = z.strictObject({ key: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/), op: z.enum(filterOps), value: z.unknown().optional() });

export const contactFilterSchema = z.strictObject({
  q: z.string().trim().min(1).max(200).optional(),
  stageIds: idList.optional(),
  ownerIds: z.array(z.union([z.uuid(), z.literal('none')])).min(1).max(1000).optional(),
  teamIds: idList.optional(),
  tags: z.strictObject({ any: idList.optional(), all: z.array(z.uuid()).min(1).max(50).optional(), none: idList.optional() }).optional(),
  sourceChannels: z.array(z.string().min(1).max(50)).min(1).max(50).optional(),
  sourceCodeIds: idList.optional(),
  consent: z.strictObject({ channelType, status: z.enum(['opt_in', 'opt_out']) }).optional(),
  hasIdentity: z.array(channelType).min(1).optional(),
  lacksIdentity: z.array(channelType).min(1).optional(),
  createdAt: range.optional(),
  lastActiveAt: range.optional(),
  updatedAt: range.optional(),
  fields: z.array(fieldCondition).max(50).optional(),
  custom: z.array(customCondition).max(50).optional(),
  ids: z.array(z.uuid()).min(1).max(10000).optional(),
  /** Members of any of these segments (src/domains/segments): lists, batch work and export of a segment. */
  segmentIds: z.array(z.uuid()).min(1).max(20).optional(),
});
export type ContactFilter = z.infer<typeof contactFilterSchema>;

export const escapeLike = (text: string) => text.replace(/[\\%_]/g, (ch) => `\\${ch}`);

type Sql = RawBuilder<unknown> | Expression<unknown>;
const list = (values: readonly unknown[]) => sql.join(values.map((v) => sql`${v}`));

/** The typed SQL expression of a custom value, `null` when absent or of the wrong JSON type. */
export function customValueSql(alias: string, key: string, type: CustomFieldType): RawBuilder<unknown> {
  const custom = sql.ref(`${alias}.custom`);
  switch (customKind[type]) {
    case 'number':
      return sql`(case when jsonb_typeof(${custom} -> ${key}::text) = 'number' then (${custom} ->> ${key}::text)::numeric end)`;
    case 'date':
      return sql`(case when (${custom} ->> ${key}::text) ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' then (${custom} ->> ${key}::text)::date end)`;
    case 'boolean':
      return sql`(case when jsonb_typeof(${custom} -> ${key}::text) = 'boolean' then (${custom} -> ${key}::text)::boolean end)`;
    case 'multi':
      return sql`(${custom} -> ${key}::text)`;
    default:
      return sql`(${custom} ->> ${key}::text)`;
  }
}

/** A bound value cast to the kind's SQL type. */
function bind(kind: Kind, v: unknown): RawBuilder<unknown> {
  if (kind === 'number') return sql`${v}::numeric`;
  if (kind === 'date') return sql`${v}::date`;
  if (kind === 'boolean') return sql`${v}::boolean`;
  return sql`${v}::text`;
}

function condition(expr: Sql, kind: Kind, op: Op, value: unknown, emptyTest?: RawBuilder<SqlBool>): RawBuilder<SqlBool> {
  const values = Array.isArray(value) ? value : [];
  switch (op) {
    case 'eq':
      return sql`${expr} = ${bind(kind, value)}`;
    case 'neq':
      return sql`${expr} is distinct from ${bind(kind, value)}`;
    case 'contains':
      return sql`${expr} ilike ${`%${escapeLike(String(value))}%`}`;
    case 'in':
      return sql`${expr} in (${sql.join(values.map((v) => bind(kind, v)))})`;
    case 'gt':
      return sql`${expr} > ${bind(kind, value)}`;
    case 'gte':
      return sql`${expr} >= ${bind(kind, value)}`;
    case 'lt':
      return sql`${expr} < ${bind(kind, value)}`;
    case 'lte':
      return sql`${expr} <= ${bind(kind, value)}`;
    case 'between':
      return sql`${expr} between ${bind(kind, values[0])} and ${bind(kind, values[1])}`;
    case 'has_any':
      return sql`${expr} ?| array[${list(values)}]::text[]`;
    case 'has_all':
      return sql`${expr} ?& array[${list(values)}]::text[]`;
    case 'empty':
      return emptyTest ?? (kind === 'text' ? sql`(${expr} is null or ${expr} = '')` : sql`${expr} is null`);
    case 'not_empty':
      return sql`not ${emptyTest ?? (kind === 'text' ? sql`(${expr} is null or ${expr} = '')` : sql`${expr} is null`)}`;
  }
}

const columnOf: Record<BuiltinField, string> = {
  city: 'city', company: 'company', title: 'title', region: 'region', gender: 'gender',
  influence: 'influence', birthday: 'birthday', name: 'name', email: 'email', phone: 'phone',
};

export interface CompileOptions {
  /** The alias of `contacts` in the query (default `c`). */
  alias?: string;
  /** Where the filter sits in the request, for error paths (default `filter`). */
  path?: string;
}

/**
 * The predicate for `contacts as <alias>`: the actor's workspace, live and in their data scope,
 * and every present filter key (AND). `fields` are the workspace's custom field definitions
 * (needed when the filter has `custom` conditions). Throws validation_failed naming the path of an
 * unknown custom key or a value that does not fit its field's type.
 */
export function contactFilterSql(actor: Actor, filter: ContactFilter, fields: readonly FieldDefinition[], options: CompileOptions = {}): Expression<SqlBool> {
  const alias = options.alias ?? 'c';
  const path = options.path ?? 'filter';
  const col = (name: string) => sql.ref(`${alias}.${name}`);
  const ws = actor.workspaceId;
  const parts: Array<Expression<SqlBool>> = [sql<SqlBool>`${col('workspace_id')} = ${ws}`, visibleContact(actor, alias)];
  const f = filter;

  if (f.q) {
    const pattern = `%${escapeLike(f.q)}%`;
    const any = [col('name'), col('email'), col('company'), col('phone')].map((c) => sql<SqlBool>`${c} ilike ${pattern}`);
    const digits = f.q.replace(/[\s()+\-.]/g, '');
    // A number typed with spaces or dashes; typed as bare digits, `phone ilike` already matches it.
    if (/^\d{3,}$/.test(digits) && digits !== f.q) any.push(sql<SqlBool>`${col('phone')} like ${`%${digits}%`}`);
    parts.push(sql<SqlBool>`(${sql.join(any, sql` or `)})`);
  }
  if (f.stageIds) parts.push(sql<SqlBool>`${col('stage_id')} in (${list(f.stageIds)})`);
  if (f.ownerIds) {
    const ids = f.ownerIds.filter((id) => id !== 'none');
    const either = [];
    if (ids.length) either.push(sql<SqlBool>`${col('owner_member_id')} in (${list(ids)})`);
    if (ids.length < f.ownerIds.length) either.push(sql<SqlBool>`${col('owner_member_id')} is null`);
    parts.push(sql<SqlBool>`(${sql.join(either, sql` or `)})`);
  }
  if (f.teamIds) {
    parts.push(sql<SqlBool>`${col('owner_member_id')} in (
      with recursive tree (id) as (
        select t.id from teams t where t.workspace_id = ${ws} and t.id in (${list(f.teamIds)})
        union
        select t.id from teams t join tree on t.parent_id = tree.id where t.workspace_id = ${ws}
      )
      select tm.member_id from team_members tm where tm.workspace_id = ${ws} and tm.team_id in (select id from tree))`);
  }
  for (const op of ['any', 'all', 'none'] as const) {
    const ids = f.tags?.[op];
    if (ids) parts.push(contactTagsMatch(alias, op, ids));
  }
  if (f.sourceChannels) parts.push(sql<SqlBool>`${col('source_channel')} in (${list(f.sourceChannels)})`);
  if (f.sourceCodeIds) parts.push(sql<SqlBool>`${col('source_code_id')} in (${list(f.sourceCodeIds)})`);
  if (f.consent) {
    parts.push(sql<SqlBool>`exists (select 1 from contact_consents cc where cc.workspace_id = ${col('workspace_id')} and cc.contact_id = ${col('id')}
                                    and cc.channel_type = ${f.consent.channelType} and cc.status = ${f.consent.status})`);
  }
  const identity = (types: readonly string[]) =>
    sql`select 1 from contact_identities ci where ci.workspace_id = ${col('workspace_id')} and ci.contact_id = ${col('id')} and ci.channel_type in (${list(types)})`;
  if (f.hasIdentity) parts.push(sql<SqlBool>`exists (${identity(f.hasIdentity)})`);
  if (f.lacksIdentity) parts.push(sql<SqlBool>`not exists (${identity(f.lacksIdentity)})`);
  for (const key of ['createdAt', 'updatedAt', 'lastActiveAt'] as const) {
    const r = f[key];
    const column = col({ createdAt: 'created_at', updatedAt: 'updated_at', lastActiveAt: 'last_active_at' }[key]);
    if (r?.from) parts.push(sql<SqlBool>`${column} >= ${new Date(r.from)}`);
    if (r?.to) parts.push(sql<SqlBool>`${column} < ${new Date(r.to)}`);
  }
  for (const c of f.fields ?? []) {
    const kind = builtinKind[c.field];
    const value = c.field === 'email' && typeof c.value === 'string' && c.op === 'eq' ? c.value.trim().toLowerCase() : c.value;
    parts.push(condition(col(columnOf[c.field]), kind, c.op, value));
  }
  if (f.custom?.length) {
    const byKey = new Map(fields.map((d) => [d.key, d]));
    const errors: FieldError[] = [];
    f.custom.forEach((c, i) => {
      const def = byKey.get(c.key);
      if (!def) return errors.push({ path: `${path}.custom.${i}.key`, message: 'Unknown custom field' });
      const kind = customKind[def.type];
      const error = conditionError(kind, c.op, c.value);
      if (error) return errors.push({ path: `${path}.custom.${i}.${error.path}`, message: error.message });
      const present = sql<SqlBool>`not (${col('custom')} ? ${c.key}::text)`;
      parts.push(condition(customValueSql(alias, c.key, def.type), kind, c.op, c.value, present));
    });
    if (errors.length) throw invalid(errors);
  }
  if (f.ids) parts.push(sql<SqlBool>`${col('id')} in (${list(f.ids)})`);
  if (f.segmentIds) {
    parts.push(sql<SqlBool>`exists (select 1 from segment_members sm where sm.workspace_id = ${col('workspace_id')} and sm.contact_id = ${col('id')}
                                    and sm.segment_id = any(${[...f.segmentIds]}::uuid[]))`);
  }
  return sql<SqlBool>`(${sql.join(parts, sql` and `)})`;
}

/** As contactFilterSql, loading the workspace's custom field definitions when the filter needs them. */
export async function compileContactFilter(db: Db, actor: Actor, filter: ContactFilter, options: CompileOptions = {}): Promise<Expression<SqlBool>> {
  const fields = filter.custom?.length ? await listFieldDefinitions(db, actor.workspaceId) : [];
  return contactFilterSql(actor, filter, fields, options);
}
