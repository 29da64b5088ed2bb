import { Anchor, Badge, Card, Group, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { LoadError, Loading } from '../../ui/states';
import { useAccountEdi } from './use-edi';

const when = (iso: string | null) =>
  iso ? new Date(iso).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' }) : 'never';

/** The account's EDI status: whether it is a trading partner, its identifiers, what it exchanges, the last traffic. */
export function EdiStatusCard({ accountId }: { accountId: string }) {
  const edi = useAccountEdi(accountId);
  return (
    <Card data-testid="account-edi">
      <Group justify="space-between" mb="xs">
        <Title order={4}>EDI</Title>
        {edi.data && (
          <Badge color={edi.data.usage === 'production' ? 'teal' : 'yellow'} variant="light">
            {edi.data.usage}
          </Badge>
        )}
      </Group>
      {edi.isPending ? (
        <Loading label="Loading…" />
      ) : edi.isError ? (
        <LoadError error={edi.error} retry={() => void edi.refetch()} what="the EDI status" />
      ) : !edi.data ? (
        <Text size="sm" c="dimmed">
          Not a trading partner: this account exchanges no X12.
        </Text>
      ) : (
        <Stack gap={4}>
          <Text size="sm">
            ISA {edi.data.isa_qualifier}/{edi.data.isa_id} · GS {edi.data.gs_id}
          </Text>
          <Text size="sm">
            Sends {edi.data.sets_received.join(', ') || 'nothing'} · receives{' '}
            {edi.data.sets_sent.join(', ') || 'nothing'} and 997s
          </Text>
          <Text size="sm" c="dimmed">
            Last received {when(edi.data.last_received_at)}; last sent {when(edi.data.last_sent_at)}
          </Text>
          {edi.data.refused_sets > 0 && (
            <Text size="sm" c="red">
              {edi.data.refused_sets} refused set{edi.data.refused_sets === 1 ? '' : 's'} waiting for a fix
            </Text>
          )}
          <Anchor component={Link} to={`/edi?account=${encodeURIComponent(accountId)}`} size="sm">
            Its interchanges
          </Anchor>
        </Stack>
      )}
    </Card>
  );
}
