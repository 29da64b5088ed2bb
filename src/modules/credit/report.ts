/**
 * The daily credit-pend report (CONTROLS.md; FORMATS.md `credit_pend.csv`): every order on hold with its
 * account's limit, open receivables, exposure, available credit, past due, most days past due and the
 * recommendation with its reason codes. The credit team's page adds each account's recent payments, open
 * promises and the collector's latest note, and each order's last decision.
 */
import { today } from '../../core/dates.ts';
import type { Db } from '../../db/db.ts';
import { requireRole } from '../identity/index.ts';
import { type ExportColumn, type ExportSheet, toCsv, writeXlsx } from '../platform/export.ts';
import {
  type AccountStatus,
  accountStatuses,
  type CreditPosition,
  creditPositions,
  type PendRow,
  pendRows,
} from './credit-queries.ts';
import {
  type CreditReportQuery,
  creditReaders,
  creditReportQuery,
  type PositionsQuery,
  positionsQuery,
} from './schemas.ts';

export interface LastDecision {
  decision: 'release' | 'keep';
  comment: string;
  decided_by: string;
  decided_at: string;
}

export interface PendOrder extends PendRow {
  last_decision: LastDecision | null;
}

export interface CreditReport {
  as_of: string;
  orders: PendOrder[];
  accounts: AccountStatus[];
  counts: Record<'hold' | 'release' | 'review', number>;
}

export async function creditReport(db: Db, raw: CreditReportQuery = {}): Promise<CreditReport> {
  requireRole(db.actor, creditReaders);
  const q = creditReportQuery.parse(raw);
  const asOf = q.as_of ?? today();
  const rows = await pendRows(db, asOf, q.account_id);
  const ids = rows.map((r) => r.order_id);
  const { rows: decisions } = await db.query<LastDecision & { order_id: string }>(
    `select distinct on (order_id) order_id, decision, comment, decided_by,
       to_char(decided_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as decided_at
     from credit_decisions where order_id = any($1::text[])
     order by order_id, decided_at desc`,
    [ids],
  );
  const last = new Map(decisions.map(({ order_id, ...d }) => [order_id, d]));
  const counts = { hold: 0, release: 0, review: 0 };
  for (const r of rows) counts[r.recommendation] += 1;
  return {
    as_of: asOf,
    orders: rows.map((r) => ({ ...r, last_decision: last.get(r.order_id) ?? null })),
    accounts: await accountStatuses(db, asOf, [...new Set(rows.map((r) => r.account_id))]),
    counts,
  };
}

/** credit_pend.csv's columns, exactly as FORMATS.md names them. */
export const pendColumns: readonly ExportColumn[] = [
  { key: 'order_id', header: 'order_id' },
  { key: 'account_id', header: 'account_id' },
  { key: 'order_date', header: 'order_date', type: 'date' },
  { key: 'amount', header: 'amount', type: 'amount' },
  { key: 'currency', header: 'currency' },
  { key: 'credit_limit', header: 'credit_limit', type: 'amount' },
  { key: 'open_ar', header: 'open_ar', type: 'amount' },
  { key: 'exposure', header: 'exposure', type: 'amount' },
  { key: 'available_credit', header: 'available_credit', type: 'amount' },
  { key: 'past_due', header: 'past_due', type: 'amount' },
  { key: 'max_days_past_due', header: 'max_days_past_due', type: 'int' },
  { key: 'recommendation', header: 'recommendation' },
  { key: 'reasons', header: 'reasons' },
];

const exportRows = (rows: readonly PendRow[]) => rows.map((r) => ({ ...r, reasons: r.reasons.join(';') }));

export function creditPendCsv(rows: readonly PendRow[]): string {
  return toCsv(pendColumns, exportRows(rows));
}

export const creditPendSheet = (rows: readonly PendRow[]): ExportSheet => ({
  name: 'credit_pend',
  columns: pendColumns,
  rows: exportRows(rows),
});

export async function creditPendXlsx(rows: readonly PendRow[]): Promise<Buffer> {
  return writeXlsx([creditPendSheet(rows)]);
}

export const creditPendFileName = (asOf: string, ext: 'csv' | 'xlsx') => `credit_pend-${asOf}.${ext}`;

/** Every account's credit position per currency on a day (the aging and the accounts list show them). */
export async function listCreditPositions(db: Db, raw: PositionsQuery = {}): Promise<CreditPosition[]> {
  requireRole(db.actor, creditReaders);
  const q = positionsQuery.parse(raw);
  return creditPositions(db, q.as_of ?? today());
}
