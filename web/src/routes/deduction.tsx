import {
  Alert,
  Anchor,
  Badge,
  Breadcrumbs,
  Button,
  Card,
  Divider,
  Grid,
  Group,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { IconReceiptTax } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { DeductionActions } from '../features/deductions/deduction-actions';
import {
  ClaimsEvidence,
  DocumentsEvidence,
  InvoiceEvidence,
  PaymentEvidence,
} from '../features/deductions/deduction-evidence';
import { DeductionTimeline } from '../features/deductions/deduction-timeline';
import {
  categoryLabels,
  type DeductionDetail,
  daysLeftWords,
  queueLabels,
  slaColors,
  slaLabels,
  statusColors,
  statusLabels,
  validationColors,
  validationLabels,
} from '../features/deductions/deductions';
import { useDeduction } from '../features/deductions/use-deductions';
import { DocumentsPanel } from '../features/platform/documents/documents-panel';
import { useDocuments } from '../features/platform/documents/use-documents';
import { ApiError } from '../ui/api';
import { formatDate } from '../ui/dates';
import { formatMoney } from '../ui/money';
import { PageHeader } from '../ui/page-header';
import { Empty, LoadError, Loading } from '../ui/states';

/**
 * One deduction, worked with its evidence side by side: the claims (approved, deducted, paid, unsettled) and
 * suggestions on the left with the invoice and the payment, the facts, documents and timeline on the right,
 * and the actions above. Claims picked here (the first suggestion pre-picked) are what Clear settles.
 */
export default function DeductionPage() {
  const { deductionId = '' } = useParams();
  const found = useDeduction(deductionId);
  if (found.isPending) return <Loading label="Loading the deduction…" />;
  if (found.isError) {
    if (found.error instanceof ApiError && found.error.status === 404) {
      return (
        <Empty
          icon={<IconReceiptTax size={22} stroke={1.5} />}
          title="No such deduction"
          description={`There is no deduction ${deductionId} that you can see.`}
          action={
            <Button component={Link} to="/deductions" variant="light">
              Back to deductions
            </Button>
          }
        />
      );
    }
    return <LoadError error={found.error} retry={() => void found.refetch()} what="the deduction" />;
  }
  return <DeductionView detail={found.data} />;
}

function DeductionView({ detail }: { detail: DeductionDetail }) {
  const d = detail.deduction;
  const initial = () =>
    d.status === 'open' && d.validation === 'unmatched' ? (detail.suggestions[0]?.claim_ids ?? []) : [];
  const [picked, setPicked] = useState<string[]>(initial);
  // Another deduction opened in the same page: start again from its own suggestion.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset only when the deduction changes
  useEffect(() => setPicked(initial()), [d.deduction_id]);
  // A document dropped below is evidence (and a timeline event): read the deduction again when one arrives.
  const queryClient = useQueryClient();
  const filed = useDocuments('deduction', d.deduction_id).data?.length;
  const seen = useRef(filed);
  useEffect(() => {
    if (seen.current !== undefined && filed !== seen.current) {
      void queryClient.invalidateQueries({ queryKey: ['deductions', 'one', d.deduction_id] });
    }
    seen.current = filed;
  }, [filed, d.deduction_id, queryClient]);
  const pick = (id: string, on: boolean) =>
    setPicked((now) => (on ? [...new Set([...now, id])] : now.filter((x) => x !== id)));

  return (
    <>
      <PageHeader
        above={
          <Breadcrumbs separatorMargin={6}>
            <Anchor component={Link} to="/deductions?queue=all" size="sm">
              Deductions
            </Anchor>
            <Anchor component={Link} to={`/deductions?queue=${d.queue}`} size="sm">
              {queueLabels[d.queue]}
            </Anchor>
            <Text size="sm" c="dimmed">
              {d.deduction_id}
            </Text>
          </Breadcrumbs>
        }
        title={
          <Group gap="sm">
            <span>
              {d.deduction_id} · {formatMoney(d.amount, d.currency)}
            </span>
            <Badge variant="light" color={statusColors[d.status]} size="lg" data-testid="deduction-status">
              {statusLabels[d.status]}
            </Badge>
            {d.sla_state && (
              <Badge variant="light" color={slaColors[d.sla_state]} size="lg">
                {slaLabels[d.sla_state]} · {daysLeftWords(d.sla_days_left)}
              </Badge>
            )}
          </Group>
        }
        description={
          <>
            <Anchor
              component={Link}
              to={`/accounts/${encodeURIComponent(detail.account.account_id)}`}
              size="sm"
            >
              {detail.account.name}
            </Anchor>{' '}
            ({detail.account.account_id}) · taken {formatDate(d.deduction_date)} · reason{' '}
            {d.reason_code ?? '—'} · {categoryLabels[d.category]} → {queueLabels[d.queue]} queue
          </>
        }
      />
      <Group mb="md" data-testid="deduction-actions-bar">
        <DeductionActions detail={detail} picked={picked} />
      </Group>
      <Grid gap="lg" data-testid="deduction-page">
        <Grid.Col span={{ base: 12, lg: 8 }}>
          <Stack gap="lg">
            <Finding detail={detail} />
            <ClaimsEvidence
              detail={detail}
              picked={picked}
              {...(d.status === 'open' ? { onPick: pick, onTakeSuggestion: setPicked } : {})}
            />
            <InvoiceEvidence detail={detail} />
            <PaymentEvidence detail={detail} />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 4 }}>
          <Stack gap="lg">
            <Facts detail={detail} />
            <DocumentsEvidence detail={detail} />
            <DeductionTimeline entries={detail.timeline} />
          </Stack>
        </Grid.Col>
      </Grid>
      <Divider my="xl" label="File documents with the deduction" labelPosition="left" />
      <DocumentsPanel entityType="deduction" entityId={d.deduction_id} />
    </>
  );
}

