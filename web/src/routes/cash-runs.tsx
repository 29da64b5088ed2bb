import { Badge, Button, Card, Group, Paper, SimpleGrid, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconDownload, IconPlayerPlay, IconRobot } from '@tabler/icons-react';
import type { ColDef } from 'ag-grid-community';
import { useMemo } from 'react';
import { type CashRun, gridHeight, reasonLabels } from '../features/cash/cash';
import { runsQuery, useRunCascade, useRuns } from '../features/cash/use-cash';
import { DataGrid, widgetCell } from '../ui/data-grid';
import { formatTimestamp } from '../ui/dates';
import { amountColumn } from '../ui/grid-columns';
import { gridViewsQuery } from '../ui/grid-views';
import { formatAmount } from '../ui/money';
import { PageHeader } from '../ui/page-header';
import { startQuery } from '../ui/query-client';
import { Empty, LoadError, Loading } from '../ui/states';

const exceptionsText = (e: Record<string, number>) =>
  Object.entries(e)
    .filter(([, n]) => n > 0)
    .map(([r, n]) => `${n} ${(reasonLabels[r] ?? r).toLowerCase()}`)
    .join(', ');
const exceptionCount = (e: Record<string, number>) => Object.values(e).reduce((a, n) => a + n, 0);

/** What the page shows first: the cascade's runs and their grid's saved views. */
export function prefetch(): void {
  startQuery(runsQuery);
  startQuery(gridViewsQuery('cash-runs-grid'));
}

/** The matching cascade's runs with their measures: how much applied itself, what was left, wrong matches. */
export default function CashRunsPage() {
  const runs = useRuns();
  const run = useRunCascade();
  const columns = useMemo<ColDef<CashRun>[]>(
    () => [
      { field: 'run_id', headerName: 'Run', minWidth: 64, maxWidth: 80 },
      {
        field: 'started_at',
        headerName: 'Started',
        minWidth: 150,
        valueFormatter: (p) => formatTimestamp(p.value),
      },
      { field: 'actor_name', headerName: 'By', minWidth: 80 },
      { field: 'credits', headerName: 'Credits', type: 'rightAligned', minWidth: 85 },
      amountColumn('amount', 'Amount', 110),
      {
        colId: 'auto',
        headerName: 'Applied by itself',
        type: 'rightAligned',
        minWidth: 150,
        valueGetter: (p) =>
          p.data
            ? `${p.data.auto_applied} (${p.data.auto_applied_pct}%) · ${formatAmount(p.data.auto_applied_amount)}`
            : '',
      },
      {
        colId: 'on_account',
        headerName: 'On account',
        type: 'rightAligned',
        minWidth: 120,
        valueGetter: (p) =>
          p.data ? `${p.data.on_account_count} · ${formatAmount(p.data.on_account_amount)}` : '',
      },
      {
        colId: 'deductions',
        headerName: 'Deductions',
        type: 'rightAligned',
        minWidth: 120,
        valueGetter: (p) =>
          p.data ? `${p.data.deductions} · ${formatAmount(p.data.deductions_amount)}` : '',
      },
      {
        colId: 'exceptions',
        headerName: 'Exceptions',
        minWidth: 150,
        flex: 2,
        valueGetter: (p) => (p.data ? exceptionsText(p.data.exceptions) || 'none' : ''),
      },
      {
        field: 'wrong_matches',
        headerName: 'Wrong matches',
        minWidth: 115,
        cellClass: widgetCell,
        cellRenderer: (p: { value: number }) =>
          p.value > 0 ? (
            <Badge color="red" variant="light">
              {p.value}
            </Badge>
          ) : (
            <Text size="sm" c="dimmed">
              0
            </Text>
          ),
      },
      { field: 'waves', headerName: 'Waves', type: 'rightAligned', minWidth: 75 },
    ],
    [],
  );
  const items = runs.data?.items ?? [];
  const totals = items.reduce(
    (t, r) => ({
      credits: t.credits + r.credits,
      auto: t.auto + r.auto_applied,
      wrong: t.wrong + r.wrong_matches,
      exceptions: t.exceptions + exceptionCount(r.exceptions),
    }),
    { credits: 0, auto: 0, wrong: 0, exceptions: 0 },
  );
  const latest = items[0];
  return (
    <>
      <PageHeader
        title="Cash runs"
        description="Each run of the matching cascade on the credits loaded: how many it applied by itself, put on account or left as exceptions, and how many of its matches a person later changed (wrong matches)."
        actions={
          <>
            <Button
              component="a"
              href="/api/cash/export/cash_applications.csv"
              variant="default"
              leftSection={<IconDownload size={16} />}
            >
              cash_applications.csv
            </Button>
            <Button
              leftSection={<IconPlayerPlay size={16} />}
              loading={run.isPending}
              data-testid="run-cascade"
              onClick={() =>
                run.mutate(undefined, {
                  onSuccess: (r) =>
                    notifications.show({
                      message: `Run ${r.run_id}: ${r.credits} credit(s), ${r.auto_applied} applied by itself, ${exceptionCount(r.exceptions)} exception(s).`,
                    }),
                  onError: (e) => notifications.show({ color: 'red', message: e.message }),
                })
              }
            >
              Run matching now
            </Button>
          </>
        }
      />
      {runs.isPending ? (
        <Loading label="Loading runs…" />
      ) : runs.isError ? (
        <LoadError error={runs.error} retry={() => void runs.refetch()} what="the runs" />
      ) : (
        <>
          {latest && (
            <SimpleGrid cols={{ base: 2, md: 4 }} mb="lg" data-testid="run-measures">
              <Measure
                label="Latest run applied by itself"
                value={`${latest.auto_applied_pct}%`}
                hint={`${latest.auto_applied} of ${latest.credits} credits, ${formatAmount(latest.auto_applied_amount)}`}
              />
              <Measure
                label="All runs applied by itself"
                value={totals.credits ? `${((100 * totals.auto) / totals.credits).toFixed(1)}%` : '—'}
                hint={`${totals.auto} of ${totals.credits} credits in ${items.length} run(s)`}
              />
              <Measure
                label="Left as exceptions"
                value={String(totals.exceptions)}
                hint={latest ? `latest run: ${exceptionsText(latest.exceptions) || 'none'}` : ''}
              />
              <Measure
                label="Wrong matches"
                value={String(totals.wrong)}
                hint="automatic decisions a person changed afterwards"
                color={totals.wrong ? 'red' : undefined}
              />
            </SimpleGrid>
          )}
          <Title order={4} mb="sm">
            Runs
          </Title>
          <DataGrid
            testId="cash-runs-grid"
            rows={items}
            columns={columns}
            rowId={(r) => r.run_id}
            height={gridHeight(items.length)}
            empty={
              <Paper withBorder>
                <Empty
                  icon={<IconRobot size={22} stroke={1.5} />}
                  title="No runs yet"
                  description="A run starts after each bank file is loaded, or now with the button above."
                />
              </Paper>
            }
          />
        </>
      )}
    </>
  );
}

function Measure({
  label,
  value,
  hint,
  color,
}: {
  label: string;
  value: string;
  hint: string;
  color?: string;
}) {
  return (
    <Card>
      <Group justify="space-between">
        <Text size="xs" c="dimmed">
          {label}
        </Text>
      </Group>
      <Text fw={700} fz={26} c={color}>
        {value}
      </Text>
      <Text size="xs" c="dimmed">
        {hint}
      </Text>
    </Card>
  );
}
