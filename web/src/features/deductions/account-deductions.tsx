import { Anchor, Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { formatDate } from '../../ui/dates';
import { GridBadge } from '../../ui/grid-badge';
import { formatMoney } from '../../ui/money';
import { plainCell, plainFigureCell, plainRow } from '../../ui/plain-table';
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
                <tr key={d.deduction_id} {...plainRow({ striped: true })}>
                  <td className={plainCell}>
                    <Link className="plain-link" to={deductionPath(d.deduction_id)}>
                      {d.deduction_id}
                    </Link>
                  </td>
                  <td className={plainCell}>{formatDate(d.deduction_date)}</td>
                  <td className={plainCell}>{queueLabels[d.queue]}</td>
                  <td className={plainFigureCell}>{formatMoney(d.open_amount, d.currency)}</td>
                  <td className={`${plainCell} badges`}>
                    <GridBadge color={statusColors[d.status]}>{statusLabels[d.status]}</GridBadge>
                    {d.sla_state && (
                      <GridBadge color={slaColors[d.sla_state]}>{slaLabels[d.sla_state]}</GridBadge>
                    )}
                    {d.payback_overdue && <GridBadge color="red">payback overdue</GridBadge>}
                  </td>
                </tr>
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
