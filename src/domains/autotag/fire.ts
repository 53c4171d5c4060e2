// Rules firing on changes, in the event handler's transaction, and the loop guard.
//
// Every run records the chain of rules that led to it (`tag_rule_runs.chain`, from the root of
// the cascade). A change made by a person, an import or an integration starts a new chain; a
// rule reacting to a change a rule made extends that rule's chain. Which change a condition
// rule's crossing came from is decided per contact: it is the latest change to the contact —
// the automatic change recorded in tag_rule_contact_chains, the change the handled event carries
// (its source_ref names the run when a rule made it), or what a person or an integration did
// since (the contact row's updated_at, their tag changes). Handlers run late and out of order,
// so the handled event alone cannot say.
//
// A condition rule acts on a contact only when the contact crosses its condition. A rule that
// would act on a contact again within its own chain — every run of a chain acts on contacts the
// run before it changed — is undoing other rules and being undone (A adds X, B removes X, A adds
// X …). The guard stops it there, before it acts: it records a `stopped` run naming the chain,
// disables the rule with the reason, and emits `autotag.rule.stopped`. A chain longer than
// MAX_CASCADE rules is stopped the same way.
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Tx } from '../../platform/db/transaction.js';
import { emit } from '../../platform/events/index.js';
import { applyRule } from './act.js';
import { compileError, compileTimes, compileTrigger, loadWorkspace, parseRule, type Rule, type Workspace } from './compiled.js';
import { lastChanges, recordChains } from './queries/causes.js';
import { liveContacts } from './queries/contacts.js';
import { eventMatches } from './queries/event-match.js';
import { diffMembers, meets } from './queries/membership.js';
import type { EventTrigger } from './schema.js';
import * as store from './store.js';

export const MAX_CASCADE = 10;
/** Contacts per statement when re-evaluating a condition rule. */
const SET_CHUNK = 5000;

export interface Cause {
  /** Rule ids from the root of the cascade; empty when a person or an integration made the change. */
  chain: string[];
  parentRunId: string | null;
  /** The outbox event being handled. */
  eventId: number | null;
  /** When the change happened (null: now, e.g. the daily refresh). */
  at: Date | null;
}

export const rootCause = (eventId: number | null, at: Date | null): Cause => ({ chain: [], parentRunId: null, eventId, at });

/** The cause an event carries: a rule run's chain when its source_ref names one, else a new chain. */
export async function causeOf(tx: Tx, workspaceId: string, sourceRef: string | undefined, eventId: number, at: Date): Promise<Cause> {
  // A backfill's chunks are `<run id>:<n>`.
  const runId = sourceRef?.split(':')[0];
  if (!runId || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(runId)) return rootCause(eventId, at);
  const run = await store.findRun(tx, workspaceId, runId);
  return run ? { chain: run.chain, parentRunId: run.id, eventId, at } : rootCause(eventId, at);
}

/** Contacts grouped by the cause of their crossing. */
export type CausedSets = Array<{ cause: Cause; contactIds: string[] }>;

/** Per contact, the latest of: the handled event's change, the last automatic change, a person's change since. */
export async function causesOf(tx: Tx, workspaceId: string, contactIds: readonly string[], event: Cause): Promise<CausedSets> {
  const groups = new Map<string, { cause: Cause; contactIds: string[] }>();
  const time = (d: Date | null) => (d ? d.getTime() : Number.POSITIVE_INFINITY);
  for (const row of await lastChanges(tx, workspaceId, contactIds)) {
    const candidates: Cause[] = [event];
    if (row.chain && row.at) candidates.push({ chain: row.chain, parentRunId: row.run_id, eventId: event.eventId, at: row.at });
    candidates.push(rootCause(event.eventId, row.touched_at));
    // The latest wins; at the same instant (one transaction) the automatic change does.
    const cause = candidates.reduce((best, c) => (time(c.at) > time(best.at) || (time(c.at) === time(best.at) && c.chain.length > best.chain.length) ? c : best));
    const key = `${cause.parentRunId ?? ''}|${cause.chain.join(',')}`;
    const group = groups.get(key) ?? { cause, contactIds: [] };
    group.contactIds.push(row.contact_id);
    groups.set(key, group);
  }
  return [...groups.values()];
}

async function stop(tx: Tx, workspaceId: string, rule: Rule, kind: 'event' | 'condition', contactIds: readonly string[], cause: Cause, logger: Logger) {
  const chain = [...cause.chain, rule.id];
  const names = await store.ruleNames(tx, workspaceId, chain);
  const path = chain.map((id) => names.get(id) ?? id).join(' → ');
  const loop = cause.chain.includes(rule.id);
  const reason = loop
    ? `Loop: ${path}. This rule would act again on contacts it already changed in this cascade, undoing what the other rules did; fix the rules and enable it again.`
    : `Cascade longer than ${MAX_CASCADE} rules: ${path}.`;
  await store.insertRun(tx, workspaceId, {
    ruleId: rule.id,
    kind,
    status: 'stopped',
    chain,
    parentRunId: cause.parentRunId,
    causeEventId: cause.eventId,
    matched: contactIds.length,
    detail: { reason: loop ? 'loop' : 'depth', message: reason, contactIds: contactIds.slice(0, 20) },
    finished: true,
  });
  await store.stopRule(tx, workspaceId, rule.id, reason);
  await emit(tx, workspaceId, 'autotag.rule.stopped', { ruleId: rule.id, chain, reason: loop ? 'loop' : 'depth' });
  logger.warn({ ruleId: rule.id, chain }, 'auto-tag rule stopped by the loop guard');
}

