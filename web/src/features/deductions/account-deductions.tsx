import { Anchor, Badge, Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { formatDate } from '../../ui/dates';
import { formatMoney } from '../../ui/money';
import { deductionPath, queueLabels, slaColors, slaLabels, statusColors, statusLabels } from './deductions';
import { useDeductions } from './use-deductions';

/** What Account 360 lists of an account's deductions (and asks for ahead: routes/account.tsx). */
export const accountDeductionsFilter = (accountId: string) => ({
  account_id: accountId,
  status: 'open,denied',
  limit: 10,
});

/** Account 360's deductions: the account's open and denied ones by SLA, each linked to its page. */
export function AccountDeductions({ accountId }: { accountId: string }) {
  const list = useDeductions(accountDeductionsFilter(accountId));
  const items = list.data?.items ?? [];
  const total = list.data?.total ?? 0;
  return (
    <Card data-testid="account-deductions">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={4} fw={600}>
            Deductions
          </Title>
          <Anchor
            component={Link}
            to={`/deductions?queue=all&account=${encodeURIComponent(accountId)}`}
            size="sm"
          >
            All of the account’s deductions
          </Anchor>
        </Group>
        {items.length === 0 ? (
          <Text size="sm" c="dimmed">
            {list.isPending ? 'Loading…' : 'Nothing open or denied.'}
          </Text>
        ) : (
          <Table striped withTableBorder fz="sm">
            <Table.Tbody>
              {items.map((d) => (
                <Table.Tr key={d.deduction_id}>
                  <Table.Td>
                    <Anchor component={Link} to={deductionPath(d.deduction_id)} size="sm">
                      {d.deduction_id}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{formatDate(d.deduction_date)}</Table.Td>
                  <Table.Td>{queueLabels[d.queue]}</Table.Td>
                  <Table.Td ta="right">{formatMoney(d.open_amount, d.currency)}</Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      <Badge variant="light" color={statusColors[d.status]}>
                        {statusLabels[d.status]}
                      </Badge>
                      {d.sla_state && (
                        <Badge variant="light" color={slaColors[d.sla_state]}>
                          {slaLabels[d.sla_state]}
                        </Badge>
                      )}
                      {d.payback_overdue && (
                        <Badge variant="light" color="red">
                          payback overdue
                        </Badge>
                      )}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        {total > items.length && (
          <Text size="xs" c="dimmed">
            {total - items.length} more
          </Text>
        )}
      </Stack>
    </Card>
  );
}
