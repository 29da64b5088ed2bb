import { Paper } from '@mantine/core';
import { IconBuildingBank } from '@tabler/icons-react';
import type { ColDef } from 'ag-grid-community';
import { useMemo } from 'react';
import { useNavigate } from 'react-router';
import { claimPath } from '../features/claims/claim';
import { BatchStatusBadge } from '../features/settlement/batch-status-badge';
import { label, methodLabels, type Payment, paymentStatusLabels } from '../features/settlement/settlement';
import { usePayments } from '../features/settlement/use-settlement';
import { DataGrid, widgetCell } from '../ui/data-grid';
import { formatDate } from '../ui/dates';
import { compareAmounts, formatAmount } from '../ui/money';
import { PageHeader } from '../ui/page-header';
import { Empty, LoadError, Loading } from '../ui/states';

/** The portal's payments: each approved claim paid to the partner, how, for how much, and where it stands. */
export default function MyPaymentsPage() {
  const navigate = useNavigate();
  const payments = usePayments();
  const columns = useMemo<ColDef<Payment>[]>(
    () => [
      { field: 'as_of', headerName: 'Date', minWidth: 115, valueFormatter: (p) => formatDate(p.value) },
      { field: 'claim_id', headerName: 'Claim', minWidth: 120 },
      {
        field: 'method',
        headerName: 'Method',
        minWidth: 120,
        valueFormatter: (p) => label(methodLabels, p.value),
      },
      {
        field: 'amount',
        headerName: 'Amount',
        type: 'rightAligned',
        minWidth: 120,
        valueFormatter: (p) => formatAmount(p.value),
        comparator: compareAmounts,
      },
      { field: 'currency', headerName: 'Currency', minWidth: 95 },
      {
        field: 'status',
        headerName: 'Payment',
        minWidth: 110,
        valueFormatter: (p) => label(paymentStatusLabels, p.value),
      },
      {
        field: 'batch_status',
        headerName: 'Batch status',
        minWidth: 160,
        cellClass: widgetCell,
        cellRenderer: (p: { value: string | null }) => <BatchStatusBadge status={p.value} />,
      },
      { field: 'document_id', headerName: 'Credit memo', minWidth: 160 },
    ],
    [],
  );
  return (
    <>
      <PageHeader
        title="Payments"
        description="Your approved claims as they are paid: by credit memo on your account, ACH, check or wire."
      />
      {payments.isPending ? (
        <Loading label="Loading your payments…" />
      ) : payments.isError ? (
        <LoadError error={payments.error} retry={() => void payments.refetch()} what="your payments" />
      ) : (
        <DataGrid
          testId="my-payments-grid"
          rows={payments.data.items}
          columns={columns}
          rowId={(p) => `${p.batch_id}:${p.account_id}:${p.claim_id}`}
          onRowClick={(p) => navigate(claimPath(p.claim_id))}
          empty={
            <Paper withBorder>
              <Empty
                icon={<IconBuildingBank size={22} stroke={1.5} />}
                title="No payments yet"
                description="Approved claims are paid in the next settlement run."
              />
            </Paper>
          }
        />
      )}
    </>
  );
}
