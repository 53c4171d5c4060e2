// Reading an uploaded Excel workbook (.xlsx) the way csv.ts reads a CSV: the first worksheet's
// rows a chunk at a time, each with its spreadsheet row number, every cell as the text a CSV
// export of the sheet would hold. Everything after the reader (mapping, preview, validation,
// report, de-duplication, resume) is the CSV pipeline unchanged.
//
// ExcelJS's streaming WorkbookReader: it unzips and parses the sheet as it is read, so only a
// chunk of rows is held (plus the workbook's shared strings, which a sheet refers to by index).
// https://github.com/exceljs/exceljs#streaming-xlsx-reader
import { createReadStream } from 'node:fs';
import ExcelJS from 'exceljs';
import type { SourceRecord } from './rows.js';

/** Rows handed to the caller at a time; the reader is pulled, so at most one chunk waits. */
const CHUNK_ROWS = 500;

/** The first bytes of a zip (an .xlsx is one) and of an OLE compound file (a password-protected .xlsx, or an old .xls). */
const ZIP = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const OLE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

export type Sniffed = 'xlsx' | 'encrypted_or_xls' | 'not_xlsx' | 'text';

/** What an upload is, from its first bytes and its name. */
export function sniff(head: Buffer, fileName: string): Sniffed {
  if (head.subarray(0, 4).equals(ZIP)) return 'xlsx';
  if (head.subarray(0, 8).equals(OLE)) return 'encrypted_or_xls';
  return /\.xlsx$/i.test(fileName) ? 'not_xlsx' : 'text';
}

/** Excel shows 15 significant digits; a computed 0.1 + 0.2 is 0.3 there, and here. */
function numberText(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(15)));
}

/**
 * A date cell: Excel stores a serial day count with no time zone, which ExcelJS turns into a Date
 * at that wall-clock time in UTC. Midnight is a date (YYYY-MM-DD, what the validators expect);
 * anything else keeps its time (YYYY-MM-DDTHH:MM:SS), whose date part a date field takes.
 */
function dateText(d: Date): string {
  if (Number.isNaN(d.getTime())) return '';
  const iso = d.toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.slice(0, 19);
}

/** A cell's value as text: numbers as Excel shows them (a phone number stays its digits), dates as ISO. */
export function cellText(value: ExcelJS.CellValue | undefined): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return dateText(value);
  if (typeof value === 'number') return numberText(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'string') return value;
  if ('richText' in value) return value.richText.map((r) => r.text).join('');
  if ('error' in value) return value.error;
  if ('formula' in value || 'sharedFormula' in value) return cellText((value as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue);
  if ('hyperlink' in value) return cellText(value.text as ExcelJS.CellValue);
  return '';
}

const blank = (cells: string[]) => cells.every((c) => c.trim() === '');

/**
 * The first worksheet's non-blank rows in order, the header first, `CHUNK_ROWS` at a time. A
 * row's `line` is its row number in Excel. A file that is not a readable workbook throws.
 */
export async function* readSheetChunks(path: string, options: { signal?: AbortSignal; light?: boolean } = {}): AsyncGenerator<SourceRecord[]> {
  const source = createReadStream(path, { signal: options.signal });
  // Styles tell a date from a number; `light` (counting rows) needs neither them nor the strings.
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(source, {
    sharedStrings: options.light ? 'ignore' : 'cache',
    styles: options.light ? 'ignore' : 'cache',
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'ignore',
  });
  // Iterated by hand, not with for-await: see the finally block.
  const sheets = reader[Symbol.asyncIterator]();
  let rows: AsyncIterator<ExcelJS.Row> | undefined;
  let finished = false;
  try {
    const first = await sheets.next();
    if (!first.done) {
      rows = (first.value as unknown as AsyncIterable<ExcelJS.Row>)[Symbol.asyncIterator]();
      let chunk: SourceRecord[] = [];
      for (let next = await rows.next(); !next.done; next = await rows.next()) {
        const row = next.value;
        const values = row.values as ExcelJS.CellValue[];
        // row.values is 1-based (Excel's column A is index 1) and sparse.
        const cells = Array.from({ length: Math.max(0, values.length - 1) }, (_, i) => cellText(values[i + 1]));
        if (!options.light && blank(cells)) continue;
        chunk.push({ line: row.number, cells });
        if (chunk.length >= CHUNK_ROWS) {
          yield chunk;
          chunk = [];
        }
      }
      if (chunk.length) yield chunk;
    }
    finished = true;
  } finally {
    // Excel writes the worksheets before the shared strings, so ExcelJS spools each sheet to a
    // temporary file and deletes it only once it has parsed it to the end; closing its iterators
    // early (a preview reads 20 rows) would leave the file until the process exits. A reader left
    // early therefore runs on to the end in the background, discarding what it reads.
    const drain = async () => {
      if (rows) while (!(await rows.next()).done);
      for (let s = await sheets.next(); !s.done; s = await sheets.next()) {
        const more = (s.value as unknown as AsyncIterable<ExcelJS.Row>)[Symbol.asyncIterator]();
        while (!(await more.next()).done);
      }
    };
    const close = () => source.destroy();
    if (finished) await drain().finally(close);
    else void drain().catch(() => undefined).finally(close);
  }
}

/** An upper bound of the data rows (the rows after the first, blank ones too), for the progress bar. */
export async function countSheetRows(path: string): Promise<number> {
  let rows = 0;
  for await (const chunk of readSheetChunks(path, { light: true })) rows += chunk.length;
  return Math.max(0, rows - 1);
}
