/**
 * Any grid of the web app as XLSX or CSV: the rows the grid shows (its columns, in its order, filtered and
 * sorted as on screen) go through the same export as every report: text cells neutralised against formula
 * injection, amounts and dates as typed cells, a title row, headers in words, names beside account ids and a
 * totals row of the money columns (one per currency). Nothing is read but the accounts' names, under the
 * caller's row security: a grid's export can show no more than the caller could read.
 */
import { z } from 'zod';
import { isBusinessDate, today } from '../../core/dates.ts';
import { isAmountString } from '../../core/money.ts';
import type { Db } from '../../db/db.ts';
import {
  type ExportColumn,
  nameRows,
  neutraliseFormula,
  toCsv,
  withAccountNames,
  writeXlsx,
} from './export.ts';

export const gridExportInput = z.object({
  /** The grid's title: the page ("Claims", "Aging"), shown in the workbook's title row and the file name. */
  title: z.string().trim().min(1).max(120),
  format: z.enum(['xlsx', 'csv']),
  columns: z
    .array(
      z.object({
        key: z.string().min(1).max(100),
        label: z.string().trim().min(1).max(120),
        type: z.enum(['text', 'int', 'amount', 'date']).default('text'),
        /** An amount summed in the totals row (default yes; no for balances and unit prices). */
        total: z.boolean().optional(),
      }),
    )
    .min(1)
    .max(100),
  rows: z.array(z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]))).max(100_000),
});
export type GridExportInput = z.input<typeof gridExportInput>;

export interface GridExport {
  fileName: string;
  contentType: string;
  content: Buffer | string;
}

/** Looks up account names the caller may see; the accounts module's `accountNames`. */
export type AccountNames = (db: Db, ids: Iterable<string>) => Promise<Map<string, string>>;

const fits: Record<'int' | 'amount' | 'date', (v: unknown) => boolean> = {
  int: (v) =>
    (typeof v === 'number' && Number.isSafeInteger(v)) || (typeof v === 'string' && /^-?\d+$/.test(v)),
  amount: (v) => typeof v === 'string' && isAmountString(v),
  date: (v) => typeof v === 'string' && isBusinessDate(v),
};

export async function exportGrid(db: Db, raw: GridExportInput, names: AccountNames): Promise<GridExport> {
  const input = gridExportInput.parse(raw);
  const empty = (v: unknown) => v === null || v === undefined || v === '';
  // A column whose values are not all of its type is written as text rather than refused: the export is of
  // what the grid shows.
  let columns: ExportColumn[] = input.columns.map((c) => {
    const check = c.type === 'text' ? undefined : fits[c.type];
    const type = check && input.rows.every((r) => empty(r[c.key]) || check(r[c.key])) ? c.type : 'text';
    const label = neutraliseFormula(c.label);
    return { key: c.key, header: label, label, type, ...(c.total === false ? { total: false } : {}) };
  });
  let rows: object[] = input.rows.map((r) =>
    Object.fromEntries(
      input.columns.map((c) => [c.key, typeof r[c.key] === 'boolean' ? (r[c.key] ? 'yes' : 'no') : r[c.key]]),
    ),
  );
  const stamp = today();
  const base = `${
    input.title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'export'
  }-${stamp}`;
  if (columns.some((c) => c.key === 'account_id')) {
    const ids = input.rows.map((r) => r.account_id).filter((v): v is string => typeof v === 'string');
    columns = withAccountNames(columns).map((c) =>
      c.key === 'account_name' ? { ...c, header: 'Account name' } : c,
    );
    rows = nameRows(rows, await names(db, ids));
  }
  if (input.format === 'csv') {
    return {
      fileName: `${base}.csv`,
      contentType: 'text/csv; charset=utf-8',
      content: toCsv(columns, rows, { bom: true }),
    };
  }
  const content = await writeXlsx([{ name: input.title, columns, rows }], {
    title: input.title,
    period: `As shown on ${stamp}`,
  });
  return {
    fileName: `${base}.xlsx`,
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    content,
  };
}
