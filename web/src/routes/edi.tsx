import {
  Alert,
  Badge,
  Button,
  Code,
  Drawer,
  Group,
  Paper,
  ScrollArea,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { IconFileDownload, IconRefresh, IconTransfer } from '@tabler/icons-react';
import type { ColDef } from 'ag-grid-community';
import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { ediReaders, errorText, type InterchangeSummary, setNames, statusColor } from '../features/edi/edi';
import {
  type InterchangeFilters,
  interchangesQuery,
  useInterchange,
  useInterchanges,
  useReprocess,
} from '../features/edi/use-edi';
import { useUser } from '../features/identity/session';
import { hasAnyRole, isPartner } from '../features/identity/user';
import { DataGrid, widgetCell } from '../ui/data-grid';
import { gridViewsQuery } from '../ui/grid-views';
import { PageHeader } from '../ui/page-header';
import { startQuery } from '../ui/query-client';
import { SearchBox } from '../ui/search-box';
import { Segmented } from '../ui/segmented';
import { Empty, LoadError, Loading } from '../ui/states';

const views = [
  { value: 'all', label: 'All' },
  { value: 'in', label: 'Received' },
  { value: 'out', label: 'Sent' },
  { value: 'attention', label: 'Needs a fix' },
] as const;
type View = (typeof views)[number]['value'];

/** What the list asks the server for: the view's direction, the address's account. */
const listFilters = (view: View, account: string | null): InterchangeFilters => ({
  direction: view === 'in' || view === 'out' ? view : null,
  account_id: account,
});

/** What the page shows first: every interchange (of the address's account) and the grid's saved views. */
export function prefetch(url: URL): void {
  startQuery(interchangesQuery(listFilters('all', url.searchParams.get('account'))));
  startQuery(gridViewsQuery('edi-interchanges-grid'));
}

const time = (iso: string) =>
  new Date(iso).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' });

function InterchangePanel({ id, mayReprocess }: { id: string; mayReprocess: boolean }) {
  const detail = useInterchange(id);
  const reprocess = useReprocess();
  if (detail.isPending) return <Loading label="Loading the interchange…" />;
  if (detail.isError)
    return <LoadError error={detail.error} retry={() => void detail.refetch()} what="the interchange" />;
  const i = detail.data;
  const refused = i.sets.filter((s) => s.status === 'refused').length;
  return (
    <Stack gap="md" data-testid="interchange-panel">
      <Group gap="xs">
        <Badge color={statusColor(i.status)}>{i.status}</Badge>
        {i.direction === 'in' && (
          <Badge color={statusColor(i.ack_status)} variant="light">
            997 {i.ack_status ?? '—'}
          </Badge>
        )}
        <Badge variant="outline">{i.usage === 'T' ? 'test' : 'production'}</Badge>
      </Group>
      <Text size="sm">
        {i.direction === 'in' ? `From ${i.sender_id}` : `To ${i.receiver_id}`} · ISA13 {i.control_number} ·{' '}
        {time(i.created_at)}
        {i.file_name ? ` · ${i.file_name}` : ''}
      </Text>
      <Text size="sm" c="dimmed">
        {i.message}
      </Text>
      {i.duplicate_of && (
        <Alert color="gray">
          A duplicate of an interchange received before (same sender, same ISA13): not loaded again.
        </Alert>
      )}
      <Group gap="xs">
        <Button
          component="a"
          href={`/api/edi/interchanges/${i.interchange_id}/file`}
          variant="default"
          size="xs"
          leftSection={<IconFileDownload size={14} />}
        >
          X12 file
        </Button>
        {i.ack_interchange_id && (
          <Button
            component="a"
            href={`/api/edi/interchanges/${i.ack_interchange_id}/file`}
            variant="default"
            size="xs"
            leftSection={<IconFileDownload size={14} />}
          >
            Its 997
          </Button>
        )}
        {mayReprocess && i.direction === 'in' && refused > 0 && (
          <Button
            size="xs"
            leftSection={<IconRefresh size={14} />}
            loading={reprocess.isPending}
            onClick={() => reprocess.mutate(i.interchange_id)}
            data-testid="reprocess"
          >
            Reprocess {refused} refused set{refused === 1 ? '' : 's'}
          </Button>
        )}
      </Group>
      {reprocess.data && <Alert color="teal">{reprocess.data.message}</Alert>}
      {reprocess.error && <Alert color="red">{reprocess.error.message}</Alert>}
      <Title order={5}>Transaction sets</Title>
      <Table fz="sm" striped data-testid="interchange-sets">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Set</Table.Th>
            <Table.Th>ST02</Table.Th>
            <Table.Th>Reference</Table.Th>
            <Table.Th>Outcome</Table.Th>
            <Table.Th ta="right">Rows</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {i.sets.map((s) => (
            <Table.Tr key={s.seq}>
              <Table.Td>
                {s.set_code} {setNames[s.set_code] ? `· ${setNames[s.set_code]}` : ''}
              </Table.Td>
              <Table.Td>{s.control_number}</Table.Td>
              <Table.Td>{s.reference ?? ''}</Table.Td>
              <Table.Td>
                <Badge size="sm" color={statusColor(s.status)}>
                  {s.status === 'ignored' ? 'not read' : s.status}
                </Badge>
                {s.errors.map((e) => (
                  <Text
                    key={`${s.seq}-${e.segment}-${e.element ?? ''}-${e.reason}`}
                    size="xs"
                    c={s.status === 'ignored' ? 'dimmed' : 'red'}
                    mt={4}
                  >
                    {errorText(e)}
                  </Text>
                ))}
              </Table.Td>
              <Table.Td ta="right">{s.rows}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Title order={5}>X12</Title>
      <ScrollArea h={260} type="auto">
        <Code block fz="xs">
          {i.content}
        </Code>
      </ScrollArea>
    </Stack>
  );
}

/**
 * The interchange desk: every X12 interchange received (with its sets' outcome and the 997 that answered it)
 * and sent (997s, 849s); each opens with its sets, the errors in words with the segment and element, its X12,
 * and — for a partly refused one, after the fix — reprocess.
 */
export default function EdiPage() {
  const user = useUser();
  const mayReprocess = hasAnyRole(user, ediReaders);
  const [params, setParams] = useSearchParams();
  const chosen = params.get('interchange');
  const account = params.get('account');
  const [view, setView] = useState<View>('all');
  const [search, setSearch] = useState('');
  const list = useInterchanges(listFilters(view, account));
  const rows = (list.data?.items ?? []).filter(
    (i) => view !== 'attention' || i.sets_refused > 0 || i.status === 'refused',
  );
  const columns = useMemo<ColDef<InterchangeSummary>[]>(
    () => [
      {
        field: 'created_at',
        headerName: 'When',
        minWidth: 170,
        valueFormatter: (p) => (p.value ? time(p.value) : ''),
      },
      {
        field: 'direction',
        headerName: 'Way',
        minWidth: 100,
        valueFormatter: (p) => (p.value === 'in' ? 'Received' : 'Sent'),
      },
      {
        field: 'set_codes',
        headerName: 'Sets',
        minWidth: 170,
        valueGetter: (p) =>
          (p.data?.set_codes ?? []).map((c) => `${c} ${setNames[c] ?? ''}`.trim()).join(', '),
      },
      {
        headerName: 'Partner',
        minWidth: 150,
        valueGetter: (p) =>
          p.data
            ? `${p.data.direction === 'in' ? p.data.sender_id : p.data.receiver_id}${p.data.account_id ? ` · ${p.data.account_id}` : ''}`
            : '',
      },
      { field: 'control_number', headerName: 'ISA13', minWidth: 120 },
      {
        field: 'status',
        headerName: 'Outcome',
        minWidth: 130,
        cellClass: widgetCell,
        cellRenderer: (p: { data?: InterchangeSummary }) =>
          p.data ? <Badge color={statusColor(p.data.status)}>{p.data.status}</Badge> : null,
      },
      {
        field: 'ack_status',
        headerName: '997',
        minWidth: 120,
        cellClass: widgetCell,
        cellRenderer: (p: { data?: InterchangeSummary }) =>
          p.data?.direction === 'in' && p.data.ack_status ? (
            <Badge variant="light" color={statusColor(p.data.ack_status)}>
              {p.data.ack_status}
            </Badge>
          ) : null,
      },
      {
        headerName: 'Sets loaded',
        minWidth: 120,
        valueGetter: (p) =>
          p.data && p.data.sets_total > 0 ? `${p.data.sets_loaded} / ${p.data.sets_total}` : '—',
      },
      { field: 'message', headerName: 'What happened', minWidth: 320, flex: 2 },
    ],
    [],
  );
  const open = (id: string | null) => {
    const next = new URLSearchParams(params);
    if (id) next.set('interchange', id);
    else next.delete('interchange');
    setParams(next, { replace: true });
  };
  return (
    <>
      <PageHeader
        title={isPartner(user) ? 'EDI' : 'EDI interchanges'}
        description={
          isPartner(user)
            ? 'The X12 interchanges you sent us and what became of each set — loaded, or refused with the segment and element in error (correct it and send it again under a new control number) — and the 997s, 849s and 812s we sent you.'
            : `X12 received from trading partners (844 claims, 867 sell-out, 852 inventory, 812 deductions, 820 remittances) and sent to them (997 acknowledgments, 849 claim responses, 812 credit memos).${account ? ` Account ${account} only.` : ''} A refused set is named with its segment and element; fix the cause and reprocess.`
        }
        actions={<SearchBox value={search} onChange={setSearch} placeholder="Search interchanges" />}
      />
      <Stack gap="md">
        <Segmented
          value={view}
          onChange={(v) => setView(v as View)}
          data={[...views]}
          data-testid="edi-view"
        />
        {list.isPending ? (
          <Loading label="Loading interchanges…" />
        ) : list.isError ? (
          <LoadError error={list.error} retry={() => void list.refetch()} what="the interchanges" />
        ) : (
          <DataGrid<InterchangeSummary>
            rows={rows}
            columns={columns}
            rowId={(i) => i.interchange_id}
            testId="edi-interchanges-grid"
            search={search}
            onRowClick={(i) => open(i.interchange_id)}
            height={rows.length <= 12 ? 'auto' : undefined}
            empty={
              <Paper withBorder>
                <Empty
                  icon={<IconTransfer size={22} stroke={1.5} />}
                  title="No interchanges here"
                  description="X12 files loaded with clearhouse import or on the Imports page appear here, with the 997 that answered them."
                />
              </Paper>
            }
          />
        )}
      </Stack>
      <Drawer
        opened={chosen !== null}
        onClose={() => open(null)}
        position="right"
        size="xl"
        title="Interchange"
      >
        {chosen && <InterchangePanel id={chosen} mayReprocess={mayReprocess} />}
      </Drawer>
    </>
  );
}
