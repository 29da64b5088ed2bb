import { Alert, Anchor, Badge, Button, Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconCalendarEvent } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router';
import { adjustmentPath, monthEndRunners } from '../features/adjustments/adjustments';
import { monthEndRunsQuery, useMonthEndRuns, useRunMonthEnd } from '../features/adjustments/use-adjustments';
import { useUser } from '../features/identity/session';
import { hasAnyRole } from '../features/identity/user';
import { isDate, todayDate } from '../features/receivables/receivables';
import { DateInput } from '../ui/date-input';
import { formatDate, formatTimestamp } from '../ui/dates';
import { formatMoney } from '../ui/money';
import { PageHeader } from '../ui/page-header';
import { startQuery } from '../ui/query-client';
import { Empty, LoadError, Loading } from '../ui/states';

/** What the page shows first: the month-end runs. */
export function prefetch(): void {
  startQuery(monthEndRunsQuery);
}

/** The month end: on a month's last day the open non-compliance charges are written off; each run and what it wrote off. */
export default function MonthEndPage() {
  const user = useUser();
  const runs = useMonthEndRuns();
  const run = useRunMonthEnd();
  const [asOf, setAsOf] = useState(todayDate());
  const mayRun = hasAnyRole(user, monthEndRunners);
  return (
    <>
      <PageHeader
        title="Month end"
        description="Every day at 22:00 UTC the month-end job runs; on a month’s last calendar day it writes off each non-compliance charge still open that day (NCC_MONTH_END, dated that day). Running again writes off nothing more."
        actions={
          mayRun && (
            <Group align="flex-end">
              <DateInput
                label="As of"
                value={asOf}
                onChange={(e) => setAsOf(e.currentTarget.value)}
                w={170}
                data-testid="month-end-as-of"
              />
              <Button
                leftSection={<IconCalendarEvent size={16} />}
                disabled={!isDate(asOf)}
                loading={run.isPending}
                data-testid="month-end-run"
                onClick={() =>
                  run.mutate(asOf, {
                    onSuccess: (r) =>
                      notifications.show({
                        color: r.charges > 0 ? 'teal' : 'gray',
                        title: 'Month end run',
                        message: r.last_day
                          ? `${r.charges} charge(s) written off on ${formatDate(r.as_of)}.`
                          : `${formatDate(r.as_of)} is not a month’s last day: nothing written off.`,
                      }),
                  })
                }
              >
                Run now
              </Button>
            </Group>
          )
        }
      />
      {run.error && (
        <Alert color="red" variant="light" mb="md">
          {run.error.message}
        </Alert>
      )}
      {runs.isPending ? (
        <Loading label="Loading runs…" />
      ) : runs.isError ? (
        <LoadError error={runs.error} retry={() => void runs.refetch()} what="the month-end runs" />
      ) : runs.data.items.length === 0 ? (
        <Empty
          icon={<IconCalendarEvent size={22} stroke={1.5} />}
          title="No month end yet"
          description="The job runs on each month’s last day."
        />
      ) : (
        <Stack gap="lg" data-testid="month-end-runs">
          {runs.data.items.map((r) => (
            <Card key={r.run_id}>
              <Stack gap="xs">
                <Group>
                  <Title order={5}>{formatDate(r.as_of)}</Title>
                  <Badge variant="light" color={r.charges > 0 ? 'teal' : 'gray'}>
                    {r.last_day ? `${r.charges} written off` : 'not a last day'}
                  </Badge>
                  <Text size="xs" c="dimmed">
                    {r.ran_by}, {formatTimestamp(r.ran_at)}
                  </Text>
                </Group>
                {r.written_off.length > 0 && (
                  <Table withTableBorder striped>
                    <Table.Tbody>
                      {r.written_off.map((w) => (
                        <Table.Tr key={`${w.adjustment_id}-${w.document_id}`}>
                          <Table.Td>
                            <Anchor component={Link} to={adjustmentPath(w.adjustment_id)} size="sm">
                              {w.adjustment_id}
                            </Anchor>
                          </Table.Td>
                          <Table.Td>{w.account_id}</Table.Td>
                          <Table.Td>{w.document_id}</Table.Td>
                          <Table.Td ta="right">{formatMoney(w.amount, w.currency)}</Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                )}
              </Stack>
            </Card>
          ))}
        </Stack>
      )}
    </>
  );
}
