/**
 * Reading uploaded files as a header plus a stream of CSV records for PostgreSQL's COPY. CSV bytes pass
 * through untouched (COPY parses RFC 4180 itself, which is what makes large loads fast); XLSX rows are
 * converted to CSV with their sheet row number as the first field. Memory stays flat either way.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { Readable } from 'node:stream';
import { parse as parseCsv } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import { checkedText, FileProblem } from './text-check.ts';

export interface TabularFile {
  header: string[];
  /** CSV records after the header; with `numbered`, each starts with its line number. */
  body: Readable;
  numbered: boolean;
}

export async function sha256OfFile(path: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of fs.createReadStream(path)) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), size };
}

/**
 * Finds the end of the first CSV record (a line break outside quotes): its offset and whether the file ends
 * its lines with a bare carriage return (old Mac style); -1 when not in `buf` yet.
 */
function headerEnd(buf: Buffer, last: boolean): { end: number; crOnly: boolean } {
  let quoted = false;
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i];
    if (c === 0x22) quoted = !quoted;
    else if (c === 0x0a && !quoted) return { end: i, crOnly: false };
    else if (c === 0x0d && !quoted) {
      if (i + 1 < buf.length) {
        if (buf[i + 1] !== 0x0a) return { end: i, crOnly: true };
      } else if (last) return { end: i, crOnly: true };
      else return { end: -1, crOnly: false };
    }
  }
  return { end: -1, crOnly: false };
}

function countLines(buf: Buffer): number {
  let n = 0;
  for (let i = buf.indexOf(0x0a); i >= 0; i = buf.indexOf(0x0a, i + 1)) n++;
  return n;
}

/** A file whose lines end in a bare CR is read with each CR as the line break it stands for. */
function crToLf(buf: Buffer): Buffer {
  if (buf.indexOf(0x0d) < 0) return buf;
  const out = Buffer.from(buf);
  for (let i = out.indexOf(0x0d); i >= 0; i = out.indexOf(0x0d, i + 1)) out[i] = 0x0a;
  return out;
}

/**
 * Opens a CSV file: checks it is text (UTF-8, or UTF-16 with a byte-order mark, which is decoded; see
 * text-check.ts), parses the header record, and streams the rest. Lines may end in LF, CRLF or a bare CR (read
 * as LF). Trailing blank lines are dropped so that a file ending in an empty line is not a row of empty cells.
 */
export async function openCsv(
  path: string,
  onBytes?: (bytes: number, lines: number) => void,
): Promise<TabularFile> {
  let crOnly = false;
  const raw = checkedText(path, 1 << 20)[Symbol.asyncIterator]();
  const iterator = {
    async next(): Promise<IteratorResult<Buffer>> {
      const next = await raw.next();
      if (next.done) return next;
      if (onBytes) onBytes(next.value.length, countLines(next.value));
      return { done: false, value: crOnly ? crToLf(next.value) : next.value };
    },
  };
  let head: Buffer = Buffer.alloc(0);
  let end = -1;
  let done = false;
  while (end < 0 && !done) {
    const next = await iterator.next();
    if (next.done) done = true;
    else head = Buffer.concat([head, next.value]);
    const found = headerEnd(head, done);
    end = found.end;
    crOnly = found.crOnly;
  }
  if (crOnly) head = crToLf(head);
  const headerBytes = end < 0 ? head : head.subarray(0, end);
  const rest = end < 0 ? Buffer.alloc(0) : head.subarray(end + 1);
  const records = parseCsv(headerBytes.toString('utf8').replace(/\r$/, ''), {
    relax_column_count: true,
  }) as string[][];
  const header = (records[0] ?? []).map((h) => h.trim());

  async function* body() {
    let pending = ''; // trailing line breaks held back until more data follows
    const emit = function* (buf: Buffer) {
      if (buf.length === 0) return;
      let cut = buf.length;
      while (cut > 0 && (buf[cut - 1] === 0x0a || buf[cut - 1] === 0x0d)) cut--;
      if (cut === 0) {
        pending += buf.toString('latin1');
        return;
      }
      if (pending) yield Buffer.from(pending, 'latin1');
      yield buf.subarray(0, cut);
      pending = buf.subarray(cut).toString('latin1');
    };
    yield* emit(rest);
    for (;;) {
      const next = await iterator.next();
      if (next.done) break;
      yield* emit(next.value);
    }
    // End the last record with the file's own line break (COPY insists on one style), without blank lines.
    if (pending) yield Buffer.from(pending.startsWith('\r\n') ? '\r\n' : pending.slice(0, 1), 'latin1');
  }
  return { header, body: Readable.from(body(), { objectMode: false }), numbered: false };
}

