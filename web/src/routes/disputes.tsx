import {
  Button,
  Card,
  Checkbox,
  Group,
  NumberInput,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconFileDownload, IconScale } from '@tabler/icons-react';
import type { ColDef } from 'ag-grid-community';
import { type ReactNode, useMemo, useState } from 'react';
import { useNavigate } from 'react-router';
import { SlaBadge, StateBadge } from '../features/disputes/dispute-badges';
import {
  categories,
  categoryLabels,
  type Dispute,
  type DisputeTeam,
  disputePath,
  type Team,
  teamAdministrators,
  teamLabels,
} from '../features/disputes/disputes';
import {
  type DisputeFilters,
  disputesQuery,
  teamsQuery,
  useDisputes,
  useSetTeamSla,
  useTeams,
} from '../features/disputes/use-disputes';
import { sessionUser, useUser } from '../features/identity/session';
import { hasAnyRole, type User } from '../features/identity/user';
import { DataGrid, widgetCell } from '../ui/data-grid';
import { formatDate } from '../ui/dates';
import { amountColumn } from '../ui/grid-columns';
import { gridViewsQuery } from '../ui/grid-views';
import { PageHeader } from '../ui/page-header';
import { startAfter, startQuery } from '../ui/query-client';
import { SearchBox } from '../ui/search-box';
import { Segmented } from '../ui/segmented';
import { Empty, LoadError, Loading } from '../ui/states';

function Due({ data }: { data?: Dispute }) {
  if (!data) return null;
  return (
    <Group gap={6} wrap="nowrap">
      <Text size="sm">{formatDate(data.due_date)}</Text>
      <SlaBadge dispute={data} />
    </Group>
  );
}

/** One team's queue at a glance: its SLA, what it has, what is overdue; a click shows its disputes. */
function TeamCard({
  team,
  selected,
  onSelect,
  editable,
}: {
  team: Team;
  selected: boolean;
  onSelect: () => void;
  editable: boolean;
}) {
  const setSla = useSetTeamSla();
  const [days, setDays] = useState<number | string>(team.sla_business_days);
  return (
    <Card withBorder={selected} data-testid={`team-${team.team}`}>
      <UnstyledButton onClick={onSelect} w="100%">
        <Group justify="space-between" align="flex-start">
          <div>
            <Text fw={600}>{team.name}</Text>
            <Text size="sm" c="dimmed">
              SLA {team.sla_business_days} business days
            </Text>
          </div>
          <div style={{ textAlign: 'right' }}>
            <Text size="xl" fw={600} lh={1}>
              {team.active}
            </Text>
            <Text size="xs" c={team.overdue > 0 ? 'red' : 'dimmed'}>
              {team.overdue} overdue
            </Text>
          </div>
        </Group>
      </UnstyledButton>
      {editable && (
        <Group gap="xs" mt="sm" align="flex-end">
          <NumberInput
            size="xs"
            label="SLA (business days)"
            min={1}
            max={60}
            value={days}
            onChange={setDays}
            w={150}
            data-testid={`team-sla-${team.team}`}
          />
          <Button
            size="xs"
            variant="light"
            loading={setSla.isPending}
            disabled={Number(days) === team.sla_business_days}
            onClick={() =>
              setSla.mutate(
                { team: team.team, days: Number(days) },
                {
                  onSuccess: (t) =>
                    notifications.show({
                      color: 'teal',
                      title: `${t.name}: ${t.sla_business_days} business days`,
                      message: 'Disputes routed from now on take it.',
                    }),
                  onError: (e) =>
                    notifications.show({ color: 'red', title: 'Not saved', message: e.message }),
                },
              )
            }
          >
            Save
          </Button>
        </Group>
      )}
    </Card>
  );
}

type Shown = 'active' | 'closed' | 'all';

/** A team member's own team, whose queue the page opens on; everyone else sees every team. */
const myTeam = (user: Pick<User, 'roles'>): DisputeTeam | null =>
  (['order_management', 'billing', 'distribution'] as const).find((t) => user.roles.includes(t)) ?? null;

/** What the list asks the server for, from the page's filters. */
const listFilters = (f: {
  team: DisputeTeam | null;
  state: Shown;
  category: string | null;
  overdueOnly: boolean;
  assignedToMe: boolean;
}): DisputeFilters => ({
  team: f.team,
  state: f.state,
  category: f.category,
  overdue: f.overdueOnly ? 'true' : null,
  assignee: f.assignedToMe ? 'me' : null,
});

/**
 * What the page shows first: the teams, the grid's saved views and, once the user's team is known, the
 * disputes being worked (of that team).
 */
export function prefetch(): void {
  startQuery(teamsQuery);
  startQuery(gridViewsQuery('disputes-grid'));
  startAfter(sessionUser(), (user) => {
    if (!user) return;
    startQuery(
      disputesQuery(
        listFilters({
          team: myTeam(user),
          state: 'active',
          category: null,
          overdueOnly: false,
          assignedToMe: false,
        }),
      ),
    );
  });
}

/**
 * The disputes on invoices by team: each team's queue with its SLA, overdue first, then by due date. A row
 * opens the dispute to work it.
 */
