import {
  Alert,
  Badge,
  Button,
  Card,
  Group,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Timeline,
  Title,
} from '@mantine/core';
import { IconCash, IconChecklist, IconMail, IconMessage, IconPhone, IconReceipt2 } from '@tabler/icons-react';
import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { fieldErrors, formMessage } from '../../ui/api';
import { DateInput } from '../../ui/date-input';
import { formatDate, formatTimestamp } from '../../ui/dates';
import { GridBadge } from '../../ui/grid-badge';
import { GrowingTextarea } from '../../ui/growing-textarea';
import { amountValue, formatMoney, isAmount } from '../../ui/money';
import { plainCell, plainFigureCell, plainRow } from '../../ui/plain-table';
import { Segmented } from '../../ui/segmented';
import { LoadError, Loading } from '../../ui/states';
import { disputeReaders } from '../disputes/disputes';
import { useDisputes } from '../disputes/use-disputes';
import { useUser } from '../identity/session';
import { hasAnyRole } from '../identity/user';
import { isDate, todayDate } from '../receivables/receivables';
import { useOpenItems } from '../receivables/use-receivables';
import {
  type CallOutcome,
  callOutcomes,
  outcomeLabel,
  promiseStatusColors,
  type TimelineEntry,
} from './collections';
import { useAddActivity, usePromises, useTimeline } from './use-collections';

/** The account's collections panels (used by Account 360): open items, promises to pay, the timeline. */
/** The open items Account 360 shows (and asks for ahead: routes/account.tsx): on a date, aged by due date. */
export const openItemsParams = (asOf: string) =>
  ({ asOf, basis: 'due_date', buckets: '30,60,90,120' }) as const;

