import { Button, Group, Paper, Stack, Text } from '@mantine/core';
import { IconDownload, IconReportMoney } from '@tabler/icons-react';
import type { ColDef } from 'ag-grid-community';
import { useMemo, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { claimPath } from '../features/claims/claim';
import { todayDate } from '../features/receivables/receivables';
import {
  isDate,
  type ReconciliationClaim,
  type ReconciliationReason,
  type ReconciliationRow,
  reconciliationExportUrl,
} from '../features/settlement/settlement';
import { reconciliationReportQuery, useReconciliation } from '../features/settlement/use-settlement';
import { DataGrid } from '../ui/data-grid';
import { DateInput } from '../ui/date-input';
import { formatDate } from '../ui/dates';
import { gridViewsQuery } from '../ui/grid-views';
import { compareAmounts, formatAmount } from '../ui/money';
import { PageHeader } from '../ui/page-header';
import { startQuery } from '../ui/query-client';
import { Segmented } from '../ui/segmented';
import { Empty, LoadError, Loading } from '../ui/states';

function amount<T>(field: keyof T & string, headerName: string, minWidth = 115): ColDef<T> {
  return {
    field: field as unknown as ColDef<T>['field'],
    headerName,
    type: 'rightAligned',
    minWidth,
    valueFormatter: (p) => formatAmount(p.value),
    comparator: compareAmounts,
  };
}

const views = [
  { value: 'summary', label: 'Per partner and month' },
  { value: 'reasons', label: 'Reasons' },
  { value: 'claims', label: 'Claims' },
];

/** The range and the view the address asks for: by default the year so far, per partner and month. */
function shown(search: URLSearchParams, today: string) {
  const from = isDate(search.get('from') ?? '') ? search.get('from')! : `${today.slice(0, 4)}-01-01`;
  const to = isDate(search.get('to') ?? '') ? search.get('to')! : today;
  return { from, to, view: search.get('view') ?? 'summary' };
}

/** What the page shows first: the report for its range, and the saved views of the grid it opens on. */
export function prefetch(url: URL): void {
  const { from, to, view } = shown(url.searchParams, todayDate());
  startQuery(reconciliationReportQuery(from, to));
  if (view === 'summary') startQuery(gridViewsQuery('reconciliation-grid'));
}

/**
 * The reconciliation of credits processed: claims decided in a range, per partner and month, claimed against
 * approved against paid, with each variance explained by rule code or by where its payment stands.
 */
export default function CreditsReconciliationPage() {
  const navigate = useNavigate();
  const [search, setSearch] = useSearchParams();
  const [today] = useState(todayDate);
  const { from, to, view } = shown(search, today);
  const report = useReconciliation(from, to);
  const set = (changes: Record<string, string | null>) =>
    setSearch(
      (current) => {
        const next = new URLSearchParams(current);
        for (const [k, v] of Object.entries(changes)) {
          if (v) next.set(k, v);
          else next.delete(k);
        }
        return next;
      },
      { replace: true },
    );

  const summaryColumns = useMemo<ColDef<ReconciliationRow>[]>(
    () => [
      { field: 'account_id', headerName: 'Partner', minWidth: 110 },
      { field: 'partner_name', headerName: 'Name', minWidth: 170 },
      { field: 'period', headerName: 'Month', minWidth: 95 },
      { field: 'currency', headerName: 'Currency', minWidth: 90 },
      { field: 'claims', headerName: 'Claims', type: 'rightAligned', minWidth: 85 },
      amount<ReconciliationRow>('claimed', 'Claimed'),
      amount<ReconciliationRow>('approved', 'Approved'),
      amount<ReconciliationRow>('paid', 'Paid'),
      amount<ReconciliationRow>('claimed_vs_approved', 'Claimed − approved', 150),
      amount<ReconciliationRow>('approved_vs_paid', 'Approved − paid', 140),
      { field: 'reasons', headerName: 'Reasons', minWidth: 320, flex: 1 },
    ],
    [],
  );
  const reasonColumns = useMemo<ColDef<ReconciliationReason>[]>(
    () => [
      { field: 'account_id', headerName: 'Partner', minWidth: 110 },
      { field: 'period', headerName: 'Month', minWidth: 95 },
      { field: 'currency', headerName: 'Currency', minWidth: 90 },
      {
        field: 'variance_kind',
        headerName: 'Variance',
        minWidth: 160,
        valueFormatter: (p) => (p.value === 'approval' ? 'Claimed − approved' : 'Approved − paid'),
      },
      { field: 'reason', headerName: 'Reason', minWidth: 260 },
      { field: 'lines', headerName: 'Lines / claims', type: 'rightAligned', minWidth: 120 },
      amount<ReconciliationReason>('variance', 'Amount'),
    ],
    [],
  );
  const claimColumns = useMemo<ColDef<ReconciliationClaim>[]>(
    () => [
      { field: 'claim_id', headerName: 'Claim', minWidth: 120 },
      { field: 'account_id', headerName: 'Partner', minWidth: 110 },
      { field: 'program_id', headerName: 'Program', minWidth: 120 },
      {
        field: 'decided_date',
        headerName: 'Decided',
        minWidth: 115,
        valueFormatter: (p) => formatDate(p.value),
      },
      { field: 'status', headerName: 'Status', minWidth: 130 },
      { field: 'currency', headerName: 'Currency', minWidth: 90 },
      amount<ReconciliationClaim>('claimed', 'Claimed'),
      amount<ReconciliationClaim>('approved', 'Approved'),
      amount<ReconciliationClaim>('paid', 'Paid'),
      { field: 'rule_codes', headerName: 'Rule codes', minWidth: 240 },
      { field: 'batch_id', headerName: 'Batch', minWidth: 110 },
      { field: 'paid_on', headerName: 'Paid on', minWidth: 115, valueFormatter: (p) => formatDate(p.value) },
    ],
    [],
  );

  return (
    <>
      <PageHeader
        title="Reconciliation of credits processed"
        description="Claims decided in the period, per partner and month: what was claimed, approved and paid, and why they differ — the rule codes that cut each line, and payments not yet made."
        actions={
          <>
            <Button
              component="a"
              href={reconciliationExportUrl(from, to, 'xlsx')}
              download
              variant="default"
              leftSection={<IconDownload size={16} />}
              data-testid="reconciliation-export"
            >
              Export XLSX
            </Button>
            <Button
              component="a"
              href={reconciliationExportUrl(from, to, 'csv')}
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
        <Group align="flex-end" justify="space-between">
          <Group align="flex-end">
            <DateInput
              label="Decided from"
              value={from}
              onChange={(e) => isDate(e.currentTarget.value) && set({ from: e.currentTarget.value })}
              w={170}
              data-testid="reconciliation-from"
            />
            <DateInput
              label="to"
              value={to}
              onChange={(e) => isDate(e.currentTarget.value) && set({ to: e.currentTarget.value })}
              w={170}
              data-testid="reconciliation-to"
            />
          </Group>
          <Segmented value={view} onChange={(v) => set({ view: v === 'summary' ? null : v })} data={views} />
        </Group>
        {report.isPending ? (
          <Loading label="Reconciling…" />
        ) : report.isError ? (
          <LoadError error={report.error} retry={() => void report.refetch()} what="the reconciliation" />
        ) : report.data.claims.length === 0 ? (
          <Paper withBorder>
            <Empty
              icon={<IconReportMoney size={22} stroke={1.5} />}
              title="No claims decided in this period"
              description="Pick another range: the report counts claims by the date they were decided."
            />
          </Paper>
        ) : (
          <>
            <Text size="sm" c="dimmed">
              {report.data.claims.length} claims decided {formatDate(report.data.from)} to{' '}
              {formatDate(report.data.to)}
            </Text>
            {view === 'reasons' ? (
              <DataGrid
                testId="reconciliation-reasons"
                rows={report.data.reasons}
                columns={reasonColumns}
                rowId={(r) => `${r.account_id}:${r.period}:${r.currency}:${r.variance_kind}:${r.reason}`}
              />
            ) : view === 'claims' ? (
              <DataGrid
                testId="reconciliation-claims"
                rows={report.data.claims}
                columns={claimColumns}
                rowId={(c) => c.claim_id}
                onRowClick={(c) => navigate(claimPath(c.claim_id, c.account_id))}
              />
            ) : (
              <DataGrid
                testId="reconciliation-grid"
                rows={report.data.rows}
                columns={summaryColumns}
                rowId={(r) => `${r.account_id}:${r.period}:${r.currency}`}
              />
            )}
          </>
        )}
      </Stack>
    </>
  );
}
