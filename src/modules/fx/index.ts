// Exchange rates: amounts in the reporting currency (fx_rates.csv, the SQL function fx_rate) for every module
// that compares or totals money across currencies. Depends on no business module, so any may use it.
import { registerEntityType } from '../platform/index.ts';

export { currenciesWithoutRate, fxRate, fxRateSql, missingRates, reportingCurrency } from './fx.ts';
export { type ReportingRates, ratesOn, sumInReporting, toReporting } from './rates-on.ts';

// Exchange rates belong to the company ('' account): their audit trail is for internal users.
registerEntityType('fx_rate', async (db, id) => {
  if (db.actor.accounts !== '*') return undefined;
  const { rows } = await db.query(`select 1 from fx_rates where currency || '/' || rate_date = $1`, [id]);
  return rows[0] ? { accountId: '' } : undefined;
});
