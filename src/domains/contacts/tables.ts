import type { ColumnType, Generated, JSONColumnType } from 'kysely';

export type Gender = 'male' | 'female' | 'other' | 'unknown';
export type CustomFieldType = 'text' | 'long_text' | 'number' | 'money' | 'date' | 'boolean' | 'url' | 'single_select' | 'multi_select';
export type ChannelType =
  | 'wecom' | 'wechat_openid' | 'wechat_unionid' | 'whatsapp' | 'telegram' | 'line'
  | 'messenger' | 'instagram' | 'email' | 'phone' | 'web_visitor' | 'sms';
export type TagSource = 'manual' | 'batch' | 'rule' | 'code' | 'import' | 'merge' | 'api';
export type CustomValues = Record<string, string | number | boolean | string[]>;

export interface StagesTable {
  workspace_id: string;
  id: Generated<string>;
  name: string;
  color: Generated<string>;
  position: number;
  created_at: Generated<Date>;
}

export interface CustomFieldsTable {
  workspace_id: string;
  id: Generated<string>;
  key: string;
  label: string;
  type: CustomFieldType;
  options: Generated<string[]>;
  required: Generated<boolean>;
  position: number;
  created_at: Generated<Date>;
}

export interface ContactsTable {
  workspace_id: string;
  id: Generated<string>;
  name: Generated<string>;
  avatar_url: string | null;
  gender: Generated<Gender>;
  /** ISO date (YYYY-MM-DD); kept as text end to end so no time zone shifts it. */
  birthday: ColumnType<string | null, string | null, string | null>;
  phone: string | null;
  email: string | null;
  company: string | null;
  title: string | null;
  city: string | null;
  region: string | null;
  stage_id: string | null;
  owner_member_id: string | null;
  source_channel: string | null;
  source_code_id: string | null;
  referrer_contact_id: string | null;
  preferred_channel: string | null;
  influence: number | null;
  custom: JSONColumnType<CustomValues, string, string>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  last_active_at: Date | null;
  deleted_at: Date | null;
  merged_into_id: string | null;
}

export interface ContactIdentitiesTable {
  workspace_id: string;
  id: Generated<string>;
  contact_id: string;
  channel_type: ChannelType;
  external_id: string;
  display_name: string | null;
  created_at: Generated<Date>;
}

export interface ContactConsentsTable {
  workspace_id: string;
  contact_id: string;
  channel_type: string;
  status: 'opt_in' | 'opt_out';
  at: Generated<Date>;
  how: string;
}

export interface StaffRelationshipsTable {
  workspace_id: string;
  contact_id: string;
  member_id: string;
  channel_type: string;
  since: Generated<Date>;
  removed_by_contact_at: Date | null;
  removed_by_staff_at: Date | null;
}

export interface TagGroupsTable {
  workspace_id: string;
  id: Generated<string>;
  name: string;
  single_choice: Generated<boolean>;
  position: number;
  created_at: Generated<Date>;
}

export interface TagsTable {
  workspace_id: string;
  id: Generated<string>;
  group_id: string;
  name: string;
  color: Generated<string>;
  created_at: Generated<Date>;
}

export interface ContactTagsTable {
  workspace_id: string;
  contact_id: string;
  tag_id: string;
  source: TagSource;
  source_ref: string | null;
  added_by: string | null;
  added_at: Generated<Date>;
}

/** Each tagged contact's tag ids, sorted: kept by triggers on contact_tags for filtering; never written by code. */
export interface ContactTagSetsTable {
  workspace_id: string;
  contact_id: string;
  tag_ids: string[];
}

export interface SavedViewsTable {
  workspace_id: string;
  id: Generated<string>;
  owner_member_id: string;
  name: string;
  filter: JSONColumnType<Record<string, unknown>, string, string>;
  sort: JSONColumnType<Record<string, unknown> | null, string | null, string | null>;
  columns: Generated<string[]>;
  shared: Generated<boolean>;
  created_at: Generated<Date>;
}

/** The contacts a batch job works on (batch.ts). */
export interface ContactBatchTargetsTable {
  workspace_id: string;
  job_id: string;
  contact_id: string;
}

export interface ContactTables {
  stages: StagesTable;
  custom_fields: CustomFieldsTable;
  contacts: ContactsTable;
  contact_identities: ContactIdentitiesTable;
  contact_consents: ContactConsentsTable;
  staff_relationships: StaffRelationshipsTable;
  tag_groups: TagGroupsTable;
  tags: TagsTable;
  contact_tags: ContactTagsTable;
  contact_tag_sets: ContactTagSetsTable;
  saved_views: SavedViewsTable;
  contact_batch_targets: ContactBatchTargetsTable;
}
