// An independent, deliberately plain evaluator of segment definitions over contacts held in
// memory. It exists for the tests: the SQL compiler (queries/compile.ts) must agree with it on
// every operator of every field type (compile.test.ts). It follows the semantics written at the
// top of definition.ts, not the SQL, so a compiler bug shows as a disagreement.
import type { FieldDefinition } from '../contacts/index.js';
import { contactFields, type Condition, type Definition, type DefinitionNode, type EventWindow, type PropCondition, type ValueKind } from './definition.js';

export interface MemoryEvent {
  type: string;
  occurredAt: Date;
  props: Record<string, unknown>;
}

export interface MemoryContact {
  id: string;
  deleted: boolean;
  fields: Record<keyof typeof contactFields, string | number | Date | null>;
  stageId: string | null;
  ownerId: string | null;
  sourceChannel: string | null;
  sourceCodeId: string | null;
  custom: Record<string, unknown>;
  tagIds: ReadonlySet<string>;
  consents: ReadonlyMap<string, 'opt_in' | 'opt_out'>;
  identities: ReadonlySet<string>;
  rfm: { r: number; f: number; m: number; layer: string } | null;
  events: readonly MemoryEvent[];
}

export interface MemoryWorld {
  contacts: readonly MemoryContact[];
  teams: ReadonlyArray<{ id: string; parentId: string | null }>;
  teamMembers: ReadonlyArray<{ teamId: string; memberId: string }>;
  fields: readonly FieldDefinition[];
  timezone: string;
  now: Date;
}

const DAY = 86_400_000;

/** Minutes east of UTC of `zone` at `at`. */
function offsetMinutes(at: number, zone: string): number {
  const name = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' }).formatToParts(new Date(at)).find((p) => p.type === 'timeZoneName')!.value;
  const m = /GMT([+-])(\d{2}):?(\d{2})?/.exec(name);
  if (!m) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
}

/** The calendar day (YYYY-MM-DD) of an instant in `zone`. */
function localDay(at: Date, zone: string): string {
  return new Date(at.getTime() + offsetMinutes(at.getTime(), zone) * 60_000).toISOString().slice(0, 10);
}

const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);

/** When a local day starts, as an instant. */
function dayStart(day: string, zone: string): number {
  const utc = Date.parse(`${day}T00:00:00Z`);
  return utc - offsetMinutes(utc - offsetMinutes(utc, zone) * 60_000, zone) * 60_000;
}

const customKinds: Record<FieldDefinition['type'], ValueKind> = {
  text: 'text', long_text: 'text', url: 'text', number: 'number', money: 'number', date: 'date',
  boolean: 'boolean', single_select: 'select', multi_select: 'multi',
};

/** A custom value as the typed value it is read as (wrong JSON types read as absent). */
function customValue(raw: unknown, kind: ValueKind): unknown {
  if (raw === undefined || raw === null) return null;
  switch (kind) {
    case 'number':
      return typeof raw === 'number' ? raw : null;
    case 'date':
      return typeof raw === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(raw) ? raw : null;
    case 'boolean':
      return typeof raw === 'boolean' ? raw : null;
    case 'multi':
      return Array.isArray(raw) ? raw : null;
    default:
      return typeof raw === 'string' ? raw : JSON.stringify(raw);
  }
}

const lower = (s: string) => s.toLowerCase();

export class MemoryEvaluator {
  private readonly today: string;

  constructor(private readonly world: MemoryWorld) {
    this.today = localDay(world.now, world.timezone);
  }

  /** Ids of the live contacts the definition matches, sorted. */
  members(definition: Definition): string[] {
    return this.world.contacts.filter((c) => !c.deleted && this.node(definition, c)).map((c) => c.id).sort();
  }

  private node(n: DefinitionNode, c: MemoryContact): boolean {
    if (n.kind === 'group') return n.op === 'and' ? n.conditions.every((x) => this.node(x, c)) : n.conditions.some((x) => this.node(x, c));
    return this.condition(n, c);
  }

