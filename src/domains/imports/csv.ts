// Reading an uploaded CSV without holding it in memory: its encoding (UTF-8, or GB18030 — the
// superset of GBK that Chinese Excel writes), its delimiter, its header, and its records one at a
// time with the file line each one starts on.
import { createReadStream, createWriteStream } from 'node:fs';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse';
import type { FileEncoding } from './tables.js';

export interface FileFormat {
  encoding: FileEncoding;
  delimiter: string;
}

export interface CsvRecord {
  /** The file line the record starts on (the header is line 1). */
  line: number;
  cells: string[];
}

/**
 * Writes `source` to `path` as it arrives and learns on the way whether every byte is valid
 * UTF-8; files that are not are read as GB18030. Returns the size written.
 */
export async function saveUpload(source: Readable, path: string): Promise<{ size: number; encoding: FileEncoding; head: Buffer }> {
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  let valid = true;
  let size = 0;
  const headChunks: Buffer[] = [];
  let headSize = 0;
  const inspect = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      if (headSize < HEAD_BYTES) {
        headChunks.push(chunk);
        headSize += chunk.length;
      }
      if (valid) {
        try {
          utf8.decode(chunk, { stream: true });
        } catch {
          valid = false;
        }
      }
      done(null, chunk);
    },
    flush(done) {
      if (valid) {
        try {
          utf8.decode();
        } catch {
          valid = false;
        }
      }
      done();
    },
  });
  await pipeline(source, inspect, createWriteStream(path));
  return { size, encoding: valid ? 'utf-8' : 'gb18030', head: Buffer.concat(headChunks).subarray(0, HEAD_BYTES) };
}

const HEAD_BYTES = 64 * 1024;

/** The delimiter of the header line: the most frequent of comma, semicolon and tab (comma on a tie). */
export function detectDelimiter(head: Buffer, encoding: FileEncoding): string {
  const text = new TextDecoder(encoding).decode(head);
  const firstLine = text.split(/\r\n|\n|\r/, 1)[0] ?? '';
  const counts = [',', ';', '\t'].map((d) => ({ d, n: firstLine.split(d).length - 1 }));
  const best = counts.reduce((a, b) => (b.n > a.n ? b : a));
  return best.n > 0 ? best.d : ',';
}

/** Decodes bytes to text in the file's encoding (the UTF-8 BOM is dropped by TextDecoder). */
function decoder(encoding: FileEncoding) {
  const d = new TextDecoder(encoding);
  return new Transform({
    readableObjectMode: false,
    transform(chunk: Buffer, _enc, done) {
      done(null, d.decode(chunk, { stream: true }));
    },
    flush(done) {
      const rest = d.decode();
      done(null, rest || undefined);
    },
  });
}

const BREAKS = /\r\n|\n|\r/g;
const lineBreaks = (cell: string) => (cell.includes('\n') || cell.includes('\r') ? (cell.match(BREAKS)?.length ?? 0) : 0);
const blank = (cells: string[]) => cells.every((c) => c.trim() === '');

/**
 * The file's records in order, the header first (line 1). Blank lines are skipped but counted,
 * and a quoted cell spanning lines moves the next record's line on, so `line` is what a
 * spreadsheet user sees in a text editor. Memory stays flat: records are parsed as they are read.
 */
export async function* readRecords(path: string, format: FileFormat, options: { signal?: AbortSignal } = {}): AsyncGenerator<CsvRecord> {
  const parser = parse({ delimiter: format.delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: false });
  const source = createReadStream(path, { signal: options.signal });
  const decoding = decoder(format.encoding);
  source.on('error', (e) => parser.destroy(e));
  decoding.on('error', (e) => parser.destroy(e));
  source.pipe(decoding).pipe(parser);
  let line = 1;
  try {
    for await (const cells of parser as AsyncIterable<string[]>) {
      const start = line;
      line += 1 + cells.reduce((n, c) => n + lineBreaks(c), 0);
      if (!blank(cells)) yield { line: start, cells };
    }
  } finally {
    source.destroy();
  }
}

/** The header and the first `rows` records. */
export async function readHead(path: string, format: FileFormat, rows: number): Promise<{ headers: string[]; records: CsvRecord[] }> {
  let headers: string[] | undefined;
  const records: CsvRecord[] = [];
  for await (const record of readRecords(path, format)) {
    if (!headers) headers = record.cells;
    else records.push(record);
    if (records.length >= rows) break;
  }
  return { headers: headers ?? [], records };
}

/**
 * A cheap upper bound of the data rows: line breaks in the file minus the header (a last line
 * without a break counts too). Quoted multi-line cells and blank lines make it a little high;
 * the job sets the exact count when it finishes.
 */
export async function countRows(path: string): Promise<number> {
  let breaks = 0;
  let last = 10;
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    let i = -1;
    while ((i = chunk.indexOf(10, i + 1)) !== -1) breaks++;
    if (chunk.length) last = chunk[chunk.length - 1]!;
  }
  const lines = breaks + (last === 10 ? 0 : 1);
  return Math.max(0, lines - 1);
}
