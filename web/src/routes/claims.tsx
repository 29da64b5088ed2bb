import { Button, Chip, Group, Pagination, Paper, Select, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconReceipt } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { accountsQuery, useAccounts } from '../features/accounts/use-accounts';
import {
  type ClaimQueueFilters,
  claimStatuses,
  claimStatusLabels,
  urgentSetters,
} from '../features/claims/claim';
import { ClaimQueueGrid } from '../features/claims/claim-queue-grid';
import { claimQueueQuery, useClaimQueue, useValidateClaims } from '../features/claims/use-claims';
import { slaStateLabels, slaStates } from '../features/claims-reports/reports';
import { programsQuery, usePrograms } from '../features/contracts/use-contracts';
import { useUser } from '../features/identity/session';
import { hasAnyRole } from '../features/identity/user';
import type { GridQuery } from '../ui/data-grid';
import { formatDate } from '../ui/dates';
import { gridViewsQuery } from '../ui/grid-views';
import { formatCount } from '../ui/money';
import { PageHeader } from '../ui/page-header';
import { startQuery } from '../ui/query-client';
import { SearchBox } from '../ui/search-box';
import { Empty, LoadError, Loading } from '../ui/states';

const pageSize = 100;

/** The filters in the address (so that going back from a claim returns to the same place). */
function shownFilters(params: URLSearchParams) {
  return {
    sla: (params.get('sla') ?? '').split(',').filter(Boolean),
    status: params.get('status'),
    partner: params.get('partner'),
    program: params.get('program'),
    urgent: params.get('urgent') === '1',
    page: Math.max(1, Number(params.get('page') ?? '1') || 1),
    search: params.get('q') ?? '',
  };
}

const noGridQuery: GridQuery = { sort: null, filters: {} };

/** What the queue asks the server for: the address's filters, the grid's sort and filters, the search. */
function queueFilters(params: URLSearchParams, grid: GridQuery, q: string): ClaimQueueFilters {
  const { sla, status, partner, program, urgent, page } = shownFilters(params);
  return {
    order: grid.sort,
    filters: Object.keys(grid.filters).length ? JSON.stringify(grid.filters) : null,
    sla_state: sla,
    status,
    account_id: partner,
    program_id: program,
    q,
    urgent: urgent ? true : null,
    limit: pageSize,
    offset: (page - 1) * pageSize,
  };
}

export function prefetch(url: URL): void {
  startQuery(claimQueueQuery(queueFilters(url.searchParams, noGridQuery, url.searchParams.get('q') ?? '')));
  startQuery(accountsQuery);
  startQuery(programsQuery());
  startQuery(gridViewsQuery('claims-grid'));
}

/**
 * The desk's claim queue, in the order claims are worked: by SLA (breached first, then the fewest business
 * days left, urgent first on the same day), filtered and paged by the server; the filters live in the URL so
 * going back from a claim returns to the same place.
 */
