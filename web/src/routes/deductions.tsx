import { Badge, Button, Chip, Group, Pagination, Paper, Select, Tabs, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconChartBar, IconReceiptTax } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { accountsQuery, useAccounts } from '../features/accounts/use-accounts';
import {
  categoryLabels,
  queueLabels,
  queueOfRole,
  queues,
  slaLabels,
  slaStates,
  statuses,
  statusLabels,
  validationLabels,
  validations,
} from '../features/deductions/deductions';
import { DeductionsGrid } from '../features/deductions/deductions-grid';
import {
  type DeductionFilters,
  deductionQueuesQuery,
  deductionsQuery,
  useDeductionQueues,
  useDeductions,
} from '../features/deductions/use-deductions';
import { sessionUser, useUser } from '../features/identity/session';
import type { User } from '../features/identity/user';
import { type GridQuery, gridQueryParams, noGridQuery } from '../ui/data-grid';
import { formatDate } from '../ui/dates';
import { gridViewsQuery } from '../ui/grid-views';
import { formatCount, formatMoney } from '../ui/money';
import { PageHeader } from '../ui/page-header';
import { startAfter, startQuery } from '../ui/query-client';
import { SearchBox } from '../ui/search-box';
import { Empty, LoadError, Loading } from '../ui/states';

const pageSize = 100;

/** The queue of the user's own team (by their role), else every queue. */
const myQueue = (user: Pick<User, 'roles'>): string =>
  user.roles.map((r) => queueOfRole[r]).find(Boolean) ?? 'all';

/** The list's place in the address: the queue (the user's own by default), SLA states, search and page. */
function shownList(params: URLSearchParams, mine: string) {
  return {
    queue: params.get('queue') ?? mine,
    sla: (params.get('sla') ?? '').split(',').filter(Boolean),
    search: params.get('q') ?? '',
    page: Math.max(1, Number(params.get('page') ?? '1') || 1),
  };
}

/**
 * What the list asks the server for: the address's queue and filters, the grid's sort and filters, the
 * search.
 */
function listFilters(params: URLSearchParams, mine: string, grid: GridQuery, q: string): DeductionFilters {
  const { queue, sla, page } = shownList(params, mine);
  const get = (k: string) => params.get(k);
  return {
    ...gridQueryParams(grid),
    queue: queue === 'all' ? null : queue,
    sla: sla.join(','),
    status: get('status'),
    validation: get('validation'),
    category: get('category'),
    account_id: get('account'),
    payback_overdue: get('payback_overdue'),
    open: get('open'),
    age_from: get('age_from'),
    age_to: get('age_to'),
    taken_from: get('taken_from'),
    taken_to: get('taken_to'),
    q,
    limit: pageSize,
    offset: (page - 1) * pageSize,
  };
}

/**
 * What the page shows first: the queues' counts, the accounts, the grid's saved views and, once the user's
 * own queue is known, the address's list of deductions.
 */
export function prefetch(url: URL): void {
  startQuery(deductionQueuesQuery);
  startQuery(accountsQuery);
  startQuery(gridViewsQuery('deductions-grid'));
  startAfter(sessionUser(), (user) => {
    if (!user) return;
    const q = url.searchParams.get('q') ?? '';
    startQuery(deductionsQuery(listFilters(url.searchParams, myQueue(user), noGridQuery, q)));
  });
}

/**
 * The deduction desk: one tab per team's queue (with its open count, breached in red), the queue's
 * deductions by SLA — breached first — and filters, all in the URL so that going back from a deduction (or
 * arriving from a dashboard figure) lands on the same list.
 */
