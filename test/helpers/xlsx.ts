import { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import ExcelJS from 'exceljs';
import { companyIdentity } from '../../src/modules/platform/company.ts';
import {
  type ExportRow,
  type ExportSheet,
  headerWords,
  sheetName,
  toCell,
  totalRows,
  type WorkbookTitle,
  widthOf,
} from '../../src/modules/platform/export.ts';

/**
 * Spreadsheets as `writeXlsx` lays them out: row 1 the title, row 2 the period and company, row 3 the header
 * in words, then the rows, then the totals rows ("Total", "Total EUR", bold).
 */
export const xlsxHeaderRow = 3;

export async function readWorkbook(content: Buffer | ArrayBuffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(content as ArrayBuffer);
  return workbook;
}

const values = (row: ExcelJS.Row): unknown[] => (row.values as unknown[]).slice(1);

export interface SheetTable {
  title: string;
  about: string;
  header: string[];
  rows: unknown[][];
  totals: unknown[][];
}

export function sheetTable(ws: ExcelJS.Worksheet): SheetTable {
  const header = values(ws.getRow(xlsxHeaderRow)).map(String);
  const all: ExcelJS.Row[] = [];
  for (let n = xlsxHeaderRow + 1; n <= ws.rowCount; n++) all.push(ws.getRow(n));
  let data = all.length;
  while (data > 0) {
    const first = all[data - 1]!.getCell(1);
    if (!(first.font?.bold && typeof first.value === 'string' && first.value.startsWith('Total'))) break;
    data--;
  }
  const widen = (r: ExcelJS.Row) => header.map((_h, i) => r.getCell(i + 1).value ?? undefined);
  return {
    title: String(ws.getCell('A1').value ?? ''),
    about: String(ws.getCell('A2').value ?? ''),
    header,
    rows: all.slice(0, data).map(widen),
    totals: all.slice(data).map(widen),
  };
}

/** The rows as objects keyed by the header in words. */
export function sheetRecords(ws: ExcelJS.Worksheet): Record<string, unknown>[] {
  const t = sheetTable(ws);
  return t.rows.map((r) => Object.fromEntries(t.header.map((h, i) => [h, r[i]])));
}

/**
 * The reference for the lean XLSX writer (platform/xlsx-writer.ts): `writeXlsx` as it was written with
 * ExcelJS's streaming writer. test/export.test.ts compares what both write, cell by cell and style by style.
 */
export async function writeXlsxWithExcelJS(
  sheets: readonly ExportSheet[],
  head?: WorkbookTitle,
): Promise<Buffer> {
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
  const company = companyIdentity().name;
  workbook.creator = company;
  workbook.created = new Date();
  const taken = new Set<string>();
  const headerRow = 3;
  for (const sheet of sheets) {
    const ws = workbook.addWorksheet(sheetName(sheet.name, taken), {
      views: [{ state: 'frozen', ySplit: headerRow, xSplit: 0 }],
    });
    const cellsOf = (row: ExportRow) =>
      sheet.columns.map((column) => toCell(column, (row as Record<string, unknown>)[column.key]));
    const labels = sheet.columns.map((column) => column.label ?? headerWords(column.header));
    const sample = sheet.rows.slice(0, 2000).map(cellsOf);
    ws.columns = sheet.columns.map((column, i) => ({
      key: column.key,
      width: widthOf(
        { ...column, header: labels[i]! },
        sample.map((r) => r[i]!),
      ),
    }));

    const title = head
      ? `${head.title}${sheets.length > 1 ? ` — ${sheet.name}` : ''}`
      : headerWords(sheet.name.replace(/ /g, '_'));
    const titleRow = ws.addRow([title]);
    titleRow.font = { bold: true, size: 13 };
    titleRow.commit();
    const about = ws.addRow([[head?.period, company].filter(Boolean).join(' · ')]);
    about.font = { italic: true, color: { argb: 'FF5F6368' } };
    about.commit();
    const header = ws.addRow(labels);
    header.font = { bold: true };
    header.alignment = { wrapText: true, vertical: 'bottom' };
    sheet.columns.forEach((column, i) => {
      if (column.type === 'amount' || column.type === 'int')
        header.getCell(i + 1).alignment = { horizontal: 'right', wrapText: true, vertical: 'bottom' };
      header.getCell(i + 1).border = { bottom: { style: 'thin' } };
    });
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
    for (const total of totalRows(sheet)) {
      const values = sheet.columns.map((column, i) => {
        if (i === 0) return total.label;
        const sum = total.sums.get(column.key);
        return sum ? toCell(column, sum.toFixed()) : null;
      });
      const row = ws.addRow(
        values.map((v) =>
          v === null || typeof v === 'string'
            ? v
            : v.kind === 'number'
              ? v.value
              : v.kind === 'text'
                ? v.text
                : null,
        ),
      );
      row.font = { bold: true };
      values.forEach((v, i) => {
        const target = row.getCell(i + 1);
        target.border = { top: { style: 'thin' } };
        if (v && typeof v !== 'string' && v.kind === 'number') target.numFmt = v.numFmt;
        else if (v && typeof v !== 'string' && v.kind === 'text') target.alignment = { horizontal: 'right' };
      });
      row.commit();
    }
    if (sheet.columns.length > 0) {
      ws.autoFilter = {
        from: { row: headerRow, column: 1 },
        to: { row: headerRow + sheet.rows.length, column: sheet.columns.length },
      };
    }
    ws.commit();
  }
  await workbook.commit();
  await finished(sink);
  return Buffer.concat(chunks);
}
