import {
  Alert,
  Anchor,
  Badge,
  Box,
  Breadcrumbs,
  Button,
  Group,
  Modal,
  Paper,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconArrowBackUp, IconCheck, IconDownload, IconReportMoney } from '@tabler/icons-react';
import type { ColDef } from 'ag-grid-community';
import { useMemo, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { claimPath } from '../features/claims/claim';
import { useUser } from '../features/identity/session';
import { hasAnyRole } from '../features/identity/user';
import { BatchStatusBadge } from '../features/settlement/batch-status-badge';
import {
  type BatchPayment,
  batchFileUrl,
  batchReleasers,
  batchReversers,
  fileKindLabels,
  filesHeld,
  formatBytes,
  label,
  methodLabels,
  type PaymentBatchDetail,
  paymentStatusLabels,
  type StoredFile,
} from '../features/settlement/settlement';
import { slaPriorityColumn } from '../features/settlement/sla-priority-column';
import { useBatch, useReleaseBatch, useReverseBatch } from '../features/settlement/use-settlement';
import { DataGrid } from '../ui/data-grid';
import { formatDate, formatTimestamp } from '../ui/dates';
import { amountColumn } from '../ui/grid-columns';
import { formatMoney } from '../ui/money';
import { PageHeader } from '../ui/page-header';
import { Empty, LoadError, Loading } from '../ui/states';

/**
 * One payment batch with its payments and files: an approver releases a batch waiting for release, or
 * reverses one the bank rejected; every file the run wrote downloads from here.
 */
export default function PaymentBatchPage({ batchId: given }: { batchId?: string }) {
  const [search] = useSearchParams();
  const batchId = given ?? search.get('batch') ?? '';
  const user = useUser();
  const navigate = useNavigate();
  const batch = useBatch(batchId);
  const release = useReleaseBatch();
  const reverse = useReverseBatch();
  const [reversing, setReversing] = useState(false);
  const [reason, setReason] = useState('');
  const [releasing, setReleasing] = useState(false);
  const [comment, setComment] = useState('');
  const columns = useMemo<ColDef<BatchPayment>[]>(
    () => [
      { field: 'claim_id', headerName: 'Claim', minWidth: 120 },
      {
        colId: 'partner',
        headerName: 'Partner',
        minWidth: 180,
        flex: 1,
        valueGetter: (p) => p.data?.partner_name ?? p.data?.account_id ?? '',
      },
      { field: 'account_id', headerName: 'Account', minWidth: 110 },
      amountColumn<BatchPayment>('amount', 'Amount', 120),
      { field: 'currency', headerName: 'Currency', minWidth: 95 },
      slaPriorityColumn<BatchPayment>(120),
      {
        field: 'status',
        headerName: 'Status',
        minWidth: 130,
        valueFormatter: (p) => label(paymentStatusLabels, p.value),
      },
      { field: 'paid_on', headerName: 'Paid on', minWidth: 115, valueFormatter: (p) => formatDate(p.value) },
      ...(batch.data?.method === 'credit_memo'
        ? ([
            { field: 'document_id', headerName: 'Credit memo', minWidth: 160 },
            { field: 'reversal_document_id', headerName: 'Reversed by', minWidth: 170 },
          ] as ColDef<BatchPayment>[])
        : []),
    ],
    [batch.data?.method],
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
  const canReverse = b.status !== 'reversed' && hasAnyRole(user, batchReversers);
  const doRelease = () =>
    release.mutate(
      { batchId: b.batch_id, comment },
      {
        onSuccess: (r) => {
          setReleasing(false);
          setComment('');
          notifications.show({
            message: `Batch ${r.batch_id} released: ${r.claim_ids.length} claim(s) paid on ${formatDate(r.paid_on)}.`,
          });
        },
      },
    );
  const doReverse = () =>
    reverse.mutate(
      { batchId: b.batch_id, reason },
      {
        onSuccess: (r) => {
          setReversing(false);
          setReason('');
          notifications.show({
            message: r.reversed_now
              ? `Batch ${r.batch_id} reversed: ${r.claim_ids.length} claim(s) back to approved.`
              : `Batch ${r.batch_id} was already reversed.`,
          });
        },
      },
    );
  return (
    <Box data-testid="batch-detail">
      <PageHeader
        above={above}
        title={
          <Group gap="sm">
            {b.batch_id}
            <BatchStatusBadge status={b.status} />
            {b.sla_priority && (
              <Badge color="red" variant="light">
                SLA priority
              </Badge>
            )}
          </Group>
        }
        description={`${label(methodLabels, b.method)}${b.ach_format ? ` (${b.ach_format === 'ctx' ? 'CTX' : 'CCD+'})` : ''} in ${b.currency} as of ${formatDate(b.as_of)}.`}
        actions={
          <>
            {canRelease && (
              <Button
                leftSection={<IconCheck size={16} />}
                onClick={() => setReleasing(true)}
                data-testid="batch-release"
              >
                Release
              </Button>
            )}
            {canReverse && (
              <Button
                color="red"
                variant="light"
                leftSection={<IconArrowBackUp size={16} />}
                onClick={() => setReversing(true)}
                data-testid="batch-reverse"
              >
                Reverse
              </Button>
            )}
          </>
        }
      />
      <Stack gap="md">
        {b.status === 'draft' && (
          <Alert color="yellow" variant="light" data-testid="batch-held">
            Above the release limit: its claims stay in payment and its files cannot be downloaded until an
            approver, manager or administrator other than whoever made it releases it.
          </Alert>
        )}
        {b.release_comment && (
          <Alert color="blue" variant="light" title="Release comment" data-testid="batch-release-comment">
            {b.release_comment}
            {b.released_by ? ` — ${b.released_by}` : ''}
          </Alert>
        )}
        {b.status === 'reversed' && (
          <Alert color="gray" variant="light" title="Reversed" data-testid="batch-reversed">
            {b.reversal_reason}
            {b.reversed_at ? ` — ${formatTimestamp(b.reversed_at)}` : ''}
            {b.reversed_by ? ` by ${b.reversed_by}` : ''}. Its claims went back to approved and are paid by
            the next settlement run.
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
                  ? b.status === 'draft'
                    ? 'Release required'
                    : '—'
                  : b.method === 'credit_memo'
                    ? 'Posted to receivables'
                    : 'Within the limit'
            }
          />
        </SimpleGrid>
        <BatchFiles batch={b} />
        <DataGrid
          testId="batch-payments-grid"
          rows={b.payments}
          columns={columns}
          rowId={(p) => `${p.account_id}:${p.claim_id}`}
          onRowClick={(p) => navigate(claimPath(p.claim_id, p.account_id))}
          height={b.payments.length > 15 ? 560 : 'auto'}
          empty={
            <Paper withBorder>
              <Empty icon={<IconReportMoney size={22} stroke={1.5} />} title="No payments in this batch" />
            </Paper>
          }
        />
      </Stack>

      <Modal opened={releasing} onClose={() => setReleasing(false)} title={`Release batch ${b.batch_id}`}>
        <Stack data-testid="release-confirmation">
          <Text size="sm">
            Pay <b>{b.payment_count}</b> claim(s), <b>{formatMoney(b.total_amount, b.currency)}</b>, by{' '}
            {label(methodLabels, b.method)}
            {b.method === 'credit_memo'
              ? ': the credit memos are posted to the partners’ receivables'
              : ': its files become final for the bank'}
            . This cannot be undone except by reversing the batch.
          </Text>
          <Textarea
            label="Comment"
            description="What you checked before releasing. Kept with the batch and in the audit trail."
            required
            autosize
            minRows={2}
            value={comment}
            onChange={(e) => setComment(e.currentTarget.value)}
            data-testid="release-comment"
          />
          {release.isError && (
            <Alert color="red" variant="light">
              {(release.error as Error).message}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="subtle" onClick={() => setReleasing(false)}>
              Cancel
            </Button>
            <Button
              onClick={doRelease}
              disabled={!comment.trim()}
              loading={release.isPending}
              data-testid="release-confirm"
            >
              Release {formatMoney(b.total_amount, b.currency)}
            </Button>
          </Group>
        </Stack>
      </Modal>

      <Modal opened={reversing} onClose={() => setReversing(false)} title={`Reverse batch ${b.batch_id}`}>
        <Stack>
          <Text size="sm">
            Reverse a batch the bank rejected: its {b.payment_count} claim(s) go back to approved and are paid
            again by the next settlement run
            {b.method === 'credit_memo'
              ? '; its credit memos are reversed by debit memos in receivables'
              : ''}
            .
          </Text>
          <Textarea
            label="Reason"
            description="For example the bank's return reason. Kept in the audit trail."
            required
            autosize
            minRows={2}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            data-testid="reverse-reason"
          />
          {reverse.isError && (
            <Alert color="red" variant="light">
              {(reverse.error as Error).message}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="subtle" onClick={() => setReversing(false)}>
              Cancel
            </Button>
            <Button
              color="red"
              onClick={doReverse}
              disabled={!reason.trim()}
              loading={reverse.isPending}
              data-testid="reverse-confirm"
            >
              Reverse batch
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Box>
  );
}

/** The bank and receivables files, then one advice (PDF, XLSX) per partner, each downloadable. */
function BatchFiles({ batch }: { batch: PaymentBatchDetail }) {
  const files = batch.stored_files.filter((f) => f.kind !== 'advice');
  const advices = new Map<string, { pdf?: StoredFile; xlsx?: StoredFile }>();
  for (const f of batch.stored_files.filter((f) => f.kind === 'advice')) {
    const entry = advices.get(f.account_id ?? '') ?? {};
    if (f.file_name.endsWith('.pdf')) entry.pdf = f;
    else entry.xlsx = f;
    advices.set(f.account_id ?? '', entry);
  }
  const names = new Map(batch.payments.map((p) => [p.account_id, p.partner_name ?? p.account_id]));
  const held = filesHeld(batch);
  // A held batch's files are listed, not offered: a plain disabled button until it is released.
  const download = (f: StoredFile, text: string) =>
    held ? (
      <Button
        disabled
        title="Downloadable once the batch is released"
        size="xs"
        variant="default"
        leftSection={<IconDownload size={14} />}
        data-testid={`file-${f.file_name}`}
      >
        {text}
      </Button>
    ) : (
      <Button
        component="a"
        href={batchFileUrl(batch.batch_id, f.file_name)}
        download={f.file_name}
        size="xs"
        variant="default"
        leftSection={<IconDownload size={14} />}
        data-testid={`file-${f.file_name}`}
      >
        {text}
      </Button>
    );

  return (
    <SimpleGrid cols={{ base: 1, lg: 2 }}>
      <Paper withBorder p="md" data-testid="batch-files">
        <Group justify="space-between" mb="sm">
          <Title order={4}>Files</Title>
          {held && (
            <Badge color="yellow" variant="light" data-testid="files-held">
              Downloadable once released
            </Badge>
          )}
        </Group>
        {files.length === 0 ? (
          <Text c="dimmed" size="sm">
            No files are kept for this batch.
          </Text>
        ) : (
          <Table verticalSpacing="xs">
            <Table.Tbody>
              {files.map((f) => (
                <Table.Tr key={f.file_name}>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {label(fileKindLabels, f.kind)}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {f.file_name} · {formatBytes(f.size_bytes)}
                    </Text>
                  </Table.Td>
                  <Table.Td ta="right">{download(f, f.file_name.split('.').pop()!.toUpperCase())}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Paper>
      <Paper withBorder p="md" data-testid="batch-advices">
        <Title order={4} mb="sm">
          Payment advices
        </Title>
        {advices.size === 0 ? (
          <Text c="dimmed" size="sm">
            No advices.
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={320} mah={260} type="native">
            <Table verticalSpacing="xs">
              <Table.Tbody>
                {[...advices.entries()].map(([account, f]) => (
                  <Table.Tr key={account}>
                    <Table.Td>
                      <Text size="sm" fw={500}>
                        {names.get(account) ?? account}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {account}
                      </Text>
                    </Table.Td>
                    <Table.Td ta="right">
                      <Group gap="xs" justify="flex-end">
                        {f.pdf && download(f.pdf, 'PDF')}
                        {f.xlsx && download(f.xlsx, 'XLSX')}
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Paper>
    </SimpleGrid>
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
