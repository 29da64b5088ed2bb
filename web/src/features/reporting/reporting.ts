/**
 * The measures' words for the dashboards, with the server's own types (imported, never copied): what each
 * measure is in a sentence, its unit, and where its items are (the drill-down from a figure).
 */
import type { Metric } from '../../../../src/modules/reporting/index.ts';
import type { Role } from '../identity/user';
import { queryString } from '../receivables/receivables';

export type {
  MeasureBreakdown,
  MeasureClaim,
  MeasureInputs,
  MeasureRow,
  MeasureTrend,
  MeasureValues,
  Metric,
  MissingRate,
  MonthMeasures,
} from '../../../../src/modules/reporting/index.ts';

/** Who reads the measures (the server enforces the same list). */
export const measureReaders: readonly Role[] = ['administrator', 'manager', 'rebate_analyst', 'collector'];
/** Who sees the manager's dashboard. */
export const dashboardManagers: readonly Role[] = ['administrator', 'manager'];

export interface MetricInfo {
  label: string;
  short: string;
  unit: 'days' | '%';
  /** Higher is better (CEI, SLA attainment, first pass) or lower is (DSO, DDO, …). */
  higherIsBetter: boolean;
  description: string;
}

export const metricInfo: Record<Metric, MetricInfo> = {
  dso: {
    label: 'Days sales outstanding',
    short: 'DSO',
    unit: 'days',
    higherIsBetter: false,
    description: 'Receivables at month end ÷ the month’s sales × its days',
  },
  best_possible_dso: {
    label: 'Best possible DSO',
    short: 'Best possible DSO',
    unit: 'days',
    higherIsBetter: false,
    description: 'Receivables not yet due ÷ sales × days: DSO if nothing were late',
  },
  average_days_delinquent: {
    label: 'Average days delinquent',
    short: 'ADD',
    unit: 'days',
    higherIsBetter: false,
    description: 'DSO − best possible DSO: the days lost to late payment',
  },
  cei: {
    label: 'Collection effectiveness index',
    short: 'CEI',
    unit: '%',
    higherIsBetter: true,
    description:
      'What was collected of what could have been: (AR0 + sales − AR) ÷ (AR0 + sales − current AR)',
  },
  percent_past_due: {
    label: 'Past due',
    short: '% past due',
    unit: '%',
    higherIsBetter: false,
    description: 'Past-due receivables ÷ all receivables at month end',
  },
  ddo: {
    label: 'Days deduction outstanding',
    short: 'DDO',
    unit: 'days',
    higherIsBetter: false,
    description: 'Deductions open at month end ÷ deductions taken in the month × its days',
  },
  claim_cycle_time: {
    label: 'Claim cycle time',
    short: 'Cycle time',
    unit: 'days',
    higherIsBetter: false,
    description: 'Mean business days from submitted to paid, over claims paid in the month',
  },
  sla_attainment: {
    label: 'SLA attainment',
    short: 'SLA attainment',
    unit: '%',
    higherIsBetter: true,
    description: 'Claims paid in the month within their SLA ÷ claims paid in the month',
  },
  first_pass_rate: {
    label: 'First-pass rate',
    short: 'First pass',
    unit: '%',
    higherIsBetter: true,
    description: 'Claims submitted in the month whose first validation found nothing on any line',
  },
};

export const receivableMetrics = [
  'dso',
  'best_possible_dso',
  'average_days_delinquent',
  'cei',
  'percent_past_due',
] as const satisfies readonly Metric[];
export const claimMetrics = [
  'claim_cycle_time',
  'sla_attainment',
  'first_pass_rate',
] as const satisfies readonly Metric[];

/** "12.3 days", "45.0 %", "—" when empty. */
export function formatMeasure(metric: Metric, value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '—';
  return metricInfo[metric].unit === '%' ? `${value} %` : `${value} days`;
}

export const isMonth = (value: string) => /^\d{4}-(0[1-9]|1[0-2])$/.test(value);

const monthFormat = new Intl.DateTimeFormat(undefined, { month: 'short', year: '2-digit', timeZone: 'UTC' });

/** '2026-02' → 'Feb 26' in the reader's locale; anything else as it is. */
export const monthLabel = (month: string) =>
  isMonth(month) ? monthFormat.format(new Date(`${month}-01T00:00:00Z`)) : month;

const monthNameFormat = new Intl.DateTimeFormat(undefined, {
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});

/** '2026-02' → 'February 2026'. */
export const monthName = (month: string) =>
  isMonth(month) ? monthNameFormat.format(new Date(`${month}-01T00:00:00Z`)) : month;

/** The month before a month `YYYY-MM` (the server's own calendar arithmetic). */
export { previousMonth } from '../../../../src/core/dates.ts';

export interface DrillTarget {
  /** A page of the app with the items behind the figure… */
  to?: string;
  /** …or the claims list on the dashboard itself. */
  claims?: { set: 'paid' | 'submitted'; country?: string; account_id?: string };
}

/**
 * Where the items behind a figure are: the aging as of the month end (filtered to the country or collector, or
 * the partner's Account 360), the deductions taken in the month, or the claims counted.
 */
export function drillTarget(
  metric: Metric,
  at: { month: string; month_end: string },
  group?: { by: 'country' | 'collector' | 'partner'; key: string },
): DrillTarget {
  if (metric === 'ddo')
    return {
      to: `/deductions${queryString({
        queue: 'all',
        taken_from: `${at.month}-01`,
        taken_to: at.month_end,
        account: group?.by === 'partner' ? group.key : null,
      })}`,
    };
  if (metric === 'claim_cycle_time' || metric === 'sla_attainment' || metric === 'first_pass_rate')
    return {
      claims: {
        set: metric === 'first_pass_rate' ? 'submitted' : 'paid',
        ...(group?.by === 'country' ? { country: group.key } : {}),
        ...(group?.by === 'partner' ? { account_id: group.key } : {}),
      },
    };
  if (group?.by === 'partner') return { to: `/accounts/${encodeURIComponent(group.key)}` };
  return {
    to: `/aging${queryString({
      as_of: at.month_end,
      by: 'account',
      country: group?.by === 'country' ? group.key : null,
      collector: group?.by === 'collector' ? group.key || null : null,
    })}`,
  };
}
