// Segments (src/domains/segments/routes.ts): saved definitions over contacts, their members, size
// history, copies and exports. The definition language mirrors src/domains/segments/definition.ts.
import { api } from './client';
import type { ChannelType } from './contacts';

export type ValueKind = 'text' | 'number' | 'date' | 'instant' | 'boolean' | 'select' | 'multi';
export type ValueOp =
  | 'eq' | 'neq' | 'contains' | 'not_contains' | 'starts_with' | 'in' | 'not_in' | 'gt' | 'gte' | 'lt' | 'lte' | 'between'
  | 'after' | 'before' | 'within_last_days' | 'not_within_last_days' | 'has_any' | 'has_all' | 'has_none' | 'empty' | 'not_empty';
export type ContactFieldKey =
  | 'name' | 'email' | 'phone' | 'company' | 'title' | 'city' | 'region' | 'gender' | 'preferred_channel' | 'influence'
  | 'birthday' | 'created_at' | 'updated_at' | 'last_active_at';
export type RfmLayer =
  | 'important_value' | 'important_develop' | 'important_keep' | 'important_retain'
  | 'general_value' | 'general_develop' | 'general_keep' | 'general_retain';
export const rfmLayers: RfmLayer[] = [
  'important_value', 'important_develop', 'important_keep', 'important_retain',
  'general_value', 'general_develop', 'general_keep', 'general_retain',
];

export type PropOp = 'eq' | 'neq' | 'in' | 'contains' | 'gt' | 'gte' | 'lt' | 'lte' | 'exists' | 'not_exists';
export type Scalar = string | number | boolean;
export interface PropCondition { path: string; op: PropOp; value?: Scalar | Scalar[] }
export type EventWindow = { kind: 'ever' } | { kind: 'last_days'; days: number } | { kind: 'between'; from: string; to: string };
export type CountOp = 'at_least' | 'at_most' | 'exactly';

export type Condition =
  | { kind: 'field'; field: ContactFieldKey; op: ValueOp; value?: unknown }
  | { kind: 'custom'; key: string; op: ValueOp; value?: unknown }
  | { kind: 'tags'; op: 'any' | 'all' | 'none'; tagIds: string[] }
  | { kind: 'stage'; op: 'in' | 'not_in' | 'empty' | 'not_empty'; stageIds?: string[] }
  | { kind: 'owner'; op: 'in' | 'not_in'; memberIds: string[] }
  | { kind: 'team'; op: 'in' | 'not_in'; teamIds: string[] }
  | { kind: 'source_channel'; op: 'in' | 'not_in' | 'empty' | 'not_empty'; values?: string[] }
  | { kind: 'source_code'; op: 'in' | 'not_in' | 'empty' | 'not_empty'; codeIds?: string[] }
  | { kind: 'consent'; channelType: ChannelType; op: 'is' | 'is_not'; status: 'opt_in' | 'opt_out' | 'unknown' }
  | { kind: 'identity'; op: 'has' | 'lacks'; channelTypes: ChannelType[] }
  | { kind: 'rfm_score'; score: 'r' | 'f' | 'm'; op: 'eq' | 'neq' | 'gte' | 'lte' | 'between' | 'in' | 'empty' | 'not_empty'; value?: number | number[] }
  | { kind: 'rfm_layer'; op: 'in' | 'not_in' | 'empty' | 'not_empty'; layers?: RfmLayer[] }
  | { kind: 'event'; type: string; where?: PropCondition[]; count: { op: CountOp; n: number }; window: EventWindow };
export type ConditionKind = Condition['kind'];

export interface Group { kind: 'group'; op: 'and' | 'or'; conditions: Array<Group | Condition> }
export type Definition = Group;
export type DefinitionNode = Group | Condition;

export type SegmentKind = 'dynamic' | 'static';
export interface Segment {
  id: string;
  kind: SegmentKind;
  name: string;
  description: string | null;
  definition: Definition | null;
  status: 'building' | 'ready' | 'invalid';
  error: string | null;
  /** Members within the caller's data scope. */
  memberCount: number;
  builtAt: string | null;
  buildJobId: string | null;
  sourceSegmentId: string | null;
  snapshotAt: string | null;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface SegmentMember {
  contact: { id: string; name: string; avatarUrl: string | null; phone: string | null; email: string | null; company: string | null };
  enteredAt: string;
}

/** GET /segments/catalogue: what the builder may offer (the server types it loosely). */
export interface Catalogue {
  valueKinds: Record<ValueKind, ValueOp[]>;
  fields: Array<{ field: ContactFieldKey; kind: ValueKind; ops: ValueOp[]; values?: string[] }>;
  customFields: Array<{ key: string; label: string; type: string; kind: ValueKind; ops: ValueOp[]; options: string[] }>;
  conditions: Array<{ kind: ConditionKind; ops?: string[]; countOps?: CountOp[]; windows?: string[]; propOps?: PropOp[]; types?: string[]; values?: string[] }>;
  channelTypes: ChannelType[];
}

export interface SegmentInput { name: string; description?: string | null; kind?: SegmentKind; definition: Definition }

export const segmentKey = (id: string) => ['segment', id] as const;
export const catalogueKey = ['segments', 'catalogue'] as const;

export const getCatalogue = () => api.get<Catalogue>('/segments/catalogue');
export const previewSegment = (definition: Definition) => api.post<{ count: number }>('/segments/preview', { definition }).then((r) => r.count);
export const getSegment = (id: string) => api.get<{ segment: Segment }>(`/segments/${id}`).then((r) => r.segment);
export const createSegment = (body: SegmentInput) => api.post<{ segment: Segment }>('/segments', body).then((r) => r.segment);
export const updateSegment = (id: string, body: Partial<Omit<SegmentInput, 'kind'>>) => api.patch<{ segment: Segment }>(`/segments/${id}`, body).then((r) => r.segment);
export const deleteSegment = (id: string) => api.delete(`/segments/${id}`);
export const duplicateSegment = (id: string, name?: string) => api.post<{ segment: Segment }>(`/segments/${id}/duplicate`, name ? { name } : {}).then((r) => r.segment);
export const snapshotSegment = (id: string, name?: string) => api.post<{ segment: Segment }>(`/segments/${id}/snapshot`, name ? { name } : {}).then((r) => r.segment);
export const rebuildSegment = (id: string) => api.post<{ segment: Segment; jobId: string | null }>(`/segments/${id}/rebuild`, {});
export const segmentHistory = (id: string, range: { from?: string; to?: string } = {}) =>
  api.get<{ items: Array<{ day: string; size: number }> }>(`/segments/${id}/history`, range).then((r) => r.items);
export const exportSegment = (id: string, columns?: string[]) => api.post<{ jobId: string }>(`/segments/${id}/export`, columns ? { columns } : {});
export const segmentsOfContact = (contactId: string) =>
  api.get<{ items: Array<{ id: string; name: string; kind: SegmentKind; enteredAt: string }> }>(`/contacts/${contactId}/segments`).then((r) => r.items);
