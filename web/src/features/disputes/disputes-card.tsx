import { Anchor, Button, Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import { IconScale } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router';
import { formatDate } from '../../ui/dates';
import { formatMoney } from '../../ui/money';
import { LoadError, Loading } from '../../ui/states';
import { SlaBadge, StateBadge } from './dispute-badges';
import { categoryLabels, disputePath, teamLabels } from './disputes';
import { OpenDisputeModal } from './open-dispute-modal';
import { useDisputes } from './use-disputes';

/** Account 360: the account's disputes being worked (and the last ones closed); open one from here. */
export function DisputesCard({ accountId, mayOpen }: { accountId: string; mayOpen: boolean }) {
  const list = useDisputes({ account_id: accountId, state: 'all' });
  const [opening, setOpening] = useState(false);
  const items = list.data?.items ?? [];
  const active = items.filter((d) => d.state === 'open' || d.state === 'in_review');
  const closed = items.filter((d) => d.state !== 'open' && d.state !== 'in_review').slice(0, 5);
  return (
    <Card data-testid="account-disputes">
      <Group justify="space-between" mb="sm">
        <Title order={4}>Disputes</Title>
        {mayOpen && (
          <Button
            size="xs"
            variant="light"
            leftSection={<IconScale size={14} />}
            onClick={() => setOpening(true)}
            data-testid="account-open-dispute"
          >
            Open dispute
          </Button>
        )}
      </Group>
      {list.isPending ? (
        <Loading label="Loading disputes…" />
      ) : list.isError ? (
        <LoadError error={list.error} retry={() => void list.refetch()} what="the disputes" />
      ) : items.length === 0 ? (
        <Text size="sm" c="dimmed">
          No disputes.
        </Text>
      ) : (
        <Stack gap="xs">
          {active.length === 0 && (
            <Text size="sm" c="dimmed">
              Nothing in dispute now.
            </Text>
          )}
          <Table verticalSpacing={6} fz="sm">
            <Table.Tbody>
              {[...active, ...closed].map((d) => (
                <Table.Tr key={d.dispute_id}>
                  <Table.Td>
                    <Group gap={6}>
                      <Anchor component={Link} to={disputePath(d.dispute_id)} size="sm">
                        {d.dispute_id}
                      </Anchor>
                      <StateBadge dispute={d} />
                    </Group>
                    <Text size="xs" c="dimmed">
                      {d.document_id} · {categoryLabels[d.category]} · {teamLabels[d.team]}
                    </Text>
                    {d.state === 'open' || d.state === 'in_review' ? (
                      <SlaBadge dispute={d} />
                    ) : (
                      <Text size="xs" c="dimmed">
                        closed {formatDate(d.closed_on)}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td ta="right" style={{ whiteSpace: 'nowrap', verticalAlign: 'top' }}>
                    {formatMoney(d.amount, d.currency)}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Stack>
      )}
      {opening && <OpenDisputeModal accountId={accountId} onClose={() => setOpening(false)} />}
    </Card>
  );
}
