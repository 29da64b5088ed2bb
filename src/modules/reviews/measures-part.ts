/**
 * The measures part of the WD8 packet and of the measures report packet: the month's measures (CONTROLS.md
 * "Measures", from the reporting module) for the whole company and per country — one row per measure, a column
 * per country (a country's packet shows its own country beside the company).
 */
import type { Db } from '../../db/db.ts';
import { hasAnyRole } from '../identity/index.ts';
import type { ExportColumn } from '../platform/export.ts';
import type { PdfSection } from '../platform/index.ts';
import { type Metric, measureReaders, metrics, monthMeasures } from '../reporting/index.ts';

const metricWords: Record<Metric, string> = {
  dso: 'DSO (days)',
  best_possible_dso: 'Best possible DSO (days)',
  average_days_delinquent: 'Average days delinquent',
  cei: 'Collection effectiveness index (%)',
  percent_past_due: 'Past due (% of receivables)',
  ddo: 'Days deduction outstanding',
  claim_cycle_time: 'Claim cycle time (business days)',
  sla_attainment: 'SLA attainment (%)',
  first_pass_rate: 'First-pass rate (%)',
};

export async function measureSection(db: Db, month: string, country: string | null): Promise<PdfSection> {
  const title = `Measures of ${month}`;
  if (!hasAnyRole(db.actor.roles, measureReaders))
    return {
      title,
      notes: ['The measures are shown to managers, analysts and collectors.'],
      sheet: { name: 'Measures', columns: [{ key: 'metric', header: 'metric' }], rows: [] },
    };
  const m = await monthMeasures(db, { month, by: 'country' });
  const countries = m.rows.filter((r) => !country || r.key === country);
  const columns: ExportColumn[] = [
    { key: 'metric', header: 'metric', label: 'Measure' },
    { key: 'code', header: 'code', label: 'kpis.csv' },
    ...(country ? countries : [{ key: '', label: 'All countries' }, ...countries]).map((r) => ({
      key: `v_${r.key}`,
      header: r.key,
      label: r.key === '' ? 'All countries' : r.key,
      type: 'amount' as const,
    })),
    ...(country ? [{ key: 'v_', header: 'all', label: 'All countries', type: 'amount' as const }] : []),
  ];
  const rows = metrics.map((metric) => {
    const row: Record<string, string | null> = {
      metric: metricWords[metric],
      code: metric,
      v_: m.total[metric],
    };
    for (const r of countries) row[`v_${r.key}`] = r[metric];
    return row;
  });
  const notes = [
    `In ${m.reporting_currency}; the month ${m.month} (${m.days} days, receivables as of ${m.month_end}); an empty cell has a denominator of 0.`,
  ];
  if (m.missing_rates.length > 0)
    notes.push(`No exchange rate for ${m.missing_rates.map((r) => `${r.currency} on ${r.on}`).join(', ')}.`);
  return { title, notes, sheet: { name: 'Measures', columns, rows, totals: false } };
}
