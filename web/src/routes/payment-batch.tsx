import {
  Alert,
  Anchor,
  Box,
  Breadcrumbs,
  Button,
  Group,
  Paper,
  SimpleGrid,
  Stack,
  Text,
} from '@mantine/core';
import { IconCheck, IconReportMoney } from '@tabler/icons-react';
import type { ColDef } from 'ag-grid-community';
import { useMemo } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { claimPath } from '../features/claims/claim';
import { useUser } from '../features/identity/session';
import { hasAnyRole } from '../features/identity/user';
import { BatchStatusBadge } from '../features/settlement/batch-status-badge';
import {
  type BatchPayment,
  batchReleasers,
  label,
  methodLabels,
  paymentStatusLabels,
} from '../features/settlement/settlement';
import { useBatch, useReleaseBatch } from '../features/settlement/use-settlement';
import { DataGrid } from '../ui/data-grid';
import { formatDate, formatTimestamp } from '../ui/dates';
import { compareAmounts, formatAmount, formatMoney } from '../ui/money';
import { PageHeader } from '../ui/page-header';
import { Empty, LoadError, Loading } from '../ui/states';

/** One payment batch with its payments; an approver releases a batch waiting for release. */
export default function PaymentBatchPage({ batchId: given }: { batchId?: string }) {
  const [search] = useSearchParams();
  const batchId = given ?? search.get('batch') ?? '';
  const user = useUser();
  const navigate = useNavigate();
  const batch = useBatch(batchId);
  const release = useReleaseBatch();
  const columns = useMemo<ColDef<BatchPayment>[]>(
    () => [
      { field: 'claim_id', headerName: 'Claim', minWidth: 120 },
      {
        colId: 'partner',
        headerName: 'Partner',
        minWidth: 180,
        valueGetter: (p) => p.data?.partner_name ?? p.data?.account_id ?? '',
      },
      { field: 'account_id', headerName: 'Account', minWidth: 110 },
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
        headerName: 'Status',
        minWidth: 110,
        valueFormatter: (p) => label(paymentStatusLabels, p.value),
      },
      { field: 'document_id', headerName: 'Credit memo', minWidth: 160 },
    ],
    [],
  );
  const above = (
    <Breadcrumbs>
      <Anchor component={Link} to="/payment-batches" size="sm">
        Payment batches
      </Anchor>
      <Text size="sm">{batchId}</Text>
    </Breadcrumbs>
  );
  if (batch.isPending) return <Loading label="Loading the payment batch…" />;
  if (batch.isError)
    return (
      <>
        <PageHeader title={batchId} above={above} />
        <LoadError error={batch.error} retry={() => void batch.refetch()} what="the payment batch" />
      </>
    );
  const b = batch.data;
  const canRelease = b.status === 'draft' && hasAnyRole(user, batchReleasers);
  return (
    <Box data-testid="batch-detail">
      <PageHeader
        above={above}
        title={
          <Group gap="sm">
            {b.batch_id}
            <BatchStatusBadge status={b.status} />
          </Group>
        }
        description={`${label(methodLabels, b.method)} in ${b.currency} as of ${formatDate(b.as_of)}.`}
        actions={
          canRelease && (
            <Button
              leftSection={<IconCheck size={16} />}
              loading={release.isPending}
              onClick={() => release.mutate(b.batch_id)}
              data-testid="batch-release"
            >
              Release
            </Button>
          )
        }
      />
      <Stack gap="md">
        {release.isError && (
          <Alert color="red" variant="light">
            {(release.error as Error).message}
          </Alert>
        )}
        {b.status === 'draft' && !canRelease && (
          <Alert color="yellow" variant="light">
            This batch is above the release limit and waits for an approver, manager or administrator.
          </Alert>
        )}
        <SimpleGrid cols={{ base: 2, md: 4 }}>
          <Fact name="Payments" value={String(b.payment_count)} />
          <Fact name="Total" value={formatMoney(b.total_amount, b.currency)} />
          <Fact
            name="Created"
            value={`${formatTimestamp(b.created_at)}${b.created_by ? ` by ${b.created_by}` : ''}`}
          />
          <Fact
            name="Released"
            value={
              b.released_at
                ? `${formatTimestamp(b.released_at)}${b.released_by ? ` by ${b.released_by}` : ''}`
                : b.release_required
                  ? 'Release required'
                  : '—'
            }
          />
        </SimpleGrid>
        <DataGrid
          testId="batch-payments-grid"
          rows={b.payments}
          columns={columns}
          rowId={(p) => `${p.account_id}:${p.claim_id}`}
          onRowClick={(p) => navigate(claimPath(p.claim_id))}
          height="auto"
          empty={
            <Paper withBorder>
              <Empty icon={<IconReportMoney size={22} stroke={1.5} />} title="No payments in this batch" />
            </Paper>
          }
        />
      </Stack>
    </Box>
  );
}

function Fact({ name, value }: { name: string; value: string }) {
  return (
    <Paper withBorder p="sm">
      <Text size="xs" c="dimmed">
        {name}
      </Text>
      <Text fw={500}>{value}</Text>
    </Paper>
  );
}
