import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  DataList,
  Grid,
  Group,
  Stack,
  Table,
  Text,
  Textarea,
  Timeline,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconCheck, IconFile, IconX } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { kindLabels, statusColors } from '../features/adjustments/adjustments';
import { useAdjustment, useDecide } from '../features/adjustments/use-adjustments';
import { ApiError } from '../ui/api';
import { formatDate, formatTimestamp } from '../ui/dates';
import { formatMoney } from '../ui/money';
import { PageHeader } from '../ui/page-header';
import { Empty, LoadError, Loading } from '../ui/states';

/**
 * One adjustment as its approver sees it: the document(s) with their amounts and what is open, the
 * applications and history of each, the supporting documents, the approvals so far; approve or refuse it
 * with a comment.
 */
export default function AdjustmentPage() {
  const { adjustmentId = '' } = useParams();
  const adjustment = useAdjustment(adjustmentId);
  const decide = useDecide(adjustmentId);
  const [comment, setComment] = useState('');

  if (adjustment.isPending) return <Loading label="Loading the request…" />;
  if (adjustment.isError) {
    if (adjustment.error instanceof ApiError && adjustment.error.status === 404)
      return (
        <Empty
          icon={<IconFile size={22} />}
          title="No such request"
          description={`There is no adjustment ${adjustmentId}.`}
        />
      );
    return <LoadError error={adjustment.error} retry={() => void adjustment.refetch()} what="the request" />;
  }
  const a = adjustment.data;
  const money = (v: string) => formatMoney(v, a.currency);
  const act = (decision: 'approve' | 'refuse') =>
    decide.mutate(
      { decision, comment: comment.trim() },
      {
        onSuccess: (d) => {
          setComment('');
          notifications.show({
            color: d.status === 'refused' ? 'red' : 'teal',
            title:
              d.status === 'approved'
                ? 'Approved and posted'
                : d.status === 'refused'
                  ? 'Refused'
                  : 'Approval recorded',
            message:
              d.status === 'pending'
                ? 'It waits for a second approver.'
                : `${a.adjustment_id} is ${d.status}.`,
          });
        },
      },
    );
  const facts: [string, string][] = [
    ['Kind', kindLabels[a.kind]],
    ['Amount', money(a.amount)],
    ...(a.corrected_amount ? ([['Corrected invoice', money(a.corrected_amount)]] as [string, string][]) : []),
    ['Reason', `${a.reason_code} — ${a.reason_description}`],
    [
      'Account',
      a.account_id ? `${a.account_id}${a.account_name ? ` · ${a.account_name}` : ''}` : 'several accounts',
    ],
    ['Requested by', `${a.requested_by_name}, ${formatTimestamp(a.requested_at)}`],
    ['From', `${a.source_type}${a.source_id ? ` ${a.source_id}` : ''}`],
    [
      'Approvals',
      `${a.decisions.filter((d) => d.decision === 'approve').length} of ${a.request?.approvals_needed ?? 1}`,
    ],
    ['Posted', a.posted_on ? formatDate(a.posted_on) : '—'],
  ];
  return (
    <>
      <PageHeader
        above={
          <Anchor component={Link} to="/approvals" size="sm">
            Approvals
          </Anchor>
        }
        title={`${kindLabels[a.kind]} ${a.adjustment_id}`}
        description={a.comment}
        actions={
          <Badge size="lg" color={statusColors[a.status]} variant="light" data-testid="adjustment-status">
            {a.status}
          </Badge>
        }
      />
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <Stack gap="lg">
            <Card data-testid="adjustment-facts">
              <DataList labelWidth={150} withDivider>
                {facts.map(([label, value]) => (
                  <DataList.Item key={label}>
                    <DataList.ItemLabel>{label}</DataList.ItemLabel>
                    <DataList.ItemValue>{value}</DataList.ItemValue>
                  </DataList.Item>
                ))}
              </DataList>
            </Card>
            <Card>
              <Stack gap="sm">
                <Title order={4} fw={600}>
                  {a.lines.length === 1 ? 'The document' : `${a.lines.length} documents`}
                </Title>
                <Table striped withTableBorder data-testid="adjustment-lines">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>Document</Table.Th>
                      <Table.Th>Account</Table.Th>
                      <Table.Th>Due</Table.Th>
                      <Table.Th ta="right">Amount</Table.Th>
                      <Table.Th ta="right">Open now</Table.Th>
                      <Table.Th ta="right">Requested</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {a.lines.map((l) => (
                      <Table.Tr key={l.line_no}>
                        <Table.Td>
                          <Anchor
                            component={Link}
                            to={`/aging/items/${encodeURIComponent(l.document_id)}`}
                            size="sm"
                          >
                            {l.document_id}
                          </Anchor>
                        </Table.Td>
                        <Table.Td>{l.account_id}</Table.Td>
                        <Table.Td>
                          {formatDate(l.due_date)}
                          {l.days_past_due > 0 ? ` (${l.days_past_due} days past due)` : ''}
                        </Table.Td>
                        <Table.Td ta="right">{money(l.document_amount)}</Table.Td>
                        <Table.Td ta="right">{money(l.open_amount)}</Table.Td>
                        <Table.Td ta="right">{money(l.amount)}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
                {a.applications.length > 0 && (
                  <>
                    <Text size="sm" fw={600}>
                      Applied to {a.lines.length === 1 ? 'it' : 'them'}
                    </Text>
                    <Table withTableBorder>
                      <Table.Tbody>
                        {a.applications.map((e) => (
                          <Table.Tr key={e.entry_id}>
                            <Table.Td>{formatDate(e.applied_date)}</Table.Td>
                            <Table.Td>{e.payment_id}</Table.Td>
                            <Table.Td>{e.document_id}</Table.Td>
                            <Table.Td ta="right">{money(e.amount)}</Table.Td>
                          </Table.Tr>
                        ))}
                      </Table.Tbody>
                    </Table>
                  </>
                )}
              </Stack>
            </Card>
            {a.postings.length > 0 && (
              <Card data-testid="adjustment-postings">
                <Stack gap="sm">
                  <Title order={4} fw={600}>
                    Posted
                  </Title>
                  <Table withTableBorder>
                    <Table.Tbody>
                      {a.postings.map((p) => (
                        <Table.Tr key={p.posting_id}>
                          <Table.Td>{p.posting_id}</Table.Td>
                          <Table.Td>{p.part.replace('_', ' ')}</Table.Td>
                          <Table.Td>{p.document_id}</Table.Td>
                          <Table.Td>{formatDate(p.entry_date)}</Table.Td>
                          <Table.Td ta="right">{money(p.amount)}</Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </Stack>
              </Card>
            )}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <Stack gap="lg">
            {a.status === 'pending' && (
              <Card data-testid="decide-card">
                <Stack gap="sm">
                  <Title order={4} fw={600}>
                    Decide
                  </Title>
                  {a.cannot_decide ? (
                    <Text size="sm" c="dimmed" data-testid="cannot-decide">
                      {a.cannot_decide}
                    </Text>
                  ) : (
                    <>
                      <Textarea
                        label="Comment"
                        description="Required to refuse."
                        autosize
                        minRows={2}
                        value={comment}
                        onChange={(e) => setComment(e.currentTarget.value)}
                        data-testid="decide-comment"
                      />
                      <Group>
                        <Button
                          color="teal"
                          leftSection={<IconCheck size={16} />}
                          onClick={() => act('approve')}
                          loading={decide.isPending}
                          data-testid="approve"
                        >
                          Approve
                        </Button>
                        <Button
                          color="red"
                          variant="light"
                          leftSection={<IconX size={16} />}
                          onClick={() => act('refuse')}
                          loading={decide.isPending}
                          data-testid="refuse"
                        >
                          Refuse
                        </Button>
                      </Group>
                    </>
                  )}
                  {decide.error && (
                    <Alert color="red" variant="light" data-testid="decide-error">
                      {decide.error.message}
                    </Alert>
                  )}
                </Stack>
              </Card>
            )}
            <Card>
              <Stack gap="sm">
                <Title order={4} fw={600}>
                  Supporting documents {a.documents_required ? '(required)' : ''}
                </Title>
                {a.documents.length === 0 ? (
                  <Text size="sm" c="dimmed">
                    None attached.
                  </Text>
                ) : (
                  a.documents.map((d) => (
                    <Anchor key={d.document_id} href={`/api/documents/${d.document_id}/content`} size="sm">
                      {d.file_name}
                    </Anchor>
                  ))
                )}
              </Stack>
            </Card>
            <Card>
              <Stack gap="sm">
                <Title order={4} fw={600}>
                  History
                </Title>
                <Timeline bulletSize={14} lineWidth={2}>
                  {a.decisions.map((d) => (
                    <Timeline.Item
                      key={`d-${d.user_id}`}
                      title={`${d.decision === 'approve' ? 'Approved' : 'Refused'} by ${d.user_name}`}
                    >
                      <Text size="xs" c="dimmed">
                        {formatTimestamp(d.decided_at)}
                        {d.comment ? ` — ${d.comment}` : ''}
                      </Text>
                    </Timeline.Item>
                  ))}
                  {a.history.slice(0, 30).map((h) => (
                    <Timeline.Item
                      key={h.event_id}
                      title={`${h.entity_id}: ${h.action.replaceAll('_', ' ')}`}
                    >
                      <Text size="xs" c="dimmed">
                        {h.actor_name}, {formatTimestamp(h.occurred_at)}
                      </Text>
                    </Timeline.Item>
                  ))}
                </Timeline>
              </Stack>
            </Card>
          </Stack>
        </Grid.Col>
      </Grid>
    </>
  );
}