export default function DisputesPage() {
  const navigate = useNavigate();
  const user = useUser();
  const [team, setTeam] = useState<DisputeTeam | null>(() => myTeam(user));
  const [state, setState] = useState<Shown>('active');
  const [category, setCategory] = useState<string | null>(null);
  const [overdueOnly, setOverdueOnly] = useState(false);
  const [assignedToMe, setAssignedToMe] = useState(false);
  const [search, setSearch] = useState('');
  const teams = useTeams();
  const list = useDisputes(listFilters({ team, state, category, overdueOnly, assignedToMe }));

  const columns = useMemo<ColDef<Dispute>[]>(
    () => [
      { field: 'due_date', headerName: 'Due', minWidth: 310, cellClass: widgetCell, cellRenderer: Due },
      { field: 'dispute_id', headerName: 'Dispute', minWidth: 120 },
      {
        field: 'account_id',
        headerName: 'Account',
        minWidth: 200,
        flex: 1.5,
        valueGetter: (p) => (p.data ? `${p.data.account_id} · ${p.data.account_name ?? ''}` : ''),
      },
      { field: 'document_id', headerName: 'Invoice', minWidth: 120 },
      {
        field: 'category',
        headerName: 'Category',
        minWidth: 150,
        valueFormatter: (p) => categoryLabels[p.value as Dispute['category']] ?? p.value,
      },
      amountColumn<Dispute>('amount', 'Disputed'),
      { field: 'currency', headerName: 'Currency', minWidth: 90 },
      {
        field: 'team',
        headerName: 'Team',
        minWidth: 150,
        valueFormatter: (p) => teamLabels[p.value as DisputeTeam] ?? p.value,
      },
      { field: 'assignee', headerName: 'Assignee', minWidth: 170 },
      {
        field: 'state',
        headerName: 'State',
        minWidth: 150,
        cellClass: widgetCell,
        cellRenderer: (p: { data?: Dispute }) => (p.data ? <StateBadge dispute={p.data} /> : null),
      },
      { field: 'opened_on', headerName: 'Opened', minWidth: 120, valueFormatter: (p) => formatDate(p.value) },
    ],
    [],
  );

  let body: ReactNode;
  if (list.isPending) body = <Loading label="Loading disputes…" />;
  else if (list.isError)
    body = <LoadError error={list.error} retry={() => void list.refetch()} what="the disputes" />;
  else
    body = (
      <DataGrid<Dispute>
        rows={list.data.items}
        columns={columns}
        rowId={(d) => d.dispute_id}
        testId="disputes-grid"
        search={search}
        onRowClick={(d) => navigate(disputePath(d.dispute_id))}
        height={list.data.items.length <= 12 ? 'auto' : undefined}
        empty={
          <Paper withBorder>
            <Empty
              icon={<IconScale size={22} stroke={1.5} />}
              title="No disputes here"
              description="A collector opens a dispute from an invoice’s page or an account’s page; it is routed to the team that owns its category."
            />
          </Paper>
        }
      />
    );

  return (
    <>
      <PageHeader
        title="Disputes"
        description="Disputes on invoices by team, overdue first: pricing with order management, quantity and proof of delivery with distribution, billing errors with billing. Each ends in a billing adjustment through the approvals, or a rejection."
        actions={
          <>
            <SearchBox value={search} onChange={setSearch} placeholder="Search disputes" />
            <Button
              component="a"
              href="/api/disputes/export.csv"
              variant="default"
              leftSection={<IconFileDownload size={16} />}
            >
              disputes.csv
            </Button>
          </>
        }
      />
      <Stack gap="md">
        {teams.data && (
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            {teams.data.items.map((t) => (
              <TeamCard
                key={t.team}
                team={t}
                selected={team === t.team}
                onSelect={() => setTeam(team === t.team ? null : t.team)}
                editable={hasAnyRole(user, teamAdministrators)}
              />
            ))}
          </SimpleGrid>
        )}
        <Group gap="md" align="flex-end">
          <Select
            placeholder="Every team"
            aria-label="Team"
            data={Object.entries(teamLabels).map(([value, label]) => ({ value, label }))}
            value={team}
            onChange={(v) => setTeam(v as DisputeTeam | null)}
            clearable
            w={190}
            data-testid="disputes-team"
          />
          <Segmented
            value={state}
            onChange={(v) => setState(v as Shown)}
            data={[
              { value: 'active', label: 'Being worked' },
              { value: 'closed', label: 'Closed' },
              { value: 'all', label: 'All' },
            ]}
          />
          <Select
            placeholder="Every category"
            aria-label="Category"
            data={categories.map((c) => ({ value: c, label: categoryLabels[c] }))}
            value={category}
            onChange={setCategory}
            clearable
            w={220}
          />
          <Checkbox
            label="Overdue only"
            checked={overdueOnly}
            onChange={(e) => setOverdueOnly(e.currentTarget.checked)}
          />
          <Checkbox
            label="Assigned to me"
            checked={assignedToMe}
            onChange={(e) => setAssignedToMe(e.currentTarget.checked)}
          />
        </Group>
        {list.data && (
          <Title order={5} fw={500} c="dimmed" data-testid="disputes-counts">
            {list.data.items.length} dispute{list.data.items.length === 1 ? '' : 's'} · as of{' '}
            {formatDate(list.data.as_of)}
          </Title>
        )}
        {body}
      </Stack>
    </>
  );
}
