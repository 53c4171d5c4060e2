// A stored rule as the engine uses it (trigger and actions parsed), and its triggers compiled to
// SQL by the segments compiler: who meets an event trigger now (a backfill), the "at least N in
// D days" test for one contact, and a condition rule's definition.
import { AppError } from '../../platform/http/errors.js';
import type { Db } from '../../platform/db/connect.js';
import { listFieldDefinitions, type FieldDefinition } from '../contacts/index.js';
import { compileDefinition, type CompiledDefinition, type Definition } from '../segments/index.js';
import { workspaceTimezone } from './queries/contacts.js';
import { actionsSchema, asCondition, eventDefinition, triggerSchema, type Actions, type EventTrigger, type Trigger } from './schema.js';
import type { RuleRow } from './store.js';

export interface Rule {
  id: string;
  name: string;
  createdBy: string | null;
  trigger: Trigger;
  actions: Actions;
}

export const parseRule = (row: Pick<RuleRow, 'id' | 'name' | 'created_by' | 'trigger' | 'actions'>): Rule => ({
  id: row.id,
  name: row.name,
  createdBy: row.created_by,
  trigger: triggerSchema.parse(row.trigger) as Trigger,
  actions: actionsSchema.parse(row.actions),
});

export interface Workspace {
  workspaceId: string;
  fields: readonly FieldDefinition[];
  timezone: string;
}

export async function loadWorkspace(db: Db, workspaceId: string): Promise<Workspace> {
  return { workspaceId, fields: await listFieldDefinitions(db, workspaceId), timezone: await workspaceTimezone(db, workspaceId) };
}

const compile = (w: Workspace, definition: Definition, contactIds?: readonly string[]) =>
  compileDefinition(definition, { workspaceId: w.workspaceId, fields: w.fields, timezone: w.timezone, ...(contactIds ? { contactIds } : {}) });

/** The contacts a rule's trigger holds for now: an event rule's "did it" or a condition rule's definition. */
export function compileTrigger(w: Workspace, trigger: Trigger, contactIds?: readonly string[]): CompiledDefinition {
  return compile(w, trigger.kind === 'event' ? eventDefinition(trigger) : trigger.definition, contactIds);
}

/** "At least N such events in the last D days" for one contact (an event trigger with `times`). */
export const compileTimes = (w: Workspace, trigger: EventTrigger, contactId: string) =>
  compile(w, { kind: 'group', op: 'and', conditions: [asCondition(trigger)] }, [contactId]);

/** Why a stored definition no longer compiles (a custom field it reads was deleted), for the rule's `error`. */
export const compileError = (error: unknown) =>
  error instanceof AppError ? `${error.message}: ${JSON.stringify((error.details as { errors?: unknown } | undefined)?.errors ?? [])}` : null;
