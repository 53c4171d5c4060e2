import type { ColumnType, Generated, JSONColumnType } from 'kysely';

export type SegmentKind = 'dynamic' | 'static';
export type SegmentStatus = 'building' | 'ready' | 'invalid';

export interface SegmentsTable {
  workspace_id: string;
  id: Generated<string>;
  kind: SegmentKind;
  name: string;
  description: string | null;
  definition: JSONColumnType<Record<string, unknown> | null, string | null, string | null>;
  deps: Generated<string[]>;
  status: Generated<SegmentStatus>;
  error: string | null;
  build_job_id: string | null;
  member_count: Generated<number>;
  built_at: Date | null;
  source_segment_id: string | null;
  snapshot_at: Date | null;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface SegmentMembersTable {
  workspace_id: string;
  segment_id: string;
  contact_id: string;
  entered_at: Generated<Date>;
}

export interface SegmentSizeHistoryTable {
  workspace_id: string;
  segment_id: string;
  day: ColumnType<string, string, string>;
  size: number;
}

export interface SegmentTables {
  segments: SegmentsTable;
  segment_members: SegmentMembersTable;
  segment_size_history: SegmentSizeHistoryTable;
}
