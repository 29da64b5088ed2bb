import {
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  SimpleGrid,
  Stack,
  Table,
  Text,
  ThemeIcon,
  Timeline,
  Title,
} from '@mantine/core';
import { IconCircleCheck, IconCircleDashed, IconFileDownload } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router';
import { formatDate, formatTimestamp } from '../../ui/dates';
import { GridBadge } from '../../ui/grid-badge';
import { formatMoney } from '../../ui/money';
import { plainCell, plainFigureCell, plainRow } from '../../ui/plain-table';
import { LoadError, Loading } from '../../ui/states';
import { claimPath } from '../claims/claim';
import { statusColors } from '../correspondence/correspondence';
import { bucketLabel, isZeroAmount, sumAmounts } from '../receivables/receivables';
import {
  type AccountOverview,
  actionOfStep,
  matchedByLabels,
  queueLabels,
  slaText,
  stepKindLabel,
  type Task,
  worklistActionLabels,
} from './collections';
import { useConfirmedAction } from './next-action';
import { CompleteTaskModal } from './task-modals';
import { useTasks } from './use-collections';

const bucketKeys = ['not_due', 'd1_30', 'd31_60', 'd61_90', 'd91_120', 'd121_plus'];

/** Balance, past due and the aging of each currency; the counts that tell the collector where to look. */
export function AccountSummary({ overview }: { overview: AccountOverview }) {
  const { aging, promises, tasks } = overview;
  return (
    <Card data-testid="account-summary">
      <Group justify="space-between" align="flex-start" mb="sm">
        <Title order={4}>Balance and aging</Title>
        <Text size="sm" c="dimmed">
          As of {formatDate(overview.as_of)}
        </Text>
      </Group>
      {aging.length === 0 ? (
        <Text size="sm" c="dimmed">
          Nothing open.
        </Text>
      ) : (
        <Stack gap="md">
          {aging.map((row) => (
            <Stack key={row.currency} gap={6} data-testid="account-aging-row">
              <Group gap="xl">
                <div>
                  <Text size="xs" c="dimmed">
                    Balance
                  </Text>
                  <Text fw={600} fz="lg">
                    {formatMoney(row.total, row.currency)}
                  </Text>
                </div>
                <div>
                  <Text size="xs" c="dimmed">
                    Past due
                  </Text>
                  <Text fw={600} fz="lg" c={isZeroAmount(row.past_due) ? undefined : 'orange.8'}>
                    {formatMoney(row.past_due, row.currency)}
                  </Text>
                </div>
              </Group>
              <SimpleGrid cols={{ base: 3, sm: 6 }} spacing="xs">
                {bucketKeys.map((key) => (
                  <div key={key}>
                    <Text size="xs" c="dimmed">
                      {bucketLabel(key)}
                    </Text>
                    <Text size="sm" c={isZeroAmount(row[key]) ? 'dimmed' : undefined}>
                      {formatMoney(row[key], null)}
                    </Text>
                  </div>
                ))}
              </SimpleGrid>
            </Stack>
          ))}
        </Stack>
      )}
      <Group gap="xs" mt="md">
        <Badge variant="light" color={promises.open ? 'blue' : 'gray'}>
          {promises.open} open promise{promises.open === 1 ? '' : 's'}
        </Badge>
        <Badge variant="light" color={promises.broken ? 'red' : 'gray'}>
          {promises.broken} broken
        </Badge>
        <Badge variant="light" color={tasks.open ? 'indigo' : 'gray'}>
          {tasks.open} open task{tasks.open === 1 ? '' : 's'}
        </Badge>
        {tasks.overdue > 0 && (
          <Badge variant="filled" color="red">
            {tasks.overdue} overdue
          </Badge>
        )}
      </Group>
    </Card>
  );
}