function Finding({ detail }: { detail: DeductionDetail }) {
  const d = detail.deduction;
  if (!d.validation) {
    return (
      <Alert color="gray" title="Not yet validated" data-testid="deduction-finding">
        Validation checks rebate and special-bid deductions against the customer’s claims.
      </Alert>
    );
  }
  return (
    <Alert
      color={validationColors[d.validation]}
      title={`${validationLabels[d.validation]}${d.finding ? ` · ${d.finding}` : ''}`}
      data-testid="deduction-finding"
    >
      <Stack gap={4}>
        {d.finding_words && <Text size="sm">{d.finding_words}</Text>}
        {d.finding_detail && (
          <Text size="sm" c="dimmed">
            {d.finding_detail}
          </Text>
        )}
        {(d.valid_amount !== '0.00' || d.invalid_amount !== '0.00') && (
          <Text size="sm">
            Valid {formatMoney(d.valid_amount, d.currency)} · invalid{' '}
            {formatMoney(d.invalid_amount, d.currency)}
          </Text>
        )}
        {d.validation === 'unmatched' && (
          <Text size="sm">
            The deduction names no claim, and no single approved claim or set of two or three adds up to it
            exactly.{' '}
            {detail.suggestions.length > 0
              ? 'The closest claims are suggested below (the first is picked): check them and clear, or deny it.'
              : 'Pick claims by hand or deny it.'}
          </Text>
        )}
        {d.validation === 'not_applicable' && (
          <Text size="sm">
            Not a rebate or special-bid deduction: the {queueLabels[d.queue]} team decides it.
          </Text>
        )}
      </Stack>
    </Alert>
  );
}

function Facts({ detail }: { detail: DeductionDetail }) {
  const d = detail.deduction;
  const rows: [string, React.ReactNode][] = [
    ['Open', formatMoney(d.open_amount, d.currency)],
    ['Reference', d.reference ?? '—'],
    ['Payment', d.payment_ref ?? '—'],
    [
      'SLA due',
      d.sla_due_date
        ? `${formatDate(d.sla_due_date)}${d.sla_state ? ` (${daysLeftWords(d.sla_days_left)})` : ''}`
        : '—',
    ],
    ['Assignee', d.assignee ?? 'nobody'],
    ['Source', d.source === 'cash' ? 'short pay (cash application)' : 'deductions.csv'],
  ];
  if (d.denied_on)
    rows.push(['Denied', `${formatDate(d.denied_on)}${d.denied_by ? ` by ${d.denied_by}` : ''}`]);
  if (d.payback_due_date) {
    rows.push([
      'Payback due',
      <Text
        key="p"
        size="sm"
        c={d.payback_overdue ? 'red' : undefined}
        fw={d.payback_overdue ? 600 : undefined}
      >
        {formatDate(d.payback_due_date)}
        {d.payback_overdue ? ' — overdue' : ''}
      </Text>,
    ]);
  }
  if (d.escalated_on) rows.push(['Escalated', formatDate(d.escalated_on)]);
  if (d.resolved_on) rows.push(['Resolved', formatDate(d.resolved_on)]);
  if (d.resolution_note) rows.push(['Resolution', d.resolution_note]);
  return (
    <Card data-testid="deduction-facts">
      <Title order={4} fw={600} mb="xs">
        The deduction
      </Title>
      <Table fz="sm" withRowBorders={false} verticalSpacing={4}>
        <Table.Tbody>
          {rows.map(([k, v]) => (
            <Table.Tr key={k}>
              <Table.Td c="dimmed" w={110}>
                {k}
              </Table.Td>
              <Table.Td>{v}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Card>
  );
}
