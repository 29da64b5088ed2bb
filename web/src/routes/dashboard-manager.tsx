import { type DashboardLayout, MeasuresDashboard, prefetchDashboard } from '../features/reporting/dashboard';

const layout: DashboardLayout = {
  title: 'Manager’s dashboard',
  description:
    'How collections and claims are doing month by month: DSO, collection effectiveness, past due, deductions and the claims’ cycle time and SLA, per country, and rebate spend against accrual.',
  tiles: ['dso', 'cei', 'percent_past_due', 'ddo', 'claim_cycle_time', 'sla_attainment'],
  charts: [
    {
      title: 'DSO against best possible DSO',
      metrics: ['dso', 'best_possible_dso', 'average_days_delinquent'],
      testId: 'chart-dso',
    },
    {
      title: 'Collection effectiveness and past due',
      metrics: ['cei', 'percent_past_due'],
      testId: 'chart-cei',
    },
    { title: 'Days deduction outstanding', metrics: ['ddo'], testId: 'chart-ddo' },
    {
      title: 'Claims paid within SLA and first pass',
      metrics: ['sla_attainment', 'first_pass_rate'],
      testId: 'chart-sla',
    },
  ],
  breakdowns: ['country', 'collector'],
  tableMetrics: [
    'dso',
    'average_days_delinquent',
    'cei',
    'percent_past_due',
    'ddo',
    'claim_cycle_time',
    'sla_attainment',
  ],
};

/** The manager's dashboard: the month's measures, their trend and the month per country or collector. */
export default function ManagerDashboardPage() {
  return <MeasuresDashboard layout={layout} />;
}

export function prefetch(url: URL): void {
  prefetchDashboard(layout, url);
}