export default function ClaimsPage() {
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
  const { sla, status, partner, program, urgent, page, search } = shownFilters(params);
  const [q] = useDebouncedValue(search, 300);
  // The grid's own sort and column filters, done by the server over the whole queue.
  const [grid, setGrid] = useState<GridQuery>(noGridQuery);
  const queue = useClaimQueue(queueFilters(params, grid, q));
  const validate = useValidateClaims();
  const accounts = useAccounts();
  const programs = usePrograms();
  const partners = useMemo(
    () =>
      (accounts.data ?? [])
        .map((a) => ({ value: a.account_id, label: `${a.name} (${a.account_id})` }))
        .sort((a, b) => a.label.localeCompare(b.label)),
    [accounts.data],
  );
  const programOptions = useMemo(
    () => (programs.data ?? []).map((p) => ({ value: p.program_id, label: `${p.name} (${p.program_id})` })),
    [programs.data],
  );
  const pages = Math.max(1, Math.ceil((queue.data?.total ?? 0) / pageSize));
  return (
    <>
      <PageHeader
        title="Claims"
        description="The claim queue by SLA: breached claims first, then the fewest business days left, urgent ones first on the same day. Open a claim to resolve its findings with the evidence beside them, approve or reject."
        actions={
          <>
            {hasAnyRole(user, ['administrator', 'rebate_analyst', 'manager']) && (
              <Button
                variant="light"
                loading={validate.isPending}
                onClick={() =>
                  validate.mutate(undefined, {
                    onSuccess: (r) =>
                      notifications.show({
                        message: `Validation ran over ${r.summary.lines} lines; ${r.summary.claims_validated} claims newly validated.`,
                      }),
                    onError: (e) => notifications.show({ color: 'red', message: (e as Error).message }),
                  })
                }
                data-testid="validate-claims"
              >
                Validate now
              </Button>
            )}
            <SearchBox value={search} onChange={(v) => set({ q: v })} placeholder="Search claims" />
          </>
        }
      />
      <Group mb="xs" gap="xs" data-testid="queue-sla-filter">
        <Chip.Group multiple value={sla} onChange={(v) => set({ sla: v.join(',') })}>
          {slaStates.map((s) => (
            <Chip key={s} value={s} size="sm" variant="light" data-testid={`queue-sla-${s}`}>
              {slaStateLabels[s]}
              {queue.data ? ` · ${formatCount(queue.data.counts[s])}` : ''}
            </Chip>
          ))}
        </Chip.Group>
        <Chip
          checked={urgent}
          onChange={(on) => set({ urgent: on ? '1' : null })}
          size="sm"
          color="red"
          variant="light"
          data-testid="queue-urgent"
        >
          Urgent only
        </Chip>
      </Group>
      <Group mb="sm" gap="sm">
        <Select
          placeholder="Any status"
          clearable
          data={claimStatuses.map((s) => ({ value: s, label: claimStatusLabels[s] }))}
          value={status}
          onChange={(v) => set({ status: v })}
          data-testid="claims-status-filter"
        />
        <Select
          placeholder="Any partner"
          clearable
          searchable
          data={partners}
          value={partner}
          onChange={(v) => set({ partner: v })}
          w={280}
        />
        <Select
          placeholder="Any program"
          clearable
          searchable
          data={programOptions}
          value={program}
          onChange={(v) => set({ program: v })}
          w={260}
        />
      </Group>
      {queue.isPending ? (
        <Loading label="Loading the claim queue…" />
      ) : queue.isError ? (
        <LoadError error={queue.error} retry={() => void queue.refetch()} what="the claim queue" />
      ) : (
        <>
          <ClaimQueueGrid
            claims={queue.data.items}
            onQuery={(next) => {
              setGrid(next);
              if (page > 1) set({ page: null });
            }}
            canSetUrgent={hasAnyRole(user, urgentSetters)}
            empty={
              <Paper withBorder>
                <Empty
                  icon={<IconReceipt size={22} stroke={1.5} />}
                  title="No claims"
                  description={
                    sla.length || status || partner || program || q || urgent
                      ? 'No claim matches these filters.'
                      : 'Claims arrive from partners through the portal, uploads of claims.csv and the API.'
                  }
                />
              </Paper>
            }
          />
          <Group justify="space-between" mt="xs">
            <Text size="xs" c="dimmed" data-testid="queue-total">
              {formatCount(queue.data.total)} claim{queue.data.total === 1 ? '' : 's'} · SLA as of{' '}
              {formatDate(queue.data.as_of)}
              {status === 'draft' ? '' : ' · drafts are listed under the status Draft'}
            </Text>
            {pages > 1 && (
              <Pagination
                size="sm"
                total={pages}
                value={Math.min(page, pages)}
                onChange={(p) => set({ page: String(p) })}
                data-testid="queue-pages"
              />
            )}
          </Group>
        </>
      )}
    </>
  );
}
