import { Alert, Anchor, Group, Text } from '@mantine/core';
import { IconScale } from '@tabler/icons-react';
import { Link } from 'react-router';
import { formatDate } from '../../ui/dates';
import { formatMoney } from '../../ui/money';
import { SlaBadge, StateBadge } from './dispute-badges';
import { categoryLabels, disputePath, teamLabels } from './disputes';
import { useDisputes } from './use-disputes';

/** On an invoice's page: the dispute being worked on it, if any, and the earlier ones. */
export function DisputeBanner({ documentId }: { documentId: string }) {
  const list = useDisputes({ document_id: documentId, state: 'all' });
  const items = list.data?.items ?? [];
  if (items.length === 0) return null;
  const active = items.filter((d) => d.state === 'open' || d.state === 'in_review');
  const earlier = items.filter((d) => d.state !== 'open' && d.state !== 'in_review');
  return (
    <>
      {active.map((d) => (
        <Alert
          key={d.dispute_id}
          color="orange"
          variant="light"
          icon={<IconScale size={18} />}
          title={`In dispute: ${formatMoney(d.amount, d.currency)} (${categoryLabels[d.category].toLowerCase()})`}
          data-testid="in-dispute"
          mb="lg"
        >
          <Group gap="xs">
            <Anchor component={Link} to={disputePath(d.dispute_id)} size="sm" fw={600}>
              {d.dispute_id}
            </Anchor>
            <Text size="sm">
              with {teamLabels[d.team]}
              {d.assignee ? ` (${d.assignee})` : ''}, due {formatDate(d.due_date)}
            </Text>
            <StateBadge dispute={d} />
            <SlaBadge dispute={d} />
          </Group>
          <Text size="sm" c="dimmed" mt={4}>
            Reminders and collection strategies leave the disputed amount alone until the dispute ends.
          </Text>
        </Alert>
      ))}
      {earlier.length > 0 && (
        <Text size="sm" c="dimmed" mb="md">
          Earlier disputes:{' '}
          {earlier.map((d, i) => (
            <span key={d.dispute_id}>
              {i > 0 ? ', ' : ''}
              <Anchor component={Link} to={disputePath(d.dispute_id)} size="sm">
                {d.dispute_id}
              </Anchor>{' '}
              ({d.state.replaceAll('_', ' ')})
            </span>
          ))}
        </Text>
      )}
    </>
  );
}
