// Rules firing on changes, in the event handler's transaction, and the loop guard.
//
// Every run records the chain of rules that led to it (`tag_rule_runs.chain`, from the root of
// the cascade). The tag and stage changes a run makes carry its id as their source_ref, so the
// reaction to them knows its cause: a rule reacting to a change that a rule made extends that
// run's chain. A change made by a person, an import or an integration starts a new chain.
//
// A condition rule only acts on a contact when the contact crosses its condition. Each run works
// on the contacts its cause changed, a subset of those every earlier run of the chain acted on;
// so a rule that would act again within its own chain would act again on the same contacts,
// which is only possible when rules undo each other (A adds X, B removes X, A adds X …). The
// guard stops that rule there, before it acts: it records a `stopped` run naming the chain,
// disables the rule with the reason, and emits `autotag.rule.stopped`. A chain longer than
// MAX_CASCADE rules is stopped the same way.
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Tx } from '../../platform/db/transaction.js';
import { emit } from '../../platform/events/index.js';
import { applyRule } from './act.js';
import { compileError, compileTimes, compileTrigger, loadWorkspace, parseRule, type Rule, type Workspace } from './compiled.js';
import { eventMatches } from './queries/event-match.js';
import { liveContacts } from './queries/contacts.js';
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
}

export const rootCause = (eventId: number | null): Cause => ({ chain: [], parentRunId: null, eventId });

/** The cause of a change by its source_ref: a rule run's chain, or a new one. */
export async function causeOf(tx: Tx, workspaceId: string, sourceRef: string | undefined, eventId: number): Promise<Cause> {
  // A backfill's chunks are `<run id>:<n>`.
  const runId = sourceRef?.split(':')[0];
  if (!runId || !/^[0-9a-f-]{36}$/i.test(runId)) return rootCause(eventId);
  const run = await store.findRun(tx, workspaceId, runId);
  return run ? { chain: run.chain, parentRunId: run.id, eventId } : rootCause(eventId);
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
  await store.insertRun(tx, workspaceId, {
    id: runId,
    ruleId: rule.id,
    kind,
    status: 'applied',
    chain: [...cause.chain, rule.id],
    parentRunId: cause.parentRunId,
    causeEventId: cause.eventId,
    matched: live.length,
  });
  const applied = await applyRule(tx, workspaceId, { rule, runId, ref: runId, kind, notify: true }, live, logger);
  await store.finishRun(tx, workspaceId, runId, { status: 'applied', ...applied });
  return { runId, ...applied };
}

/** A recorded interaction: the event rules of its type whose tests it passes act on its contact. */
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

/**
 * A change to contacts: the condition rules that read what changed (`keys`, every one for null)
 * are re-evaluated for those contacts; each acts on the contacts that crossed its condition the
 * way it asks (became true or became false).
 */
export async function evaluateConditionRules(tx: Tx, workspaceId: string, contactIds: readonly string[], keys: readonly string[] | null, cause: Cause, logger: Logger) {
  const ids = [...new Set(contactIds)];
  if (!ids.length) return;
  const candidates = await store.conditionRules(tx, workspaceId, keys);
  if (!candidates.length) return;
  const w = await loadWorkspace(tx, workspaceId);
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
    if (crossed.length) await fire(tx, workspaceId, rule, 'condition', crossed, cause, logger);
  }
}
