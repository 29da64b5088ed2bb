import { Anchor, Badge, Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { formatDate } from '../../ui/dates';
import { formatMoney } from '../../ui/money';
import { adjustmentPath, kindLabels, statusColors } from './adjustments';
import { useAdjustments } from './use-adjustments';

/** The adjustments requested on a document or an account, newest first, each linked to its page. */
export function AdjustmentsCard({ documentId, accountId }: { documentId?: string; accountId?: string }) {
  const list = useAdjustments({ document_id: documentId, account_id: documentId ? undefined : accountId });
  const items = list.data?.items ?? [];
  return (
    <Card data-testid="adjustments-card">
      <Stack gap="sm">
        <Title order={4} fw={600}>
          Adjustments and write-offs
        </Title>
        {items.length === 0 ? (
          <Text size="sm" c="dimmed">
            {list.isPending ? 'Loading…' : 'None requested.'}
          </Text>
        ) : (
          <Table striped withTableBorder>
            <Table.Tbody>
              {items.map((a) => (
                <Table.Tr key={a.adjustment_id}>
                  <Table.Td>
                    <Anchor component={Link} to={adjustmentPath(a.adjustment_id)} size="sm">
                      {a.adjustment_id}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{kindLabels[a.kind]}</Table.Td>
                  <Table.Td ta="right">{formatMoney(a.amount, a.currency)}</Table.Td>
                  <Table.Td>
                    <Group gap={6}>
                      <Badge color={statusColors[a.status]} variant="light">
                        {a.status}
                      </Badge>
                      {a.posted_on && <Text size="xs">{formatDate(a.posted_on)}</Text>}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </Card>
  );
}
