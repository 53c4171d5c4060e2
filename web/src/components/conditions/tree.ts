// The condition builder's working copy of a definition: the same tree with a client-side `uid` on
// every node (stable React keys, error placement), and the pure functions the editor needs —
// update at a path, prune what is incomplete for the live count, map server errors to nodes.
import type { Catalogue, Condition, DefinitionNode, Group, PropCondition, ValueKind, ValueOp } from '../../api/segments';

export type EditorCondition = Condition & { uid: string };
export interface EditorGroup { kind: 'group'; op: 'and' | 'or'; conditions: EditorNode[]; uid: string }
export type EditorNode = EditorGroup | EditorCondition;

let counter = 0;
export const newUid = () => `n${++counter}`;

export function toEditor(node: DefinitionNode): EditorNode {
  if (node.kind === 'group') return { kind: 'group', op: node.op, conditions: node.conditions.map(toEditor), uid: newUid() };
  return { ...node, uid: newUid() };
}

export const emptyGroup = (op: 'and' | 'or' = 'and'): EditorGroup => ({ kind: 'group', op, conditions: [], uid: newUid() });

/** Replaces the node at `path` (child indexes from the root) with fn(node); null removes it. */
export function updateAt(root: EditorGroup, path: number[], fn: (node: EditorNode) => EditorNode | null): EditorGroup {
  if (!path.length) return (fn(root) as EditorGroup | null) ?? emptyGroup(root.op);
  const [head, ...rest] = path as [number, ...number[]];
  const conditions = root.conditions.flatMap((child, i) => {
    if (i !== head) return [child];
    const next = rest.length ? (child.kind === 'group' ? updateAt(child, rest, fn) : child) : fn(child);
    return next ? [next] : [];
  });
  return { ...root, conditions };
}

// ---- subjects: what a condition is about, as one key for the first select ----

/** `field:city`, `custom:level`, `tags`, `rfm_score:r`, `event`, … */
export type Subject = string;

export function subjectOf(c: Condition): Subject {
  switch (c.kind) {
    case 'field': return `field:${c.field}`;
    case 'custom': return `custom:${c.key}`;
    case 'rfm_score': return `rfm_score:${c.score}`;
    default: return c.kind;
  }
}

/** The operator a new condition on a value of this kind starts with, and its empty value. */
const startOp: Record<ValueKind, { op: ValueOp; value?: unknown }> = {
  text: { op: 'contains', value: '' },
  number: { op: 'gte' },
  date: { op: 'gte' },
  instant: { op: 'within_last_days', value: 30 },
  boolean: { op: 'eq', value: true },
  select: { op: 'in', value: [] },
  multi: { op: 'has_any', value: [] },
};

export function kindOfField(catalogue: Catalogue | undefined, c: Condition): ValueKind | undefined {
  if (c.kind === 'field') return catalogue?.fields.find((f) => f.field === c.field)?.kind;
  if (c.kind === 'custom') return catalogue?.customFields.find((f) => f.key === c.key)?.kind;
  return undefined;
}

/** A fresh condition for a subject, with the first sensible operator. */
export function newCondition(subject: Subject, catalogue: Catalogue | undefined): EditorCondition {
  const uid = newUid();
  const [kind, arg = ''] = subject.split(':') as [string, string?];
  switch (kind) {
    case 'field': {
      const k = catalogue?.fields.find((f) => f.field === arg)?.kind ?? 'text';
      return { kind: 'field', field: arg as never, ...startOp[k], uid };
    }
    case 'custom': {
      const k = catalogue?.customFields.find((f) => f.key === arg)?.kind ?? 'text';
      return { kind: 'custom', key: arg, ...startOp[k], uid };
    }
    case 'tags': return { kind: 'tags', op: 'any', tagIds: [], uid };
    case 'stage': return { kind: 'stage', op: 'in', stageIds: [], uid };
    case 'owner': return { kind: 'owner', op: 'in', memberIds: [], uid };
    case 'team': return { kind: 'team', op: 'in', teamIds: [], uid };
    case 'source_channel': return { kind: 'source_channel', op: 'in', values: [], uid };
    case 'source_code': return { kind: 'source_code', op: 'not_empty', uid };
    case 'consent': return { kind: 'consent', channelType: 'wecom', op: 'is', status: 'opt_in', uid };
    case 'identity': return { kind: 'identity', op: 'has', channelTypes: [], uid };
    case 'rfm_score': return { kind: 'rfm_score', score: (arg || 'r') as 'r' | 'f' | 'm', op: 'gte', value: 4, uid };
    case 'rfm_layer': return { kind: 'rfm_layer', op: 'in', layers: [], uid };
    case 'event':
    default:
      return { kind: 'event', type: 'order', count: { op: 'at_least', n: 1 }, window: { kind: 'last_days', days: 30 }, uid };
  }
}

// ---- completeness: a condition still being filled in is left out of the live count ----

const present = (v: unknown) => v !== undefined && v !== null && v !== '' && !(typeof v === 'number' && Number.isNaN(v));
const filledList = (v: unknown) => Array.isArray(v) && v.length > 0 && v.every(present);

function valueComplete(op: string, value: unknown): boolean {
  switch (op) {
    case 'empty':
    case 'not_empty':
    case 'exists':
    case 'not_exists':
      return true;
    case 'in':
    case 'not_in':
    case 'has_any':
    case 'has_all':
    case 'has_none':
      return filledList(value);
    case 'between':
      return Array.isArray(value) && value.length === 2 && value.every(present);
    default:
      return present(value);
  }
}

