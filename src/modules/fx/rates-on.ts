/**
 * Amounts of several currencies on one scale: the rates of the currencies a report holds on its date, read
 * once through `fx_rate` (fx.ts), and the sums converted with them. A currency without a rate is named in
 * `missing` and left out of the converted sums (never counted at 1), so a report can say what it lacks.
 */
import { Decimal } from 'decimal.js';
import type { BusinessDate } from '../../core/dates.ts';
import { formatAmount } from '../../core/money.ts';
import type { Db } from '../../db/db.ts';
import { fxRateSql, reportingCurrency } from './fx.ts';

export interface ReportingRates {
  /** The reporting currency (CLEARHOUSE_REPORTING_CURRENCY). */
  currency: string;
  on: BusinessDate;
  /** Units of the reporting currency per unit of each currency (decimal strings). */
  rates: Record<string, string>;
  /** Currencies of the report without a rate on or before `on`. */
  missing: string[];
}

export async function ratesOn(
  db: Db,
  currencies: Iterable<string>,
  on: BusinessDate,
): Promise<ReportingRates> {
  const list = [...new Set([...currencies].filter(Boolean).map((c) => c.toUpperCase()))].sort();
  const rates: Record<string, string> = {};
  const missing: string[] = [];
  if (list.length > 0) {
    const { rows } = await db.query<{ currency: string; rate: string | null }>(
      `select c as currency, ${fxRateSql('c', '$2::date')}::text as rate from unnest($1::text[]) c`,
      [list, on],
    );
    for (const r of rows) {
      if (r.rate === null) missing.push(r.currency);
      else rates[r.currency] = r.rate;
    }
  }
  return { currency: reportingCurrency(), on, rates, missing };
}

/** An amount in the reporting currency, unrounded; null when its currency has no rate. */
export function toReporting(r: ReportingRates, amount: Decimal.Value, currency: string): Decimal | null {
  const rate = r.rates[currency.toUpperCase()];
  return rate === undefined ? null : new Decimal(amount).times(rate);
}

/** The sum of amounts converted (rounded once, at the end, by core/money's one rounding); currencies without a rate are left out. */
export function sumInReporting(
  r: ReportingRates,
  rows: Iterable<{ amount: Decimal.Value | null | undefined; currency: string }>,
): string {
  let sum = new Decimal(0);
  for (const row of rows) {
    if (row.amount === null || row.amount === undefined || row.amount === '') continue;
    sum = sum.plus(toReporting(r, row.amount, row.currency) ?? 0);
  }
  return formatAmount(sum, r.currency);
}