/** The rule acts on the (live) contacts, as one run caused by `cause`; or the guard stops it. */
export async function fire(tx: Tx, workspaceId: string, rule: Rule, kind: 'event' | 'condition', contactIds: readonly string[], cause: Cause, logger: Logger) {
  const live = (await liveContacts(tx, workspaceId, contactIds)).map((c) => c.id);
  if (!live.length) return null;
  if (cause.chain.includes(rule.id) || cause.chain.length >= MAX_CASCADE) {
    await stop(tx, workspaceId, rule, kind, live, cause, logger);
    return null;
  }
  const runId = randomUUID();
  const chain = [...cause.chain, rule.id];
  await store.insertRun(tx, workspaceId, { id: runId, ruleId: rule.id, kind, status: 'applied', chain, parentRunId: cause.parentRunId, causeEventId: cause.eventId, matched: live.length });
  const applied = await applyRule(tx, workspaceId, { rule, runId, ref: runId, kind, notify: true }, live, logger);
  await recordChains(tx, workspaceId, applied.changedIds, runId, chain);
  // A condition rule sees its own change at once (not acting on it): were a person to undo the
  // change before its event is handled, the undoing is then a crossing like any other.
  if (rule.trigger.kind === 'condition' && applied.changedIds.length) {
    await diffMembers(tx, workspaceId, rule.id, compileTrigger(await loadWorkspace(tx, workspaceId), rule.trigger, applied.changedIds), applied.changedIds);
  }
  await store.finishRun(tx, workspaceId, runId, { status: 'applied', changed: applied.changed, notified: applied.notified });
  return { runId, ...applied };
}

/** A recorded interaction (a person's or an integration's act): the event rules of its type whose tests it passes act on its contact. */
export async function fireEventRules(tx: Tx, workspaceId: string, e: { eventId: string; type: string; contactId: string }, cause: Cause, logger: Logger) {
  const rows = await store.eventRules(tx, workspaceId, e.type);
  if (!rows.length) return;
  const rules = rows.map(parseRule);
  const matches = await eventMatches(tx, workspaceId, e.eventId, rules.map((r) => r.trigger as EventTrigger));
  let w: Workspace | undefined;
  for (const [i, rule] of rules.entries()) {
    if (!matches[i]) continue;
    const trigger = rule.trigger as EventTrigger;
    if (trigger.times) {
      w ??= await loadWorkspace(tx, workspaceId);
      if (!(await meets(tx, compileTimes(w, trigger, e.contactId)))) continue;
    }
    await fire(tx, workspaceId, rule, 'event', [e.contactId], cause, logger);
  }
}

/** The contacts that crossed one condition rule's condition the way it acts on, by cause. */
export interface Crossing {
  rule: Rule;
  sets: CausedSets;
}

/**
 * A change to contacts: the condition rules that read what changed (`keys`, every one for null)
 * are re-evaluated for those contacts, and their members updated. Returns, per rule, the contacts
 * that crossed its condition the way it asks (became true / became false) with their causes, for
 * `fire` — after every rule has been evaluated, so that no rule sees another's reaction to the
 * same change: those reactions are changes of their own, with their own events.
 */
export async function conditionCrossings(tx: Tx, workspaceId: string, contactIds: readonly string[], keys: readonly string[] | null, event: Cause, logger: Logger): Promise<Crossing[]> {
  const ids = [...new Set(contactIds)];
  if (!ids.length) return [];
  const candidates = await store.conditionRules(tx, workspaceId, keys);
  if (!candidates.length) return [];
  const w = await loadWorkspace(tx, workspaceId);
  const crossings: Array<{ rule: Rule; contactIds: string[] }> = [];
  for (const candidate of candidates) {
    // One evaluation of a rule's membership at a time; it may have changed since it was listed.
    const row = await store.findRule(tx, workspaceId, candidate.id, true);
    if (!row || !row.enabled || row.status !== 'ready') continue;
    const rule = parseRule(row);
    if (rule.trigger.kind !== 'condition') continue;
    const crossed: string[] = [];
    for (let i = 0; i < ids.length; i += SET_CHUNK) {
      const chunk = ids.slice(i, i + SET_CHUNK);
      let compiled;
      try {
        compiled = compileTrigger(w, rule.trigger, chunk);
      } catch (error) {
        const message = compileError(error);
        if (message === null) throw error;
        logger.warn({ ruleId: rule.id, error: message }, 'auto-tag rule definition no longer compiles');
        await store.setStatus(tx, workspaceId, rule.id, 'invalid', message);
        break;
      }
      const t = await diffMembers(tx, workspaceId, rule.id, compiled, chunk);
      crossed.push(...(rule.trigger.when === 'becomes_true' ? t.entered : t.left));
    }
    if (crossed.length) crossings.push({ rule, contactIds: crossed });
  }
  // Causes are read before any rule acts on this change (acting records newer automatic changes).
  const all = [...new Set(crossings.flatMap((c) => c.contactIds))];
  const causes = new Map<string, Cause>();
  for (const set of await causesOf(tx, workspaceId, all, event)) for (const id of set.contactIds) causes.set(id, set.cause);
  return crossings.map(({ rule, contactIds: crossed }) => {
    const sets = new Map<Cause, string[]>();
    for (const id of crossed) {
      const cause = causes.get(id) ?? event;
      sets.set(cause, [...(sets.get(cause) ?? []), id]);
    }
    return { rule, sets: [...sets].map(([cause, contactIds]) => ({ cause, contactIds })) };
  });
}
