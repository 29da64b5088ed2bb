import { Anchor, Badge, Card, Group, Stack, Text, ThemeIcon, Timeline, Title, Tooltip } from '@mantine/core';
import {
  IconArrowBackUp,
  IconCalendarDue,
  IconCash,
  IconFileInvoice,
  IconFlag,
  type TablerIcon,
} from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { formatDate, formatTimestamp } from '../../ui/dates';
import { formatMoney } from '../../ui/money';
import {
  type ApplicationEntry,
  bucketLabel,
  type ItemDetail,
  isSource,
  kindLabels,
  negateAmount,
  sumAmounts,
} from './receivables';

interface Event {
  key: string;
  date: string;
  /** Same-day order: the item, then its applications, then its due date, then the as-of line. */
  rank: number;
  order: string;
  icon: TablerIcon;
  color: string;
  title: ReactNode;
  body?: ReactNode;
  /** After the as-of date: shown, but not part of what was open then. */
  later: boolean;
}

const entryOrder = (id: string) => id.padStart(20, '0');

/** The item's life: issued (or received), its applications and reversals in date order, due, and as of. */
export function timelineEvents(detail: ItemDetail): Event[] {
  const { item, as_of: asOf } = detail;
  const source = isSource(item.kind);
  const money = (amount: string) => formatMoney(amount, item.currency);
  const events: Event[] = [
    {
      key: 'issued',
      date: item.item_date,
      rank: 0,
      order: '',
      icon: item.kind === 'payment' ? IconCash : IconFileInvoice,
      color: 'indigo',
      title: `${kindLabels[item.kind]} ${item.kind === 'payment' ? 'received' : 'issued'}: ${money(item.amount)}`,
      later: item.item_date > asOf,
    },
  ];
  if (item.due_date) {
    events.push({
      key: 'due',
      date: item.due_date,
      rank: 2,
      order: '',
      icon: IconCalendarDue,
      color: 'gray',
      title: 'Due',
      later: item.due_date > asOf,
    });
  }
  // Running open amount after each entry, in the order they take effect.
  const entries = [...detail.timeline].sort(
    (a, b) =>
      a.applied_date.localeCompare(b.applied_date) ||
      entryOrder(a.entry_id).localeCompare(entryOrder(b.entry_id)),
  );
  const applied: string[] = [];
  for (const entry of entries) {
    applied.push(entry.amount);
    const cumulative = sumAmounts(applied);
    const open = sumAmounts([item.amount, source ? cumulative : negateAmount(cumulative)]);
    events.push(entryEvent(entry, source, open, money, asOf));
  }
  events.push({
    key: 'as-of',
    date: asOf,
    rank: 3,
    order: '',
    icon: IconFlag,
    color: item.days_past_due > 0 ? 'orange' : 'teal',
    title: `Open on ${formatDate(asOf)}: ${money(item.open_amount)}`,
    body: (
      <Text size="xs" c="dimmed">
        {item.days_past_due > 0 ? `${item.days_past_due} days past due` : 'Not past due'} ·{' '}
        {bucketLabel(item.bucket)}
      </Text>
    ),
    later: false,
  });
  return events.sort(
    (a, b) => a.date.localeCompare(b.date) || a.rank - b.rank || a.order.localeCompare(b.order),
  );
}

function entryEvent(
  entry: ApplicationEntry,
  source: boolean,
  open: string,
  money: (amount: string) => string,
  asOf: string,
): Event {
  const other = source ? entry.document_id : entry.payment_id;
  const reversal = entry.kind === 'reversal';
  const amount = reversal ? negateAmount(entry.amount) : entry.amount;
  const link = (
    <Anchor component={Link} to={`/aging/items/${encodeURIComponent(other)}?as_of=${asOf}`} inherit>
      {other}
    </Anchor>
  );
  return {
    key: `entry-${entry.entry_id}`,
    date: entry.applied_date,
    rank: 1,
    order: entryOrder(entry.entry_id),
    icon: reversal ? IconArrowBackUp : IconCash,
    color: reversal ? 'red' : 'teal',
    title: (
      <>
        {reversal ? 'Application reversed' : 'Applied'} {source ? 'to' : 'from'} {link}: {money(amount)}
      </>
    ),
    body: (
      <Stack gap={0}>
        <Text size="xs" c="dimmed" data-testid="timeline-open">
          Open after: {money(open)}
        </Text>
        <Tooltip label={`Journal entry ${entry.entry_id}`} withArrow openDelay={300}>
          <Text size="xs" c="dimmed" w="fit-content">
            Entered {formatTimestamp(entry.entered_at)}
            {entry.entered_by ? ` by ${entry.entered_by}` : ''}
            {entry.reverses_entry_id ? ` · reverses entry ${entry.reverses_entry_id}` : ''}
          </Text>
        </Tooltip>
      </Stack>
    ),
    later: entry.applied_date > asOf,
  };
}

export function ItemTimeline({ detail }: { detail: ItemDetail }) {
  const events = timelineEvents(detail);
  const active = events.filter((e) => !e.later).length - 1;
  return (
    <Card data-testid="item-timeline">
      <Stack gap="md">
        <div>
          <Title order={4} fw={600}>
            Timeline
          </Title>
          <Text size="sm" c="dimmed">
            The item, its applications and reversals by the date they take effect, with what stayed open.
          </Text>
        </div>
        <Timeline bulletSize={26} lineWidth={2} active={active}>
          {events.map((event) => (
            <Timeline.Item
              key={event.key}
              data-testid="timeline-event"
              bullet={
                <ThemeIcon size={26} radius="xl" variant="light" color={event.later ? 'gray' : event.color}>
                  <event.icon size={14} />
                </ThemeIcon>
              }
              title={
                <Group gap="xs" wrap="nowrap">
                  <Text size="sm" fw={600} c={event.later ? 'dimmed' : undefined}>
                    {event.title}
                  </Text>
                  {event.later && (
                    <Badge size="xs" variant="light" color="gray">
                      After the as-of date
                    </Badge>
                  )}
                </Group>
              }
            >
              <Text size="xs" c="dimmed">
                {formatDate(event.date)}
              </Text>
              {event.body}
            </Timeline.Item>
          ))}
        </Timeline>
      </Stack>
    </Card>
  );
}