export function ContactsCard({ overview }: { overview: AccountOverview }) {
  return (
    <Card data-testid="account-contacts">
      <Title order={4} mb="sm">
        Contacts
      </Title>
      {overview.contacts.length === 0 ? (
        <Text size="sm" c="dimmed">
          No contacts yet: add a billing e-mail to the account so that statements and reminders can go out.
        </Text>
      ) : (
        <Stack gap={6}>
          {overview.contacts.map((c) => (
            <Group key={c.role} justify="space-between" wrap="nowrap" gap="xs">
              <Text size="sm" c="dimmed" tt="capitalize">
                {c.role}
              </Text>
              <Anchor href={`mailto:${c.email}`} size="sm" style={{ overflowWrap: 'anywhere' }}>
                {c.email}
              </Anchor>
            </Group>
          ))}
        </Stack>
      )}
    </Card>
  );
}

/** Which strategy applies and why, where the current cycle stands, and what comes next. */
export function StrategyCard({ overview }: { overview: AccountOverview }) {
  const { applies, cycle } = overview.strategy;
  const { confirm, busy } = useConfirmedAction();
  const nextAction = cycle?.next && !cycle.all_in_dispute ? actionOfStep[cycle.next.kind] : null;
  return (
    <Card data-testid="account-strategy">
      <Title order={4} mb={4}>
        Collection strategy
      </Title>
      <Text size="sm" data-testid="strategy-applies">
        <Text span fw={600}>
          {applies.name}
        </Text>{' '}
        applies: it matches {matchedByLabels[applies.matched_by]}
        {applies.segment || applies.country
          ? ` (${[
              applies.segment && `segment ${applies.segment}`,
              applies.country && `country ${applies.country}`,
            ]
              .filter(Boolean)
              .join(', ')})`
          : ''}
        .
      </Text>
      {!cycle ? (
        <Text size="sm" c="dimmed" mt="xs">
          Nothing past due: no cycle running.
        </Text>
      ) : (
        <Stack gap="xs" mt="sm">
          <Text size="sm" data-testid="strategy-cycle">
            Past due without a break since the item due {formatDate(cycle.cycle)}: day {cycle.days_past_due}{' '}
            of the cycle
            {cycle.strategy_id !== applies.strategy_id
              ? `, which follows ${cycle.strategy_name} (it began with it)`
              : ''}
            .
          </Text>
          <Timeline bulletSize={18} lineWidth={2}>
            {cycle.done.map((d) => (
              <Timeline.Item
                key={`${d.run_date}-${d.step_no}`}
                bullet={<IconCircleCheck size={12} />}
                title={`${d.step_no ?? ''}. ${stepKindLabel(d.kind)}`}
              >
                <Text size="xs" c="dimmed">
                  {formatDate(d.run_date)}
                </Text>
              </Timeline.Item>
            ))}
            {cycle.next && (
              <Timeline.Item
                bullet={<IconCircleDashed size={12} />}
                title={`${cycle.next.step_no}. ${stepKindLabel(cycle.next.kind)}`}
                lineVariant="dashed"
              >
                <Text size="xs" c="dimmed" data-testid="strategy-next">
                  Next: {cycle.next.when}, on {formatDate(cycle.next.due_on)}
                </Text>
              </Timeline.Item>
            )}
          </Timeline>
          {nextAction && (
            <Group>
              <Button
                size="xs"
                variant="light"
                onClick={() => confirm(overview.account, nextAction)}
                loading={busy}
                data-testid="strategy-do-next"
              >
                {worklistActionLabels[nextAction]} now
              </Button>
            </Group>
          )}
          {!cycle.next && (
            <Text size="xs" c="dimmed">
              Every step of the strategy is done for this cycle.
            </Text>
          )}
          {cycle.next && cycle.all_in_dispute && (
            <Text size="xs" c="orange.8" data-testid="strategy-waits-dispute">
              Waiting: everything past due is in dispute. The next step runs once the dispute ends.
            </Text>
          )}
        </Stack>
      )}
    </Card>
  );
}

