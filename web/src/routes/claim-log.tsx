import { Badge, Button, Group, Pagination, Paper, Select, Tabs, Text } from '@mantine/core';
import { IconDownload, IconListDetails } from '@tabler/icons-react';
import type { ColDef } from 'ag-grid-community';
import { useEffect, useMemo, useState } from 'react';
import { useNavigate } from 'react-router';
import { accountsQuery, useAccounts } from '../features/accounts/use-accounts';
import { claimPath, claimStatuses, claimStatusLabels } from '../features/claims/claim';
import { ClaimLogGrid, SlaBadge } from '../features/claims-reports/claim-log-grid';
import {
  type ClaimLogFilters,
  claimLogExportUrl,
  type SlaAlert,
  slaStateLabels,
  slaStates,
} from '../features/claims-reports/reports';
import {
  claimLogPageSize,
  claimLogQuery,
  slaAlertsQuery,
  useClaimLog,
  useSlaAlerts,
} from '../features/claims-reports/use-reports';
import { programsQuery, usePrograms } from '../features/contracts/use-contracts';
import { sessionUser, useUser } from '../features/identity/session';
import { hasAnyRole, isPartner } from '../features/identity/user';
import { DataGrid, type GridQuery, gridQueryParams, noGridQuery } from '../ui/data-grid';
import { DateInput } from '../ui/date-input';
import { formatDate, formatTimestamp } from '../ui/dates';
import { gridViewsQuery } from '../ui/grid-views';
import { formatCount } from '../ui/money';
import { PageHeader } from '../ui/page-header';
import { startAfter, startQuery } from '../ui/query-client';
import { Empty, LoadError, Loading } from '../ui/states';

const isDate = (v: string) => /^\d{4}-\d{2}-\d{2}$/.test(v);

/** What the log asks the server for: the grid's sort and filters and the choices above the grid. */
function logFilters(
  grid: GridQuery,
  chosen: {
    status: string | null;
    partner: string | null;
    program: string | null;
    sla: string | null;
    from: string;
    to: string;
  },
): ClaimLogFilters {
  return {
    ...gridQueryParams(grid),
    status: chosen.status,
    account_id: chosen.partner,
    program_id: chosen.program,
    sla_state: chosen.sla,
    submitted_from: isDate(chosen.from) ? chosen.from : null,
    submitted_to: isDate(chosen.to) ? chosen.to : null,
  };
}

/** The log as the page opens (nothing chosen), its lists of partners and programs, the SLA alerts. */
export function prefetch(): void {
  const chosen = { status: null, partner: null, program: null, sla: null, from: '', to: '' };
  startQuery(claimLogQuery(logFilters(noGridQuery, chosen), 1));
  startQuery(accountsQuery);
  startQuery(programsQuery());
  startQuery(gridViewsQuery('claim-log-grid'));
  startAfter(sessionUser(), (user) => {
    if (user && !isPartner(user)) startQuery(slaAlertsQuery);
  });
}

