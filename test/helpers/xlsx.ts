import ExcelJS from 'exceljs';

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
