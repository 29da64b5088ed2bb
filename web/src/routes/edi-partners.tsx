import {
  Alert,
  Badge,
  Button,
  Group,
  Modal,
  MultiSelect,
  Paper,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { IconPlus, IconTransfer } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router';
import { ediAdmins, type TradingPartner } from '../features/edi/edi';
import { tradingPartnersQuery, useSaveTradingPartner, useTradingPartners } from '../features/edi/use-edi';
import { useUser } from '../features/identity/session';
import { hasAnyRole } from '../features/identity/user';
import { PageHeader } from '../ui/page-header';
import { startQuery } from '../ui/query-client';
import { Segmented } from '../ui/segmented';
import { Empty, LoadError, Loading } from '../ui/states';

const inbound = ['844', '852', '867', '812', '820'];
const outbound = ['849', '812'];

function PartnerModal({ partner, onClose }: { partner: TradingPartner | null; onClose: () => void }) {
  const save = useSaveTradingPartner();
  const [form, setForm] = useState({
    account_id: partner?.account_id ?? '',
    isa_qualifier: partner?.isa_qualifier ?? 'ZZ',
    isa_id: partner?.isa_id ?? '',
    gs_id: partner?.gs_id ?? '',
    sets_received: partner?.sets_received ?? ['844'],
    sets_sent: partner?.sets_sent ?? ['849'],
    usage: partner?.usage ?? ('test' as 'test' | 'production'),
  });
  const set = (k: keyof typeof form) => (v: unknown) => setForm((f) => ({ ...f, [k]: v }));
  return (
    <Modal
      opened
      onClose={onClose}
      title={partner ? `Trading partner ${partner.account_id}` : 'New trading partner'}
    >
      <Stack gap="sm">
        <TextInput
          label="Account"
          value={form.account_id}
          disabled={partner !== null}
          onChange={(e) => set('account_id')(e.currentTarget.value)}
          required
        />
        <Group grow>
          <TextInput
            label="ISA qualifier"
            value={form.isa_qualifier}
            onChange={(e) => set('isa_qualifier')(e.currentTarget.value)}
            maxLength={2}
          />
          <TextInput
            label="ISA id"
            value={form.isa_id}
            onChange={(e) => set('isa_id')(e.currentTarget.value)}
            maxLength={15}
            required
          />
        </Group>
        <TextInput
          label="GS id"
          description="Empty: the ISA id"
          value={form.gs_id}
          onChange={(e) => set('gs_id')(e.currentTarget.value)}
          maxLength={15}
        />
        <MultiSelect
          label="Sets it sends us"
          data={inbound}
          value={form.sets_received}
          onChange={set('sets_received')}
        />
        <MultiSelect
          label="Sets we send it (997s always)"
          data={outbound}
          value={form.sets_sent}
          onChange={set('sets_sent')}
        />
        <Segmented
          value={form.usage}
          onChange={set('usage')}
          data={[
            { value: 'test', label: 'Test' },
            { value: 'production', label: 'Production' },
          ]}
        />
        {save.error && <Alert color="red">{save.error.message}</Alert>}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button
            loading={save.isPending}
            onClick={() => save.mutate({ ...form, gs_id: form.gs_id || form.isa_id }, { onSuccess: onClose })}
          >
            Save
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** What the page shows first: the trading partners. */
export function prefetch(): void {
  startQuery(tradingPartnersQuery);
}

/** Trading partners: each partner account's ISA and GS identifiers, the sets it exchanges, test or production. */
export default function EdiPartnersPage() {
  const user = useUser();
  const mayEdit = hasAnyRole(user, ediAdmins);
  const list = useTradingPartners();
  const [editing, setEditing] = useState<TradingPartner | null | 'new'>(null);
  return (
    <>
      <PageHeader
        title="Trading partners"
        description="Partners that exchange X12 with us: the identifiers their interchanges carry (ISA06/GS02), what they send and receive, and whether they are still testing. An interchange from a trading partner may only carry its own account's data."
        actions={
          mayEdit && (
            <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')}>
              Trading partner
            </Button>
          )
        }
      />
      {list.isPending ? (
        <Loading label="Loading trading partners…" />
      ) : list.isError ? (
        <LoadError error={list.error} retry={() => void list.refetch()} what="the trading partners" />
      ) : list.data.items.length === 0 ? (
        <Paper withBorder>
          <Empty
            icon={<IconTransfer size={22} stroke={1.5} />}
            title="No trading partners yet"
            description="Add a partner account with its ISA identifier to exchange 844s and 849s."
          />
        </Paper>
      ) : (
        <Paper withBorder>
          <Table striped fz="sm" data-testid="edi-partners">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Account</Table.Th>
                <Table.Th>ISA</Table.Th>
                <Table.Th>GS</Table.Th>
                <Table.Th>Sends</Table.Th>
                <Table.Th>Receives</Table.Th>
                <Table.Th>Usage</Table.Th>
                <Table.Th>Last received</Table.Th>
                <Table.Th>Refused sets</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.data.items.map((p) => (
                <Table.Tr key={p.account_id}>
                  <Table.Td>
                    <Link to={`/accounts/${encodeURIComponent(p.account_id)}`}>{p.account_id}</Link>
                    <Text size="xs" c="dimmed">
                      {p.account_name}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    {p.isa_qualifier}/{p.isa_id}
                  </Table.Td>
                  <Table.Td>{p.gs_id}</Table.Td>
                  <Table.Td>{p.sets_received.join(', ')}</Table.Td>
                  <Table.Td>{[...p.sets_sent, '997'].join(', ')}</Table.Td>
                  <Table.Td>
                    <Badge color={p.usage === 'production' ? 'teal' : 'yellow'} variant="light">
                      {p.usage}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    {p.last_received_at ? new Date(p.last_received_at).toLocaleDateString('en-GB') : '—'}
                  </Table.Td>
                  <Table.Td>
                    {p.refused_sets > 0 ? (
                      <Link to={`/edi?account=${encodeURIComponent(p.account_id)}`}>{p.refused_sets}</Link>
                    ) : (
                      '0'
                    )}
                  </Table.Td>
                  <Table.Td>
                    {mayEdit && (
                      <Button size="xs" variant="subtle" onClick={() => setEditing(p)}>
                        Change
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
      )}
      {editing !== null && (
        <PartnerModal partner={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />
      )}
    </>
  );
}
