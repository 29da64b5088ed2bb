import { Badge, Button, Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import { IconPencil, IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { countryName } from '../features/accounts/account';
import { type Strategy, stepKindLabel, strategyEditors } from '../features/collections/collections';
import { StrategyEditor } from '../features/collections/strategy-editor';
import { strategiesQuery, useStrategies } from '../features/collections/use-collections';
import { useUser } from '../features/identity/session';
import { hasAnyRole } from '../features/identity/user';
import { formatTimestamp } from '../ui/dates';
import { PageHeader } from '../ui/page-header';
import { startQuery } from '../ui/query-client';
import { LoadError, Loading } from '../ui/states';

function scope(s: Strategy): string {
  if (s.is_default) return 'Every account no other strategy covers';
  return [s.segment && `Segment ${s.segment}`, s.country && `${countryName(s.country)} (${s.country})`]
    .filter(Boolean)
    .join(' · ');
}

/** What the page shows first: the collection strategies. */
export function prefetch(): void {
  startQuery(strategiesQuery);
}

/**
 * Collection strategies per segment and country: the steps each account follows when it falls past due.
 * The most specific strategy for an account wins (segment and country, then segment, then country, then the
 * default). Administrators create and edit them; the collections desk reads them.
 */
export default function AdminStrategiesPage() {
  const user = useUser();
  const mayEdit = hasAnyRole(user, strategyEditors);
  const strategies = useStrategies();
  const [editing, setEditing] = useState<Strategy | null | 'new'>(null);

  return (
    <>
      <PageHeader
        title="Collection strategies"
        description="What happens when an account falls past due: reminders and notices by e-mail, calls, escalation to sales, credit-hold recommendations and a final demand, by days past due. Each account follows the most specific strategy for its segment and country."
        actions={
          mayEdit && (
            <Button
              leftSection={<IconPlus size={16} />}
              onClick={() => setEditing('new')}
              data-testid="new-strategy"
            >
              New strategy
            </Button>
          )
        }
      />
      {strategies.isPending ? (
        <Loading label="Loading strategies…" />
      ) : strategies.isError ? (
        <LoadError error={strategies.error} retry={() => void strategies.refetch()} what="the strategies" />
      ) : (
        <Stack gap="lg">
          {strategies.data.items.map((s) => (
            <Card key={s.strategy_id} data-testid="strategy-card">
              <Group justify="space-between" align="flex-start" mb="xs">
                <Stack gap={2}>
                  <Group gap="xs">
                    <Title order={4}>{s.name}</Title>
                    {s.is_default && <Badge variant="light">default</Badge>}
                  </Group>
                  <Text size="sm" c="dimmed">
                    {scope(s)} · {s.accounts} account{s.accounts === 1 ? '' : 's'} follow it
                  </Text>
                </Stack>
                {mayEdit && (
                  <Button
                    size="xs"
                    variant="default"
                    leftSection={<IconPencil size={14} />}
                    onClick={() => setEditing(s)}
                  >
                    Edit
                  </Button>
                )}
              </Group>
              {s.description && (
                <Text size="sm" mb="xs">
                  {s.description}
                </Text>
              )}
              <Table verticalSpacing={4} fz="sm">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th w={40}>#</Table.Th>
                    <Table.Th w={300}>Step</Table.Th>
                    <Table.Th>When</Table.Th>
                    <Table.Th>What it does</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {s.steps.map((st) => (
                    <Table.Tr key={st.step_id}>
                      <Table.Td>{st.step_no}</Table.Td>
                      <Table.Td>
                        <Group gap={6} wrap="nowrap">
                          {stepKindLabel(st.kind)}
                          <Badge size="xs" variant="outline" color="gray">
                            {st.action === 'email' ? 'e-mail' : 'task'}
                          </Badge>
                        </Group>
                      </Table.Td>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>{st.when}</Table.Td>
                      <Table.Td>
                        <Text size="sm" lineClamp={1}>
                          {st.action === 'email'
                            ? st.subject
                            : `task, due in ${st.sla_business_days} business day${st.sla_business_days === 1 ? '' : 's'}`}
                        </Text>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
              <Text size="xs" c="dimmed" mt="xs">
                Last changed {formatTimestamp(s.updated_at)}
              </Text>
            </Card>
          ))}
        </Stack>
      )}
      {editing && (
        <StrategyEditor strategy={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />
      )}
    </>
  );
}