export function OpenItems({ accountId }: { accountId: string }) {
  const [today] = useState(todayDate);
  const items = useOpenItems(accountId, openItemsParams(today));
  // Invoices in dispute are marked: the collector does not chase them while the dispute is worked.
  const user = useUser();
  const disputes = useDisputes({ account_id: accountId, state: 'active' }, hasAnyRole(user, disputeReaders));
  const disputed = new Map((disputes.data?.items ?? []).map((d) => [d.document_id, d.dispute_id]));
  return (
    <Card withBorder radius="md" padding="lg" data-testid="account-open-items">
      <Title order={4} mb="sm">
        Open items
        {items.data && items.data.items.length > 0 && (
          <span className="dimmed"> ({items.data.items.length})</span>
        )}
      </Title>
      {items.isPending ? (
        <Loading label="Loading open items…" />
      ) : items.isError ? (
        <LoadError error={items.error} retry={() => void items.refetch()} what="the open items" />
      ) : items.data.items.length === 0 ? (
        <Text size="sm" c="dimmed">
          Nothing open.
        </Text>
      ) : (
        // Plain rows (ui/plain-table.ts): an account may have hundreds of open items; past a screenful the
        // table scrolls under its header, in the browser's own scrolling (a ScrollArea measures the page).
        <Table.ScrollContainer
          type="native"
          minWidth={520}
          maxHeight={items.data.items.length > 12 ? 480 : undefined}
        >
          <Table striped stickyHeader verticalSpacing={6} fz="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Item</Table.Th>
                <Table.Th>Date</Table.Th>
                <Table.Th>Due</Table.Th>
                <Table.Th ta="right">Open</Table.Th>
                <Table.Th ta="right">Days past due</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.data.items.map((item) => (
                <tr key={item.item_id} {...plainRow({ striped: true })}>
                  <td className={plainCell}>
                    <Link className="plain-link" to={`/aging/items/${encodeURIComponent(item.item_id)}`}>
                      {item.item_id}
                    </Link>
                    {disputed.has(item.item_id) && (
                      <>
                        {' '}
                        <GridBadge size="xs" color="orange" testId="item-in-dispute">
                          in dispute
                        </GridBadge>
                      </>
                    )}
                  </td>
                  <td className={plainCell}>{formatDate(item.item_date)}</td>
                  <td className={plainCell}>{formatDate(item.due_date)}</td>
                  <td className={plainFigureCell}>{formatMoney(item.open_amount, item.currency)}</td>
                  <td
                    className={
                      item.days_past_due > 0 && !item.open_amount.startsWith('-')
                        ? `${plainFigureCell} overdue`
                        : `${plainFigureCell} dimmed`
                    }
                  >
                    {item.days_past_due > 0 ? item.days_past_due : ''}
                  </td>
                </tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Card>
  );
}

export function PromisesList({ accountId }: { accountId: string }) {
  const promises = usePromises(accountId);
  return (
    <Card withBorder radius="md" padding="lg" data-testid="promises-list">
      <Title order={4} mb="sm">
        Promises to pay
      </Title>
      {promises.isPending ? (
        <Loading label="Loading promises…" />
      ) : promises.isError ? (
        <LoadError error={promises.error} retry={() => void promises.refetch()} what="the promises" />
      ) : promises.data.promises.length === 0 ? (
        <Text size="sm" c="dimmed">
          No promises yet. Log a call with the outcome “Promised to pay” to record one.
        </Text>
      ) : (
        <Table verticalSpacing={6} fz="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Promised for</Table.Th>
              <Table.Th ta="right">Amount</Table.Th>
              <Table.Th>Status</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {promises.data.promises.map((p) => (
              <Table.Tr key={p.promise_id} data-testid="promise-row">
                <Table.Td>
                  {formatDate(p.promised_date)}
                  <Text size="xs" c="dimmed">
                    made {formatDate(p.made_on)}
                  </Text>
                </Table.Td>
                <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                  {formatMoney(p.amount, p.currency)}
                </Table.Td>
                <Table.Td>
                  <Badge variant="light" color={promiseStatusColors[p.status]} style={{ flexShrink: 0 }}>
                    {p.status}
                  </Badge>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Card>
  );
}

/** An audit entry's body is the change as JSON; where the change says itself in words (`text`), those. */
function entryBody(entry: TimelineEntry): string {
  if (entry.source !== 'audit' || !entry.body) return entry.body;
  try {
    const parsed: unknown = JSON.parse(entry.body);
    const words = (parsed as { text?: unknown } | null)?.text;
    return typeof words === 'string' ? words : entry.body;
  } catch {
    return entry.body;
  }
}

function entryTitle(entry: TimelineEntry): string {
  if (entry.source === 'email')
    return `E-mail (${entry.kind.replaceAll('_', ' ')}, ${entry.status ?? 'queued'})${entry.subject ? `: ${entry.subject}` : ''}`;
  if (entry.source === 'audit') return `Item ${entry.kind}`.replaceAll('_', ' ');
  if (entry.source === 'cash')
    return entry.kind === 'invoice'
      ? 'Cash applied'
      : entry.kind === 'deduction'
        ? 'Deduction taken'
        : 'Cash on account';
  switch (entry.kind) {
    case 'call':
      return `Call: ${outcomeLabel(entry.outcome)}`;
    case 'comment':
      return 'Comment';
    case 'promise':
      return 'Promise to pay';
    case 'task':
      return 'Task';
    case 'email':
      return 'Collection strategy';
    default:
      return entry.kind.charAt(0).toUpperCase() + entry.kind.slice(1);
  }
}

export function AccountTimeline({ accountId, mayWrite }: { accountId: string; mayWrite: boolean }) {
  const timeline = useTimeline(accountId);
  return (
    <Card withBorder radius="md" padding="lg" data-testid="account-timeline">
      <Title order={4} mb="sm">
        Timeline
      </Title>
      {mayWrite && <ActivityForm accountId={accountId} />}
      {timeline.isPending ? (
        <Loading label="Loading the timeline…" />
      ) : timeline.isError ? (
        <LoadError error={timeline.error} retry={() => void timeline.refetch()} what="the timeline" />
      ) : timeline.data.entries.length === 0 ? (
        <Text size="sm" c="dimmed" mt="md">
          No comments, calls or e-mails yet.
        </Text>
      ) : (
        <Timeline bulletSize={22} lineWidth={2} mt="md">
          {timeline.data.entries.map((entry) => (
            <Timeline.Item
              key={`${entry.source}-${entry.id}`}
              data-testid="timeline-entry"
              bullet={
                entry.kind === 'call' ? (
                  <IconPhone size={12} />
                ) : entry.kind === 'promise' ? (
                  <IconReceipt2 size={12} />
                ) : entry.source === 'email' ? (
                  <IconMail size={12} />
                ) : entry.source === 'cash' ? (
                  <IconCash size={12} />
                ) : entry.kind === 'task' ? (
                  <IconChecklist size={12} />
                ) : (
                  <IconMessage size={12} />
                )
              }
              color={
                entry.source === 'email' && (entry.status === 'failed' || entry.status === 'bounced')
                  ? 'red'
                  : undefined
              }
              title={entryTitle(entry)}
            >
              {entry.body && (
                <Text
                  size="sm"
                  style={{ whiteSpace: 'pre-wrap' }}
                  lineClamp={entry.source === 'email' ? 3 : undefined}
                >
                  {entryBody(entry)}
                </Text>
              )}
              <Text size="xs" c="dimmed">
                {formatTimestamp(entry.occurred_at)}
                {entry.actor ? ` · ${entry.actor}` : ''}
                {entry.document_id ? ` · ${entry.document_id}` : ''}
              </Text>
            </Timeline.Item>
          ))}
        </Timeline>
      )}
    </Card>
  );
}

type Mode = 'comment' | 'call';

function ActivityForm({ accountId }: { accountId: string }) {
  const add = useAddActivity(accountId);
  const [mode, setMode] = useState<Mode>('comment');
  const [body, setBody] = useState('');
  const [outcome, setOutcome] = useState<CallOutcome | null>(null);
  const [amount, setAmount] = useState('');
  const [date, setDate] = useState('');
  const [problems, setProblems] = useState<Record<string, string>>({});
  const promised = mode === 'call' && outcome === 'promised';
  const serverErrors = fieldErrors(add.error);

  const reset = () => {
    setBody('');
    setOutcome(null);
    setAmount('');
    setDate('');
    setProblems({});
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found: Record<string, string> = {};
    if (mode === 'comment' && body.trim() === '') found.body = 'Write the comment';
    if (mode === 'call' && !outcome) found.outcome = 'Pick the outcome of the call';
    if (promised && !isAmount(amount.trim())) found.amount = 'An amount like 1250.00';
    if (promised && !isDate(date)) found.promised_date = 'A date YYYY-MM-DD';
    setProblems(found);
    if (Object.keys(found).length > 0) return;
    add.mutate(
      mode === 'comment'
        ? { activity: { kind: 'comment', body: body.trim() } }
        : {
            activity: { kind: 'call', outcome: outcome as CallOutcome, body: body.trim() },
            ...(promised
              ? {
                  promise: {
                    amount: amountValue(amount),
                    promised_date: date,
                    document_ids: [],
                    note: body.trim(),
                  },
                }
              : {}),
          },
      { onSuccess: reset },
    );
  };

  const message = formMessage(add.error, ['body', 'outcome', 'amount', 'promised_date']);
  return (
    <form onSubmit={submit} data-testid={mode === 'call' ? 'log-call-form' : 'comment-form'} noValidate>
      <Stack gap="sm">
        <Segmented
          value={mode}
          onChange={(value) => {
            setMode(value as Mode);
            setProblems({});
            add.reset();
          }}
          data={[
            { value: 'comment', label: 'Add comment' },
            { value: 'call', label: 'Log a call' },
          ]}
          data-testid="activity-mode"
          w="fit-content"
        />
        {mode === 'call' && (
          <Select
            label="Outcome"
            placeholder="How did the call go?"
            data={callOutcomes.map((o) => ({ value: o.value, label: o.label }))}
            value={outcome}
            onChange={(value) => setOutcome(value as CallOutcome | null)}
            error={problems.outcome ?? serverErrors.outcome}
            data-testid="call-outcome"
            allowDeselect={false}
          />
        )}
        {promised && (
          <Group grow align="flex-start">
            <TextInput
              label="Promised amount"
              placeholder="1250.00"
              value={amount}
              onChange={(e) => setAmount(e.currentTarget.value)}
              error={problems.amount ?? serverErrors.amount}
              inputMode="decimal"
              data-testid="promise-amount"
            />
            <DateInput
              label="Promised date"
              value={date}
              onChange={(e) => setDate(e.currentTarget.value)}
              error={problems.promised_date ?? serverErrors.promised_date}
              data-testid="promise-date"
            />
          </Group>
        )}
        <GrowingTextarea
          label={mode === 'comment' ? 'Comment' : 'Notes'}
          placeholder={
            mode === 'comment' ? 'What happened, what was agreed…' : 'Who you spoke to, what was said'
          }
          minRows={2}
          value={body}
          onChange={(e) => setBody(e.currentTarget.value)}
          error={problems.body ?? serverErrors.body}
          data-testid="activity-body"
        />
        {message && (
          <Alert color="red" variant="light">
            {message}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button type="submit" loading={add.isPending} data-testid="activity-submit">
            {mode === 'comment' ? 'Add comment' : promised ? 'Log call and promise' : 'Log call'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
