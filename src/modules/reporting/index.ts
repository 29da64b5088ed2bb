// Reporting: amounts in the reporting currency (fx_rates, fx_rate) and the measures built on them.
import { registerEntityType } from '../platform/index.ts';

export { currenciesWithoutRate, fxRate, fxRateSql, missingRates, reportingCurrency } from './fx.ts';
export {
  kpisCsv,
  type MeasureBreakdown,
  type MeasureClaim,
  type MeasureInputs,
  type MeasureRow,
  type MeasureTrend,
  type MeasureValues,
  type Metric,
  type MissingRate,
  type MonthMeasures,
  measureBreakdowns,
  measureClaims,
  measureClaimsQuery,
  measureReaders,
  measuresQuery,
  measureTrend,
  metrics,
  monthMeasures,
  trendQuery,
} from './measures.ts';
export { type ReportingRates, ratesOn, sumInReporting, toReporting } from './rates-on.ts';

// Exchange rates belong to the company ('' account): their audit trail is for internal users.
registerEntityType('fx_rate', async (db, id) => {
  if (db.actor.accounts !== '*') return undefined;
  const { rows } = await db.query(`select 1 from fx_rates where currency || '/' || rate_date = $1`, [id]);
  return rows[0] ? { accountId: '' } : undefined;
});
