import { Button, Group, Paper, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconDownload, IconReportMoney } from '@tabler/icons-react';
import type { ColDef } from 'ag-grid-community';
import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { todayDate } from '../features/receivables/receivables';
import {
  type AccrualRow,
  accrualsExportUrl,
  isDate,
  label,
  programTypeLabels,
} from '../features/settlement/settlement';
import { accrualsReportQuery, useAccruals } from '../features/settlement/use-settlement';
import { BarChart } from '../ui/chart-views';
import { DataGrid } from '../ui/data-grid';
import { DateInput } from '../ui/date-input';
import { formatDate } from '../ui/dates';
import { gridViewsQuery } from '../ui/grid-views';
import { compareAmounts, formatAmount, formatMoney } from '../ui/money';
import { PageHeader } from '../ui/page-header';
import { startQuery } from '../ui/query-client';
import { Empty, LoadError, Loading } from '../ui/states';

const amount = (field: keyof AccrualRow, headerName: string, minWidth = 115): ColDef<AccrualRow> => ({
  field,
  headerName,
  type: 'rightAligned',
  minWidth,
  valueFormatter: (p) => formatAmount(p.value),
  comparator: compareAmounts,
});

/** What the page shows first: the accruals as of the address's date (or today), and the grid's saved views. */
export function prefetch(url: URL): void {
  const given = url.searchParams.get('as_of') ?? '';
  startQuery(accrualsReportQuery(isDate(given) ? given : todayDate()));
  startQuery(gridViewsQuery('accruals-grid'));
}

/**
 * Accruals for finance: per program, partner and period, what partners earned from sell-in and sell-out under
 * the program's terms, what was approved and paid, and the liability left; a chart of accrued against paid
 * per program; XLSX and CSV exports.
 */
