// What a layer move sets off: an `rfm_layer_changed` entry on the contact's timeline, and for each
// enabled rule whose from/to lists match (empty = any), a task for the contact's owner (or the
// rule's fallback member) that reminds at once, so it reaches them as a notification too.
// Moves caused by a settings change set nothing off. Runs in the event handler's transaction;
// a rule acts on a move once (rfm_rule_firings), and the timeline entry has the move's id, so a
// redelivered event repeats nothing.
import type { Logger } from 'pino';
import { automationActor } from '../../platform/auth/actor.js';
import type { Tx } from '../../platform/db/transaction.js';
import { AppError } from '../../platform/http/errors.js';
import { createTask, recordTimelineEvents } from '../timeline/index.js';
import { layerName, type Layer } from './layers.js';
import { movesOf, type Move } from './queries/moves.js';
import { loadSettings } from './settings.js';
import * as store from './store.js';

const PAGE = 1000;
const DAY_MS = 86_400_000;

const matches = (rule: store.RuleRow, move: Move) =>
  (!rule.from_layers.length || rule.from_layers.includes(move.from_layer)) && (!rule.to_layers.length || rule.to_layers.includes(move.to_layer));

export async function applyTriggers(tx: Tx, workspaceId: string, source: { sourceRef: string } | { changeIds: readonly string[] }, logger: Logger) {
  const { settings } = await loadSettings(tx, workspaceId);
  const name = (layer: Layer) => layerName(settings.layerNames, layer);
  const rules = await store.enabledRules(tx, workspaceId);
  let after: string | null = null;
  let tasks = 0;
  let moves = 0;
  for (;;) {
    const page = await movesOf(tx, workspaceId, source, after, PAGE);
    const acted = page.filter((m) => m.reason !== 'settings');
    await recordTimelineEvents(
      tx,
      workspaceId,
      acted.map((m) => ({
        // The move's id: one entry per move, however often this runs.
        id: m.id,
        contactId: m.contact_id,
        type: 'rfm_layer_changed',
        occurredAt: m.changed_at,
        props: { from: m.from_layer, to: m.to_layer, fromName: name(m.from_layer), toName: name(m.to_layer), reason: m.reason },
      })),
    );
    moves += acted.length;
    for (const move of acted) {
      for (const rule of rules.filter((r) => matches(r, move))) {
        if (!(await store.claimFiring(tx, workspaceId, move.id, rule.id))) continue;
        const assigneeId = move.owner_member_id ?? rule.fallback_member_id;
        if (!assigneeId) continue;
        const now = Date.now();
        try {
          // The rule acts as its author (who had rfm:write when they set it up): tasks record them
          // as creator. A rule whose author is gone acts as the assignee.
          const task = await createTask(tx, automationActor(workspaceId, rule.created_by ?? assigneeId), move.contact_id, {
            title: rule.task_title ?? `${name(move.from_layer)} → ${name(move.to_layer)}: ${move.contact_name}`,
            notes: `RFM: ${move.contact_name} ${name(move.from_layer)} → ${name(move.to_layer)} (${rule.name})`,
            dueAt: rule.task_due_days === null ? null : new Date(now + rule.task_due_days * DAY_MS),
            remindAt: rule.notify ? new Date(now) : null,
            assigneeId,
          });
          await store.setFiringTask(tx, workspaceId, move.id, rule.id, task.id);
          tasks += 1;
        } catch (error) {
          // An owner who has left (inactive member): nobody to give the task to.
          if (error instanceof AppError && error.code === 'not_found') logger.info({ contactId: move.contact_id, ruleId: rule.id }, 'rfm rule: no active assignee; no task');
          else throw error;
        }
      }
    }
    if (page.length < PAGE) break;
    after = page.at(-1)!.id;
  }
  if (moves) logger.debug({ moves, tasks }, 'rfm layer moves handled');
  return { moves, tasks };
}
