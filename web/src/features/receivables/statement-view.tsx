import { Badge, Button, Card, Group, ScrollArea, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { IconScale } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { formatDate } from '../../ui/dates';
import { formatAmount, formatMoney } from '../../ui/money';
import type { AccountDispute } from '../disputes/disputes';
import { customerStateLabels } from '../disputes/disputes';
import {
  type AccountStatement,
  type ActivityLine,
  bucketLabel,
  type CurrencyStatement,
  isZeroAmount,
  negateAmount,
  type StatementOpenItem,
  sumAmounts,
} from './receivables';

/** The statement's item kinds in the customer's words. */
export const statementKindLabels: Record<ActivityLine['kind'], string> = {
  invoice: 'Invoice',
  credit_memo: 'Credit memo',
  debit_memo: 'Debit memo',
  non_compliance_charge: 'Non-compliance charge',
  deduction: 'Deduction',
  payment: 'Payment',
  application: 'Applied',
};

const isNegative = (amount: string) => amount.startsWith('-') && !isZeroAmount(amount);

/** What the partner owes in one currency: the balance, what is past due, what is in its favour, and when. */
export function StatementSummary({ s, st }: { s: AccountStatement; st: CurrencyStatement }) {
  // Balance = past due + not yet due − credits: what is owed split by due date, credits netted once.
  const owed = st.open_items.filter((i) => !isNegative(i.open_amount));
  const pastDue = sumAmounts(owed.filter((i) => i.days_past_due > 0).map((i) => i.open_amount));
  const notDue = sumAmounts(owed.filter((i) => i.days_past_due <= 0).map((i) => i.open_amount));
  const credits = sumAmounts(st.open_items.map((i) => i.open_amount).filter(isNegative));
  const figures: { label: string; value: string; note: string; color?: string; testId: string }[] = [
    {
      label: `Balance on ${formatDate(s.as_of)}`,
      value: st.closing_balance,
      note: isNegative(st.closing_balance) ? 'in your favour' : 'what you owe, credits netted',
      testId: 'owe-balance',
    },
    {
      label: 'Past due',
      value: pastDue,
      note: 'owed and open after the due date',
      color: isZeroAmount(pastDue) || isNegative(pastDue) ? undefined : 'red.8',
      testId: 'owe-past-due',
    },
    {
      label: 'Not yet due',
      value: notDue,
      note: 'open, within payment terms',
      testId: 'owe-not-due',
    },
    {
      label: 'Credits in your favour',
      value: negateAmount(credits),
      note: 'credit memos, unapplied payments and deductions, netted above',
      color: isZeroAmount(credits) ? undefined : 'teal.8',
      testId: 'owe-credits',
    },
  ];
  return (
    <SimpleGrid cols={{ base: 2, md: 4 }} spacing="md">
      {figures.map((f) => (
        <Card key={f.label} padding="md" data-testid={f.testId}>
          <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
            {f.label}
          </Text>
          <Text fz={22} fw={600} c={f.color} style={{ fontVariantNumeric: 'tabular-nums' }}>
            {formatMoney(f.value, st.currency)}
          </Text>
          <Text size="xs" c="dimmed">
            {f.note}
          </Text>
        </Card>
      ))}
    </SimpleGrid>
  );
}

function Section({ title, note, children }: { title: string; note?: ReactNode; children: ReactNode }) {
  return (
    <Card padding="md">
      <Stack gap="sm">
        <Group justify="space-between" align="baseline">
          <Title order={3} fz="md" fw={600}>
            {title}
          </Title>
          {note && (
            <Text size="xs" c="dimmed">
              {note}
            </Text>
          )}
        </Group>
        {children}
      </Stack>
    </Card>
  );
}

const right = { textAlign: 'right' } as const;
const num = { textAlign: 'right', fontVariantNumeric: 'tabular-nums' } as const;

export function AgingTable({ s, st }: { s: AccountStatement; st: CurrencyStatement }) {
  return (
    <Section title="Aging" note="open amounts by days past due">
      <Table fz="sm" withColumnBorders={false} data-testid="owe-aging">
        <Table.Thead>
          <Table.Tr>
            {s.buckets.map((b) => (
              <Table.Th key={b.key} style={right}>
                {bucketLabel(b.key)}
              </Table.Th>
            ))}
            <Table.Th style={right}>Total</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          <Table.Tr>
            {s.buckets.map((b) => (
              <Table.Td key={b.key} style={num}>
                {formatAmount(st.aging[b.key])}
              </Table.Td>
            ))}
            <Table.Td style={num} fw={600}>
              {formatAmount(st.aging.total)}
            </Table.Td>
          </Table.Tr>
        </Table.Tbody>
      </Table>
    </Section>
  );
}

const disputable = (i: StatementOpenItem) =>
  (i.kind === 'invoice' || i.kind === 'debit_memo') &&
  !isNegative(i.open_amount) &&
  !isZeroAmount(i.open_amount);

/**
 * The open items with their age: first what is owed (past due first, each invoice with its Dispute button or
 * the dispute it is in), then what is in the partner's favour; each with its subtotal, and the total open.
 */
export function OpenItemsTable({
  s,
  st,
  disputes,
  onDispute,
}: {
  s: AccountStatement;
  st: CurrencyStatement;
  disputes: readonly AccountDispute[];
  onDispute: (item: StatementOpenItem) => void;
}) {
  const active = new Map(
    disputes.filter((d) => d.state === 'open' || d.state === 'in_review').map((d) => [d.document_id, d]),
  );
  const owed = st.open_items
    .filter((i) => !isNegative(i.open_amount))
    .sort((a, b) => b.days_past_due - a.days_past_due || a.item_id.localeCompare(b.item_id));
  const favour = st.open_items.filter((i) => isNegative(i.open_amount));
  const dispute = (i: StatementOpenItem) => {
    const d = active.get(i.item_id);
    if (d)
      return (
        <Badge variant="light" color="yellow" tt="none" title={d.description}>
          {d.dispute_id}: {customerStateLabels[d.state].toLowerCase()}
        </Badge>
      );
    if (!disputable(i)) return null;
    return (
      <Button
        size="compact-xs"
        variant="light"
        color="gray"
        leftSection={<IconScale size={14} />}
        onClick={() => onDispute(i)}
        data-testid={`dispute-${i.item_id}`}
      >
        Dispute
      </Button>
    );
  };
  const table = (title: string, items: StatementOpenItem[], withDispute: boolean) => (
    <Stack gap={4}>
      <Text size="sm" fw={600}>
        {title} ({items.length})
      </Text>
      <ScrollArea.Autosize mah={440} type="auto">
        <Table fz="sm" highlightOnHover stickyHeader>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Item</Table.Th>
              <Table.Th w={130}>Date</Table.Th>
              <Table.Th w={130}>Due date</Table.Th>
              <Table.Th w={120} style={right}>
                Days past due
              </Table.Th>
              <Table.Th w={130} style={right}>
                Amount
              </Table.Th>
              <Table.Th w={130} style={right}>
                Open
              </Table.Th>
              <Table.Th w={200}>{withDispute ? 'Dispute' : ''}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((i) => (
              <Table.Tr key={`${i.kind}-${i.item_id}`} data-testid={`owe-item-${i.item_id}`}>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  {statementKindLabels[i.kind]} <b>{i.item_id}</b>
                </Table.Td>
                <Table.Td>{formatDate(i.item_date)}</Table.Td>
                <Table.Td>{formatDate(i.due_date)}</Table.Td>
                <Table.Td style={right} c="red.8">
                  {i.days_past_due > 0 && !isNegative(i.open_amount) ? i.days_past_due : ''}
                </Table.Td>
                <Table.Td style={num}>{formatAmount(i.amount)}</Table.Td>
                <Table.Td style={num} fw={500} c={isNegative(i.open_amount) ? 'teal.8' : undefined}>
                  {formatAmount(i.open_amount)}
                </Table.Td>
                <Table.Td>{withDispute ? dispute(i) : null}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
          <Table.Tfoot>
            <Table.Tr>
              <Table.Td colSpan={5} fw={600}>
                {withDispute ? 'Owed' : 'In your favour'}
              </Table.Td>
              <Table.Td style={num} fw={600}>
                {formatAmount(sumAmounts(items.map((i) => i.open_amount)))}
              </Table.Td>
              <Table.Td />
            </Table.Tr>
          </Table.Tfoot>
        </Table>
      </ScrollArea.Autosize>
    </Stack>
  );
  return (
    <Section title="Open items" note={`as of ${formatDate(s.as_of)}; negative amounts are in your favour`}>
      {st.open_items.length === 0 ? (
        <Text size="sm" c="dimmed">
          Nothing is open.
        </Text>
      ) : (
        <Stack gap="md" data-testid="owe-open-items">
          {owed.length > 0 && table('What you owe', owed, true)}
          {favour.length > 0 && table('Credits in your favour', favour, false)}
          <Group justify="space-between" px="xs">
            <Text size="sm" fw={700}>
              Total open, credits netted
            </Text>
            <Text size="sm" fw={700} style={{ fontVariantNumeric: 'tabular-nums' }}>
              {formatMoney(st.aging.total, st.currency)}
            </Text>
          </Group>
        </Stack>
      )}
    </Section>
  );
}

/** The period's invoices, credits, payments and applications, with the running balance. */
export function ActivityTable({ s, st }: { s: AccountStatement; st: CurrencyStatement }) {
  return (
    <Section
      title="Invoices, credits and payments"
      note={`${formatDate(s.from)} – ${formatDate(s.as_of)}; applications move money between items`}
    >
      <ScrollArea.Autosize mah={560} type="auto">
        <Table fz="sm" stickyHeader data-testid="owe-activity">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={130}>Date</Table.Th>
              <Table.Th>Item</Table.Th>
              <Table.Th w={170}>Reference</Table.Th>
              <Table.Th w={130}>Due date</Table.Th>
              <Table.Th w={130} style={right}>
                Charges
              </Table.Th>
              <Table.Th w={130} style={right}>
                Credits
              </Table.Th>
              <Table.Th w={140} style={right}>
                Balance
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            <Table.Tr>
              <Table.Td>{formatDate(s.opening_date)}</Table.Td>
              <Table.Td colSpan={5} fw={600}>
                Opening balance
              </Table.Td>
              <Table.Td style={num} fw={600}>
                {formatAmount(st.opening_balance)}
              </Table.Td>
            </Table.Tr>
            {st.activity.map((l, n) =>
              l.kind === 'application' ? (
                // biome-ignore lint/suspicious/noArrayIndexKey: an application may repeat on a day
                <Table.Tr key={n}>
                  <Table.Td c="dimmed">{formatDate(l.date)}</Table.Td>
                  <Table.Td c="dimmed" colSpan={3}>
                    Applied {formatAmount(l.applied)} of {l.item_id} to {l.reference}
                  </Table.Td>
                  <Table.Td />
                  <Table.Td />
                  <Table.Td style={num} c="dimmed">
                    {formatAmount(l.balance)}
                  </Table.Td>
                </Table.Tr>
              ) : (
                // biome-ignore lint/suspicious/noArrayIndexKey: lines are in date order
                <Table.Tr key={n}>
                  <Table.Td>{formatDate(l.date)}</Table.Td>
                  <Table.Td>
                    {statementKindLabels[l.kind]} <b>{l.item_id}</b>
                  </Table.Td>
                  <Table.Td>{l.reference}</Table.Td>
                  <Table.Td>{formatDate(l.due_date)}</Table.Td>
                  <Table.Td style={num}>
                    {isNegative(l.amount) || isZeroAmount(l.amount) ? '' : formatAmount(l.amount)}
                  </Table.Td>
                  <Table.Td style={num} c="teal.8">
                    {isNegative(l.amount) ? formatAmount(negateAmount(l.amount)) : ''}
                  </Table.Td>
                  <Table.Td style={num}>{formatAmount(l.balance)}</Table.Td>
                </Table.Tr>
              ),
            )}
            <Table.Tr>
              <Table.Td>{formatDate(s.as_of)}</Table.Td>
              <Table.Td colSpan={3} fw={600}>
                Closing balance
              </Table.Td>
              <Table.Td style={num} fw={600}>
                {formatAmount(st.charges)}
              </Table.Td>
              <Table.Td style={num} fw={600}>
                {formatAmount(negateAmount(st.credits))}
              </Table.Td>
              <Table.Td style={num} fw={600} data-testid="owe-closing">
                {formatAmount(st.closing_balance)}
              </Table.Td>
            </Table.Tr>
          </Table.Tbody>
        </Table>
      </ScrollArea.Autosize>
    </Section>
  );
}

/** The account's disputes: what, how much, where each stands and when the answer is due. */
export function DisputesTable({ disputes }: { disputes: readonly AccountDispute[] }) {
  return (
    <Section title="Your disputes" note="raised with the Dispute button on an open invoice">
      {disputes.length === 0 ? (
        <Text size="sm" c="dimmed">
          No disputes. If an invoice is wrong, press Dispute beside it.
        </Text>
      ) : (
        <Table fz="sm" data-testid="owe-disputes">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Dispute</Table.Th>
              <Table.Th>Invoice</Table.Th>
              <Table.Th>What</Table.Th>
              <Table.Th style={right}>Amount</Table.Th>
              <Table.Th>Where it stands</Table.Th>
              <Table.Th>Raised</Table.Th>
              <Table.Th>Answer due</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {disputes.map((d) => (
              <Table.Tr key={d.dispute_id}>
                <Table.Td fw={500}>{d.dispute_id}</Table.Td>
                <Table.Td>{d.document_id}</Table.Td>
                <Table.Td maw={360}>
                  <Text size="sm" lineClamp={2} title={d.description}>
                    {d.description}
                  </Text>
                </Table.Td>
                <Table.Td style={num}>{formatMoney(d.amount, d.currency)}</Table.Td>
                <Table.Td>
                  {customerStateLabels[d.state]}
                  {d.state === 'open' || d.state === 'in_review' ? ` by ${d.team_name.toLowerCase()}` : ''}
                </Table.Td>
                <Table.Td>{formatDate(d.opened_on)}</Table.Td>
                <Table.Td>
                  {d.closed_on ? `closed ${formatDate(d.closed_on)}` : formatDate(d.due_date)}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Section>
  );
}
