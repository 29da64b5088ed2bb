import { Anchor, Button, Paper, Select, SimpleGrid, Table, Text, Title } from '@mantine/core';
import { IconListDetails } from '@tabler/icons-react';
import { useMemo } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import {
  agingBuckets,
  type DeductionDashboard,
  type DeductionQueue,
  queueLabels,
  queues,
} from '../features/deductions/deductions';
import { deductionDashboardQuery, useDeductionDashboard } from '../features/deductions/use-deductions';
import { isDate } from '../features/receivables/receivables';
import { BarChart, LineChart } from '../ui/chart-views';
import { DateInput } from '../ui/date-input';
import { formatDate } from '../ui/dates';
import { currentLocale } from '../ui/locale';
import { formatAmount, formatNumber } from '../ui/money';
import { PageHeader } from '../ui/page-header';
import { startQuery } from '../ui/query-client';
import { Empty, LoadError, Loading } from '../ui/states';

const queueColors: Record<DeductionQueue, string> = {
  rebates: 'indigo.6',
  sales: 'teal.6',
  marketing: 'grape.6',
  returns: 'orange.6',
  distribution: 'cyan.6',
  tax: 'red.6',
  collections: 'gray.6',
};

const monthLabel = (month: string) =>
  new Intl.DateTimeFormat(currentLocale(), { month: 'short', year: '2-digit', timeZone: 'UTC' }).format(
    new Date(`${month}-01T00:00:00Z`),
  );

/** The list of one queue's deductions behind a figure. */
const agingLink = (queue: string, from: number, to: number | null) =>
  `/deductions?queue=${queue}&open=true&age_from=${from}${to === null ? '' : `&age_to=${to}`}`;
const takenLink = (queue: string, month: string, end: string) =>
  `/deductions?queue=${queue}&taken_from=${month}-01&taken_to=${end}`;

/** What the dashboard asks for: the aging as of the address's date (if one), in its currency (if one). */
function dashboardParams(params: URLSearchParams) {
  const asOf = params.get('as_of');
  return { as_of: asOf && isDate(asOf) ? asOf : null, currency: params.get('currency') };
}

/** What the page shows first: the DDO and aging for the address's date and currency. */
export function prefetch(url: URL): void {
  startQuery(deductionDashboardQuery(dashboardParams(url.searchParams)));
}

/**
 * The deduction dashboard: days deduction outstanding per queue over twelve months (open at each month end
 * against what was taken in the month) and the aging of what is open by days since taken. Every figure
 * opens the deductions behind it. One currency at a time (DDO across currencies, converted, is on the measures dashboards).
 */
export default function DeductionsDashboardPage() {
  const [params, setParams] = useSearchParams();
  const asOf = params.get('as_of');
  const dashboard = useDeductionDashboard(dashboardParams(params));
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
  return (
    <>
      <PageHeader
        title="Deductions dashboard"
        description="Days deduction outstanding (DDO) per queue: deductions open at a month’s end ÷ deductions taken in the month × its days. And the aging of open deductions by days since taken. Click a figure for the deductions behind it."
        actions={
          <>
            <DateInput
              label="Aging as of"
              value={asOf ?? dashboard.data?.as_of ?? ''}
              onChange={(e) => set('as_of', e.currentTarget.value || null)}
              w={170}
            />
            <Select
              label="Currency"
              data={dashboard.data?.currencies ?? []}
              value={dashboard.data?.currency ?? null}
              onChange={(v) => set('currency', v)}
              w={110}
              data-testid="dashboard-currency"
            />
            <Button
              component={Link}
              to="/deductions"
              variant="default"
              leftSection={<IconListDetails size={16} />}
              mt={24}
            >
              Deductions
            </Button>
          </>
        }
      />
      {dashboard.isPending ? (
        <Loading label="Computing the aging and DDO…" />
      ) : dashboard.isError ? (
        <LoadError error={dashboard.error} retry={() => void dashboard.refetch()} what="the dashboard" />
      ) : !dashboard.data.currency ? (
        <Paper withBorder>
          <Empty
            title="No deductions yet"
            description="Deductions come from short payments and deductions.csv."
          />
        </Paper>
      ) : (
        <Dashboard data={dashboard.data} />
      )}
    </>
  );
}

