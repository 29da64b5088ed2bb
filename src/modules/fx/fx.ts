/**
 * Amounts in the reporting currency (`CLEARHOUSE_REPORTING_CURRENCY`, default USD): every conversion goes
 * through the SQL function `fx_rate(currency, on_date, reporting)` — the latest `fx_rates.csv` rate on or before
 * the date, 1 for the reporting currency itself, null when none is known. Converted amounts are not rounded
 * here; whoever shows one rounds it (half away from zero, `core/money.ts` or SQL `round`).
 */
import { reportingCurrency } from '../../config.ts';
import type { BusinessDate } from '../../core/dates.ts';
import { AppError } from '../../core/errors.ts';
import type { Db } from '../../db/db.ts';

export { reportingCurrency };

/**
 * SQL for the rate of `currency` (an SQL expression) on `onDate` (an SQL date expression) into the reporting
 * currency; null when unknown. The reporting currency is a checked three-letter code, written as a literal.
 */
export function fxRateSql(currency: string, onDate: string, reporting = reportingCurrency()): string {
  if (!/^[A-Z]{3}$/.test(reporting)) throw new Error(`not a currency code: ${reporting}`);
  return `fx_rate(${currency}, ${onDate}, '${reporting}')`;
}

/** The rate of one currency on a date (a decimal string), or null when no rate on or before it is known. */
export async function fxRate(db: Db, currency: string, onDate: BusinessDate): Promise<string | null> {
  const { rows } = await db.query<{ rate: string | null }>(
    `select ${fxRateSql('$1::text', '$2::date')}::text as rate`,
    [currency.toUpperCase(), onDate],
  );
  return rows[0]?.rate ?? null;
}

/**
 * The currencies among `currencies` with no rate on or before `onDate`, so that a report names them rather than
 * leave their amounts out.
 */
export async function currenciesWithoutRate(
  db: Db,
  currencies: readonly string[],
  onDate: BusinessDate,
): Promise<string[]> {
  const { rows } = await db.query<{ currency: string }>(
    `select c as currency from unnest($1::text[]) c
     where ${fxRateSql('c', '$2::date')} is null order by c`,
    [[...new Set(currencies.map((c) => c.toUpperCase()))], onDate],
  );
  return rows.map((r) => r.currency);
}

/** Refuses a report when amounts in some currency cannot be converted on a date, naming the currencies. */
export function missingRates(missing: readonly { currency: string; on: BusinessDate }[]): AppError {
  const list = missing.map((m) => `${m.currency} on ${m.on}`).join(', ');
  return new AppError(
    'conflict',
    `No exchange rate into ${reportingCurrency()} for ${list}: load fx_rates.csv with a rate on or before that date.`,
    { details: { missing_rates: missing } },
  );
}