/** A cell as text: dates as YYYY-MM-DD, numbers in their shortest exact decimal form, formulas by result. */
function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'number') return Number.isInteger(value) ? value.toFixed(0) : String(value);
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
    if ('text' in value) return String(value.text);
    if ('error' in value) return String(value.error);
  }
  return String(value);
}

/** Opens the first sheet of an XLSX workbook: row 1 is the header, blank rows are skipped. */
export async function openXlsx(path: string): Promise<TabularFile> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'emit',
  });
  const rows = (async function* () {
    try {
      for await (const sheet of reader) {
        for await (const row of sheet as AsyncIterable<ExcelJS.Row>) yield row;
        return; // the first sheet only
      }
    } catch (err) {
      // A damaged workbook (not a zip, XML with a raw control character…) is refused, not a server error.
      if (err instanceof FileProblem) throw err;
      throw new FileProblem(null, `cannot be read as an XLSX workbook: ${(err as Error).message}`);
    }
  })();
  let header: string[] = [];
  for (;;) {
    const first = await rows.next();
    if (first.done) break;
    const values = (first.value.values as ExcelJS.CellValue[]).slice(1).map(cellText);
    if (values.some((v) => v.trim() !== '')) {
      header = values.map((v) => v.trim());
      while (header.length > 0 && header[header.length - 1] === '') header.pop();
      break;
    }
  }
  const width = header.length;
  async function* body() {
    for await (const row of rows) {
      const values = (row.values as ExcelJS.CellValue[]).slice(1).map(cellText);
      if (!values.some((v) => v.trim() !== '')) continue;
      const nul = values.findIndex((v) => v.includes('\u0000'));
      if (nul >= 0)
        throw new FileProblem(
          row.number,
          'contains a NUL character, which text cannot hold',
          header[nul] ?? `column ${nul + 1}`,
        );
      const cells = Array.from({ length: width }, (_, i) => values[i] ?? '');
      const extra = values.slice(width).some((v) => v.trim() !== '');
      // A value right of the header is an error COPY reports (extra data after last expected column).
      yield stringify([[String(row.number), ...cells, ...(extra ? ['(value beyond the last column)'] : [])]]);
    }
  }
  return { header, body: Readable.from(body()), numbered: true };
}

/**
 * The careful reading of a CSV file, used only when COPY found it malformed: csv-parse walks every record,
 * rows with the wrong number of cells become problems of their line, and the rest are handed on (numbered
 * with their first line) so that their other problems are found too.
 */
export async function openCsvChecked(
  path: string,
  width: number,
): Promise<{ file: Omit<TabularFile, 'header'>; issues: { line: number; reason: string }[] }> {
  const { parse } = await import('csv-parse');
  const issues: { line: number; reason: string }[] = [];
  const parser = parse({ relax_column_count: true, skip_empty_lines: true, info: true, from_line: 2 });
  const source = Readable.from(checkedText(path));
  source.on('error', (err) => parser.destroy(err));
  source.pipe(parser);
  const rows: string[] = [];
  try {
    for await (const { record, info } of parser as AsyncIterable<{
      record: string[];
      info: { lines: number };
    }>) {
      // info.lines is the line the record ends on; a record spanning lines starts earlier, which is rare.
      const line = info.lines;
      if (record.length !== width) {
        issues.push({
          line,
          reason: `the row has ${record.length} cells but the header has ${width} columns`,
        });
        continue;
      }
      rows.push(stringify([[String(line), ...record]]));
    }
  } catch (err) {
    if (err instanceof FileProblem) throw err;
    const e = err as { message?: string; lines?: number };
    issues.push({ line: e.lines ?? 0, reason: `cannot be read as CSV: ${e.message ?? err}` });
  }
  return { file: { body: Readable.from(rows), numbered: true }, issues };
}
