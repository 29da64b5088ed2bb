/**
 * The reports a manager may schedule as a packet, each as the sheets of its XLSX (the same sheets render the
 * PDF): the aging, the Top 40, the measures, the claim log, the open deductions and the credit-pend report, as
 * of the day the packet is sent. Each is read by its own module's use case, so the roles are checked there too.
 */
import { lastCompleteMonth } from '../../core/dates.ts';
import type { Db } from '../../db/db.ts';
import { claimLog, claimLogSheet } from '../claims/index.ts';
import { creditPendSheet, creditReport } from '../credit/index.ts';
import { listDeductions } from '../deductions/index.ts';
import { type ExportColumn, type ExportSheet, writeXlsx } from '../platform/export.ts';
import { sheetsPdf } from '../platform/index.ts';
import { aging, agingSheet } from '../receivables/index.ts';
import { measureSection } from './measures-part.ts';
import type { ReportFormat, ReportKind } from './schemas.ts';
import { top40, top40ReviewColumns, top40ReviewRows, top40Title } from './top40.ts';

export interface BuiltReport {
  title: string;
  period: string;
  sheets: ExportSheet[];
}

export const reportTitles: Record<ReportKind, string> = {
  aging: 'Aging',
  top40: 'Top 40',
  measures: 'Measures',
  claim_log: 'Claim log',
  deductions: 'Open deductions',
  credit_pend: 'Credit-pend report',
};

const deductionColumns: ExportColumn[] = [
  { key: 'deduction_id', header: 'deduction_id' },
  { key: 'account_id', header: 'account_id' },
  { key: 'account_name', header: 'account_name' },
  { key: 'deduction_date', header: 'deduction_date', type: 'date', label: 'Taken' },
  { key: 'queue', header: 'queue' },
  { key: 'category', header: 'category' },
  { key: 'validation', header: 'validation' },
  { key: 'currency', header: 'currency' },
  { key: 'amount', header: 'amount', type: 'amount' },
  { key: 'open_amount', header: 'open_amount', type: 'amount' },
  { key: 'sla_due_date', header: 'sla_due_date', type: 'date', label: 'SLA due' },
  { key: 'age_days', header: 'age_days', type: 'int', label: 'Age (days)' },
];

export async function buildReport(db: Db, report: ReportKind, day: string): Promise<BuiltReport> {
  switch (report) {
    case 'aging': {
      const { sheet, title } = agingSheet(await aging(db, { as_of: day }));
      return { title: title.title, period: title.period ?? '', sheets: [sheet] };
    }
    case 'top40': {
      const t = await top40(db, { as_of: day });
      const head = top40Title(t);
      return {
        ...head,
        sheets: [{ name: 'Top 40', columns: top40ReviewColumns, rows: top40ReviewRows(t.accounts) }],
      };
    }
    case 'measures': {
      const month = lastCompleteMonth(day);
      const section = await measureSection(db, month, null);
      return { title: 'Measures', period: `Month ${month}`, sheets: [section.sheet] };
    }
    case 'claim_log': {
      const { items } = await claimLog(db, { limit: Number.MAX_SAFE_INTEGER, offset: 0 }, day);
      return { title: 'Claim log', period: `As of ${day}`, sheets: [claimLogSheet(items)] };
    }
    case 'deductions': {
      const rows = [];
      for (let offset = 0; ; offset += 1000) {
        const page = await listDeductions(db, { status: ['open'], limit: 1000, offset });
        rows.push(...page.items);
        if (page.items.length < 1000) break;
      }
      return {
        title: 'Open deductions',
        period: `As of ${day}`,
        sheets: [{ name: 'deductions', columns: deductionColumns, rows }],
      };
    }
    case 'credit_pend': {
      const r = await creditReport(db, { as_of: day });
      return { title: 'Credit-pend report', period: `As of ${day}`, sheets: [creditPendSheet(r.orders)] };
    }
  }
}

export async function renderReport(r: BuiltReport, format: ReportFormat): Promise<Buffer> {
  if (format === 'xlsx') return writeXlsx(r.sheets, { title: r.title, period: r.period });
  return sheetsPdf(
    { title: r.title, lines: [r.period] },
    r.sheets.map((sheet) => ({ sheet, title: r.title, notes: [r.period] })),
  );
}
