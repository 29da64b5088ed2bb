import { Button, Drawer, Group, Paper, Stack, Table, Text } from '@mantine/core';
import { IconFileCertificate, IconFileDownload } from '@tabler/icons-react';
import type { ColDef } from 'ag-grid-community';
import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { sessionUser, useUser } from '../features/identity/session';
import { hasAnyRole, type User } from '../features/identity/user';
import { CertificateBadge } from '../features/tax/certificate-badge';
import { CertificatePanel } from '../features/tax/certificate-panel';
import { type Certificate, flagLabels, type TaxFlag, taxTeam } from '../features/tax/tax';
import {
  type CertificateFilters,
  certificatesQuery,
  useCertificates,
  useTaxExceptions,
} from '../features/tax/use-tax';
import { DataGrid, widgetCell } from '../ui/data-grid';
import { formatDate } from '../ui/dates';
import { gridViewsQuery } from '../ui/grid-views';
import { PageHeader } from '../ui/page-header';
import { startAfter, startQuery } from '../ui/query-client';
import { SearchBox } from '../ui/search-box';
import { Segmented } from '../ui/segmented';
import { Empty, LoadError, Loading } from '../ui/states';

const views = [
  { value: 'queue', label: 'To check' },
  { value: 'requested', label: 'Requested' },
  { value: 'validated', label: 'Valid' },
  { value: 'expiring', label: 'Expiring' },
  { value: 'expired', label: 'Expired' },
  { value: 'rejected', label: 'Rejected' },
  { value: 'all', label: 'All' },
  { value: 'exceptions', label: 'Invoice exceptions' },
] as const;
type View = (typeof views)[number]['value'];

/** The view the page opens on: the tax team's queue, everyone else every certificate. */
const firstView = (user: Pick<User, 'roles'>): View => (hasAnyRole(user, taxTeam) ? 'queue' : 'all');

/** What the list asks the server for in a view. */
const listFilters = (view: View): CertificateFilters =>
  view === 'expiring'
    ? { status: 'validated', expiring_within_days: 60 }
    : { status: view === 'exceptions' ? 'all' : view };

/**
 * What the page shows first: the grid's saved views and, once the user's roles are known, the certificates of
 * the view it opens on.
 */
export function prefetch(): void {
  startQuery(gridViewsQuery('tax-certificates-grid'));
  startAfter(sessionUser(), (user) => {
    if (user) startQuery(certificatesQuery(listFilters(firstView(user))));
  });
}

