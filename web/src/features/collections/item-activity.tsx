import { Anchor, Badge, Card, Group, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { formatTimestamp } from '../../ui/dates';
import { LoadError, Loading } from '../../ui/states';
import { statusColors } from '../correspondence/correspondence';
import { outcomeLabel } from './collections';
import { useTimeline } from './use-collections';

/** What the collections desk did about one item: e-mails about it (reminders, copies), comments, calls, tasks. */
export function ItemActivity({ accountId, documentId }: { accountId: string; documentId: string }) {
  const timeline = useTimeline(accountId, documentId);
  const entries = (timeline.data?.entries ?? []).filter((e) => e.source !== 'audit');
  return (
    <Card data-testid="item-activity">
      <Group justify="space-between" mb="sm">
        <Title order={4} fw={600}>
          Correspondence and notes
        </Title>
        <Anchor component={Link} to={`/accounts/${encodeURIComponent(accountId)}`} size="sm">
          Account timeline
        </Anchor>
      </Group>
      {timeline.isPending ? (
        <Loading label="Loading…" />
      ) : timeline.isError ? (
        <LoadError error={timeline.error} retry={() => void timeline.refetch()} what="the item’s activity" />
      ) : entries.length === 0 ? (
        <Text size="sm" c="dimmed">
          Nothing sent or noted about this item yet.
        </Text>
      ) : (
        <Stack gap="sm">
          {entries.map((e) => (
            <Stack key={`${e.source}-${e.id}`} gap={2} data-testid="item-activity-entry">
              <Group gap="xs">
                <Text size="sm" fw={500}>
                  {e.source === 'email'
                    ? `E-mail (${e.kind.replaceAll('_', ' ')}): ${e.subject ?? ''}`
                    : e.kind === 'call'
                      ? `Call: ${outcomeLabel(e.outcome)}`
                      : e.kind.charAt(0).toUpperCase() + e.kind.slice(1)}
                </Text>
                {e.source === 'email' && e.status && (
                  <Badge
                    size="xs"
                    variant="light"
                    color={statusColors[e.status as keyof typeof statusColors] ?? 'gray'}
                  >
                    {e.status}
                  </Badge>
                )}
              </Group>
              {e.source !== 'email' && e.body && (
                <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                  {e.body}
                </Text>
              )}
              <Text size="xs" c="dimmed">
                {formatTimestamp(e.occurred_at)}
                {e.actor ? ` · ${e.actor}` : ''}
              </Text>
            </Stack>
          ))}
        </Stack>
      )}
    </Card>
  );
}
