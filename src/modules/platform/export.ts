import { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { stringify } from 'csv-stringify/sync';
import { Decimal } from 'decimal.js';
import ExcelJS from 'exceljs';
import { isBusinessDate } from '../../core/dates.ts';
import { isAmountString } from '../../core/money.ts';

/**
 * Spreadsheet and CSV exports. Columns are typed so that numbers land in number cells without losing a
 * digit, and so that free text is the only thing that can carry a formula: text cells are neutralised.
 *
 * - `text`: any string (numbers are written as their string); neutralised against formula injection.
 * - `int`: a safe integer, or an integer string (a `bigint` sum from PostgreSQL); beyond 2^53 it is kept as
 *   text so that no digit is lost.
 * - `amount`: a decimal string (`numeric` from PostgreSQL, `Decimal#toFixed`). In XLSX it becomes a number
 *   cell only when the double reads back as the same decimal and Excel shows every significant digit (≤ 15);
 *   otherwise it stays a right-aligned text cell with the exact digits.
 * - `date`: a business date `YYYY-MM-DD`; an Excel date cell (UTC midnight) formatted `yyyy-mm-dd`.
 *
 * A value that does not fit its column's type is a programming error and throws, never silently changes.
 */
export type ExportColumnType = 'text' | 'int' | 'amount' | 'date';

export interface ExportColumn {
  /** The property of each row to write. */
  key: string;
  header: string;
  type?: ExportColumnType;
  /** Width in characters; computed from the content when absent. */
  width?: number;
}

/** Any object; each column reads its `key`. */
export type ExportRow = object;

const cellValue = (row: ExportRow, key: string): unknown => (row as Record<string, unknown>)[key];

export interface ExportSheet {
  name: string;
  columns: readonly ExportColumn[];
  rows: readonly ExportRow[];
}

const formulaStart = /^[=+\-@\t\r]/;

/**
 * A spreadsheet runs a cell that starts with `=`, `+`, `-`, `@` (and tab or CR, which some strip first);
 * a leading apostrophe makes it plain text, as OWASP's CSV-injection advice recommends.
 */
export function neutraliseFormula(text: string): string {
  return formulaStart.test(text) ? `'${text}` : text;
}

type Cell =
  | { kind: 'empty' }
  | { kind: 'text'; text: string; align?: 'right' }
  | { kind: 'number'; value: number; text: string; numFmt: string }
  | { kind: 'date'; value: Date; text: string };

const integerPattern = /^-?\d+$/;
const maxExcelDigits = 15;

function fail(column: ExportColumn, value: unknown, expected: string): never {
  throw new TypeError(`export column ${column.key}: ${JSON.stringify(String(value))} is not ${expected}`);
}

function isEmpty(value: unknown): boolean {
  return value === null || value === undefined || value === '';
}

function amountFormat(text: string): string {
  const decimals = Math.max(2, text.split('.')[1]?.length ?? 0);
  return `#,##0.${'0'.repeat(decimals)};-#,##0.${'0'.repeat(decimals)}`;
}

function toCell(column: ExportColumn, value: unknown): Cell {
  if (isEmpty(value)) return { kind: 'empty' };
  switch (column.type ?? 'text') {
    case 'text':
      return { kind: 'text', text: neutraliseFormula(String(value)) };
    case 'int': {
      const text =
        typeof value === 'number' && Number.isSafeInteger(value)
          ? String(value)
          : typeof value === 'bigint' || (typeof value === 'string' && integerPattern.test(value))
            ? String(value)
            : fail(column, value, 'an integer');
      const n = Number(text);
      return Number.isSafeInteger(n)
        ? { kind: 'number', value: n, text, numFmt: '#,##0' }
        : { kind: 'text', text, align: 'right' };
    }
    case 'amount': {
      const text =
        value instanceof Decimal
          ? value.toFixed()
          : typeof value === 'string' && isAmountString(value)
            ? value
            : fail(column, value, 'a decimal amount string');
      const exact = new Decimal(text);
      const n = exact.toNumber();
      const representable =
        Number.isFinite(n) && exact.sd(true) <= maxExcelDigits && new Decimal(String(n)).equals(exact);
      return representable
        ? { kind: 'number', value: n, text, numFmt: amountFormat(text) }
        : { kind: 'text', text, align: 'right' };
    }
    case 'date': {
      if (typeof value !== 'string' || !isBusinessDate(value)) fail(column, value, 'a date YYYY-MM-DD');
      return { kind: 'date', value: new Date(`${value}T00:00:00Z`), text: value };
    }
  }
}

function cellText(cell: Cell): string {
  return cell.kind === 'empty' ? '' : cell.text;
}

/** Header length or the widest of the first rows, between 8 and 60 characters. */
function widthOf(column: ExportColumn, cells: Cell[]): number {
  if (column.width) return column.width;
  let widest = column.header.length;
  for (const cell of cells.slice(0, 2000)) widest = Math.max(widest, cellText(cell).length + 2);
  return Math.min(60, Math.max(8, widest + 2));
}

/** Excel refuses sheet names over 31 characters or with any of []:*?/\ in them. */
function sheetName(name: string, taken: Set<string>): string {
  const base = name.replace(/[[\]:*?/\\]/g, '-').slice(0, 31) || 'Sheet';
  let candidate = base;
  for (let n = 2; taken.has(candidate.toLowerCase()); n++)
    candidate = `${base.slice(0, 31 - `-${n}`.length)}-${n}`;
  taken.add(candidate.toLowerCase());
  return candidate;
}

/**
 * An XLSX workbook with one sheet per entry: bold frozen header row, autofilter, typed cells. Written with
 * ExcelJS's streaming writer, each row committed as it is made, so a sheet of hundreds of thousands of rows
 * costs the compressed file, not a document model of every cell.
 */
export async function writeXlsx(sheets: readonly ExportSheet[]): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      done();
    },
  });
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: sink,
    useStyles: true,
    useSharedStrings: false,
  });
  workbook.creator = 'Clearhouse';
  workbook.created = new Date();
  const taken = new Set<string>();
  for (const sheet of sheets) {
    const ws = workbook.addWorksheet(sheetName(sheet.name, taken), {
      views: [{ state: 'frozen', ySplit: 1, xSplit: 0 }],
    });
    const cellsOf = (row: ExportRow) =>
      sheet.columns.map((column) => toCell(column, cellValue(row, column.key)));
    const sample = sheet.rows.slice(0, 2000).map(cellsOf);
    ws.columns = sheet.columns.map((column, i) => ({
      header: column.header,
      key: column.key,
      width: widthOf(
        column,
        sample.map((r) => r[i]!),
      ),
    }));
    const header = ws.getRow(1);
    header.font = { bold: true };
    header.commit();
    for (const source of sheet.rows) {
      const rowCells = cellsOf(source);
      const row = ws.addRow(
        rowCells.map((cell) =>
          cell.kind === 'empty' ? null : cell.kind === 'text' ? cell.text : cell.value,
        ),
      );
      rowCells.forEach((cell, i) => {
        const target = row.getCell(i + 1);
        if (cell.kind === 'number') target.numFmt = cell.numFmt;
        else if (cell.kind === 'date') target.numFmt = 'yyyy-mm-dd';
        else if (cell.kind === 'text' && cell.align) target.alignment = { horizontal: cell.align };
      });
      row.commit();
    }
    if (sheet.columns.length > 0) {
      ws.autoFilter = {
        from: { row: 1, column: 1 },
        to: { row: Math.max(1, sheet.rows.length + 1), column: sheet.columns.length },
      };
    }
    ws.commit();
  }
  await workbook.commit();
  await finished(sink);
  return Buffer.concat(chunks);
}

/** CSV with a header row (RFC 4180 quoting, `\n` between records); values typed as for XLSX. */
export function toCsv(
  columns: readonly ExportColumn[],
  rows: readonly ExportRow[],
  opts: { bom?: boolean } = {},
): string {
  const records = rows.map((row) =>
    columns.map((column) => cellText(toCell(column, cellValue(row, column.key)))),
  );
  return stringify(records, {
    header: true,
    columns: columns.map((column) => column.header),
    bom: opts.bom ?? false,
  });
}
