import { Badge, Checkbox, Group, Paper, Select, Stack, Text } from '@mantine/core';
import { IconListCheck } from '@tabler/icons-react';
import type { ColDef } from 'ag-grid-community';
import { type ReactNode, useMemo, useState } from 'react';
import { useNavigate } from 'react-router';
import {
  queueLabels,
  slaText,
  stepKindLabel,
  type Task,
  type TaskQueue,
  taskOutcomeLabel,
} from '../features/collections/collections';
import { CompleteTaskModal } from '../features/collections/task-modals';
import { tasksQuery, useTasks } from '../features/collections/use-collections';
import { DataGrid, widgetCell } from '../ui/data-grid';
import { formatDate } from '../ui/dates';
import { gridViewsQuery } from '../ui/grid-views';
import { PageHeader } from '../ui/page-header';
import { startQuery } from '../ui/query-client';
import { SearchBox } from '../ui/search-box';
import { Segmented } from '../ui/segmented';
import { Empty, LoadError, Loading } from '../ui/states';

function Due({ data }: { data?: Task }) {
  if (!data) return null;
  return (
    <Group gap={6} wrap="nowrap">
      <Text size="sm">{formatDate(data.due_date)}</Text>
      {data.status === 'open' && (
        <Badge size="sm" variant={data.overdue ? 'filled' : 'light'} color={data.overdue ? 'red' : 'gray'}>
          {slaText(data)}
        </Badge>
      )}
    </Group>
  );
}

/** What the page shows first: my open tasks, and their grid's saved views. */
export function prefetch(): void {
  startQuery(tasksQuery({ for: 'me', queue: null, status: 'open', overdue: null }));
  startQuery(gridViewsQuery('tasks-grid'));
}

/**
 * The queues of the teams tasks are routed to: escalations for the sales owners, credit-hold
 * recommendations for the credit team, calls for the collectors — overdue first, each with its SLA in
 * business days. A row opens the task to complete it with its outcome.
 */
export default function TasksPage() {
  const navigate = useNavigate();
  const [who, setWho] = useState<'me' | 'all'>('me');
  const [queue, setQueue] = useState<TaskQueue | null>(null);
  const [status, setStatus] = useState<'open' | 'done' | 'all'>('open');
  const [overdueOnly, setOverdueOnly] = useState(false);
  const [search, setSearch] = useState('');
  const [completing, setCompleting] = useState<Task | null>(null);
  const tasks = useTasks({ for: who, queue, status, overdue: overdueOnly ? 'true' : null });

  const columns = useMemo<ColDef<Task>[]>(
    () => [
      {
        field: 'due_date',
        headerName: 'Due',
        minWidth: 250,
        cellClass: widgetCell,
        cellRenderer: Due,
      },
      { field: 'title', headerName: 'Task', minWidth: 260, flex: 2 },
      {
        field: 'account_id',
        headerName: 'Account',
        minWidth: 200,
        valueGetter: (p) => (p.data ? `${p.data.account_id} · ${p.data.account_name ?? ''}` : ''),
      },
      {
        field: 'queue',
        headerName: 'Queue',
        minWidth: 110,
        valueFormatter: (p) => queueLabels[p.value as TaskQueue] ?? p.value,
      },
      { field: 'assignee', headerName: 'For', minWidth: 170 },
      { field: 'kind', headerName: 'Kind', minWidth: 170, valueFormatter: (p) => stepKindLabel(p.value) },
      { field: 'opened_on', headerName: 'Opened', minWidth: 120, valueFormatter: (p) => formatDate(p.value) },
      {
        field: 'source',
        headerName: 'From',
        minWidth: 110,
        valueFormatter: (p) => (p.value === 'strategy' ? 'strategy' : 'a person'),
      },
      {
        field: 'outcome',
        headerName: 'Outcome',
        minWidth: 170,
        valueFormatter: (p) => (p.data?.status === 'open' ? '' : taskOutcomeLabel(p.value)),
      },
    ],
    [],
  );

  let body: ReactNode;
  if (tasks.isPending) body = <Loading label="Loading tasks…" />;
  else if (tasks.isError)
    body = <LoadError error={tasks.error} retry={() => void tasks.refetch()} what="the tasks" />;
  else
    body = (
      <Stack gap="sm">
        <Text size="sm" c="dimmed" data-testid="tasks-counts">
          {tasks.data.counts.open} open · {tasks.data.counts.overdue} overdue · as of{' '}
          {formatDate(tasks.data.as_of)}
        </Text>
        <DataGrid<Task>
          rows={tasks.data.items}
          columns={columns}
          rowId={(t) => t.task_id}
          testId="tasks-grid"
          search={search}
          onRowClick={(t) =>
            t.status === 'open' ? setCompleting(t) : navigate(`/accounts/${encodeURIComponent(t.account_id)}`)
          }
          height={tasks.data.items.length <= 12 ? 'auto' : undefined}
          empty={
            <Paper withBorder>
              <Empty
                icon={<IconListCheck size={22} stroke={1.5} />}
                title={who === 'me' ? 'Nothing routed to you' : 'No tasks'}
                description="Escalations, calls and credit-hold recommendations appear here when a collector or a collection strategy opens them."
              />
            </Paper>
          }
        />
      </Stack>
    );

  return (
    <>
      <PageHeader
        title="Tasks"
        description="What is routed to the sales, credit and collections teams, overdue first. Open a task to complete it with its outcome; the outcome goes into the account’s timeline."
        actions={<SearchBox value={search} onChange={setSearch} placeholder="Search tasks" />}
      />
      <Group mb="md" gap="md" align="flex-end">
        <Segmented
          value={who}
          onChange={(v) => setWho(v as 'me' | 'all')}
          data={[
            { value: 'me', label: 'Routed to me' },
            { value: 'all', label: 'Everyone’s' },
          ]}
          data-testid="tasks-who"
        />
        <Select
          placeholder="Every queue"
          data={Object.entries(queueLabels).map(([value, label]) => ({ value, label }))}
          value={queue}
          onChange={(v) => setQueue(v as TaskQueue | null)}
          clearable
          w={170}
          aria-label="Queue"
        />
        <Segmented
          value={status}
          onChange={(v) => setStatus(v as 'open' | 'done' | 'all')}
          data={[
            { value: 'open', label: 'Open' },
            { value: 'done', label: 'Done' },
            { value: 'all', label: 'All' },
          ]}
        />
        <Checkbox
          label="Overdue only"
          checked={overdueOnly}
          onChange={(e) => setOverdueOnly(e.currentTarget.checked)}
        />
      </Group>
      {body}
      <CompleteTaskModal task={completing} onClose={() => setCompleting(null)} />
    </>
  );
}
