import { Badge, Button, Paper } from '@mantine/core';
import { IconListCheck, IconReportMoney } from '@tabler/icons-react';
import type { ColDef } from 'ag-grid-community';
import { useMemo } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useUser } from '../features/identity/session';
import { hasAnyRole } from '../features/identity/user';
import { BatchStatusBadge } from '../features/settlement/batch-status-badge';
import {
  batchPath,
  label,
  methodLabels,
  type PaymentBatch,
  proposalMakers,
  proposalPath,
} from '../features/settlement/settlement';
import { batchesQuery, batchQuery, useBatches } from '../features/settlement/use-settlement';
import { DataGrid, widgetCell } from '../ui/data-grid';
import { gridViewsQuery } from '../ui/grid-views';
import { compareAmounts, formatAmount } from '../ui/money';
import { PageHeader } from '../ui/page-header';
import { startQuery } from '../ui/query-client';
import { Empty, LoadError, Loading } from '../ui/states';
import PaymentBatchPage from './payment-batch';

/** What the page shows first: the batches and their grid's saved views, or the batch `?batch=` opens. */
export function prefetch(url: URL): void {
  const batchId = url.searchParams.get('batch');
  if (batchId) {
    startQuery(batchQuery(batchId));
    startQuery(gridViewsQuery('batch-payments-grid'));
    return;
  }
  startQuery(batchesQuery);
  startQuery(gridViewsQuery('batches-grid'));
}

/** The payment batches settlement runs created; `?batch=` opens one batch with its payments. */
export default function PaymentBatchesPage() {
  const [search] = useSearchParams();
  const batchId = search.get('batch');
  if (batchId) return <PaymentBatchPage batchId={batchId} />;
  return <BatchList />;
}

function BatchList() {
  const navigate = useNavigate();
  const user = useUser();
  const batches = useBatches();
  const columns = useMemo<ColDef<PaymentBatch>[]>(
    () => [
      { field: 'batch_id', headerName: 'Batch', minWidth: 120 },
      {
        field: 'method',
        headerName: 'Method',
        minWidth: 120,
        valueGetter: (p) =>
          `${label(methodLabels, p.data?.method)}${p.data?.ach_format ? ` (${p.data.ach_format === 'ctx' ? 'CTX' : 'CCD+'})` : ''}`,
      },
      { field: 'currency', headerName: 'Currency', minWidth: 95 },
      { field: 'payment_count', headerName: 'Payments', type: 'rightAligned', minWidth: 100 },
      {
        field: 'total_amount',
        headerName: 'Total',
        type: 'rightAligned',
        minWidth: 130,
        valueFormatter: (p) => formatAmount(p.value),
        comparator: compareAmounts,
      },
      {
        field: 'status',
        headerName: 'Status',
        minWidth: 160,
        cellClass: widgetCell,
        cellRenderer: (p: { value: string }) => <BatchStatusBadge status={p.value} />,
      },
      {
        field: 'sla_priority',
        headerName: 'SLA',
        minWidth: 110,
        cellClass: widgetCell,
        cellRenderer: (p: { value: boolean }) =>
          p.value ? (
            <Badge color="red" variant="light">
              Priority
            </Badge>
          ) : null,
      },
      {
        field: 'release_required',
        headerName: 'Release required',
        minWidth: 140,
        valueFormatter: (p) => (p.value ? 'yes' : ''),
      },
    ],
    [],
  );
  return (
    <>
      <PageHeader
        title="Payment batches"
        description="Approved claims paid by credit memo, ACH, check or wire, one batch per method, currency and SLA priority per settlement run. Claims about to breach their SLA are paid first; batches above the release limit wait for an approver."
        actions={
          hasAnyRole(user, proposalMakers) && (
            <Button
              component={Link}
              to={proposalPath()}
              leftSection={<IconListCheck size={16} />}
              data-testid="new-proposal"
            >
              Payment proposal
            </Button>
          )
        }
      />
      {batches.isPending ? (
        <Loading label="Loading payment batches…" />
      ) : batches.isError ? (
        <LoadError error={batches.error} retry={() => void batches.refetch()} what="the payment batches" />
      ) : (
        <DataGrid
          testId="batches-grid"
          rows={batches.data.items}
          columns={columns}
          rowId={(b) => b.batch_id}
          onRowClick={(b) => navigate(batchPath(b.batch_id))}
          empty={
            <Paper withBorder>
              <Empty
                icon={<IconReportMoney size={22} stroke={1.5} />}
                title="No payment batches"
                description="A settlement run (clearhouse settlement run) pays approved claims in batches."
              />
            </Paper>
          }
        />
      )}
    </>
  );
}
