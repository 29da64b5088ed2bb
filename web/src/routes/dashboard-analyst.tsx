import { type DashboardLayout, MeasuresDashboard, prefetchDashboard } from '../features/reporting/dashboard';

const layout: DashboardLayout = {
  title: 'Analyst’s dashboard',
  description:
    'Every measure of the month, its trend over a year and the month per partner, country or collector, each figure opening the claims, deductions or receivables behind it.',
  tiles: [
    'dso',
    'best_possible_dso',
    'average_days_delinquent',
    'cei',
    'percent_past_due',
    'ddo',
    'claim_cycle_time',
    'sla_attainment',
    'first_pass_rate',
  ],
  charts: [
    { title: 'Claim cycle time', metrics: ['claim_cycle_time'], testId: 'chart-cycle' },
    {
      title: 'SLA attainment and first-pass rate',
      metrics: ['sla_attainment', 'first_pass_rate'],
      testId: 'chart-sla',
    },
    {
      title: 'DSO against best possible DSO',
      metrics: ['dso', 'best_possible_dso', 'average_days_delinquent'],
      testId: 'chart-dso',
    },
    { title: 'Days deduction outstanding', metrics: ['ddo'], testId: 'chart-ddo' },
  ],
  breakdowns: ['partner', 'country', 'collector'],
  tableMetrics: [
    'dso',
    'cei',
    'percent_past_due',
    'ddo',
    'claim_cycle_time',
    'sla_attainment',
    'first_pass_rate',
  ],
};

/** The analyst's dashboard: every measure, its trend, and the month per partner, country or collector. */
export default function AnalystDashboardPage() {
  return <MeasuresDashboard layout={layout} />;
}

export function prefetch(url: URL): void {
  prefetchDashboard(layout, url);
}
