import { Anchor, Badge, Drawer, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { IconFileDownload, IconReceiptTax } from '@tabler/icons-react';
import { useState } from 'react';
import { ClaimsTable } from '../features/deductions/deduction-evidence';
import {
  type DeductionRow,
  statusColors,
  statusLabels,
  validationWords,
} from '../features/deductions/deductions';
import {
  type DeductionFilters,
  deductionsQuery,
  useDeduction,
  useDeductions,
} from '../features/deductions/use-deductions';
import { formatDate } from '../ui/dates';
import { formatMoney } from '../ui/money';
import { PageHeader } from '../ui/page-header';
import { startQuery } from '../ui/query-client';
import { Segmented } from '../ui/segmented';
import { Empty, LoadError, Loading } from '../ui/states';

const letterUrl = (id: string) => `/api/documents/${encodeURIComponent(id)}/content`;

type Show = 'all' | 'open' | 'denied';

/** The partner's deductions shown (all, being reviewed or denied), newest first. */
const shownDeductions = (show: Show): DeductionFilters => ({
  status: show === 'all' ? null : show,
  sort: 'date',
  dir: 'desc',
  limit: 500,
});

/** What the page shows first: all of the partner's deductions. */
export function prefetch(): void {
  startQuery(deductionsQuery(shownDeductions('all')));
}

/**
 * The partner's deductions: what they kept from which invoice, where each stands in words, and for a denied
 * one the denial letter and the date by which it must be paid back. Only their own organisation's.
 */
export default function MyDeductionsPage() {
  const [show, setShow] = useState<Show>('all');
  const [chosen, setChosen] = useState<string | null>(null);
  const list = useDeductions(shownDeductions(show));
  return (
    <>
      <PageHeader
        title="My deductions"
        description="The amounts you kept when you paid us, what we found when we checked each against your claims, and what is still open. A denied deduction must be paid back by its due date; its letter explains why."
        actions={
          <Segmented
            value={show}
            onChange={(v) => setShow(v as typeof show)}
            data={[
              { value: 'all', label: 'All' },
              { value: 'open', label: 'Being reviewed' },
              { value: 'denied', label: 'Denied' },
            ]}
          />
        }
      />
      {list.isPending ? (
        <Loading label="Loading your deductions…" />
      ) : list.isError ? (
        <LoadError error={list.error} retry={() => void list.refetch()} what="your deductions" />
      ) : list.data.items.length === 0 ? (
        <Paper withBorder>
          <Empty
            icon={<IconReceiptTax size={22} stroke={1.5} />}
            title="No deductions"
            description="When you pay an invoice short on purpose, the amount you kept appears here."
          />
        </Paper>
      ) : (
        <Paper withBorder>
          <Table striped highlightOnHover fz="sm" data-testid="my-deductions">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Deduction</Table.Th>
                <Table.Th>Taken</Table.Th>
                <Table.Th>From invoice</Table.Th>
                <Table.Th ta="right">Amount</Table.Th>
                <Table.Th ta="right">Still open</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>What we found</Table.Th>
                <Table.Th>Payback due</Table.Th>
                <Table.Th>Letter</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.data.items.map((d) => (
                <Row key={d.deduction_id} d={d} onOpen={() => setChosen(d.deduction_id)} />
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
      )}
      <Drawer
        opened={chosen !== null}
        onClose={() => setChosen(null)}
        position="right"
        size="lg"
        title={chosen ? `Deduction ${chosen}` : ''}
      >
        {chosen && <DeductionDrawer id={chosen} />}
      </Drawer>
    </>
  );
}

function Row({ d, onOpen }: { d: DeductionRow; onOpen: () => void }) {
  return (
    <Table.Tr data-testid="my-deduction" data-id={d.deduction_id}>
      <Table.Td>
        <Anchor component="button" size="sm" onClick={onOpen}>
          {d.deduction_id}
        </Anchor>
      </Table.Td>
      <Table.Td>{formatDate(d.deduction_date)}</Table.Td>
      <Table.Td>{d.document_id ?? '—'}</Table.Td>
      <Table.Td ta="right">{formatMoney(d.amount, d.currency)}</Table.Td>
      <Table.Td ta="right">{formatMoney(d.open_amount, d.currency)}</Table.Td>
      <Table.Td>
        <Badge variant="light" color={statusColors[d.status]}>
          {statusLabels[d.status]}
        </Badge>
      </Table.Td>
      <Table.Td maw={320}>{validationWords(d.validation, d.queue, d.status)}</Table.Td>
      <Table.Td>
        {d.payback_due_date ? (
          <Text size="sm" c={d.payback_overdue ? 'red' : undefined} fw={d.payback_overdue ? 600 : undefined}>
            {formatDate(d.payback_due_date)}
            {d.payback_overdue ? ' (overdue)' : ''}
          </Text>
        ) : (
          '—'
        )}
      </Table.Td>
      <Table.Td>
        {d.denial_document_id ? (
          <Anchor
            href={letterUrl(d.denial_document_id)}
            target="_blank"
            size="sm"
            data-testid="denial-letter"
          >
            <Group gap={4} wrap="nowrap">
              <IconFileDownload size={16} /> Denial letter
            </Group>
          </Anchor>
        ) : (
          '—'
        )}
      </Table.Td>
    </Table.Tr>
  );
}

function DeductionDrawer({ id }: { id: string }) {
  const found = useDeduction(id);
  if (found.isPending) return <Loading />;
  if (found.isError) return <LoadError error={found.error} what="the deduction" />;
  const { deduction: d, claims, timeline, documents } = found.data;
  return (
    <Stack gap="md" data-testid="my-deduction-detail">
      <Text size="sm">
        {formatMoney(d.amount, d.currency)} kept from invoice {d.document_id ?? '—'} on{' '}
        {formatDate(d.deduction_date)}
        {d.reason_code ? ` (your reason ${d.reason_code})` : ''}.
      </Text>
      <Text size="sm" fw={600}>
        {validationWords(d.validation, d.queue, d.status)}
      </Text>
      {d.finding_words && <Text size="sm">{d.finding_words}</Text>}
      {claims.length > 0 && (
        <>
          <Title order={5}>Your claims</Title>
          <ClaimsTable claims={claims} currency={d.currency} partner />
        </>
      )}
      {documents.map((doc) => (
        <Anchor key={doc.document_id} href={doc.url} target="_blank" size="sm">
          <Group gap={4}>
            <IconFileDownload size={16} /> {doc.file_name}
          </Group>
        </Anchor>
      ))}
      <Title order={5}>What happened</Title>
      <Table fz="sm" withRowBorders={false}>
        <Table.Tbody>
          {timeline.map((e) => (
            <Table.Tr key={`${e.at}-${e.action}`}>
              <Table.Td w={130}>{formatDate(e.at.slice(0, 10))}</Table.Td>
              <Table.Td>{e.title}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