export default function DeductionsPage() {
  const user = useUser();
  const [params, setParams] = useSearchParams();
  const set = (changes: Record<string, string | null>) =>
    setParams(
      (now) => {
        const next = new URLSearchParams(now);
        for (const [k, v] of Object.entries(changes)) {
          if (v) next.set(k, v);
          else next.delete(k);
        }
        if (!('page' in changes)) next.delete('page');
        return next;
      },
      { replace: true },
    );
  const mine = myQueue(user);
  const { queue, sla, search, page } = shownList(params, mine);
  const [q] = useDebouncedValue(search, 300);
  const get = (k: string) => params.get(k);
  // The grid's own sort and column filters, done by the server over every deduction.
  const [grid, setGrid] = useState<GridQuery>(noGridQuery);
  const list = useDeductions(listFilters(params, mine, grid, q));
  const summaries = useDeductionQueues();
  const accounts = useAccounts();
  const accountOptions = useMemo(
    () =>
      (accounts.data ?? [])
        .map((a) => ({ value: a.account_id, label: `${a.name} (${a.account_id})` }))
        .sort((a, b) => a.label.localeCompare(b.label)),
    [accounts.data],
  );
  const drill = ['open', 'age_from', 'age_to', 'taken_from', 'taken_to'].filter((k) => get(k));
  const pages = Math.max(1, Math.ceil((list.data?.total ?? 0) / pageSize));
  const summary = summaries.data?.queues.find((s) => s.queue === queue);

  return (
    <>
      <PageHeader
        title="Deductions"
        description="What customers kept when they paid, in each team’s queue by SLA: breached first, then the nearest due date. Open a deduction to see its evidence — the claims, the invoice, the payment and remittance, the documents — and clear, deny, accept, write off or reassign it."
        actions={
          <>
            <Button
              component={Link}
              to="/deductions-dashboard"
              variant="default"
              leftSection={<IconChartBar size={16} />}
            >
              Dashboard
            </Button>
            <SearchBox value={search} onChange={(v) => set({ q: v })} placeholder="Search deductions" />
          </>
        }
      />
      <Tabs value={queue} onChange={(v) => set({ queue: v === mine ? null : v })} mb="sm" keepMounted={false}>
        <Tabs.List data-testid="queue-tabs">
          <Tabs.Tab value="all" data-testid="queue-tab-all">
            All queues
          </Tabs.Tab>
          {queues.map((qu) => {
            const s = summaries.data?.queues.find((x) => x.queue === qu);
            return (
              <Tabs.Tab
                key={qu}
                value={qu}
                data-testid={`queue-tab-${qu}`}
                rightSection={
                  s && s.open_count > 0 ? (
                    <Badge
                      size="sm"
                      variant="light"
                      color={s.breached_count > 0 ? 'red' : 'gray'}
                      circle={false}
                    >
                      {s.open_count}
                    </Badge>
                  ) : undefined
                }
              >
                {queueLabels[qu]}
              </Tabs.Tab>
            );
          })}
        </Tabs.List>
      </Tabs>
      {summary && (
        <Text size="xs" c="dimmed" mb="xs" data-testid="queue-summary">
          {queueLabels[summary.queue]}: {summary.open_count} open
          {summary.amounts.length > 0 &&
            ` (${summary.amounts.map((a) => formatMoney(a.open_amount, a.currency)).join(', ')})`}
          {' · '}
          {summary.breached_count} breached · {summary.due_soon_count} due soon · SLA{' '}
          {summary.sla_business_days} working days
          {summary.payback_overdue_count > 0 && ` · ${summary.payback_overdue_count} paybacks overdue`}
        </Text>
      )}
      <Group mb="xs" gap="xs" data-testid="deductions-sla-filter">
        <Chip.Group multiple value={sla} onChange={(v) => set({ sla: v.join(',') })}>
          {slaStates.map((s) => (
            <Chip key={s} value={s} size="sm" variant="light" data-testid={`sla-${s}`}>
              {slaLabels[s]}
              {list.data ? ` · ${formatCount(list.data.counts[s])}` : ''}
            </Chip>
          ))}
        </Chip.Group>
        <Chip
          checked={get('payback_overdue') === 'true'}
          onChange={(on) => set({ payback_overdue: on ? 'true' : null })}
          size="sm"
          color="red"
          variant="light"
          data-testid="payback-overdue"
        >
          Payback overdue
        </Chip>
        {drill.length > 0 && (
          <Chip
            checked
            onChange={() => set(Object.fromEntries(drill.map((k) => [k, null])))}
            size="sm"
            variant="outline"
            data-testid="drill-filter"
          >
            {get('taken_from') ? `Taken ${formatDate(get('taken_from'))}–${formatDate(get('taken_to'))}` : ''}
            {get('age_from') ? `${get('age_from')}${get('age_to') ? `–${get('age_to')}` : '+'} days old` : ''}
            {get('open') === 'true' ? ', still open' : ''} ✕
          </Chip>
        )}
      </Group>
      <Group mb="sm" gap="sm">
        <Select
          placeholder="Any status"
          clearable
          data={statuses.map((s) => ({ value: s, label: statusLabels[s] }))}
          value={get('status')}
          onChange={(v) => set({ status: v })}
          w={160}
          data-testid="deductions-status-filter"
        />
        <Select
          placeholder="Any validation"
          clearable
          data={[...validations, 'pending' as const].map((v) => ({ value: v, label: validationLabels[v] }))}
          value={get('validation')}
          onChange={(v) => set({ validation: v })}
          w={180}
        />
        <Select
          placeholder="Any category"
          clearable
          data={Object.entries(categoryLabels).map(([value, label]) => ({ value, label }))}
          value={get('category')}
          onChange={(v) => set({ category: v })}
          w={170}
        />
        <Select
          placeholder="Any account"
          clearable
          searchable
          data={accountOptions}
          value={get('account')}
          onChange={(v) => set({ account: v })}
          w={280}
        />
      </Group>
      {list.isPending ? (
        <Loading label="Loading deductions…" />
      ) : list.isError ? (
        <LoadError error={list.error} retry={() => void list.refetch()} what="the deductions" />
      ) : (
        <>
          <DeductionsGrid
            rows={list.data.items}
            showQueue={queue === 'all'}
            onQuery={(next) => {
              setGrid(next);
              if (page > 1) set({ page: null });
            }}
            empty={
              <Paper withBorder>
                <Empty
                  icon={<IconReceiptTax size={22} stroke={1.5} />}
                  title="No deductions"
                  description={
                    params.size > 0
                      ? 'No deduction matches this queue and these filters.'
                      : 'Deductions arrive from short payments in cash application and from deductions.csv.'
                  }
                />
              </Paper>
            }
          />
          <Group justify="space-between" mt="xs">
            <Text size="xs" c="dimmed" data-testid="deductions-total">
              {formatCount(list.data.total)} deduction{list.data.total === 1 ? '' : 's'} · SLA as of{' '}
              {formatDate(list.data.as_of)}
            </Text>
            {pages > 1 && (
              <Pagination
                size="sm"
                total={pages}
                value={Math.min(page, pages)}
                onChange={(p) => set({ page: String(p) })}
              />
            )}
          </Group>
        </>
      )}
    </>
  );
}
