import { Badge, Button, Group, Pagination, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { IconBuildingBank, IconDownload } from '@tabler/icons-react';
import type { ColDef } from 'ag-grid-community';
import { useMemo, useState } from 'react';
import { useNavigate } from 'react-router';
import { claimPath } from '../features/claims/claim';
import { BatchStatusBadge } from '../features/settlement/batch-status-badge';
import {
  type AdviceSummary,
  adviceStatusColors,
  adviceStatusLabels,
  adviceUrl,
  label,
  methodLabels,
  type Payment,
  paymentStatusLabels,
} from '../features/settlement/settlement';
import { advicesQuery, paymentsQuery, useAdvices, usePayments } from '../features/settlement/use-settlement';
import { DataGrid, type GridQuery, gridQueryParams, noGridQuery, widgetCell } from '../ui/data-grid';
import { formatDate } from '../ui/dates';
import { gridViewsQuery } from '../ui/grid-views';
import { compareAmounts, formatAmount, formatCount, formatMoney } from '../ui/money';
import { PageHeader } from '../ui/page-header';
import { startQuery } from '../ui/query-client';
import { Empty, LoadError, Loading } from '../ui/states';

/** Payments per page: the list is paged on the server, newest first. */
const pageSize = 100;

/** What the page shows first: the advices, the first page of payments (newest first), the grid's views. */
export function prefetch(): void {
  startQuery(advicesQuery);
  startQuery(paymentsQuery({ limit: pageSize, offset: 0, ...gridQueryParams(noGridQuery) }));
  startQuery(gridViewsQuery('my-payments-grid'));
}

/**
 * The portal's payments: the payment advices of each payment (PDF and XLSX, with every claim and line,
 * variances and rule codes), then each approved claim paid to the partner, how, for how much, and where it
 * stands.
 */
export default function MyPaymentsPage() {
  const navigate = useNavigate();
  const [page, setPage] = useState(1);
  // The grid's own sort and column filters, done by the server over every payment.
  const [grid, setGrid] = useState<GridQuery>(noGridQuery);
  const payments = usePayments({ limit: pageSize, offset: (page - 1) * pageSize, ...gridQueryParams(grid) });
  const pages = Math.max(1, Math.ceil((payments.data?.total ?? 0) / pageSize));
  const advices = useAdvices();
  const columns = useMemo<ColDef<Payment>[]>(
    () => [
      {
        colId: 'date',
        headerName: 'Date',
        minWidth: 115,
        valueGetter: (p) => p.data?.paid_on ?? p.data?.as_of,
        valueFormatter: (p) => formatDate(p.value),
      },
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
        minWidth: 130,
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
        description="Your approved claims as they are paid: by credit memo on your account, ACH, check or wire, with a payment advice for each payment."
      />
      <Stack gap="lg">
        <Paper withBorder p="md" data-testid="my-advices">
          <Title order={4} mb="sm">
            Payment advices
          </Title>
          {advices.isPending ? (
            <Loading label="Loading your payment advices…" />
          ) : advices.isError ? (
            <LoadError error={advices.error} retry={() => void advices.refetch()} what="your advices" />
          ) : advices.data.items.length === 0 ? (
            <Text c="dimmed" size="sm">
              No payment advices yet: each payment brings one, with every claim and line paid.
            </Text>
          ) : (
            <Table.ScrollContainer minWidth={720} mah={360} type="native">
              <AdviceTable advices={advices.data.items} />
            </Table.ScrollContainer>
          )}
        </Paper>
        {payments.isPending ? (
          <Loading label="Loading your payments…" />
        ) : payments.isError ? (
          <LoadError error={payments.error} retry={() => void payments.refetch()} what="your payments" />
        ) : (
          <>
            <DataGrid
              testId="my-payments-grid"
              rows={payments.data.items}
              columns={columns}
              rowId={(p) => `${p.batch_id}:${p.account_id}:${p.claim_id}`}
              onRowClick={(p) => navigate(claimPath(p.claim_id, p.account_id))}
              server={{
                onQuery: (next) => {
                  setGrid(next);
                  setPage(1);
                },
                sorts: paymentSorts,
                filters: paymentFilters,
              }}
              height={payments.data.items.length > 20 ? 560 : 'auto'}
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
            {payments.data.total > 0 && (
              <Group justify="space-between">
                <Text size="xs" c="dimmed" data-testid="my-payments-total">
                  {formatCount(payments.data.total)} payment{payments.data.total === 1 ? '' : 's'}
                </Text>
                {pages > 1 && (
                  <Pagination size="sm" total={pages} value={Math.min(page, pages)} onChange={setPage} />
                )}
              </Group>
            )}
          </>
        )}
      </Stack>
    </>
  );
}

// What /api/settlement/payments sorts and filters by for a partner (src/modules/settlement/queries.ts,
// paymentGridColumns); the batch's status is the company's, read for the page only, so it does not sort.
const paymentFilters = ['date', 'claim_id', 'method', 'currency', 'status', 'document_id'] as const;
const paymentSorts = [...paymentFilters, 'amount'] as const;

function AdviceTable({ advices }: { advices: AdviceSummary[] }) {
  return (
    <Table verticalSpacing="xs" highlightOnHover>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Date</Table.Th>
          <Table.Th>Payment</Table.Th>
          <Table.Th>Account</Table.Th>
          <Table.Th>Method</Table.Th>
          <Table.Th ta="right">Claims</Table.Th>
          <Table.Th ta="right">Amount</Table.Th>
          <Table.Th>Status</Table.Th>
          <Table.Th ta="right">Advice</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {advices.map((a) => (
          <Table.Tr key={`${a.batch_id}:${a.account_id}`} data-testid="advice-row">
            <Table.Td>{formatDate(a.payment_date)}</Table.Td>
            <Table.Td>{a.batch_id}</Table.Td>
            <Table.Td>{a.account_id}</Table.Td>
            <Table.Td>{label(methodLabels, a.method)}</Table.Td>
            <Table.Td ta="right">{a.claim_count}</Table.Td>
            <Table.Td ta="right">{formatMoney(a.amount, a.currency)}</Table.Td>
            <Table.Td>
              <Badge variant="light" color={adviceStatusColors[a.status] ?? 'gray'}>
                {label(adviceStatusLabels, a.status)}
              </Badge>
            </Table.Td>
            <Table.Td>
              <Group gap="xs" justify="flex-end" wrap="nowrap">
                {(['pdf', 'xlsx'] as const).map((ext) => (
                  <Button
                    key={ext}
                    component="a"
                    href={adviceUrl(a.batch_id, a.account_id, ext)}
                    download
                    size="xs"
                    variant="default"
                    leftSection={<IconDownload size={14} />}
                    data-testid={`advice-${ext}`}
                  >
                    {ext.toUpperCase()}
                  </Button>
                ))}
              </Group>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