export const propComplete = (p: PropCondition) => p.path.trim() !== '' && valueComplete(p.op, p.value);

export function isComplete(c: Condition): boolean {
  switch (c.kind) {
    case 'field':
    case 'custom':
    case 'rfm_score':
      return valueComplete(c.op, c.value);
    case 'tags': return c.tagIds.length > 0;
    case 'stage': return c.op === 'empty' || c.op === 'not_empty' || Boolean(c.stageIds?.length);
    case 'owner': return c.memberIds.length > 0;
    case 'team': return c.teamIds.length > 0;
    case 'source_channel': return c.op === 'empty' || c.op === 'not_empty' || Boolean(c.values?.length);
    case 'source_code': return c.op === 'empty' || c.op === 'not_empty' || Boolean(c.codeIds?.length);
    case 'consent': return true;
    case 'identity': return c.channelTypes.length > 0;
    case 'rfm_layer': return c.op === 'empty' || c.op === 'not_empty' || Boolean(c.layers?.length);
    case 'event':
      return /^[a-z][a-z0-9_]{0,39}$/.test(c.type) && Number.isInteger(c.count.n) && c.count.n >= 0
        && (c.window.kind !== 'last_days' || c.window.days >= 1) && (c.window.kind !== 'between' || Boolean(c.window.from && c.window.to))
        && (c.where ?? []).every(propComplete);
  }
}

// ---- from the working copy to what the API takes ----

/** Drops the uids, the lists an operator does not take, and empty `where` lists. */
function cleanCondition(c: EditorCondition): Condition {
  const { uid: _uid, ...rest } = c;
  const out = { ...rest } as Condition & Record<string, unknown>;
  const noList = out.op === 'empty' || out.op === 'not_empty';
  if (out.kind === 'stage' && noList) delete out.stageIds;
  if (out.kind === 'source_channel' && noList) delete out.values;
  if (out.kind === 'source_code' && noList) delete out.codeIds;
  if (out.kind === 'rfm_layer' && noList) delete out.layers;
  if ((out.kind === 'field' || out.kind === 'custom' || out.kind === 'rfm_score') && noList) delete out.value;
  if (out.kind === 'event') {
    if (!out.where?.length) delete out.where;
    else out.where = out.where.map((p) => (p.op === 'exists' || p.op === 'not_exists' ? { path: p.path, op: p.op } : p));
  }
  return out;
}

export interface Serialized {
  definition: Group;
  /** Where each sent node came from: "0.2" (indexes in the sent tree) → uid. */
  origin: Map<string, string>;
  /** Conditions left out because they are not filled in yet. */
  skipped: number;
}

/**
 * The definition to send. `forPreview` leaves out incomplete conditions (the count ignores them)
 * and, always, groups left empty: an empty sub-group is an editing leftover, not a rule.
 */
export function serialize(root: EditorGroup, forPreview: boolean): Serialized {
  const origin = new Map<string, string>();
  let skipped = 0;
  const walk = (g: EditorGroup, path: number[]): Group => {
    const conditions: Group['conditions'] = [];
    for (const child of g.conditions) {
      const childPath = [...path, conditions.length];
      if (child.kind === 'group') {
        const sub = walk(child, childPath);
        if (!sub.conditions.length) continue;
        origin.set(childPath.join('.'), child.uid);
        conditions.push(sub);
      } else if (forPreview && !isComplete(child)) {
        skipped += 1;
      } else {
        origin.set(childPath.join('.'), child.uid);
        conditions.push(cleanCondition(child));
      }
    }
    return { kind: 'group', op: g.op, conditions };
  };
  origin.set('', root.uid);
  return { definition: walk(root, []), origin, skipped };
}

/** Every incomplete condition's uid (saving is refused while there are any). */
export function incompleteUids(root: EditorGroup): string[] {
  return root.conditions.flatMap((c) => (c.kind === 'group' ? incompleteUids(c) : isComplete(c) ? [] : [c.uid]));
}

/**
 * Server field errors ("definition.conditions.1.conditions.0.value") placed on the node they name.
 * Returns messages by uid; what names no node (a whole-definition error) is under ''.
 */
export function errorsByNode(errors: Array<{ path: string; message: string }> | undefined, origin: Map<string, string>, prefix = 'definition'): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const e of errors ?? []) {
    const parts = e.path.replace(/^\//, '').split(/[./]/).filter(Boolean);
    if (parts[0] === 'body') parts.shift();
    const start = prefix.split('.').filter(Boolean);
    if (start.some((p, i) => parts[i] !== p)) continue;
    parts.splice(0, start.length);
    const path: string[] = [];
    while (parts[0] === 'conditions' && parts[1] !== undefined && /^\d+$/.test(parts[1])) {
      path.push(parts[1]);
      parts.splice(0, 2);
    }
    // Keep the deepest node the sent tree knows (an error inside a `where` item stays on its condition).
    let uid: string | undefined;
    for (let n = path.length; n >= 0 && uid === undefined; n--) uid = origin.get(path.slice(0, n).join('.'));
    const key = uid ?? '';
    out.set(key, [...(out.get(key) ?? []), e.message]);
  }
  return out;
}

export const countConditions = (g: Group): number => g.conditions.reduce((n, c) => n + (c.kind === 'group' ? countConditions(c) : 1), 0);
