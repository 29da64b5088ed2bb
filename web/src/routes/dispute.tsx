import {
  Alert,
  Anchor,
  Badge,
  Breadcrumbs,
  Button,
  Card,
  DataList,
  Divider,
  Grid,
  Group,
  NativeSelect,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Timeline,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import {
  IconArrowsExchange,
  IconCheck,
  IconReceiptRefund,
  IconScale,
  IconUserCheck,
  IconX,
} from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { adjustmentPath, kindLabels, statusColors } from '../features/adjustments/adjustments';
import { SlaBadge, StateBadge } from '../features/disputes/dispute-badges';
import {
  categoryLabels,
  type DisputeDetail,
  type DisputeTeam,
  teamLabels,
  teams,
} from '../features/disputes/disputes';
import { ProposeAdjustmentModal } from '../features/disputes/propose-adjustment-modal';
import { useDispute, useDisputeAction } from '../features/disputes/use-disputes';
import { useUser } from '../features/identity/session';
import { hasAnyRole } from '../features/identity/user';
import { DocumentsPanel } from '../features/platform/documents/documents-panel';
import { useDocuments } from '../features/platform/documents/use-documents';
import { receivablesReaders } from '../features/receivables/receivables';
import { ApiError, formMessage } from '../ui/api';
import { formatDate, formatTimestamp } from '../ui/dates';
import { formatMoney } from '../ui/money';
import { PageHeader } from '../ui/page-header';
import { Empty, LoadError, Loading } from '../ui/states';

type Facts = [string, React.ReactNode][];

function FactList({ facts, testId }: { facts: Facts; testId?: string }) {
  return (
    <DataList labelWidth={150} withDivider data-testid={testId}>
      {facts.map(([label, value]) => (
        <DataList.Item key={label}>
          <DataList.ItemLabel>{label}</DataList.ItemLabel>
          <DataList.ItemValue>{value}</DataList.ItemValue>
        </DataList.Item>
      ))}
    </DataList>
  );
}

/** Assign, route, settle, reject or withdraw: what the signed-in user may do with the dispute now. */
function WorkCard({ dispute }: { dispute: DisputeDetail }) {
  const user = useUser();
  const action = useDisputeAction(dispute.dispute_id);
  const [assignee, setAssignee] = useState('');
  const [team, setTeam] = useState<DisputeTeam | ''>('');
  const [note, setNote] = useState('');
  const [reason, setReason] = useState('');
  const [proposing, setProposing] = useState(false);
  const { may } = dispute;
  const done = (title: string) => (d: DisputeDetail) =>
    notifications.show({
      color: 'teal',
      title,
      message: `${d.dispute_id} is ${d.state.replaceAll('_', ' ')}.`,
    });
  const run = (name: string, body: object, title: string, after?: () => void) =>
    action.mutate(
      { action: name, body },
      {
        onSuccess: (d) => {
          done(title)(d);
          after?.();
        },
      },
    );
  const message = formMessage(action.error, []);
  const canTake =
    may.assign &&
    dispute.assignee !== user.email &&
    hasAnyRole(user, [dispute.team, 'manager', 'administrator']);
  const nothing = !may.assign && !may.route && !may.propose && !may.reject && !may.withdraw;

  return (
    <Card data-testid="dispute-work">
      <Stack gap="sm">
        <Title order={4} fw={600}>
          Work it
        </Title>
        {dispute.awaiting_approval && dispute.adjustment && (
          <Alert color="yellow" variant="light" data-testid="awaiting-approval">
            {kindLabels[dispute.adjustment.kind]}{' '}
            <Anchor component={Link} to={adjustmentPath(dispute.adjustment.adjustment_id)} size="sm">
              {dispute.adjustment.adjustment_id}
            </Anchor>{' '}
            waits for approval. Approved, it resolves the dispute; refused, the dispute comes back here.
          </Alert>
        )}
        {nothing && (
          <Text size="sm" c="dimmed">
            {dispute.state === 'open' || dispute.state === 'in_review'
              ? `The ${teamLabels[dispute.team]} team works it.`
              : 'It is closed.'}
          </Text>
        )}
        {may.assign && (
          <Stack gap={6}>
            <Group gap="xs" align="flex-end">
              <TextInput
                label="Assign to"
                placeholder="name@company.com"
                value={assignee}
                onChange={(e) => setAssignee(e.currentTarget.value)}
                style={{ flex: 1 }}
                data-testid="assign-email"
              />
              <Button
                variant="light"
                disabled={!assignee.trim()}
                onClick={() =>
                  run('assign', { assignee: assignee.trim() }, 'Assigned', () => setAssignee(''))
                }
              >
                Assign
              </Button>
            </Group>
            <Group gap="xs">
              {canTake && (
                <Button
                  size="xs"
                  variant="light"
                  leftSection={<IconUserCheck size={14} />}
                  onClick={() => run('assign', { assignee: user.email }, 'It is yours')}
                  data-testid="take-dispute"
                >
                  Take it
                </Button>
              )}
              {dispute.assignee && (
                <Button
                  size="xs"
                  variant="subtle"
                  onClick={() => run('assign', { assignee: null }, 'Back in the queue')}
                >
                  Back to the team’s queue
                </Button>
              )}
            </Group>
          </Stack>
        )}
        {may.route && (
          <>
            <Divider />
            <Group gap="xs" align="flex-end">
              <NativeSelect
                label="Route to another team"
                value={team}
                onChange={(e) => setTeam(e.currentTarget.value as DisputeTeam | '')}
                data={[
                  { value: '', label: 'Choose a team' },
                  ...teams.filter((t) => t !== dispute.team).map((t) => ({ value: t, label: teamLabels[t] })),
                ]}
                style={{ flex: 1 }}
                data-testid="route-team"
              />
              <Button
                variant="light"
                leftSection={<IconArrowsExchange size={16} />}
                disabled={!team}
                onClick={() =>
                  run(
                    'assign',
                    { team, ...(note.trim() ? { note: note.trim() } : {}) },
                    `Routed to ${teamLabels[team as DisputeTeam]}`,
                    () => {
                      setTeam('');
                      setNote('');
                    },
                  )
                }
                data-testid="route-submit"
              >
                Route
              </Button>
            </Group>
            {team && (
              <TextInput
                label="Why (optional)"
                value={note}
                onChange={(e) => setNote(e.currentTarget.value)}
              />
            )}
          </>
        )}
        {may.propose && (
          <>
            <Divider />
            <Button
              leftSection={<IconReceiptRefund size={16} />}
              onClick={() => setProposing(true)}
              data-testid="propose-adjustment"
            >
              Propose billing adjustment
            </Button>
          </>
        )}
        {(may.reject || may.withdraw) && (
          <>
            <Divider />
            <Textarea
              label="Reason"
              description="Rejected: the invoice is right and stays owed. Withdrawn: the customer dropped it."
              autosize
              minRows={2}
              value={reason}
              onChange={(e) => setReason(e.currentTarget.value)}
              data-testid="close-reason"
            />
            <Group>
              {may.reject && (
                <Button
                  color="red"
                  variant="light"
                  leftSection={<IconX size={16} />}
                  disabled={!reason.trim()}
                  onClick={() => run('reject', { reason: reason.trim() }, 'Rejected', () => setReason(''))}
                  data-testid="reject-dispute"
                >
                  Reject
                </Button>
              )}
              {may.withdraw && (
                <Button
                  variant="default"
                  disabled={!reason.trim()}
                  onClick={() => run('withdraw', { reason: reason.trim() }, 'Withdrawn', () => setReason(''))}
                  data-testid="withdraw-dispute"
                >
                  Withdraw
                </Button>
              )}
            </Group>
          </>
        )}
        {message && (
          <Alert color="red" variant="light" data-testid="work-error">
            {message}
          </Alert>
        )}
      </Stack>
      {proposing && <ProposeAdjustmentModal dispute={dispute} onClose={() => setProposing(false)} />}
    </Card>
  );
}

function TimelineCard({ dispute }: { dispute: DisputeDetail }) {
  const action = useDisputeAction(dispute.dispute_id);
  const [body, setBody] = useState('');
  return (
    <Card data-testid="dispute-timeline">
      <Stack gap="sm">
        <Title order={4} fw={600}>
          Timeline
        </Title>
        <Timeline bulletSize={14} lineWidth={2} active={dispute.timeline.length}>
          {dispute.timeline.map((e) => (
            <Timeline.Item key={e.event_id} title={e.text}>
              {e.note && (
                <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                  {e.note}
                </Text>
              )}
              <Text size="xs" c="dimmed">
                {e.actor_name}, {formatTimestamp(e.occurred_at)}
              </Text>
            </Timeline.Item>
          ))}
        </Timeline>
        {dispute.may.comment && (
          <Stack gap={6}>
            <Textarea
              placeholder="Add a comment: what you found, who you spoke to"
              autosize
              minRows={2}
              value={body}
              onChange={(e) => setBody(e.currentTarget.value)}
              data-testid="dispute-comment"
            />
            <Group justify="flex-end">
              <Button
                size="xs"
                variant="light"
                disabled={!body.trim()}
                loading={action.isPending}
                onClick={() =>
                  action.mutate(
                    { action: 'comments', body: { body: body.trim() } },
                    { onSuccess: () => setBody('') },
                  )
                }
                data-testid="dispute-comment-submit"
              >
                Comment
              </Button>
            </Group>
          </Stack>
        )}
      </Stack>
    </Card>
  );
}

function AdjustmentCard({ dispute }: { dispute: DisputeDetail }) {
  const a = dispute.adjustment;
  if (!a) return null;
  const money = (v: string) => formatMoney(v, a.currency);
  const approvals = a.decisions.filter((d) => d.decision === 'approve').length;
  return (
    <Card data-testid="dispute-adjustment">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={4} fw={600}>
            Billing adjustment
          </Title>
          <Badge color={statusColors[a.status]} variant="light" data-testid="dispute-adjustment-status">
            {a.status}
          </Badge>
        </Group>
        <FactList
          facts={[
            [
              'Request',
              <Anchor key="a" component={Link} to={adjustmentPath(a.adjustment_id)} size="sm">
                {kindLabels[a.kind]} {a.adjustment_id}
              </Anchor>,
            ],
            ['Amount', money(a.amount)],
            ...(a.corrected_amount ? ([['Corrected invoice', money(a.corrected_amount)]] as Facts) : []),
            ['Reason', `${a.reason_code} — ${a.reason_description}`],
            ['Proposed by', `${a.requested_by_name}, ${formatTimestamp(a.requested_at)}`],
            ['Approvals', `${approvals} of ${a.approvals_needed}`],
            ['Posted', a.posted_on ? formatDate(a.posted_on) : '—'],
          ]}
        />
        {a.decisions.map((d) => (
          <Text key={d.user_id} size="sm">
            {d.decision === 'approve' ? 'Approved' : 'Refused'} by {d.user_name},{' '}
            {formatTimestamp(d.decided_at)}
            {d.comment ? ` — ${d.comment}` : ''}
          </Text>
        ))}
        {a.postings.length > 0 && (
          <Table withTableBorder fz="sm">
            <Table.Tbody>
              {a.postings.map((p) => (
                <Table.Tr key={p.posting_id}>
                  <Table.Td>{p.part.replace('_', ' ')}</Table.Td>
                  <Table.Td>{p.created_document_id ?? p.document_id}</Table.Td>
                  <Table.Td>{formatDate(p.entry_date)}</Table.Td>
                  <Table.Td ta="right">{money(p.amount)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        {a.status === 'pending' && a.cannot_decide === null && (
          <Button
            component={Link}
            to={adjustmentPath(a.adjustment_id)}
            leftSection={<IconCheck size={16} />}
            variant="light"
          >
            Approve or refuse it
          </Button>
        )}
      </Stack>
    </Card>
  );
}

/** One dispute: the invoice and amounts, the SLA, what it ended in, its documents and timeline; work it. */
export default function DisputePage() {
  const { disputeId = '' } = useParams();
  const user = useUser();
  const dispute = useDispute(disputeId);
  const documents = useDocuments('dispute', disputeId);
  const { refetch } = dispute;
  // A document filed from the documents panel shows in the timeline too.
  useEffect(() => {
    if (documents.dataUpdatedAt) void refetch();
  }, [documents.dataUpdatedAt, refetch]);

  if (dispute.isPending) return <Loading label="Loading the dispute…" />;
  if (dispute.isError) {
    if (dispute.error instanceof ApiError && dispute.error.status === 404)
      return (
        <Empty
          icon={<IconScale size={22} />}
          title="No such dispute"
          description={`There is no dispute ${disputeId} that you can see.`}
        />
      );
    return <LoadError error={dispute.error} retry={() => void dispute.refetch()} what="the dispute" />;
  }
  const d = dispute.data;
  const money = (v: string) => formatMoney(v, d.currency);
  const active = d.state === 'open' || d.state === 'in_review';
  const invoiceLink = hasAnyRole(user, receivablesReaders) ? (
    <Anchor component={Link} to={`/aging/items/${encodeURIComponent(d.document_id)}`} size="sm">
      {d.document_id}
    </Anchor>
  ) : (
    d.document_id
  );
  const facts: Facts = [
    ['Account', `${d.account_id}${d.account_name ? ` · ${d.account_name}` : ''}`],
    ['Invoice', invoiceLink],
    ['Category', categoryLabels[d.category]],
    ['Disputed', money(d.amount)],
    ['Customer’s reference', d.customer_reference ?? '—'],
    ['Team', teamLabels[d.team]],
    ['Assignee', d.assignee ?? 'nobody yet (the team’s queue)'],
    ['Opened', `${formatDate(d.opened_on)} by ${d.opened_by}`],
    [
      'Due',
      `${formatDate(d.due_date)} (${d.sla_business_days} business days from ${formatDate(d.routed_on)})`,
    ],
    ...(active
      ? []
      : ([['Closed', `${formatDate(d.closed_on)}${d.resolution ? ` — ${d.resolution}` : ''}`]] as Facts)),
  ];
  const doc = d.document;
  return (
    <>
      <PageHeader
        above={
          <Breadcrumbs separatorMargin={6}>
            <Anchor component={Link} to="/disputes" size="sm">
              Disputes
            </Anchor>
            <Anchor component={Link} to={`/accounts/${encodeURIComponent(d.account_id)}`} size="sm">
              {d.account_id}
            </Anchor>
            <Text size="sm" c="dimmed">
              {d.dispute_id}
            </Text>
          </Breadcrumbs>
        }
        title={`Dispute ${d.dispute_id}: ${categoryLabels[d.category].toLowerCase()} on ${d.document_id}`}
        description={d.description}
        actions={
          <Group gap="xs">
            <StateBadge dispute={d} />
            <SlaBadge dispute={d} />
          </Group>
        }
      />
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <Stack gap="lg">
            <Card>
              <FactList facts={facts} testId="dispute-facts" />
            </Card>
            {doc && (
              <Card data-testid="dispute-invoice">
                <Stack gap="sm">
                  <Title order={4} fw={600}>
                    The invoice today
                  </Title>
                  <FactList
                    facts={[
                      ['Document', `${doc.type.replaceAll('_', ' ')} ${doc.document_id}`],
                      ['Date', formatDate(doc.document_date)],
                      [
                        'Due',
                        `${formatDate(doc.due_date)}${doc.days_past_due > 0 ? ` (${doc.days_past_due} days past due)` : ''}`,
                      ],
                      ['Amount', money(doc.amount)],
                      ['Open now', money(doc.open_amount)],
                      ['Reference', doc.reference ?? '—'],
                      ['PO number', doc.po_number ?? '—'],
                    ]}
                  />
                </Stack>
              </Card>
            )}
            <AdjustmentCard dispute={d} />
            <TimelineCard dispute={d} />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <Stack gap="lg">
            <WorkCard dispute={d} />
            <DocumentsPanel entityType="dispute" entityId={d.dispute_id} canUpload={d.may.comment} />
          </Stack>
        </Grid.Col>
      </Grid>
    </>
  );
}
