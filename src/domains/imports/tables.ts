import type { Generated, JSONColumnType } from 'kysely';

export type DedupePolicy = 'skip' | 'fill_empty' | 'overwrite' | 'merge';
export type FileEncoding = 'utf-8' | 'gb18030';
export type FileKind = 'csv' | 'xlsx';
export type ImportStatus = 'uploaded' | 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

export interface ImportsTable {
  workspace_id: string;
  id: Generated<string>;
  created_by: string | null;
  file_name: string;
  file_path: string;
  file_size: number;
  headers: string[];
  mapping: JSONColumnType<Record<string, string> | null, string | null, string | null>;
  policy: Generated<DedupePolicy>;
  tag_ids: Generated<string[]>;
  status: Generated<ImportStatus>;
  job_id: string | null;
  rows_total: number | null;
  rows_created: Generated<number>;
  rows_updated: Generated<number>;
  rows_skipped: Generated<number>;
  rows_failed: Generated<number>;
  created_at: Generated<Date>;
  finished_at: Date | null;
  file_kind: Generated<FileKind>;
  encoding: Generated<FileEncoding>;
  delimiter: Generated<string>;
  error: string | null;
}

export interface ImportErrorsTable {
  workspace_id: string;
  import_id: string;
  line: number;
  column_name: string;
  reason: string;
}

export interface ImportMappingsTable {
  workspace_id: string;
  headers_key: string;
  mapping: JSONColumnType<Record<string, string>, string, string>;
  updated_at: Generated<Date>;
}

export interface ImportRowKeysTable {
  workspace_id: string;
  import_id: string;
  key: string;
  line: number;
}

export interface ImportContactsTable {
  workspace_id: string;
  import_id: string;
  contact_id: string;
  line: number;
}

export interface ImportTurnsTable {
  workspace_id: string;
  import_id: string;
}

export interface ImportTables {
  imports: ImportsTable;
  import_errors: ImportErrorsTable;
  import_mappings: ImportMappingsTable;
  import_row_keys: ImportRowKeysTable;
  import_contacts: ImportContactsTable;
  import_turns: ImportTurnsTable;
}