function Exceptions() {
  const [flag, setFlag] = useState<TaxFlag | null>(null);
  const list = useTaxExceptions(flag);
  if (list.isPending) return <Loading label="Checking invoices…" />;
  if (list.isError)
    return <LoadError error={list.error} retry={() => void list.refetch()} what="the tax exceptions" />;
  const { items, counts, checked } = list.data;
  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          {checked} invoice(s) name a tax jurisdiction;{' '}
          {counts.TAX_CHARGED_TO_EXEMPT + counts.EXEMPTION_WITHOUT_CERTIFICATE} are flagged.
        </Text>
        <Segmented
          size="xs"
          value={flag ?? 'all'}
          onChange={(v) => setFlag(v === 'all' ? null : (v as TaxFlag))}
          data={[
            { value: 'all', label: 'All' },
            {
              value: 'TAX_CHARGED_TO_EXEMPT',
              label: `${flagLabels.TAX_CHARGED_TO_EXEMPT} (${counts.TAX_CHARGED_TO_EXEMPT})`,
            },
            {
              value: 'EXEMPTION_WITHOUT_CERTIFICATE',
              label: `${flagLabels.EXEMPTION_WITHOUT_CERTIFICATE} (${counts.EXEMPTION_WITHOUT_CERTIFICATE})`,
            },
          ]}
        />
      </Group>
      <Paper withBorder>
        {items.length === 0 ? (
          <Empty
            icon={<IconFileCertificate size={22} stroke={1.5} />}
            title="Nothing flagged"
            description="Every invoice that names a jurisdiction agrees with the customer's certificates."
          />
        ) : (
          <Table striped fz="sm" data-testid="tax-exceptions">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Invoice</Table.Th>
                <Table.Th>Account</Table.Th>
                <Table.Th>Jurisdiction</Table.Th>
                <Table.Th>Date</Table.Th>
                <Table.Th ta="right">Tax</Table.Th>
                <Table.Th>Flag</Table.Th>
                <Table.Th>Certificate</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((x) => (
                <Table.Tr key={x.document_id}>
                  <Table.Td>{x.document_id}</Table.Td>
                  <Table.Td>{x.account_id}</Table.Td>
                  <Table.Td>{x.tax_jurisdiction}</Table.Td>
                  <Table.Td>{formatDate(x.document_date)}</Table.Td>
                  <Table.Td ta="right">{x.tax_amount ?? '—'}</Table.Td>
                  <Table.Td>
                    <Text size="sm" c={x.flag === 'TAX_CHARGED_TO_EXEMPT' ? 'orange' : 'red'}>
                      {flagLabels[x.flag]}
                    </Text>
                  </Table.Td>
                  <Table.Td>{x.certificate_number ?? ''}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Paper>
    </Stack>
  );
}

/**
 * The tax team's queue: certificates customers sent, oldest first, to validate or reject; those requested
 * and not in yet, those valid, expiring within 60 days or expired; and the invoices flagged against them.
 */
export default function TaxCertificatesPage() {
  const user = useUser();
  const [params, setParams] = useSearchParams();
  const chosen = params.get('certificate');
  const [view, setView] = useState<View>(() => firstView(user));
  const [search, setSearch] = useState('');
  const list = useCertificates(listFilters(view));
  const columns = useMemo<ColDef<Certificate>[]>(
    () => [
      {
        field: 'account_id',
        headerName: 'Customer',
        minWidth: 220,
        flex: 1.5,
        valueGetter: (p) => (p.data ? `${p.data.account_name ?? ''} · ${p.data.account_id}` : ''),
      },
      { field: 'jurisdiction', headerName: 'Jurisdiction', minWidth: 120 },
      { field: 'certificate_number', headerName: 'Number', minWidth: 140 },
      {
        field: 'status',
        headerName: 'State',
        minWidth: 230,
        cellClass: widgetCell,
        cellRenderer: (p: { data?: Certificate }) =>
          p.data ? <CertificateBadge certificate={p.data} /> : null,
      },
      {
        field: 'effective_date',
        headerName: 'Valid from',
        minWidth: 120,
        valueFormatter: (p) => formatDate(p.value),
      },
      {
        field: 'expiry_date',
        headerName: 'Valid until',
        minWidth: 120,
        valueFormatter: (p) => (p.data?.effective_date ? formatDate(p.value) || 'no expiry' : ''),
      },
      {
        field: 'received_on',
        headerName: 'Received',
        minWidth: 120,
        valueFormatter: (p) => formatDate(p.value),
      },
      {
        field: 'requested_on',
        headerName: 'Requested',
        minWidth: 120,
        valueFormatter: (p) => formatDate(p.value),
      },
    ],
    [],
  );
  const counts = list.data?.counts;
  const label = (v: (typeof views)[number]) => {
    const n = !counts
      ? undefined
      : v.value === 'queue'
        ? counts.received
        : v.value === 'validated' ||
            v.value === 'requested' ||
            v.value === 'expired' ||
            v.value === 'rejected'
          ? counts[v.value]
          : undefined;
    return n !== undefined ? `${v.label} (${n})` : v.label;
  };
  const open = (id: string | null) => {
    const next = new URLSearchParams(params);
    if (id) next.set('certificate', id);
    else next.delete('certificate');
    setParams(next, { replace: true });
  };

  return (
    <>
      <PageHeader
        title="Tax certificates"
        description="Customers' tax-exempt certificates per jurisdiction. Check what arrived against the file and validate or reject it; a validated certificate exempts the customer's invoices dated within it. Customers and the tax team are reminded 60 and 30 days before one expires and on the day."
        actions={
          <>
            {view !== 'exceptions' && (
              <SearchBox value={search} onChange={setSearch} placeholder="Search certificates" />
            )}
            <Button
              component="a"
              href="/api/tax-exceptions.csv"
              variant="default"
              leftSection={<IconFileDownload size={16} />}
            >
              tax_exceptions.csv
            </Button>
          </>
        }
      />
      <Stack gap="md">
        <Segmented
          value={view}
          onChange={(v) => setView(v as View)}
          data={views.map((v) => ({ value: v.value, label: label(v) }))}
          data-testid="tax-view"
        />
        {view === 'exceptions' ? (
          <Exceptions />
        ) : list.isPending ? (
          <Loading label="Loading certificates…" />
        ) : list.isError ? (
          <LoadError error={list.error} retry={() => void list.refetch()} what="the certificates" />
        ) : (
          <DataGrid<Certificate>
            rows={list.data.items}
            columns={columns}
            rowId={(c) => c.certificate_id}
            testId="tax-certificates-grid"
            search={search}
            onRowClick={(c) => open(c.certificate_id)}
            height={list.data.items.length <= 12 ? 'auto' : undefined}
            empty={
              <Paper withBorder>
                <Empty
                  icon={<IconFileCertificate size={22} stroke={1.5} />}
                  title={view === 'queue' ? 'Nothing to check' : 'No certificates here'}
                  description="Request a certificate from an account's page; customers upload theirs in the partner portal."
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
        size="lg"
        title="Certificate"
      >
        {chosen && <CertificatePanel certificateId={chosen} />}
      </Drawer>
    </>
  );
}