  private start(day: string) {
    return dayStart(day, this.world.timezone);
  }
  private lastDaysStart(days: number) {
    return this.start(addDays(this.today, -(days - 1)));
  }

  private compare(kind: ValueKind, v: unknown, op: string, operand: unknown): boolean {
    const list = Array.isArray(operand) ? operand : [];
    const present = v !== null && v !== undefined;
    const empty = kind === 'text' || kind === 'select' ? !present || v === '' : kind === 'multi' ? !present || (v as unknown[]).length === 0 : !present;
    // Numbers, ISO day strings (ordered as text) or instants (as milliseconds): compared with < and >.
    const num = (x: unknown) => (kind === 'instant' ? (x as Date).getTime() : x) as number;
    switch (op) {
      case 'eq':
        return present && v === operand;
      case 'neq':
        return !present || v !== operand;
      case 'contains':
        return present && lower(v as string).includes(lower(operand as string));
      case 'not_contains':
        return !present || !lower(v as string).includes(lower(operand as string));
      case 'starts_with':
        return present && lower(v as string).startsWith(lower(operand as string));
      case 'in':
        return present && list.includes(v);
      case 'not_in':
        return !present || !list.includes(v);
      case 'gt':
        return present && num(v) > (operand as number);
      case 'gte':
        return present && num(v) >= (operand as number);
      case 'lt':
        return present && num(v) < (operand as number);
      case 'lte':
        return present && num(v) <= (operand as number);
      case 'between':
        if (kind === 'instant') return present && num(v) >= this.start(list[0] as string) && num(v) < this.start(addDays(list[1] as string, 1));
        return present && num(v) >= (list[0] as number) && num(v) <= (list[1] as number);
      case 'after':
        return present && num(v) >= this.start(operand as string);
      case 'before':
        return present && num(v) < this.start(operand as string);
      case 'within_last_days':
        return present && num(v) >= this.lastDaysStart(operand as number);
      case 'not_within_last_days':
        return !present || num(v) < this.lastDaysStart(operand as number);
      case 'has_any':
        return present && list.some((x) => (v as unknown[]).includes(x));
      case 'has_all':
        return present && list.every((x) => (v as unknown[]).includes(x));
      case 'has_none':
        return !present || !list.some((x) => (v as unknown[]).includes(x));
      case 'empty':
        return empty;
      case 'not_empty':
        return !empty;
    }
    throw new Error(`operator ${op}`);
  }

  private teamMembers(teamIds: readonly string[]): Set<string> {
    const tree = new Set(teamIds.filter((id) => this.world.teams.some((t) => t.id === id)));
    for (let grew = true; grew; ) {
      grew = false;
      for (const t of this.world.teams) {
        if (t.parentId && tree.has(t.parentId) && !tree.has(t.id)) {
          tree.add(t.id);
          grew = true;
        }
      }
    }
    return new Set(this.world.teamMembers.filter((m) => tree.has(m.teamId)).map((m) => m.memberId));
  }

  private inWindow(at: Date, w: EventWindow): boolean {
    const t = at.getTime();
    if (w.kind === 'ever') return true;
    if (w.kind === 'last_days') return t >= this.lastDaysStart(w.days);
    return t >= this.start(w.from) && t < this.start(addDays(w.to, 1));
  }

  private prop(props: Record<string, unknown>, p: PropCondition): boolean {
    let at: unknown = props;
    for (const key of p.path.split('.')) {
      // `#>` walks objects by key and arrays by index.
      if (Array.isArray(at) && /^-?\d+$/.test(key)) at = at[Number(key) < 0 ? at.length + Number(key) : Number(key)];
      else at = at !== null && typeof at === 'object' && !Array.isArray(at) ? (at as Record<string, unknown>)[key] : undefined;
      if (at === undefined) break;
    }
    const equal = (v: unknown) => at !== undefined && at !== null && typeof at !== 'object' && at === v;
    switch (p.op) {
      case 'eq':
        return equal(p.value);
      case 'neq':
        return !equal(p.value);
      case 'in':
        return (p.value as unknown[]).some(equal);
      case 'contains':
        return typeof at === 'string' && lower(at).includes(lower(p.value as string));
      case 'gt':
        return typeof at === 'number' && at > (p.value as number);
      case 'gte':
        return typeof at === 'number' && at >= (p.value as number);
      case 'lt':
        return typeof at === 'number' && at < (p.value as number);
      case 'lte':
        return typeof at === 'number' && at <= (p.value as number);
      case 'exists':
        return at !== undefined && at !== null;
      case 'not_exists':
        return at === undefined || at === null;
    }
  }

