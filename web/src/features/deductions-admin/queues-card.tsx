import { Alert, Button, Card, NumberInput, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { fieldErrors } from '../../ui/api';
import { LoadError, Loading } from '../../ui/states';
import { type DeductionQueueRow, queueLabels } from './deductions-admin';
import { useDeductionQueues, useSaveQueue } from './use-deductions-admin';

function QueueRow({ q, editable }: { q: DeductionQueueRow; editable: boolean }) {
  const [days, setDays] = useState<number | string>(q.sla_business_days);
  const [email, setEmail] = useState(q.email ?? '');
  const save = useSaveQueue();
  const errors = fieldErrors(save.error);
  const changed = Number(days) !== q.sla_business_days || email.trim() !== (q.email ?? '');
  return (
    <Table.Tr data-testid={`queue-${q.queue}`}>
      <Table.Td fw={500}>{queueLabels[q.queue]}</Table.Td>
      <Table.Td>
        <Text size="sm" c="dimmed">
          {q.role.replaceAll('_', ' ')}
        </Text>
      </Table.Td>
      <Table.Td w={150}>
        {editable ? (
          <NumberInput
            aria-label={`SLA of ${queueLabels[q.queue]} in business days`}
            min={1}
            max={120}
            value={days}
            onChange={setDays}
            error={errors.sla_business_days}
            size="xs"
          />
        ) : (
          q.sla_business_days
        )}
      </Table.Td>
      <Table.Td>
        {editable ? (
          <TextInput
            aria-label={`Mailbox of ${queueLabels[q.queue]}`}
            placeholder="the users with the role"
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
            error={errors.email}
            size="xs"
          />
        ) : (
          (q.email ?? '—')
        )}
      </Table.Td>
      {editable && (
        <Table.Td w={90}>
          <Button
            size="xs"
            variant="light"
            disabled={!changed}
            loading={save.isPending}
            onClick={() =>
              save.mutate(
                { queue: q.queue, sla_business_days: Number(days), email: email.trim() || null },
                {
                  onSuccess: () =>
                    notifications.show({
                      color: 'teal',
                      title: 'Queue saved',
                      message: queueLabels[q.queue],
                    }),
                },
              )
            }
          >
            Save
          </Button>
          {save.error && !Object.keys(errors).length && (
            <Text size="xs" c="red">
              {save.error.message}
            </Text>
          )}
        </Table.Td>
      )}
    </Table.Tr>
  );
}

/** The teams that work deductions: each queue's SLA in business days and its shared mailbox. */
export function QueuesCard({ editable }: { editable: boolean }) {
  const queues = useDeductionQueues();
  return (
    <Card data-testid="deduction-queues-card">
      <Stack gap="sm">
        <Title order={4} fw={600}>
          Queues
        </Title>
        <Text size="sm" c="dimmed">
          A deduction’s SLA clock starts when it is taken or moved to the queue and counts business days of
          the customer’s country.
        </Text>
        {queues.isPending ? (
          <Loading label="Loading queues…" />
        ) : queues.isError ? (
          <LoadError error={queues.error} retry={() => void queues.refetch()} what="the queues" />
        ) : (
          <Table withTableBorder striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Queue</Table.Th>
                <Table.Th>Worked by</Table.Th>
                <Table.Th>SLA (business days)</Table.Th>
                <Table.Th>Mailbox</Table.Th>
                {editable && <Table.Th />}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {queues.data.items.map((q) => (
                <QueueRow key={`${q.queue}:${q.updated_at}`} q={q} editable={editable} />
              ))}
            </Table.Tbody>
          </Table>
        )}
        {queues.data && queues.data.items.length === 0 && <Alert color="gray">No queues.</Alert>}
      </Stack>
    </Card>
  );
}