/** The desk's claim log: every claim with its dates, business-day age, SLA state and amounts; XLSX export. */
export default function ClaimLogPage() {
  const user = useUser();
  const [status, setStatus] = useState<string | null>(null);
  const [partner, setPartner] = useState<string | null>(null);
  const [program, setProgram] = useState<string | null>(null);
  const [sla, setSla] = useState<string | null>(null);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  // The grid's own sort and column filters, done by the server over the whole log (and its export).
  const [grid, setGrid] = useState<GridQuery>(noGridQuery);
  const filters = logFilters(grid, { status, partner, program, sla, from, to });
  const [page, setPage] = useState(1);
  const filterKey = JSON.stringify(filters);
  // A change of filters starts again on the first page.
  // biome-ignore lint/correctness/useExhaustiveDependencies: filterKey stands for the filters
  useEffect(() => setPage(1), [filterKey]);
  const log = useClaimLog(filters, page);
  const pages = Math.max(1, Math.ceil((log.data?.total ?? 0) / claimLogPageSize));
  const accounts = useAccounts();
  const programList = usePrograms();
  const internal = !isPartner(user);
  const alerts = useSlaAlerts(internal);
  const partners = useMemo(
    () =>
      (accounts.data ?? [])
        .map((a) => ({ value: a.account_id, label: `${a.name} (${a.account_id})` }))
        .sort((a, b) => a.label.localeCompare(b.label)),
    [accounts.data],
  );
  const programs = useMemo(
    () =>
      (programList.data ?? []).map((p) => ({ value: p.program_id, label: `${p.name} (${p.program_id})` })),
    [programList.data],
  );
  const counts = useMemo(() => {
    const by: Record<string, number> = {};
    for (const x of log.data?.items ?? []) by[x.sla_state] = (by[x.sla_state] ?? 0) + 1;
    return by;
  }, [log.data]);
  return (
    <>
      <PageHeader
        title="Claim log"
        description="Every claim with its dates, age in business days of the partner’s country, SLA state against the program’s target, and amounts."
        actions={
          <Button
            component="a"
            href={claimLogExportUrl(filters)}
            download
            variant="default"
            leftSection={<IconDownload size={16} />}
            data-testid="claim-log-export"
          >
            Export XLSX
          </Button>
        }
      />
      <Tabs defaultValue="log">
        <Tabs.List mb="sm">
          <Tabs.Tab value="log">Claims</Tabs.Tab>
          {internal && (
            <Tabs.Tab
              value="alerts"
              rightSection={
                alerts.data && alerts.data.total > 0 ? (
                  <Badge size="xs" color="red" variant="light">
                    {alerts.data.total}
                  </Badge>
                ) : undefined
              }
            >
              SLA alerts
            </Tabs.Tab>
          )}
        </Tabs.List>
        <Tabs.Panel value="log">
          <Group mb="sm" gap="sm" align="flex-end">
            <Select
              placeholder="Any status"
              clearable
              data={claimStatuses.map((s) => ({ value: s, label: claimStatusLabels[s] }))}
              value={status}
              onChange={setStatus}
            />
            <Select
              placeholder="Any SLA state"
              clearable
              data={slaStates.map((s) => ({ value: s, label: slaStateLabels[s] }))}
              value={sla}
              onChange={setSla}
              data-testid="claim-log-sla-filter"
            />
            <Select
              placeholder="Any partner"
              clearable
              searchable
              data={partners}
              value={partner}
              onChange={setPartner}
            />
            <Select
              placeholder="Any program"
              clearable
              searchable
              data={programs}
              value={program}
              onChange={setProgram}
            />
            <DateInput
              aria-label="Submitted from"
              leftSection={
                <Text size="xs" c="dimmed">
                  From
                </Text>
              }
              leftSectionWidth={44}
              title="Submitted from"
              value={from}
              onChange={(e) => setFrom(e.currentTarget.value)}
              data-testid="claim-log-from"
            />
            <DateInput
              aria-label="Submitted to"
              leftSection={
                <Text size="xs" c="dimmed">
                  To
                </Text>
              }
              leftSectionWidth={44}
              title="Submitted to"
              value={to}
              onChange={(e) => setTo(e.currentTarget.value)}
              data-testid="claim-log-to"
            />
          </Group>
          {log.isPending ? (
            <Loading label="Loading the claim log…" />
          ) : log.isError ? (
            <LoadError error={log.error} retry={() => void log.refetch()} what="the claim log" />
          ) : (
            <>
              <ClaimLogGrid
                items={log.data.items}
                onQuery={setGrid}
                canEdit={hasAnyRole(user, ['rebate_analyst', 'manager', 'administrator'])}
                empty={
                  <Paper withBorder>
                    <Empty
                      icon={<IconListDetails size={22} stroke={1.5} />}
                      title="No claims"
                      description="No claim matches these filters."
                    />
                  </Paper>
                }
              />
              <Group gap="xs" mt="xs">
                <Text size="xs" c="dimmed">
                  {formatCount(log.data.total)} claim{log.data.total === 1 ? '' : 's'} as of{' '}
                  {formatDate(log.data.as_of)}
                  {pages > 1 ? ` · page ${page} of ${pages}` : ''}
                </Text>
                {pages > 1 && <Pagination size="xs" total={pages} value={page} onChange={setPage} />}
                {slaStates
                  .filter((s) => pages === 1 && counts[s])
                  .map((s) => (
                    <Group key={s} gap={4}>
                      <SlaBadge state={s} />
                      <Text size="xs">{counts[s]}</Text>
                    </Group>
                  ))}
              </Group>
            </>
          )}
        </Tabs.Panel>
        {internal && (
          <Tabs.Panel value="alerts">
            {alerts.isPending ? (
              <Loading label="Loading SLA alerts…" />
            ) : alerts.isError ? (
              <LoadError error={alerts.error} retry={() => void alerts.refetch()} what="SLA alerts" />
            ) : (
              <AlertsGrid alerts={alerts.data.items} />
            )}
          </Tabs.Panel>
        )}
      </Tabs>
    </>
  );
}

function AlertsGrid({ alerts }: { alerts: SlaAlert[] }) {
  const navigate = useNavigate();
  const columns = useMemo<ColDef<SlaAlert>[]>(
    () => [
      {
        field: 'created_at',
        headerName: 'Recorded',
        minWidth: 160,
        valueFormatter: (p) => formatTimestamp(p.value),
      },
      {
        field: 'kind',
        headerName: 'Kind',
        minWidth: 110,
        valueFormatter: (p) => (p.value === 'escalation' ? 'Escalation' : 'Warning'),
      },
      { field: 'claim_id', headerName: 'Claim', minWidth: 120 },
      {
        colId: 'partner',
        headerName: 'Partner',
        minWidth: 160,
        valueGetter: (p) => p.data?.partner_name ?? p.data?.account_id ?? '',
      },
      {
        field: 'status',
        headerName: 'Status now',
        minWidth: 130,
        valueFormatter: (p) => (p.value ? claimStatusLabels[p.value as keyof typeof claimStatusLabels] : ''),
      },
      { field: 'due_date', headerName: 'Due', minWidth: 115, valueFormatter: (p) => formatDate(p.value) },
      { field: 'business_days_left', headerName: 'Left (bd)', type: 'rightAligned', minWidth: 95 },
      { field: 'target_business_days', headerName: 'Target (bd)', type: 'rightAligned', minWidth: 100 },
      { field: 'urgent', headerName: 'Urgent', minWidth: 90, valueFormatter: (p) => (p.value ? 'yes' : '') },
    ],
    [],
  );
  return (
    <DataGrid
      testId="sla-alerts-grid"
      rows={alerts}
      columns={columns}
      rowId={(a) => `${a.claim_id}:${a.kind}`}
      onRowClick={(a) => navigate(claimPath(a.claim_id, a.account_id))}
      empty={
        <Paper withBorder>
          <Empty
            icon={<IconListDetails size={22} stroke={1.5} />}
            title="No SLA alerts"
            description="The daily SLA job records a warning when a claim is due soon and an escalation when it breaches."
          />
        </Paper>
      }
    />
  );
}
