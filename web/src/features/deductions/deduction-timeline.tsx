import { Card, Stack, Text, Timeline, Title } from '@mantine/core';
import { IconCalendarEvent, IconHistory } from '@tabler/icons-react';
import { formatDate, formatTimestamp } from '../../ui/dates';
import type { TimelineEntry } from './deductions';

/** Words of an event's record worth showing: a comment, a queue, an assignee, a payback date. */
function eventNote(detail: Record<string, unknown> | null): string {
  if (!detail) return '';
  const keys = ['comment', 'text', 'queue', 'assignee', 'payback_due_date', 'claim_ids', 'file_name'];
  return keys
    .filter((k) => detail[k] !== undefined && detail[k] !== null && detail[k] !== '')
    .map((k) => {
      const v = detail[k];
      return k === 'comment' || k === 'text'
        ? `“${String(v)}”`
        : `${k.replaceAll('_', ' ')}: ${Array.isArray(v) ? v.join(', ') : String(v)}`;
    })
    .join(' · ');
}

/** The deduction's life: the dated facts (taken, denied, payback due, resolved) and every recorded change. */
export function DeductionTimeline({ entries }: { entries: TimelineEntry[] }) {
  return (
    <Card data-testid="deduction-timeline">
      <Stack gap="sm">
        <Title order={4} fw={600}>
          Timeline
        </Title>
        <Timeline bulletSize={20} lineWidth={2} active={entries.length}>
          {entries.map((e) => (
            <Timeline.Item
              key={`${e.at}-${e.action}-${e.title}`}
              bullet={e.kind === 'fact' ? <IconCalendarEvent size={12} /> : <IconHistory size={12} />}
              title={
                <Text size="sm" fw={600}>
                  {e.title.charAt(0).toUpperCase() + e.title.slice(1)}
                </Text>
              }
            >
              <Text size="xs" c="dimmed">
                {e.kind === 'fact' ? formatDate(e.at.slice(0, 10)) : formatTimestamp(e.at)}
                {e.actor ? ` · ${e.actor}` : ''}
              </Text>
              {eventNote(e.detail) && <Text size="sm">{eventNote(e.detail)}</Text>}
            </Timeline.Item>
          ))}
        </Timeline>
      </Stack>
    </Card>
  );
}
