import { stringify } from 'csv-stringify/sync';
import { Decimal } from 'decimal.js';
import { isBusinessDate } from '../../core/dates.ts';
import { isAmountString, Money } from '../../core/money.ts';
import { companyIdentity } from './company.ts';
import {
  columnLetters,
  excelDate,
  SheetXml,
  workbookParts,
  type XlsxCell,
  XlsxStyles,
  ZipPart,
  zip,
} from './xlsx-writer.ts';

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
  /** The CSV header (the files' public interface: never changes). */
  header: string;
  /** The header in words on a spreadsheet; from `header` when absent (`claimed_amount` → "Claimed amount"). */
  label?: string;
  type?: ExportColumnType;
  /** Width in characters; computed from the content when absent. */
  width?: number;
  /** An amount column summed in the totals row (default: yes; no for balances, unit amounts, rates). */
  total?: boolean;
}

/** Any object; each column reads its `key`. */
export type ExportRow = object;

const cellValue = (row: ExportRow, key: string): unknown => (row as Record<string, unknown>)[key];

export interface ExportSheet {
  name: string;
  columns: readonly ExportColumn[];
  rows: readonly ExportRow[];
  /** A totals row under the rows, one per currency when the sheet has a `currency` column (default: yes). */
  totals?: boolean;
}

/** What a workbook is: the title row of each sheet says it, with the company. */
export interface WorkbookTitle {
  /** The report: "Aging by account", "Payment advice B-1 for Northwind". */
  title: string;
  /** Its date or period: "As of 2026-03-31", "2026-03-01 to 2026-03-31". */
  period?: string;
}

const formulaStart = /^[=+\-@\t\r]/;

/**
 * A spreadsheet runs a cell that starts with `=`, `+`, `-`, `@` (and tab or CR, which some strip first);
 * a leading apostrophe makes it plain text, as OWASP's CSV-injection advice recommends.
 */
export function neutraliseFormula(text: string): string {
  return formulaStart.test(text) ? `'${text}` : text;
}

export type Cell =
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

export function toCell(column: ExportColumn, value: unknown): Cell {
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
export function widthOf(column: ExportColumn, cells: Cell[]): number {
  if (column.width) return column.width;
  let widest = column.header.length;
  for (const cell of cells.slice(0, 2000)) widest = Math.max(widest, cellText(cell).length + 2);
  return Math.min(60, Math.max(8, widest + 2));
}

/** Excel refuses sheet names over 31 characters or with any of []:*?/\ in them. */
export function sheetName(name: string, taken: Set<string>): string {
  const base = name.replace(/[[\]:*?/\\]/g, '-').slice(0, 31) || 'Sheet';
  let candidate = base;
  for (let n = 2; taken.has(candidate.toLowerCase()); n++)
    candidate = `${base.slice(0, 31 - `-${n}`.length)}-${n}`;
  taken.add(candidate.toLowerCase());
  return candidate;
}

const upperWords = new Set(['id', 'sku', 'po', 'sla', 'gl', 'x12', 'ach', 'mdf', 'url', 'iban', 'bic']);

/**
 * A CSV header in words: `claimed_amount` → "Claimed amount", `account_id` → "Account ID". A header that is
 * already in words (a capital or a space) stays as it is.
 */
export function headerWords(header: string): string {
  if (/[A-Z ]/.test(header)) return header;
  const words = header.split('_').filter(Boolean);
  return words
    .map((w, i) => (upperWords.has(w) ? w.toUpperCase() : i === 0 ? w[0]!.toUpperCase() + w.slice(1) : w))
    .join(' ');
}

const nameKeys = new Set(['partner_name', 'account_name', 'name', 'payee']);

/**
 * Names beside ids: the columns with an "Account name" column (`account_name` of each row) after
 * `account_id`, unless the sheet has a name column already. For spreadsheets only: CSV columns never change.
 */
export function withAccountNames(columns: readonly ExportColumn[], label = 'Account name'): ExportColumn[] {
  const at = columns.findIndex((c) => c.key === 'account_id');
  if (at < 0 || columns.some((c) => nameKeys.has(c.key))) return [...columns];
  return [
    ...columns.slice(0, at + 1),
    { key: 'account_name', header: 'account_name', label },
    ...columns.slice(at + 1),
  ];
}

/** The rows with `account_name` from `names` (id → name) where they have an `account_id`. */
export function nameRows<T extends object>(
  rows: readonly T[],
  names: ReadonlyMap<string, string>,
): (T & { account_name?: string | undefined })[] {
  return rows.map((row) => {
    const id = (row as { account_id?: unknown }).account_id;
    return typeof id === 'string' ? { ...row, account_name: names.get(id) } : row;
  });
}

const totalable = (column: ExportColumn) => column.type === 'amount' && column.total !== false;

/**
 * The totals of a sheet's amount columns: one row, or one per currency when the rows have several (a sum
 * across currencies means nothing). Summed exactly with Decimal.
 */
export function totalRows(sheet: ExportSheet): { label: string; sums: Map<string, Decimal> }[] {
  const amountColumns = sheet.columns.filter(totalable);
  if (sheet.totals === false || amountColumns.length === 0 || sheet.rows.length === 0) return [];
  const hasCurrency = sheet.columns.some((c) => c.key === 'currency');
  const groups = new Map<string, Map<string, Decimal>>();
  for (const row of sheet.rows) {
    const currency = hasCurrency ? String(cellValue(row, 'currency') ?? '') : '';
    let sums = groups.get(currency);
    if (!sums) {
      sums = new Map(amountColumns.map((c) => [c.key, new Money(0)]));
      groups.set(currency, sums);
    }
    for (const column of amountColumns) {
      const value = cellValue(row, column.key);
      if (isEmpty(value)) continue;
      sums.set(
        column.key,
        sums.get(column.key)!.plus(value instanceof Decimal ? value.toFixed() : String(value)),
      );
    }
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, sums]) => ({ label: currency ? `Total ${currency}` : 'Total', sums }));
}