function Dashboard({ data }: { data: DeductionDashboard }) {
  const navigate = useNavigate();
  const ddoChart = useMemo(
    () =>
      data.months.map((month) => ({
        month: monthLabel(month),
        ...Object.fromEntries(
          data.ddo
            .filter((p) => p.month === month && p.ddo !== null)
            .map((p) => [queueLabels[p.queue], Number(p.ddo)]),
        ),
      })),
    [data],
  );
  const withDdo = queues.filter((q) => data.ddo.some((p) => p.queue === q && p.ddo !== null));
  const agingChart = useMemo(
    () =>
      data.aging
        .filter((r) => r.count > 0)
        .map((r) => ({
          queue: queueLabels[r.queue],
          key: r.queue,
          ...Object.fromEntries(agingBuckets.map((b) => [b.label, Number(r.buckets[b.key])])),
        })),
    [data],
  );
  return (
    <SimpleGrid cols={{ base: 1, xl: 2 }} spacing="lg">
      <Paper withBorder p="md" data-testid="ddo-chart">
        <Title order={4} mb="sm">
          DDO per queue, last {data.months.length} months ({data.currency})
        </Title>
        {withDdo.length === 0 ? (
          <Text size="sm" c="dimmed">
            No deductions taken in these months.
          </Text>
        ) : (
          <LineChart
            h={300}
            data={ddoChart}
            dataKey="month"
            series={withDdo.map((q) => ({ name: queueLabels[q], color: queueColors[q] }))}
            label="Days deductions outstanding per queue by month"
            withLegend
            valueFormatter={(v) => `${formatNumber(v, 1)} days`}
          />
        )}
      </Paper>
      <Paper withBorder p="md" data-testid="aging-chart">
        <Title order={4} mb="sm">
          Open deductions by days since taken, as of {formatDate(data.as_of)} ({data.currency})
        </Title>
        {agingChart.length === 0 ? (
          <Text size="sm" c="dimmed">
            Nothing open.
          </Text>
        ) : (
          <BarChart
            h={300}
            data={agingChart}
            dataKey="queue"
            stacked
            withLegend
            series={agingBuckets.map((b, i) => ({
              name: b.label,
              color: ['teal.5', 'yellow.5', 'orange.5', 'red.5', 'red.8'][i]!,
            }))}
            label="Open deductions per queue by days since taken"
            valueFormatter={(v) => formatAmount(v.toFixed(2))}
            tickFormatter={(v) => formatNumber(v, 0)}
            onBarClick={(row, series) => {
              const b = agingBuckets.find((x) => x.label === series.name);
              if (b && row.key) navigate(agingLink(String(row.key), b.from, b.to));
            }}
          />
        )}
      </Paper>
      <Paper withBorder p="md">
        <Title order={5} mb="xs">
          DDO in days (taken in the month → the deductions)
        </Title>
        <Table fz="xs" striped withTableBorder data-testid="ddo-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Queue</Table.Th>
              {data.months.slice(-6).map((m) => (
                <Table.Th key={m} ta="right">
                  {monthLabel(m)}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {queues.map((q) => (
              <Table.Tr key={q}>
                <Table.Td>{queueLabels[q]}</Table.Td>
                {data.months.slice(-6).map((m) => {
                  const p = data.ddo.find((x) => x.queue === q && x.month === m);
                  return (
                    <Table.Td key={m} ta="right">
                      {p?.ddo ? (
                        <Anchor
                          component={Link}
                          to={takenLink(q, m, p.month_end)}
                          size="xs"
                          title={`open ${formatAmount(p.open_at_end)} ÷ taken ${formatAmount(p.taken)} × ${p.days}`}
                          data-testid={`ddo-${q}-${m}`}
                        >
                          {p.ddo}
                        </Anchor>
                      ) : (
                        <Text span c="dimmed" size="xs">
                          —
                        </Text>
                      )}
                    </Table.Td>
                  );
                })}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>
      <Paper withBorder p="md">
        <Title order={5} mb="xs">
          Aging of open deductions ({data.currency})
        </Title>
        <Table fz="xs" striped withTableBorder data-testid="aging-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Queue</Table.Th>
              {agingBuckets.map((b) => (
                <Table.Th key={b.key} ta="right">
                  {b.label}
                </Table.Th>
              ))}
              <Table.Th ta="right">Total</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {data.aging.map((r) => (
              <Table.Tr key={r.queue}>
                <Table.Td>{queueLabels[r.queue]}</Table.Td>
                {agingBuckets.map((b) => (
                  <Table.Td key={b.key} ta="right">
                    {r.counts[b.key] > 0 ? (
                      <Anchor
                        component={Link}
                        to={agingLink(r.queue, b.from, b.to)}
                        size="xs"
                        data-testid={`aging-${r.queue}-${b.key}`}
                      >
                        {formatAmount(r.buckets[b.key])}
                      </Anchor>
                    ) : (
                      <Text span c="dimmed" size="xs">
                        —
                      </Text>
                    )}
                  </Table.Td>
                ))}
                <Table.Td ta="right" fw={600}>
                  {r.count > 0 ? formatAmount(r.total) : '—'}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>
    </SimpleGrid>
  );
}
