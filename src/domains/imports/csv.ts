// Reading an uploaded CSV without holding it in memory: its encoding (UTF-8, or GB18030 — the
// superset of GBK that Chinese Excel writes), its delimiter, its header, and its records a chunk
// at a time with the file line each one starts on.
import { createReadStream, createWriteStream } from 'node:fs';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import Papa from 'papaparse';
import type { SourceRecord } from './rows.js';
import type { FileEncoding } from './tables.js';

export interface CsvFormat {
  encoding: FileEncoding;
  delimiter: string;
}

/** `line` is the file line the record starts on (the header is line 1). */
export type CsvRecord = SourceRecord;

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

/** Parsed chunks waiting for the reader before the file is paused (each is one read of the file, ~64 KiB). */
const READ_AHEAD = 4;

/**
 * The file's records in order, the header first (line 1), a chunk at a time (one read of the
 * file, a few hundred records). Blank lines are skipped but counted, and a quoted cell spanning
 * lines moves the next record's line on, so `line` is what a spreadsheet user sees in a text
 * editor. Memory stays flat: reading pauses while READ_AHEAD chunks wait for the caller.
 *
 * Papa Parse in its chunk mode: an order of magnitude faster than per-record streaming parsers
 * here (1.8 µs a record against csv-parse's ~25 µs with its async iteration), which matters for
 * files of a million rows. It never throws on malformed quoting; it reads on as a spreadsheet
 * would, and the row checks report what came out wrong.
 */
export async function* readCsvChunks(path: string, format: CsvFormat, options: { signal?: AbortSignal } = {}): AsyncGenerator<CsvRecord[]> {
  const source = createReadStream(path, { signal: options.signal });
  const text = source.pipe(decoder(format.encoding));
  const ready: CsvRecord[][] = [];
  let finished = false;
  let failure: unknown;
  let parser: Papa.Parser | undefined;
  let paused = false;
  let wake: (() => void) | undefined;
  const notify = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const fail = (error: unknown) => {
    failure ??= error;
    notify();
  };
  source.on('error', fail);
  text.on('error', fail);
  let line = 1;
  Papa.parse<string[]>(text, {
    delimiter: format.delimiter,
    quoteChar: '"',
    skipEmptyLines: false,
    chunk(results, handle) {
      parser = handle;
      const records: CsvRecord[] = [];
      for (const cells of results.data) {
        const start = line;
        line += 1;
        for (const cell of cells) line += lineBreaks(cell);
        if (!blank(cells)) records.push({ line: start, cells });
      }
      if (records.length) ready.push(records);
      if (ready.length >= READ_AHEAD) {
        paused = true;
        text.pause();
        handle.pause();
      }
      notify();
    },
    complete() {
      finished = true;
      notify();
    },
    error: fail,
  });
  try {
    for (;;) {
      const next = ready.shift();
      if (next) {
        if (paused && ready.length < READ_AHEAD / 2) {
          paused = false;
          text.resume();
          parser!.resume();
        }
        yield next;
        continue;
      }
      if (failure) throw failure;
      if (finished) return;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    if (!finished) parser?.abort();
    source.destroy();
  }
}

/**
 * A cheap upper bound of the data rows: line breaks in the file minus the header (a last line
 * without a break counts too). Quoted multi-line cells and blank lines make it a little high;
 * the job sets the exact count when it finishes.
 */
export async function countCsvRows(path: string): Promise<number> {
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
