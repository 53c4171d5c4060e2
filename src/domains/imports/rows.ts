// The import's row reader, the one place the file format matters: a CSV (csv.ts) or an Excel
// workbook (xlsx.ts) becomes the same records — a line the user can find (the CSV file line, the
// Excel row number) and the cells as text — and everything after it is one pipeline.
import { countCsvRows, readCsvChunks } from './csv.js';
import type { FileEncoding, FileKind } from './tables.js';
import { countSheetRows, readSheetChunks } from './xlsx.js';

export interface SourceRecord {
  /** Where the user finds the record: the CSV file line it starts on, or the Excel row number (the header's is 1 in both). */
  line: number;
  cells: string[];
}

export type FileFormat = { kind: 'csv'; encoding: FileEncoding; delimiter: string } | { kind: 'xlsx' };

/** An import's format as stored on its row. */
export const formatOf = (imp: { file_kind: FileKind; encoding: FileEncoding; delimiter: string }): FileFormat =>
  imp.file_kind === 'xlsx' ? { kind: 'xlsx' } : { kind: 'csv', encoding: imp.encoding, delimiter: imp.delimiter };

/** The file's non-blank records in order, the header first, a chunk at a time; memory stays flat. */
export function readRecordChunks(path: string, format: FileFormat, options: { signal?: AbortSignal } = {}): AsyncGenerator<SourceRecord[]> {
  return format.kind === 'xlsx' ? readSheetChunks(path, options) : readCsvChunks(path, format, options);
}

/** A cheap upper bound of the data rows, for the progress bar; the job sets the exact count at the end. */
export function countRows(path: string, format: FileFormat): Promise<number> {
  return format.kind === 'xlsx' ? countSheetRows(path) : countCsvRows(path);
}

/** The header and the first `rows` records. */
export async function readHead(path: string, format: FileFormat, rows: number): Promise<{ headers: string[]; records: SourceRecord[] }> {
  let headers: string[] | undefined;
  const records: SourceRecord[] = [];
  for await (const chunk of readRecordChunks(path, format)) {
    for (const record of chunk) {
      if (!headers) headers = record.cells;
      else if (records.length < rows) records.push(record);
    }
    if (records.length >= rows) break;
  }
  return { headers: headers ?? [], records };
}
