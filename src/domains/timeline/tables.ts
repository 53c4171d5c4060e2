import type { ColumnType, Generated, JSONColumnType } from 'kysely';

export interface TimelineEventsTable {
  workspace_id: string;
  id: Generated<string>;
  contact_id: string;
  type: string;
  occurred_at: Generated<Date>;
  actor_member_id: string | null;
  props: JSONColumnType<Record<string, unknown>, string, string>;
  created_at: Generated<Date>;
  /** The outbox event this entry was derived from; null for entries people and integrations add. */
  source_event: ColumnType<string | number | null, number | null | undefined, number | null>;
}

export interface TasksTable {
  workspace_id: string;
  id: Generated<string>;
  contact_id: string;
  title: string;
  notes: string | null;
  due_at: Date | null;
  remind_at: Date | null;
  reminded_at: Date | null;
  assignee_member_id: string;
  status: Generated<'open' | 'done' | 'cancelled'>;
  done_at: Date | null;
  created_by: string | null;
  created_at: Generated<Date>;
}

export interface NotificationsTable {
  workspace_id: string;
  id: Generated<string>;
  member_id: string;
  kind: string;
  title: string;
  body: string | null;
  link: string | null;
  read_at: Date | null;
  created_at: Generated<Date>;
}

export interface TimelineTables {
  timeline_events: TimelineEventsTable;
  tasks: TasksTable;
  notifications: NotificationsTable;
}
