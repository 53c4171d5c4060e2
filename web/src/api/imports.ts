// CSV import: upload → mapping → preview → start → progress (docs/api/customers.md, Import).
import { api } from './client';

export type ImportPolicy = 'skip' | 'fill_empty' | 'overwrite' | 'merge';
export type ImportStatus = 'uploaded' | 'queued' | 'running' | 'done' | 'failed' | string;

export interface ImportRecord {
  id: string;
  fileName: string;
  headers: string[];
  sampleRows?: string[][];
  suggestedMapping?: Record<string, string>;
  status?: ImportStatus;
  policy?: ImportPolicy | null;
  rowsTotal?: number | null;
  rowsCreated?: number | null;
  rowsUpdated?: number | null;
  rowsSkipped?: number | null;
  rowsFailed?: number | null;
  rowsDone?: number | null;
  error?: string | null;
  jobId?: string | null;
  createdAt?: string;
  finishedAt?: string | null;
}

export interface PreviewRow { line: number; values: Record<string, unknown> | string[]; errors: Array<{ column: string; reason: string }> }

export const importsUploadUrl = '/api/v1/imports';
export const importErrorsUrl = (id: string) => `/api/v1/imports/${id}/errors.csv`;
export const getImport = (id: string) => api.get<{ import: ImportRecord }>(`/imports/${id}`).then((r) => r.import);
export const previewImport = (id: string, mapping: Record<string, string>) =>
  api.post<{ rows: PreviewRow[] }>(`/imports/${id}/preview`, { mapping }).then((r) => r.rows);
export const startImport = (id: string, body: { mapping: Record<string, string>; policy: ImportPolicy; tagIds?: string[] }) =>
  api.post<{ import: ImportRecord; jobId: string }>(`/imports/${id}/start`, body);