  private condition(x: Condition, c: MemoryContact): boolean {
    switch (x.kind) {
      case 'field': {
        let operand = x.value;
        if (x.field === 'email' && ['eq', 'neq', 'in', 'not_in'].includes(x.op)) {
          const norm = (v: unknown) => (typeof v === 'string' ? v.trim().toLowerCase() : v);
          operand = Array.isArray(operand) ? operand.map(norm) : norm(operand);
        }
        return this.compare(contactFields[x.field], c.fields[x.field], x.op, operand);
      }
      case 'custom': {
        const def = this.world.fields.find((f) => f.key === x.key)!;
        const kind = customKinds[def.type];
        return this.compare(kind, customValue(c.custom[x.key], kind), x.op, x.value);
      }
      case 'tags': {
        const has = (t: string) => c.tagIds.has(t);
        return x.op === 'any' ? x.tagIds.some(has) : x.op === 'all' ? x.tagIds.every(has) : !x.tagIds.some(has);
      }
      case 'stage':
        return this.compare('select', c.stageId, x.op, x.stageIds);
      case 'owner': {
        const matches = x.memberIds.some((m) => (m === 'none' ? c.ownerId === null : m === c.ownerId));
        return x.op === 'in' ? matches : !matches;
      }
      case 'team': {
        const inTeam = c.ownerId !== null && this.teamMembers(x.teamIds).has(c.ownerId);
        return x.op === 'in' ? inTeam : !inTeam;
      }
      case 'source_channel':
        return this.compare('text', c.sourceChannel, x.op, x.values);
      case 'source_code':
        return this.compare('select', c.sourceCodeId, x.op, x.codeIds);
      case 'consent': {
        const status = c.consents.get(x.channelType) ?? 'unknown';
        return x.op === 'is' ? status === x.status : status !== x.status;
      }
      case 'identity': {
        const has = x.channelTypes.some((t) => c.identities.has(t));
        return x.op === 'has' ? has : !has;
      }
      case 'rfm_score': {
        const s = c.rfm?.[x.score];
        const v = x.value;
        const list = Array.isArray(v) ? v : [];
        switch (x.op) {
          case 'eq':
            return s === v;
          case 'neq':
            return s !== v;
          case 'gte':
            return s !== undefined && s >= (v as number);
          case 'lte':
            return s !== undefined && s <= (v as number);
          case 'between':
            return s !== undefined && s >= list[0]! && s <= list[1]!;
          case 'in':
            return s !== undefined && list.includes(s);
          case 'empty':
            return !c.rfm;
          case 'not_empty':
            return Boolean(c.rfm);
        }
        return false;
      }
      case 'rfm_layer': {
        const inLayers = Boolean(c.rfm && x.layers?.includes(c.rfm.layer as never));
        return x.op === 'in' ? inLayers : x.op === 'not_in' ? !inLayers : x.op === 'empty' ? !c.rfm : Boolean(c.rfm);
      }
      case 'event': {
        const n = c.events.filter((e) => e.type === x.type && this.inWindow(e.occurredAt, x.window) && (x.where ?? []).every((p) => this.prop(e.props, p))).length;
        return x.count.op === 'at_least' ? n >= x.count.n : x.count.op === 'at_most' ? n <= x.count.n : n === x.count.n;
      }
    }
  }
}