/**
 * An XLSX workbook with one sheet per entry: a title row (the report, its date or period, the company), the
 * header in words (bold, frozen, with an autofilter), typed cells, and a totals row of the amount columns.
 * Written by the lean writer of xlsx-writer.ts (rows as XML strings, fixed parts made once per process, each
 * part deflated as it is written), so a sheet of hundreds of thousands of rows costs the compressed file,
 * not a document model of every cell, and a small workbook costs well under a millisecond.
 */
export async function writeXlsx(sheets: readonly ExportSheet[], head?: WorkbookTitle): Promise<Buffer> {
  const company = companyIdentity().name;
  const styles = new XlsxStyles();
  const titleStyle = styles.id({ font: 'title' });
  const aboutStyle = styles.id({ font: 'about' });
  const headerRowStyle = styles.id({ font: 'bold', wrap: true });
  const headerStyle = styles.id({ font: 'bold', wrap: true, border: 'bottom' });
  const headerRightStyle = styles.id({ font: 'bold', wrap: true, border: 'bottom', horizontal: 'right' });
  const totalRowStyle = styles.id({ font: 'bold' });
  const totalStyle = styles.id({ font: 'bold', border: 'top' });
  const rightStyle = styles.id({ horizontal: 'right' });
  const dateStyle = styles.id({ numFmt: 'yyyy-mm-dd' });
  const taken = new Set<string>();
  const headerRow = 3;
  const names: string[] = [];
  const parts: ZipPart[] = [];
  sheets.forEach((sheet, index) => {
    names.push(sheetName(sheet.name, taken));
    const part = new ZipPart(`xl/worksheets/sheet${index + 1}.xml`);
    parts.push(part);
    const cellsOf = (row: ExportRow) =>
      sheet.columns.map((column) => toCell(column, cellValue(row, column.key)));
    const labels = sheet.columns.map((column) => column.label ?? headerWords(column.header));
    const sample = sheet.rows.slice(0, 2000).map(cellsOf);
    const widths = sheet.columns.map((column, i) =>
      widthOf(
        { ...column, header: labels[i]! },
        sample.map((r) => r[i]!),
      ),
    );
    const xml = new SheetXml(sheet.columns.length, { widths, frozenRows: headerRow }, (text) =>
      part.write(text),
    );
    const title = head
      ? `${head.title}${sheets.length > 1 ? ` — ${sheet.name}` : ''}`
      : headerWords(sheet.name.replace(/ /g, '_'));
    xml.row([{ kind: 'text', text: title, style: titleStyle }], titleStyle);
    const about = [head?.period, company].filter(Boolean).join(' · ');
    xml.row([{ kind: 'text', text: about, style: aboutStyle }], aboutStyle);
    xml.row(
      labels.map((label, i) => {
        const type = sheet.columns[i]!.type;
        return {
          kind: 'text',
          text: label,
          style: type === 'amount' || type === 'int' ? headerRightStyle : headerStyle,
        };
      }),
      headerRowStyle,
    );
    const dataCell = (cell: Cell, bold: boolean): XlsxCell => {
      switch (cell.kind) {
        case 'empty':
          return bold ? { kind: 'blank', style: totalStyle } : null;
        case 'text':
          return {
            kind: 'text',
            text: cell.text,
            style: bold
              ? cell.align
                ? styles.id({ font: 'bold', border: 'top', horizontal: 'right' })
                : totalStyle
              : cell.align
                ? rightStyle
                : 0,
          };
        case 'number':
          return {
            kind: 'number',
            value: cell.value,
            style: styles.id(
              bold ? { font: 'bold', border: 'top', numFmt: cell.numFmt } : { numFmt: cell.numFmt },
            ),
          };
        case 'date':
          return { kind: 'number', value: excelDate(cell.text), style: dateStyle };
      }
    };
    sheet.rows.forEach((source, i) => {
      const rowCells = i < sample.length ? sample[i]! : cellsOf(source);
      xml.row(rowCells.map((cell) => dataCell(cell, false)));
    });
    for (const total of totalRows(sheet)) {
      xml.row(
        sheet.columns.map((column, i): XlsxCell => {
          if (i === 0) return { kind: 'text', text: total.label, style: totalStyle };
          const sum = total.sums.get(column.key);
          return dataCell(sum ? toCell(column, sum.toFixed()) : { kind: 'empty' }, true);
        }),
        totalRowStyle,
      );
    }
    xml.end(
      sheet.columns.length > 0
        ? `A${headerRow}:${columnLetters(sheet.columns.length - 1)}${headerRow + sheet.rows.length}`
        : undefined,
    );
  });
  const entries = await Promise.all(parts.map((p) => p.entry()));
  return zip([...workbookParts(names, styles, { creator: company, created: new Date() }), ...entries]);
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