export default function AccrualsPage() {
  const [search, setSearch] = useSearchParams();
  const [today] = useState(todayDate);
  const given = search.get('as_of') ?? '';
  const asOf = isDate(given) ? given : today;
  const report = useAccruals(asOf);
  const [filter, setFilter] = useState('');

  const columns = useMemo<ColDef<AccrualRow>[]>(
    () => [
      { field: 'program_id', headerName: 'Program', minWidth: 120 },
      {
        field: 'program_type',
        headerName: 'Type',
        minWidth: 120,
        valueFormatter: (p) => label(programTypeLabels, p.value),
      },
      { field: 'account_id', headerName: 'Partner', minWidth: 110 },
      { field: 'partner_name', headerName: 'Name', minWidth: 170 },
      {
        colId: 'period',
        headerName: 'Period',
        minWidth: 210,
        valueGetter: (p) => `${formatDate(p.data?.period_start)} – ${formatDate(p.data?.period_end)}`,
      },
      { field: 'currency', headerName: 'Currency', minWidth: 90 },
      { field: 'basis_qty', headerName: 'Units', type: 'rightAligned', minWidth: 90 },
      amount('earned', 'Earned'),
      amount('approved', 'Approved'),
      amount('paid', 'Paid'),
      amount('accrued', 'Accrued'),
      amount('liability', 'Liability'),
    ],
    [],
  );

  const chart = useMemo(
    () =>
      // In the reporting currency, so programs of different currencies compare on one axis; a program whose
      // currency has no rate is left out (named under the chart).
      (report.data?.reporting.programs ?? []).flatMap((p) =>
        p.accrued === null || p.paid === null
          ? []
          : [
              {
                program: `${p.program_id} (${p.currency})`,
                // Plotted only: the chart library draws numbers; every figure shown as text stays a decimal string.
                Accrued: Number(p.accrued),
                Paid: Number(p.paid),
              },
            ],
      ),
    [report.data],
  );

  return (
    <>
      <PageHeader
        title="Accruals"
        description="The rebate liability per program, partner and period: earned from sell-in and sell-out under each program's terms, approved on claims, paid, and what is left to book."
        actions={
          <>
            <Button
              component="a"
              href={accrualsExportUrl(asOf, 'xlsx')}
              download
              variant="default"
              leftSection={<IconDownload size={16} />}
              data-testid="accruals-export"
            >
              Export XLSX
            </Button>
            <Button
              component="a"
              href={accrualsExportUrl(asOf, 'csv')}
              download
              variant="default"
              leftSection={<IconDownload size={16} />}
            >
              CSV
            </Button>
          </>
        }
      />
      <Stack gap="md">
        <Group align="flex-end">
          <DateInput
            label="As of"
            value={asOf}
            onChange={(event) => {
              const value = event.currentTarget.value;
              if (value === '' || isDate(value))
                setSearch(value && value !== today ? { as_of: value } : {}, { replace: true });
            }}
            w={170}
            data-testid="accruals-as-of"
          />
          <TextInput
            label="Filter"
            placeholder="Program, partner…"
            value={filter}
            onChange={(e) => setFilter(e.currentTarget.value)}
            w={240}
          />
        </Group>
        {report.isPending ? (
          <Loading label="Computing the accruals…" />
        ) : report.isError ? (
          <LoadError error={report.error} retry={() => void report.refetch()} what="the accruals" />
        ) : report.data.rows.length === 0 ? (
          <Paper withBorder>
            <Empty
              icon={<IconReportMoney size={22} stroke={1.5} />}
              title="Nothing accrued on this date"
              description="Accruals appear once programs are active and sell-in or sell-out is loaded for their partners."
            />
          </Paper>
        ) : (
          <>
            <SimpleGrid cols={{ base: 2, md: 4 }} data-testid="accruals-totals">
              {(report.data.currencies.length > 1 ||
                report.data.currencies.some((c) => c.currency !== report.data.reporting.currency)) && [
                ...(['earned', 'accrued', 'paid', 'liability'] as const).map((key) => (
                  <Figure
                    key={`reporting-${key}`}
                    name={`${key[0]!.toUpperCase()}${key.slice(1)}, all in ${report.data.reporting.currency}`}
                    value={formatMoney(report.data.reporting.totals[key], report.data.reporting.currency)}
                    hint={
                      key !== 'liability'
                        ? undefined
                        : report.data.reporting.missing.length > 0
                          ? `without ${report.data.reporting.missing.join(', ')} (no exchange rate)`
                          : `at the rates of ${formatDate(report.data.as_of)}`
                    }
                  />
                )),
              ]}
              {report.data.currencies.flatMap((c) => [
                <Figure
                  key={`${c.currency}-e`}
                  name={`Earned (${c.currency})`}
                  value={formatMoney(c.earned, c.currency)}
                />,
                <Figure
                  key={`${c.currency}-a`}
                  name={`Accrued (${c.currency})`}
                  value={formatMoney(c.accrued, c.currency)}
                />,
                <Figure
                  key={`${c.currency}-p`}
                  name={`Paid (${c.currency})`}
                  value={formatMoney(c.paid, c.currency)}
                />,
                <Figure
                  key={`${c.currency}-l`}
                  name={`Liability (${c.currency})`}
                  value={formatMoney(c.liability, c.currency)}
                  hint={`${formatMoney(c.unclaimed, c.currency)} unclaimed · ${formatMoney(c.approved_unpaid, c.currency)} approved, unpaid`}
                />,
              ])}
            </SimpleGrid>
            <Paper withBorder p="md">
              <Title order={4} mb="sm">
                Accrued and paid per program, in {report.data.reporting.currency}
              </Title>
              <BarChart
                h={340}
                data={chart}
                dataKey="program"
                withLegend
                series={[
                  { name: 'Accrued', color: 'indigo.6' },
                  { name: 'Paid', color: 'teal.6' },
                ]}
                label={`Accrued and paid per program, in ${report.data.reporting.currency}`}
                valueFormatter={(v) => formatAmount(v.toFixed(2))}
                slantedLabels
                data-testid="accruals-chart"
              />
              {report.data.reporting.missing.length > 0 && (
                <Text size="xs" c="dimmed" mt="xs">
                  Not shown: programs in {report.data.reporting.missing.join(', ')}, which has no exchange
                  rate into {report.data.reporting.currency} on {formatDate(report.data.as_of)}.
                </Text>
              )}
            </Paper>
            <Text size="sm" c="dimmed">
              As of {formatDate(report.data.as_of)} · {report.data.rows.length} rows · accrued = the larger of
              earned and approved; liability = accrued − paid.
            </Text>
            <DataGrid
              testId="accruals-grid"
              rows={report.data.rows}
              columns={columns}
              search={filter}
              rowId={(r) => `${r.program_id}:${r.account_id}:${r.period_start}`}
            />
          </>
        )}
      </Stack>
    </>
  );
}

function Figure({ name, value, hint }: { name: string; value: string; hint?: string }) {
  return (
    <Paper withBorder p="sm">
      <Text size="xs" c="dimmed">
        {name}
      </Text>
      <Text fw={600} size="lg">
        {value}
      </Text>
      {hint && (
        <Text size="xs" c="dimmed">
          {hint}
        </Text>
      )}
    </Paper>
  );
}
