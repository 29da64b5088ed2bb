import { Button, Paper, SimpleGrid, Stack, Text } from '@mantine/core';
import { IconDownload } from '@tabler/icons-react';
import { useSearchParams } from 'react-router';
import { lastCompleteMonth, monthEnd } from '../../../../src/core/dates.ts';
import { formatDate } from '../../ui/dates';
import { PageHeader } from '../../ui/page-header';
import { startQuery } from '../../ui/query-client';
import { Segmented } from '../../ui/segmented';
import { LoadError, Loading } from '../../ui/states';
import { sessionUser, useUser } from '../identity/session';
import { hasAnyRole } from '../identity/user';
import { todayDate } from '../receivables/receivables';
import { reportReaders } from '../settlement/settlement';
import { accrualTotalsQuery } from '../settlement/use-settlement';
import {
  BreakdownTable,
  ClaimsDrawer,
  MetricTiles,
  MissingRates,
  MonthInput,
  SpendVsAccrual,
  TrendChart,
  useDrill,
} from './measure-parts';
import { isMonth, type MeasureBreakdown, type Metric, monthName, previousMonth } from './reporting';
import { kpisQuery, kpiTrendQuery, useKpis, useKpiTrend } from './use-reporting';

export interface DashboardLayout {
  title: string;
  description: string;
  tiles: readonly Metric[];
  charts: readonly { title: string; metrics: readonly Metric[]; testId: string }[];
  /** The breakdowns offered (the first is shown first). */
  breakdowns: readonly MeasureBreakdown[];
  /** The measures of the breakdown table. */
  tableMetrics: readonly Metric[];
}

const breakdownLabels: Record<MeasureBreakdown, string> = {
  country: 'By country',
  collector: 'By collector',
  partner: 'By partner',
};

/**
 * A dashboard of the measures: the month's figures with their change, twelve months of trend, the month per
 * country, collector or partner, and rebate spend against accrual. Every figure opens the items behind it.
 */
/** What a dashboard asks for first: the month in the address (or the last complete one) and its trend. */
export function prefetchDashboard(layout: DashboardLayout, url: URL): void {
  const given = url.searchParams.get('month') ?? '';
  const month = isMonth(given) ? given : null;
  const by = (layout.breakdowns.find((b) => b === url.searchParams.get('by')) ??
    layout.breakdowns[0]!) as MeasureBreakdown;
  startQuery(kpisQuery(month, by));
  startQuery(kpiTrendQuery(month, 12));
  // The spend against accrual as of the month's end, with the measures rather than after them (the chart reads
  // `month_end` from the measures' answer: the same date when the browser's day is the server's).
  const end = monthEnd(month ?? lastCompleteMonth(todayDate()));
  sessionUser().then(
    (user) => user && hasAnyRole(user, reportReaders) && startQuery(accrualTotalsQuery(end)),
    () => {},
  );
}

export function MeasuresDashboard({ layout }: { layout: DashboardLayout }) {
  const user = useUser();
  const [params, setParams] = useSearchParams();
  const given = params.get('month') ?? '';
  const month = isMonth(given) ? given : null;
  const by = (layout.breakdowns.find((b) => b === params.get('by')) ??
    layout.breakdowns[0]!) as MeasureBreakdown;
  const set = (k: string, v: string | null) =>
    setParams(
      (now) => {
        const next = new URLSearchParams(now);
        if (v) next.set(k, v);
        else next.delete(k);
        return next;
      },
      { replace: true },
    );
  const kpis = useKpis(month, by);
  const trend = useKpiTrend(month, 12);
  const drill = useDrill();
  const shownMonth = kpis.data?.month ?? month ?? '';
  return (
    <>
      <PageHeader
        title={layout.title}
        description={layout.description}
        actions={
          <>
            <MonthInput value={month ?? kpis.data?.month ?? ''} onChange={(m) => set('month', m)} />
            <Button
              component="a"
              href={`/api/kpis.csv?month=${shownMonth}`}
              download
              variant="default"
              leftSection={<IconDownload size={16} />}
              mt={24}
              disabled={!shownMonth}
            >
              kpis.csv
            </Button>
          </>
        }
      />
      {kpis.isPending || trend.isPending ? (
        <Loading label="Computing the measures…" />
      ) : kpis.isError ? (
        <LoadError error={kpis.error} retry={() => void kpis.refetch()} what="the measures" />
      ) : trend.isError ? (
        <LoadError error={trend.error} retry={() => void trend.refetch()} what="the trend" />
      ) : (
        <Stack gap="lg">
          <Text size="sm" c="dimmed">
            {monthName(kpis.data.month)} ({formatDate(`${kpis.data.month}-01`)} –{' '}
            {formatDate(kpis.data.month_end)}), amounts in {kpis.data.reporting_currency}. Click a figure for
            the items behind it.
          </Text>
          <MissingRates
            missing={[...trend.data.missing_rates, ...kpis.data.missing_rates].filter(
              (m, i, all) => all.findIndex((x) => x.currency === m.currency && x.on === m.on) === i,
            )}
            currency={kpis.data.reporting_currency}
          />
          <MetricTiles
            data={kpis.data}
            previous={trend.data.points.find((p) => p.month === previousMonth(kpis.data.month))}
            metrics={layout.tiles}
            onDrill={drill.open}
          />
          <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="lg">
            {layout.charts.map((c) => (
              <TrendChart
                key={c.testId}
                trend={trend.data}
                metrics={c.metrics}
                title={`${c.title}, ${trend.data.months.length} months`}
                testId={c.testId}
                onMonth={(m) => set('month', m)}
              />
            ))}
          </SimpleGrid>
          <Paper withBorder p="md">
            {layout.breakdowns.length > 1 && (
              <Segmented
                mb="sm"
                data={layout.breakdowns.map((b) => ({ value: b, label: breakdownLabels[b] }))}
                value={by}
                onChange={(v) => set('by', v)}
                data-testid="dashboard-breakdown"
              />
            )}
            <BreakdownTable data={kpis.data} metrics={layout.tableMetrics} onDrill={drill.open} />
          </Paper>
          {hasAnyRole(user, reportReaders) && <SpendVsAccrual asOf={kpis.data.month_end} />}
        </Stack>
      )}
      <ClaimsDrawer month={shownMonth} filter={drill.claims} onClose={drill.close} />
    </>
  );
}