function TaskLine({ task, onComplete }: { task: Task; onComplete?: () => void }) {
  return (
    <Stack gap={2} data-testid="account-task">
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <Text size="sm" fw={500}>
          {task.title}
        </Text>
        {onComplete && (
          <Button size="compact-xs" variant="light" onClick={onComplete}>
            Complete
          </Button>
        )}
      </Group>
      <Group gap={6}>
        <Badge size="xs" variant="light">
          {queueLabels[task.queue]}
        </Badge>
        <Text size="xs" c={task.overdue ? 'red' : 'dimmed'}>
          {task.assignee ?? `${queueLabels[task.queue]} team`} · due {formatDate(task.due_date)} ·{' '}
          {slaText(task)}
        </Text>
      </Group>
    </Stack>
  );
}

export function AccountTasks({ accountId, mayComplete }: { accountId: string; mayComplete: boolean }) {
  const tasks = useTasks({ account_id: accountId, status: 'open' });
  const [completing, setCompleting] = useState<Task | null>(null);
  return (
    <Card data-testid="account-tasks">
      <Title order={4} mb="sm">
        Open tasks
      </Title>
      {tasks.isPending ? (
        <Loading label="Loading tasks…" />
      ) : tasks.isError ? (
        <LoadError error={tasks.error} retry={() => void tasks.refetch()} what="the tasks" />
      ) : tasks.data.items.length === 0 ? (
        <Text size="sm" c="dimmed">
          No open tasks. Escalate to sales or open a call from the buttons above.
        </Text>
      ) : (
        <Stack gap="sm">
          {tasks.data.items.map((task) => (
            <TaskLine
              key={task.task_id}
              task={task}
              onComplete={mayComplete ? () => setCompleting(task) : undefined}
            />
          ))}
        </Stack>
      )}
      <CompleteTaskModal task={completing} onClose={() => setCompleting(null)} />
    </Card>
  );
}

export function StatementsSent({ overview }: { overview: AccountOverview }) {
  return (
    <Card data-testid="account-statements">
      <Title order={4} mb="sm">
        Statements sent
      </Title>
      {overview.statements.length === 0 ? (
        <Text size="sm" c="dimmed">
          No statement has been e-mailed yet; the monthly run sends one to the billing contact.
        </Text>
      ) : (
        <Stack gap={8}>
          {overview.statements.map((s) => (
            <Group key={s.email_id} justify="space-between" wrap="nowrap" gap="xs">
              <Stack gap={0}>
                <Text size="sm">{s.subject}</Text>
                <Text size="xs" c="dimmed">
                  {formatTimestamp(s.sent_at ?? s.created_at)} · {s.to.join(', ')}
                </Text>
              </Stack>
              <Group gap={4} wrap="nowrap">
                <Badge
                  size="sm"
                  variant="light"
                  color={statusColors[s.status as keyof typeof statusColors] ?? 'gray'}
                >
                  {s.status}
                </Badge>
                {s.attachments[0] && (
                  <Anchor
                    href={`/api/documents/${encodeURIComponent(s.attachments[0])}/content`}
                    aria-label="Download the statement"
                  >
                    <ThemeIcon variant="subtle" size="sm">
                      <IconFileDownload size={14} />
                    </ThemeIcon>
                  </Anchor>
                )}
              </Group>
            </Group>
          ))}
        </Stack>
      )}
    </Card>
  );
}

const shortList = 8;

