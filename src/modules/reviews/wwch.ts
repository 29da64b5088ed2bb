/**
 * WWCH, the worldwide credit-hold review (CONTROLS.md "Reviews"): every account with orders on hold, all
 * countries, with its hold amount, exposure, limit and recommendation. Read from the credit module's credit-pend
 * report (the same orders, exposure and recommendations), one row per account and currency: the account's
 * recommendation is the strictest of its orders' (hold, then review, then release), with their reasons.
 */
import { Decimal } from 'decimal.js';
import { today } from '../../core/dates.ts';
import type { Db } from '../../db/db.ts';
import { creditReasonTexts, creditReport, type PendOrder } from '../credit/index.ts';
import { requireRole } from '../identity/index.ts';
import type { ExportColumn } from '../platform/export.ts';
import { reviewReaders, type WwchQuery, wwchQuery } from './schemas.ts';

export interface WwchRow {
  account_id: string;
  name: string;
  country: string;
  collector: string | null;
  currency: string;
  orders: number;
  hold_amount: string;
  open_ar: string;
  exposure: string;
  credit_limit: string | null;
  available_credit: string | null;
  past_due: string;
  max_days_past_due: number;
  oldest_order_date: string;
  recommendation: PendOrder['recommendation'];
  reasons: string[];
}

export interface Wwch {
  as_of: string;
  accounts: WwchRow[];
}

const strictness = { hold: 2, review: 1, release: 0 } as const;

export async function wwch(db: Db, raw: WwchQuery = {}): Promise<Wwch> {
  requireRole(db.actor, reviewReaders);
  const q = wwchQuery.parse(raw);
  const asOf = q.as_of ?? today();
  const report = await creditReport(db, { as_of: asOf });
  const { rows: accounts } = await db.query<{
    account_id: string;
    name: string;
    country: string;
    collector: string | null;
  }>('select account_id, name, country, collector from accounts where account_id = any($1::text[])', [
    [...new Set(report.orders.map((o) => o.account_id))],
  ]);
  const accountOf = new Map(accounts.map((a) => [a.account_id, a]));
  const rows = new Map<string, WwchRow>();
  for (const o of report.orders) {
    const a = accountOf.get(o.account_id);
    if (!a || (q.country && a.country !== q.country)) continue;
    const key = `${o.account_id}\u0000${o.currency}`;
    const row = rows.get(key);
    if (!row) {
      rows.set(key, {
        account_id: o.account_id,
        name: a.name,
        country: a.country,
        collector: a.collector,
        currency: o.currency,
        orders: 1,
        hold_amount: o.amount,
        open_ar: o.open_ar,
        exposure: o.exposure,
        credit_limit: o.credit_limit,
        available_credit: o.available_credit,
        past_due: o.past_due,
        max_days_past_due: o.max_days_past_due,
        oldest_order_date: o.order_date,
        recommendation: o.recommendation,
        reasons: [...o.reasons],
      });
      continue;
    }
    row.orders += 1;
    row.hold_amount = new Decimal(row.hold_amount).plus(o.amount).toFixed(2);
    if (strictness[o.recommendation] > strictness[row.recommendation]) row.recommendation = o.recommendation;
    row.reasons = [...new Set([...row.reasons, ...o.reasons])].sort();
    if (o.order_date < row.oldest_order_date) row.oldest_order_date = o.order_date;
  }
  // The strictest first, then the largest hold: what the review must decide comes first.
  const list = [...rows.values()].sort(
    (a, b) =>
      strictness[b.recommendation] - strictness[a.recommendation] ||
      new Decimal(b.hold_amount).comparedTo(a.hold_amount) ||
      a.account_id.localeCompare(b.account_id),
  );
  // Only the reasons of the recommendation given: a released account carries none.
  for (const r of list) if (r.recommendation === 'release') r.reasons = [];
  return { as_of: asOf, accounts: list };
}

export const wwchColumns: readonly ExportColumn[] = [
  { key: 'account_id', header: 'account_id' },
  { key: 'name', header: 'name', label: 'Account name' },
  { key: 'country', header: 'country' },
  { key: 'collector', header: 'collector' },
  { key: 'currency', header: 'currency' },
  { key: 'orders', header: 'orders', type: 'int', label: 'Orders on hold' },
  { key: 'hold_amount', header: 'hold_amount', type: 'amount', label: 'Hold amount' },
  { key: 'exposure', header: 'exposure', type: 'amount', total: false },
  { key: 'credit_limit', header: 'credit_limit', type: 'amount', total: false },
  { key: 'available_credit', header: 'available_credit', type: 'amount', total: false },
  { key: 'max_days_past_due', header: 'max_days_past_due', type: 'int', label: 'Days past due' },
  { key: 'recommendation', header: 'recommendation' },
  { key: 'reasons_text', header: 'reasons' },
];

/** The rows for a sheet: the reasons in words. */
export const wwchRows = (rows: readonly WwchRow[]) =>
  rows.map((r) => ({ ...r, reasons_text: r.reasons.map((c) => creditReasonTexts[c] ?? c).join('; ') }));
