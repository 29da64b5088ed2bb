import {
  Alert,
  Anchor,
  Badge,
  Box,
  Breadcrumbs,
  Button,
  Group,
  List,
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
import { IconCalendarEvent, IconCircleMinus, IconCirclePlus, IconSend } from '@tabler/icons-react';
import type { ColDef } from 'ag-grid-community';
import { type ReactNode, useEffect, useMemo, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { claimPath } from '../features/claims/claim';
import {
  batchPath,
  isDate,
  label,
  methodLabels,
  type PaymentProposal,
  type ProposalLine,
  type ProposalPartnerTotal,
  proposalPath,
  proposalStatusLabels,
} from '../features/settlement/settlement';
import { slaPriorityColumn } from '../features/settlement/sla-priority-column';
import {
  paymentDateQuery,
  proposalQuery,
  proposalsQuery,
  useBuildProposal,
  usePaymentDate,
  useProposal,
  useProposalExclusion,
  useProposals,
  useSubmitProposal,
} from '../features/settlement/use-settlement';
import { DataGrid, widgetCell } from '../ui/data-grid';
import { DateInput } from '../ui/date-input';
import { formatDate, formatTimestamp } from '../ui/dates';
import { amountColumn } from '../ui/grid-columns';
import { gridViewsQuery } from '../ui/grid-views';
import { formatAmount, formatMoney } from '../ui/money';
import { PageHeader } from '../ui/page-header';
import { startQuery } from '../ui/query-client';
import { LoadError, Loading } from '../ui/states';

/**
 * What the page shows first: the proposal `?proposal=` opens with its grid's saved views; else the payment date
 * proposed and the recent proposals (the page checks that date once the server has proposed it).
 */
export function prefetch(url: URL): void {
  const proposalId = url.searchParams.get('proposal') ?? '';
  if (proposalId) {
    startQuery(proposalQuery(proposalId));
    startQuery(gridViewsQuery('proposal-grid'));
    return;
  }
  startQuery(paymentDateQuery(''));
  startQuery(proposalsQuery);
}

/**
 * The payment proposal: the approved claims a settlement run would pay on a payment date, by method and
 * partner with totals; claims excluded with a reason (or taken back); submitted with a confirmation, which
 * pays exactly the claims still included. `?proposal=` opens one.
 */
export default function PaymentProposalPage() {
  const [search] = useSearchParams();
  const proposalId = search.get('proposal') ?? '';
  const above = (
    <Breadcrumbs>
      <Anchor component={Link} to="/payment-batches" size="sm">
        Payment batches
      </Anchor>
      <Text size="sm">{proposalId || 'Payment proposal'}</Text>
    </Breadcrumbs>
  );
  return proposalId ? <Proposal proposalId={proposalId} above={above} /> : <NewProposal above={above} />;
}

/** Pick a payment date (the next business day is proposed) and build; the recent proposals below. */
function NewProposal({ above }: { above: ReactNode }) {
  const navigate = useNavigate();
  const suggested = usePaymentDate('');
  const [date, setDate] = useState('');
  useEffect(() => {
    if (!date && suggested.data) setDate(suggested.data.next_business_day);
  }, [date, suggested.data]);
  const check = usePaymentDate(isDate(date) ? date : '');
  const build = useBuildProposal();
  const proposals = useProposals();
  const problem = isDate(date) && check.data?.date === date ? check.data.problem : null;
  return (
    <>
      <PageHeader
        above={above}
        title="Payment proposal"
        description="See what a settlement run would pay on a payment date before anything is paid: the approved claims by method and partner, what blocks some of them, and which batches will wait for an approver's release. Exclude what should not go now, then submit."
      />
      <Stack gap="md" maw={960}>
        <Paper withBorder p="md">
          <Group align="flex-end">
            <DateInput
              label="Payment date"
              description="A business day: the credit memo date and the ACH effective date"
              value={date}
              onChange={(e) => setDate(e.currentTarget.value)}
              leftSection={<IconCalendarEvent size={16} />}
              data-testid="proposal-date"
              error={problem}
            />
            <Button
              onClick={() => build.mutate(date, { onSuccess: (p) => navigate(proposalPath(p.proposal_id)) })}
              loading={build.isPending}
              disabled={!isDate(date) || problem !== null}
              data-testid="proposal-build"
            >
              Build proposal
            </Button>
            {problem && check.data && (
              <Button variant="light" onClick={() => setDate(check.data.next_business_day)}>
                Use {formatDate(check.data.next_business_day)}
              </Button>
            )}
          </Group>
          {build.isError && (
            <Alert color="red" variant="light" mt="sm">
              {(build.error as Error).message}
            </Alert>
          )}
        </Paper>
        <Paper withBorder p="md">
          <Title order={4} mb="sm">
            Recent proposals
          </Title>
          {proposals.isPending ? (
            <Loading label="Loading proposals…" />
          ) : proposals.isError ? (
            <LoadError error={proposals.error} retry={() => void proposals.refetch()} what="the proposals" />
          ) : proposals.data.items.length === 0 ? (
            <Text c="dimmed" size="sm">
              No proposal yet.
            </Text>
          ) : (
            <Table verticalSpacing="xs" highlightOnHover data-testid="proposal-list">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Proposal</Table.Th>
                  <Table.Th>Payment date</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th ta="right">Claims</Table.Th>
                  <Table.Th ta="right">Excluded</Table.Th>
                  <Table.Th>Built</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {proposals.data.items.map((p) => (
                  <Table.Tr
                    key={p.proposal_id}
                    style={{ cursor: 'pointer' }}
                    onClick={() => navigate(proposalPath(p.proposal_id))}
                  >
                    <Table.Td>{p.proposal_id}</Table.Td>
                    <Table.Td>{formatDate(p.as_of)}</Table.Td>
                    <Table.Td>
                      <ProposalStatusBadge status={p.status} />
                    </Table.Td>
                    <Table.Td ta="right">{p.claims}</Table.Td>
                    <Table.Td ta="right">{p.excluded}</Table.Td>
                    <Table.Td>
                      {formatTimestamp(p.created_at)}
                      {p.created_by ? ` by ${p.created_by}` : ''}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Paper>
      </Stack>
    </>
  );
}

function ProposalStatusBadge({ status }: { status: string }) {
  const color = status === 'open' ? 'blue' : status === 'submitted' ? 'green' : 'gray';
  return (
    <Badge variant="light" color={color}>
      {label(proposalStatusLabels, status)}
    </Badge>
  );
}

/** The server's totals per currency, as "1,234.00 USD · 10.00 EUR". */
function totals(per: { currency: string; amount: string }[]): string {
  return per.length === 0 ? '—' : per.map((t) => formatMoney(t.amount, t.currency)).join(' · ');
}

const payable = (l: ProposalLine) => !l.excluded && !l.blocker;

function Proposal({ proposalId, above }: { proposalId: string; above: ReactNode }) {
  const proposal = useProposal(proposalId);
  const exclusion = useProposalExclusion(proposalId);
  const submit = useSubmitProposal(proposalId);
  // The claim being excluded stays set while its dialog closes, so the dialog does not go blank.
  const [excluding, setExcluding] = useState<ProposalLine | null>(null);
  const [excludeOpen, setExcludeOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [confirming, setConfirming] = useState(false);
  const open = proposal.data?.status === 'open';

  const columns = useMemo<ColDef<ProposalLine>[]>(
    () => [
      {
        field: 'method',
        headerName: 'Method',
        minWidth: 110,
        valueFormatter: (p) => label(methodLabels, p.value),
      },
      {
        colId: 'partner',
        headerName: 'Partner',
        minWidth: 160,
        flex: 1,
        valueGetter: (p) => p.data?.partner_name ?? p.data?.account_id ?? '',
      },
      { field: 'account_id', headerName: 'Account', minWidth: 100 },
      {
        field: 'claim_id',
        headerName: 'Claim',
        minWidth: 100,
        cellClass: widgetCell,
        cellRenderer: (p: { value: string; data?: ProposalLine }) => (
          <Anchor component={Link} to={claimPath(p.value, p.data?.account_id)} size="sm">
            {p.value}
          </Anchor>
        ),
      },
      amountColumn<ProposalLine>('amount', 'Amount', 110),
      { field: 'currency', headerName: 'Currency', minWidth: 95 },
      slaPriorityColumn<ProposalLine>(95),
      {
        colId: 'state',
        headerName: 'In this run',
        minWidth: 220,
        flex: 2,
        cellClass: widgetCell,
        valueGetter: (p) =>
          p.data?.excluded
            ? `Excluded: ${p.data.exclusion_reason ?? ''}`
            : p.data?.blocker
              ? `Cannot be paid: ${p.data.blocker}`
              : 'Paid',
        cellRenderer: (p: { value: string; data?: ProposalLine }) =>
          p.data?.excluded ? (
            <Text size="sm" c="dimmed" truncate title={p.value}>
              <Badge color="gray" variant="light" mr={6}>
                Excluded
              </Badge>
              {p.data.exclusion_reason}
            </Text>
          ) : p.data?.blocker ? (
            <Text size="sm" c="orange.8" truncate title={p.data.blocker}>
              <Badge color="orange" variant="light" mr={6}>
                Blocked
              </Badge>
              {p.data.blocker}
            </Text>
          ) : (
            <Badge color="green" variant="light">
              Included
            </Badge>
          ),
      },
      {
        colId: 'action',
        headerName: '',
        minWidth: 105,
        maxWidth: 115,
        sortable: false,
        hide: !open,
        cellClass: widgetCell,
        cellRenderer: (p: { data?: ProposalLine }) => {
          const line = p.data;
          if (!line || !open) return null;
          return line.excluded ? (
            <Button
              size="compact-xs"
              variant="subtle"
              leftSection={<IconCirclePlus size={14} />}
              onClick={() =>
                exclusion.mutate({ claims: [{ account_id: line.account_id, claim_id: line.claim_id }] })
              }
              data-testid={`include-${line.claim_id}`}
            >
              Include
            </Button>
          ) : (
            <Button
              size="compact-xs"
              variant="subtle"
              color="red"
              leftSection={<IconCircleMinus size={14} />}
              onClick={() => {
                setReason('');
                setExcluding(line);
                setExcludeOpen(true);
              }}
              data-testid={`exclude-${line.claim_id}`}
            >
              Exclude
            </Button>
          );
        },
      },
    ],
    [open, exclusion.mutate],
  );

  if (proposal.isPending) return <Loading label="Loading the payment proposal…" />;
  if (proposal.isError)
    return (
      <>
        <PageHeader title={proposalId} above={above} />
        <LoadError error={proposal.error} retry={() => void proposal.refetch()} what="the payment proposal" />
      </>
    );
  const p = proposal.data;
  const toPay = p.lines.filter(payable);
  const held = p.batches.filter((b) => b.release_required);
  const doExclude = () =>
    excluding &&
    exclusion.mutate(
      { claims: [{ account_id: excluding.account_id, claim_id: excluding.claim_id }], reason },
      { onSuccess: () => setExcludeOpen(false) },
    );
  const doSubmit = () =>
    submit.mutate(undefined, {
      onSuccess: (r) => {
        setConfirming(false);
        notifications.show({
          message: `Proposal ${r.proposal_id} submitted: ${r.result?.paid.length ?? 0} claim(s) in ${r.result?.batches.length ?? 0} batch(es).`,
        });
      },
    });

  return (
    <Box data-testid="proposal-detail">
      <PageHeader
        above={above}
        title={
          <Group gap="sm">
            Payment proposal {p.proposal_id}
            <ProposalStatusBadge status={p.status} />
          </Group>
        }
        description={`Pays on ${formatDate(p.as_of)}. Built ${formatTimestamp(p.created_at)}${p.created_by ? ` by ${p.created_by}` : ''}; batches above ${formatAmount(p.release_limit)} wait for an approver's release.`}
        actions={
          open && (
            <Button
              leftSection={<IconSend size={16} />}
              onClick={() => setConfirming(true)}
              disabled={toPay.length === 0}
              data-testid="proposal-submit"
            >
              Submit for payment
            </Button>
          )
        }
      />
      <Stack gap="md">
        {p.status === 'expired' && (
          <Alert color="gray" variant="light" title="Expired">
            Its payment date has passed; nothing was paid. Build a new proposal.
          </Alert>
        )}
        {exclusion.isError && (
          <Alert color="red" variant="light">
            {(exclusion.error as Error).message}
          </Alert>
        )}
        {p.result && <SubmitResult proposal={p} />}
        <SimpleGrid cols={{ base: 2, md: 4 }}>
          <Fact name="To pay" value={totals(p.totals)} testId="proposal-total" />
          <Fact name="Claims paid" value={String(toPay.length)} testId="proposal-count" />
          <Fact name="Excluded" value={String(p.excluded)} />
          <Fact name="Cannot be paid" value={String(p.blocked)} />
        </SimpleGrid>
        <SimpleGrid cols={{ base: 1, lg: 2 }}>
          <Paper withBorder p="md" data-testid="proposal-batches">
            <Title order={4} mb="sm">
              Batches it makes
            </Title>
            {p.batches.length === 0 ? (
              <Text c="dimmed" size="sm">
                Nothing to pay.
              </Text>
            ) : (
              <Table verticalSpacing="xs">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Method</Table.Th>
                    <Table.Th ta="right">Claims</Table.Th>
                    <Table.Th ta="right">Total</Table.Th>
                    <Table.Th>Release</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {p.batches.map((b) => (
                    <Table.Tr key={`${b.method}|${b.currency}|${b.sla_priority}`}>
                      <Table.Td>
                        {label(methodLabels, b.method)}
                        {b.sla_priority && (
                          <Badge color="red" variant="light" ml={6}>
                            SLA priority
                          </Badge>
                        )}
                      </Table.Td>
                      <Table.Td ta="right">{b.claims}</Table.Td>
                      <Table.Td ta="right">{formatMoney(b.amount, b.currency)}</Table.Td>
                      <Table.Td>
                        {b.release_required ? (
                          <Badge color="yellow" variant="light">
                            Waits for release
                          </Badge>
                        ) : (
                          <Text size="sm" c="dimmed">
                            {b.method === 'credit_memo' ? 'Posted at once' : 'Released at once'}
                          </Text>
                        )}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </Paper>
          <PartnerTotals rows={p.partners} />
        </SimpleGrid>
        <DataGrid
          testId="proposal-grid"
          rows={p.lines}
          columns={columns}
          rowId={(l) => `${l.account_id}:${l.claim_id}`}
          height={p.lines.length > 15 ? 560 : 'auto'}
          empty={
            <Paper withBorder p="md">
              <Text c="dimmed" size="sm">
                No approved claim is waiting for payment.
              </Text>
            </Paper>
          }
        />
      </Stack>

      <Modal
        opened={excludeOpen}
        onClose={() => setExcludeOpen(false)}
        title={`Exclude claim ${excluding?.claim_id ?? ''}`}
      >
        <Stack>
          <Text size="sm">
            {excluding?.partner_name ?? excluding?.account_id}:{' '}
            {formatMoney(excluding?.amount, excluding?.currency)} by {label(methodLabels, excluding?.method)}.
            It stays approved and a later run pays it.
          </Text>
          <Textarea
            label="Reason"
            description="Why it is not paid now. Kept with the proposal and in the audit trail."
            required
            autosize
            minRows={2}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            data-testid="exclude-reason"
          />
          <Group justify="flex-end">
            <Button variant="subtle" onClick={() => setExcludeOpen(false)}>
              Cancel
            </Button>
            <Button
              color="red"
              onClick={doExclude}
              disabled={!reason.trim()}
              loading={exclusion.isPending}
              data-testid="exclude-confirm"
            >
              Exclude
            </Button>
          </Group>
        </Stack>
      </Modal>

      <Modal opened={confirming} onClose={() => setConfirming(false)} title="Submit for payment" size="lg">
        <Stack data-testid="submit-confirmation">
          <Text size="sm">
            Pay <b>{toPay.length}</b> claim(s), <b>{totals(p.totals)}</b>, on <b>{formatDate(p.as_of)}</b>.
            {p.excluded > 0 && ` ${p.excluded} excluded claim(s) stay approved for a later run.`}
          </Text>
          {held.length > 0 && (
            <Alert color="yellow" variant="light">
              {held.length} batch(es) above {formatAmount(p.release_limit)} will wait for an approver's
              release:{' '}
              {held
                .map((b) => `${label(methodLabels, b.method)} ${formatMoney(b.amount, b.currency)}`)
                .join(', ')}
              . Their files can be downloaded once released.
            </Alert>
          )}
          {submit.isError && (
            <Alert color="red" variant="light">
              {(submit.error as Error).message}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="subtle" onClick={() => setConfirming(false)}>
              Cancel
            </Button>
            <Button onClick={doSubmit} loading={submit.isPending} data-testid="submit-confirm">
              Submit
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Box>
  );
}

/** What will be paid per method and partner, with totals. */
function PartnerTotals({ rows }: { rows: ProposalPartnerTotal[] }) {
  return (
    <Paper withBorder p="md" data-testid="proposal-partners">
      <Title order={4} mb="sm">
        By method and partner
      </Title>
      {rows.length === 0 ? (
        <Text c="dimmed" size="sm">
          Nothing to pay.
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={320} mah={260} type="native">
          <Table verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Method</Table.Th>
                <Table.Th>Partner</Table.Th>
                <Table.Th ta="right">Claims</Table.Th>
                <Table.Th ta="right">Amount</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((r) => (
                <Table.Tr key={`${r.method}|${r.account_id}|${r.currency}`}>
                  <Table.Td>{label(methodLabels, r.method)}</Table.Td>
                  <Table.Td>
                    {r.partner_name ?? r.account_id}
                    <Text span size="xs" c="dimmed" ml={6}>
                      {r.account_id}
                    </Text>
                  </Table.Td>
                  <Table.Td ta="right">{r.claims}</Table.Td>
                  <Table.Td ta="right">{formatMoney(r.amount, r.currency)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Paper>
  );
}

/** After the submit: the batches made (links) and the claims not paid, with why. */
function SubmitResult({ proposal }: { proposal: PaymentProposal }) {
  const r = proposal.result!;
  return (
    <Alert
      color="green"
      variant="light"
      title={`Submitted ${proposal.submitted_at ? formatTimestamp(proposal.submitted_at) : ''}${proposal.submitted_by ? ` by ${proposal.submitted_by}` : ''}`}
      data-testid="proposal-result"
    >
      <Stack gap={6}>
        <Text size="sm">
          {r.paid.length} claim(s) in {r.batches.length} batch(es)
          {r.excluded > 0 ? `; ${r.excluded} excluded` : ''}.
        </Text>
        <Group gap="xs">
          {r.batches.map((b) => (
            <Button
              key={b.batch_id}
              component={Link}
              to={batchPath(b.batch_id)}
              size="xs"
              variant="default"
              data-testid={`result-batch-${b.batch_id}`}
            >
              {b.batch_id} · {label(methodLabels, b.method)} {formatMoney(b.total_amount, b.currency)}
              {b.status === 'draft' ? ' · waits for release' : ''}
            </Button>
          ))}
        </Group>
        {r.not_paid.length > 0 && (
          <>
            <Text size="sm" fw={500}>
              Not paid:
            </Text>
            <List size="sm" data-testid="proposal-not-paid">
              {r.not_paid.map((n) => (
                <List.Item key={`${n.account_id}:${n.claim_id}`}>
                  {n.claim_id} ({n.account_id}): {n.reason}
                </List.Item>
              ))}
            </List>
          </>
        )}
      </Stack>
    </Alert>
  );
}

function Fact({ name, value, testId }: { name: string; value: string; testId?: string }) {
  return (
    <Paper withBorder p="sm" data-testid={testId}>
      <Text size="xs" c="dimmed">
        {name}
      </Text>
      <Text fw={500}>{value}</Text>
    </Paper>
  );
}