/** The other half: the partner's rebate claims and the credit memos posted to it, with what is still open. */
export function ClaimsAndCredits({ overview }: { overview: AccountOverview }) {
  const [all, setAll] = useState(false);
  const claims = all ? overview.claims : overview.claims.slice(0, shortList);
  const memos = all ? overview.credit_memos : overview.credit_memos.slice(0, shortList);
  const byStatus = new Map<string, number>();
  for (const c of overview.claims) byStatus.set(c.status, (byStatus.get(c.status) ?? 0) + 1);
  const openCredit = new Map<string, string[]>();
  for (const m of overview.credit_memos)
    openCredit.set(m.currency, [...(openCredit.get(m.currency) ?? []), m.open_amount]);
  const more = overview.claims.length > shortList || overview.credit_memos.length > shortList;
  return (
    <Card data-testid="account-claims">
      <Group justify="space-between" mb="sm">
        <Title order={4}>Claims and credit memos</Title>
        {more && (
          <Button size="compact-sm" variant="subtle" onClick={() => setAll((v) => !v)}>
            {all
              ? 'Show the latest'
              : `Show all ${overview.claims.length} claims and ${overview.credit_memos.length} credit memos`}
          </Button>
        )}
      </Group>
      <Text size="sm" c="dimmed" mb="sm" data-testid="claims-summary">
        {overview.claims.length} claim{overview.claims.length === 1 ? '' : 's'}
        {byStatus.size > 0
          ? ` (${[...byStatus].map(([status, n]) => `${n} ${status.replaceAll('_', ' ')}`).join(', ')})`
          : ''}
        {' · '}
        {overview.credit_memos.length} credit memo{overview.credit_memos.length === 1 ? '' : 's'}
        {[...openCredit]
          .map(([currency, amounts]) => `, ${formatMoney(sumAmounts(amounts), currency)} still open`)
          .join('')}
      </Text>
      {/* Plain rows (ui/plain-table.ts), as the account's other long lists. */}
      <Text size="sm" fw={600} mb={4}>
        Rebate claims
      </Text>
      {overview.claims.length === 0 ? (
        <Text size="sm" c="dimmed" mb="md">
          No claims from this partner.
        </Text>
      ) : (
        <Table verticalSpacing={4} fz="sm" mb="md" data-testid="partner-claims">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Claim</Table.Th>
              <Table.Th>Submitted</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th ta="right">Claimed</Table.Th>
              <Table.Th ta="right">Approved</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {claims.map((c) => (
              <tr key={c.claim_id} {...plainRow()}>
                <td className={plainCell}>
                  <Link className="plain-link" to={claimPath(c.claim_id, c.account_id)}>
                    {c.claim_id}
                  </Link>
                  {c.account_id !== overview.account.account_id && (
                    <span className="dimmed-xs"> ({c.account_id})</span>
                  )}
                </td>
                <td className={plainCell}>{formatDate(c.submitted_date)}</td>
                <td className={plainCell}>
                  <GridBadge color="gray">{c.status.replaceAll('_', ' ')}</GridBadge>
                </td>
                <td className={plainFigureCell}>{formatMoney(c.claimed_amount, c.currency)}</td>
                <td className={plainFigureCell}>{formatMoney(c.approved_amount, c.currency)}</td>
              </tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Text size="sm" fw={600} mb={4}>
        Credit memos
      </Text>
      {overview.credit_memos.length === 0 ? (
        <Text size="sm" c="dimmed">
          No credit memos.
        </Text>
      ) : (
        <Table verticalSpacing={4} fz="sm" data-testid="partner-credit-memos">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Credit memo</Table.Th>
              <Table.Th>Date</Table.Th>
              <Table.Th>For</Table.Th>
              <Table.Th ta="right">Amount</Table.Th>
              <Table.Th ta="right">Open</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {memos.map((m) => (
              <tr key={m.document_id} {...plainRow()}>
                <td className={plainCell}>
                  <Link className="plain-link" to={`/aging/items/${encodeURIComponent(m.document_id)}`}>
                    {m.document_id}
                  </Link>
                </td>
                <td className={plainCell}>{formatDate(m.document_date)}</td>
                <td className={plainCell}>
                  {m.claim_id ? (
                    <Link className="plain-link" to={claimPath(m.claim_id, m.account_id)}>
                      claim {m.claim_id}
                    </Link>
                  ) : (
                    (m.reference ?? '')
                  )}
                </td>
                <td className={plainFigureCell}>{formatMoney(m.amount, m.currency)}</td>
                <td className={isZeroAmount(m.open_amount) ? `${plainFigureCell} dimmed` : plainFigureCell}>
                  {formatMoney(m.open_amount, m.currency)}
                </td>
              </tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Card>
  );
}
