// Zod shapes of auto-tag rules: the trigger (an interaction recorded, or a condition on the
// contact becoming true / false), the actions, and the API's bodies and answers. Event property
// tests (`where`) and condition definitions are the segments language, validated by its schemas.
import { z } from 'zod';
import { conditionSchema, definitionSchema, type Condition, type Definition } from '../segments/index.js';

/** The interactions a rule can listen to (what POST /contacts/:id/timeline and the console record). */
export const eventTypes = ['message', 'order', 'form_submission', 'code_scan', 'visit', 'call', 'meeting', 'email', 'note'] as const;
export type RuleEventType = (typeof eventTypes)[number];

const keyword = z.string().trim().min(1).max(100).refine((s) => !s.includes('\u0000'), 'NUL characters are not allowed');

export const eventTrigger = z
  .strictObject({
    kind: z.literal('event'),
    type: z.enum(eventTypes),
    where: z
      .array(z.unknown())
      .max(20)
      .optional()
      .describe('Tests on the event\'s properties, all of which must hold: {path: "amount", op: "gte", value: 1000}, {path: "fields.city", op: "eq", value: "上海"}'),
    keywords: z.array(keyword).min(1).max(50).optional().describe('The body contains any of these (case-insensitive); for messages, notes, e-mails'),
    times: z
      .strictObject({ atLeast: z.number().int().min(1).max(1000), days: z.number().int().min(1).max(3650) })
      .optional()
      .describe('Fire only once the contact has at least this many such events in the last `days` days (this one included)'),
  })
  .superRefine((t, ctx) => {
    // The property tests are the segments language's: validated as its event condition.
    const parsed = conditionSchema.safeParse(asCondition(t as EventTrigger));
    if (!parsed.success) {
      for (const issue of parsed.error.issues) if (issue.path[0] === 'where') ctx.addIssue({ code: 'custom', path: issue.path as Array<string | number>, message: issue.message });
    }
    if (t.keywords && t.times && t.times.atLeast > 1) {
      ctx.addIssue({ code: 'custom', path: ['keywords'], message: 'Keywords are matched one event at a time; count events with `where` (body contains …) instead, or fire at each matching event' });
    }
  });
export type EventTrigger = {
  kind: 'event';
  type: RuleEventType;
  where?: PropTest[];
  keywords?: string[];
  times?: { atLeast: number; days: number };
};
type EventCondition = Extract<Condition, { kind: 'event' }>;
export type PropTest = NonNullable<EventCondition['where']>[number];

export const conditionTrigger = z.strictObject({
  kind: z.literal('condition'),
  when: z.enum(['becomes_true', 'becomes_false']),
  definition: definitionSchema,
});
export type ConditionTrigger = { kind: 'condition'; when: 'becomes_true' | 'becomes_false'; definition: Definition };

export const triggerSchema = z.discriminatedUnion('kind', [eventTrigger, conditionTrigger]);
export type Trigger = EventTrigger | ConditionTrigger;

/**
 * The event trigger as a segments event condition: "did TYPE where … (body contains keyword) at
 * least N times in the last D days (or ever)". The incremental path tests the one event first.
 */
export function asCondition(t: EventTrigger, keyword?: string): EventCondition {
  const where = [...(t.where ?? []), ...(keyword === undefined ? [] : [{ path: 'body', op: 'contains' as const, value: keyword }])];
  return {
    kind: 'event',
    type: t.type,
    ...(where.length ? { where } : {}),
    count: { op: 'at_least', n: t.times?.atLeast ?? 1 },
    window: t.times ? { kind: 'last_days', days: t.times.days } : { kind: 'ever' },
  };
}

/** Who meets an event trigger now (the backfill's targets): one condition, or one per keyword. */
export function eventDefinition(t: EventTrigger): Definition {
  const conditions = t.keywords ? t.keywords.map((k) => asCondition(t, k)) : [asCondition(t)];
  return { kind: 'group', op: 'or', conditions };
}

const tagIds = z.array(z.uuid()).max(20);
export const actionsSchema = z
  .strictObject({
    addTagIds: tagIds.default([]),
    removeTagIds: tagIds.default([]),
    stageId: z.uuid().nullable().default(null).describe('Move the contact to this stage; null leaves the stage alone'),
    notifyOwner: z.boolean().default(false).describe("Give the contact's owner a task that reminds at once (not in a backfill)"),
  })
  .superRefine((a, ctx) => {
    if (!a.addTagIds.length && !a.removeTagIds.length && !a.stageId && !a.notifyOwner) ctx.addIssue({ code: 'custom', path: [], message: 'A rule must do something: add or remove tags, set a stage or notify the owner' });
    a.removeTagIds.forEach((id, i) => {
      if (a.addTagIds.includes(id)) ctx.addIssue({ code: 'custom', path: ['removeTagIds', i], message: 'This tag is also added' });
    });
  });
export type Actions = z.output<typeof actionsSchema>;

const name = z.string().trim().min(1).max(100);
const description = z.string().trim().max(1000).nullable();

export const ruleBody = z.strictObject({
  name,
  description: description.default(null),
  trigger: triggerSchema,
  actions: actionsSchema,
  enabled: z.boolean().default(true),
});
/** The body as the service reads it: `where` items were validated by the segments schema in the refinement. */
export type RuleInput = Omit<z.output<typeof ruleBody>, 'trigger'> & { trigger: Trigger };

export const rulePatch = z.strictObject({
  name: name.optional(),
  description: description.optional(),
  trigger: triggerSchema.optional(),
  actions: actionsSchema.optional(),
});
export type RulePatch = Omit<z.output<typeof rulePatch>, 'trigger'> & { trigger?: Trigger };

export const ruleSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  trigger: z.record(z.string(), z.unknown()),
  actions: z.object({ addTagIds: z.array(z.string()), removeTagIds: z.array(z.string()), stageId: z.string().nullable(), notifyOwner: z.boolean() }),
  enabled: z.boolean(),
  status: z.enum(['building', 'ready', 'invalid']).describe('building: a condition rule is learning who meets its condition now; it acts on changes once ready'),
  error: z.string().nullable(),
  buildJobId: z.string().nullable(),
  stoppedAt: z.date().nullable(),
  stoppedReason: z.string().nullable().describe('Why the loop guard stopped (and disabled) the rule'),
  createdBy: z.string().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
});

export const runSchema = z.object({
  id: z.string(),
  kind: z.enum(['event', 'condition', 'backfill']),
  status: z.enum(['applied', 'stopped', 'running', 'done', 'failed']),
  chain: z.array(z.object({ id: z.string(), name: z.string().nullable() })).describe('The rules from the start of the cascade to this run'),
  causeEventId: z.number().nullable(),
  jobId: z.string().nullable(),
  matched: z.number().describe('Contacts the trigger fired for'),
  changed: z.number().describe('Contacts whose tags or stage changed'),
  notified: z.number(),
  detail: z.record(z.string(), z.unknown()).nullable(),
  createdAt: z.date(),
  finishedAt: z.date().nullable(),
});
