// Auto-tag rules (src/domains/autotag/routes.ts): a trigger (an interaction recorded, or a
// condition on the contact becoming true/false) and actions (tags, stage, notify the owner).
import { api } from './client';
import type { Definition, PropCondition } from './segments';

/** The interactions a rule can listen to (src/domains/autotag/schema.ts eventTypes). */
export const ruleEventTypes = ['message', 'order', 'form_submission', 'code_scan', 'visit', 'call', 'meeting', 'email', 'note'] as const;
export type RuleEventType = (typeof ruleEventTypes)[number];

export interface EventTrigger {
  kind: 'event';
  type: RuleEventType;
  where?: PropCondition[];
  /** The body contains any of these (case-insensitive). */
  keywords?: string[];
  /** Fire only once the contact has at least this many such events in the last `days` days. */
  times?: { atLeast: number; days: number };
}
export interface ConditionTrigger { kind: 'condition'; when: 'becomes_true' | 'becomes_false'; definition: Definition }
export type Trigger = EventTrigger | ConditionTrigger;

export interface RuleActions { addTagIds: string[]; removeTagIds: string[]; stageId: string | null; notifyOwner: boolean }

export interface TagRule {
  id: string;
  name: string;
  description: string | null;
  trigger: Trigger;
  actions: RuleActions;
  enabled: boolean;
  /** building: a condition rule is learning who meets its condition now; it acts on changes once ready. */
  status: 'building' | 'ready' | 'invalid';
  error: string | null;
  buildJobId: string | null;
  stoppedAt: string | null;
  /** Why the loop guard stopped (and disabled) the rule. */
  stoppedReason: string | null;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface RuleRun {
  id: string;
  kind: 'event' | 'condition' | 'backfill';
  status: 'applied' | 'stopped' | 'running' | 'done' | 'failed';
  /** The rules from the start of the cascade to this run. */
  chain: Array<{ id: string; name: string | null }>;
  causeEventId: number | null;
  jobId: string | null;
  matched: number;
  changed: number;
  notified: number;
  detail: { message?: string; reason?: string; contactIds?: string[] } & Record<string, unknown> | null;
  createdAt: string;
  finishedAt: string | null;
}

export interface TagRuleInput { name: string; description?: string | null; trigger: Trigger; actions: RuleActions; enabled?: boolean }
type RuleAnswer = { rule: TagRule; jobId: string | null };

export const tagRulesKey = ['tag-rules'] as const;
export const tagRuleKey = (id: string) => ['tag-rules', id] as const;

export const listTagRules = () => api.get<{ items: TagRule[] }>('/tag-rules').then((r) => r.items);
export const getTagRule = (id: string) => api.get<{ rule: TagRule }>(`/tag-rules/${id}`).then((r) => r.rule);
export const createTagRule = (body: TagRuleInput) => api.post<RuleAnswer>('/tag-rules', body);
export const updateTagRule = (id: string, body: Partial<Omit<TagRuleInput, 'enabled'>>) => api.patch<RuleAnswer>(`/tag-rules/${id}`, body);
export const deleteTagRule = (id: string) => api.delete(`/tag-rules/${id}`);
export const setTagRuleEnabled = (id: string, enabled: boolean) => api.post<RuleAnswer>(`/tag-rules/${id}/${enabled ? 'enable' : 'disable'}`);
export const backfillTagRule = (id: string) => api.post<{ jobId: string; runId: string }>(`/tag-rules/${id}/backfill`);
