import { Button, Group, Paper, Select, Stack, Text, TextInput, Tooltip } from '@mantine/core';
import { IconDownload, IconReportMoney } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { DateInput } from '../../ui/date-input';
import { formatDate } from '../../ui/dates';
import { rateText } from '../../ui/money';
import { Segmented } from '../../ui/segmented';
import { Empty, LoadError, Loading } from '../../ui/states';
import { type Account, countryName } from '../accounts/account';
import { useAccounts } from '../accounts/use-accounts';
import { creditReaders } from '../credit/credit';
import { useCreditPositions } from '../credit/use-credit';
import { useUser } from '../identity/session';
import { hasAnyRole } from '../identity/user';
import { AgingGrid, reportingTotal, unassigned } from './aging-grid';
import { OpenItemsDrawer } from './open-items-drawer';
import {
  type AgingGroup,
  type AgingParams,
  type AgingRow,
  agingExportUrl,
  basisOptions,
  defaultBuckets,
  groupOptions,
  isDate,
  parseBuckets,
  todayDate,
} from './receivables';
import { useAging } from './use-receivables';

/** The value a filter uses for "no collector" / "no segment". */
const none = '-';
type Filter = 'collector' | 'country' | 'currency' | 'segment';

/** Which filters a grouping's rows can answer (rows by collector carry no country, and so on). */
const filtersFor: Record<AgingGroup, readonly Filter[]> = {
  account: ['collector', 'country', 'currency', 'segment'],
  collector: ['collector', 'currency'],
  country: ['country', 'currency'],
  currency: ['currency'],
};

function options(values: (string | null | undefined)[], label: (v: string) => string = (v) => v) {
  const distinct = [...new Set(values.map((v) => v ?? ''))].sort();
  return distinct.map((v) => (v === '' ? { value: none, label: unassigned } : { value: v, label: label(v) }));
}

/** The view's as-of date (`today` unless the address gives one), basis, buckets and grouping, from its address. */
export function agingParamsOf(search: URLSearchParams, today: string): AgingParams {
  const asOf = search.get('as_of') ?? '';
  return {
    asOf: isDate(asOf) ? asOf : today,
    basis: search.get('basis') === 'invoice_date' ? 'invoice_date' : 'due_date',
    buckets: parseBuckets(search.get('buckets') ?? '') ?? defaultBuckets,
    by: (groupOptions.find((g) => g.value === search.get('by'))?.value ?? 'account') as AgingGroup,
  };
}

/** The as-of date, basis, buckets and grouping live in the address, so a link or Back reopens the same view. */
function useAgingState() {
  const [search, setSearch] = useSearchParams();
  const asOf = search.get('as_of') ?? '';
  const { basis, by, buckets } = agingParamsOf(search, '');
  const set = (changes: Record<string, string | null>) =>
    setSearch(
      (current) => {
        const next = new URLSearchParams(current);
        for (const [key, value] of Object.entries(changes)) {
          if (value === null || value === '') next.delete(key);
          else next.set(key, value);
        }
        return next;
      },
      { replace: true },
    );
  return { search, asOf, basis, by, buckets, set };
}

export function AgingView() {
  const navigate = useNavigate();
  const state = useAgingState();
  const [today] = useState(todayDate);
  const params: AgingParams = {
    asOf: isDate(state.asOf) ? state.asOf : today,
    basis: state.basis,
    buckets: state.buckets,
    by: state.by,
  };
  const [bucketText, setBucketText] = useState(state.buckets);
  const bucketError =
    parseBuckets(bucketText) === null ? 'Ascending whole days, like 30,60,90,120' : undefined;

  const aging = useAging(params);
  const accounts = useAccounts();
  const byId = useMemo(
    () => new Map<string, Account>((accounts.data ?? []).map((a) => [a.account_id, a])),
    [accounts.data],
  );

  const filters = useMemo<Record<Filter, string>>(
    () => ({
      collector: state.search.get('collector') ?? '',
      country: state.search.get('country') ?? '',
      currency: state.search.get('currency') ?? '',
      segment: state.search.get('segment') ?? '',
    }),
    [state.search],
  );
  const applicable = filtersFor[params.by];
  const active = applicable.filter((f) => filters[f] !== '');
  // While another grouping loads, the rows on screen are still the previous one's.
  const shownBy = aging.data?.by ?? params.by;

  const rows = useMemo(() => {
    const all = aging.data?.rows ?? [];
    const wanted = (value: string | null | undefined, filter: string) =>
      filter === '' || (filter === none ? !value : value === filter);
    return all.filter((row) => {
      const account = row.account_id ? byId.get(row.account_id) : undefined;
      const value = (f: Filter): string | null | undefined => {
        if (f === 'currency') return row.currency;
        if (shownBy === 'account') return account?.[f];
        return row[f];
      };
      return filtersFor[shownBy].every((f) => wanted(value(f), filters[f]));
    });
  }, [aging.data, byId, filters, shownBy]);

  // Credit limit and available credit per account and currency (the credit team's figures, on the same day).
  const user = useUser();
  const credit = useCreditPositions(
    aging.data?.as_of ?? params.asOf,
    shownBy === 'account' && hasAnyRole(user, creditReaders),
  );
  const shownRows = useMemo(() => {
    if (!credit.data || shownBy !== 'account') return rows;
    const positions = new Map(credit.data.items.map((p) => [`${p.account_id}\u0000${p.currency}`, p]));
    return rows.map((r) => {
      const p = positions.get(`${r.account_id}\u0000${r.currency}`);
      return {
        ...r,
        credit_limit: p?.credit_limit ?? null,
        exposure: p?.exposure ?? null,
        available_credit: p?.available_credit ?? null,
      };
    });
  }, [rows, credit.data, shownBy]);

  const accountList = accounts.data ?? [];
  const choices: Record<Filter, { value: string; label: string }[]> = {
    collector: options([
      ...accountList.map((a) => a.collector),
      ...(aging.data?.rows ?? []).filter(() => params.by === 'collector').map((r) => r.collector),
    ]),
    country: options(
      [
        ...accountList.map((a) => a.country),
        ...(aging.data?.rows ?? []).filter(() => params.by === 'country').map((r) => r.country),
      ],
      (c) => `${countryName(c)} (${c})`,
    ),
    currency: options((aging.data?.rows ?? []).map((r) => r.currency)).filter((o) => o.value !== none),
    segment: options(accountList.map((a) => a.segment)),
  };

  const openAccountId = state.search.get('account');
  const openAccount = openAccountId
    ? {
        account_id: openAccountId,
        name:
          byId.get(openAccountId)?.name ??
          aging.data?.rows.find((r) => r.account_id === openAccountId)?.name ??
          null,
      }
    : null;

  /** An account opens its items; any other group opens the accounts in it. */
  const drill = (row: AgingRow) => {
    if (params.by === 'account') state.set({ account: row.account_id ?? null });
    else if (params.by === 'currency') state.set({ by: null, currency: row.currency ?? null });
    else state.set({ by: null, [params.by]: row[params.by] || none });
  };

  const filterInput = (filter: Filter, label: string) => {
    const usable = applicable.includes(filter);
    return (
      <Tooltip label="Group by account to filter on this" disabled={usable} withArrow>
        <div>
          <Select
            label={label}
            placeholder={usable ? 'All' : '—'}
            data={choices[filter]}
            value={usable && filters[filter] ? filters[filter] : null}
            onChange={(value) => state.set({ [filter]: value })}
            disabled={!usable}
            clearable
            searchable
            w={filter === 'collector' ? 220 : filter === 'currency' ? 110 : 170}
            data-testid={`aging-filter-${filter}`}
          />
        </div>
      </Tooltip>
    );
  };

  return (
    <Stack gap="md">
      <Paper withBorder p="md">
        <Stack gap="sm">
          <Group align="flex-start" justify="space-between" wrap="wrap">
            <Group align="flex-start" wrap="wrap">
              <DateInput
                label="As of"
                value={params.asOf}
                onChange={(event) => {
                  const value = event.currentTarget.value;
                  if (value === '' || isDate(value)) state.set({ as_of: value === today ? null : value });
                }}
                w={170}
                data-testid="aging-as-of"
              />
              <Stack gap={4}>
                <Text size="sm" fw={500}>
                  Age by
                </Text>
                <Segmented
                  value={params.basis}
                  onChange={(value) => state.set({ basis: value === 'due_date' ? null : value })}
                  data={basisOptions}
                />
              </Stack>
              <TextInput
                label="Buckets (days)"
                value={bucketText}
                onChange={(event) => {
                  const text = event.currentTarget.value;
                  setBucketText(text);
                  const valid = parseBuckets(text);
                  if (valid) state.set({ buckets: valid === defaultBuckets ? null : valid });
                }}
                error={bucketError}
                w={190}
                data-testid="aging-buckets"
              />
              <Stack gap={4}>
                <Text size="sm" fw={500}>
                  Group by
                </Text>
                <Segmented
                  value={params.by}
                  onChange={(value) => state.set({ by: value === 'account' ? null : value, account: null })}
                  data={groupOptions}
                  data-testid="aging-by"
                />
              </Stack>
            </Group>
            <Stack gap={4} align="flex-end">
              <Text size="sm" fw={500}>
                &nbsp;
              </Text>
              <Group gap="xs">
                <Button
                  component="a"
                  href={agingExportUrl(params)}
                  download
                  variant="default"
                  leftSection={<IconDownload size={16} />}
                  data-testid="aging-export"
                >
                  Export XLSX
                </Button>
                <Button
                  component="a"
                  href={agingExportUrl(params, 'csv')}
                  download
                  variant="default"
                  data-testid="aging-export-csv"
                >
                  CSV
                </Button>
              </Group>
            </Stack>
          </Group>
          <Group align="flex-end" wrap="wrap">
            {filterInput('collector', 'Collector')}
            {filterInput('country', 'Country')}
            {filterInput('currency', 'Currency')}
            {filterInput('segment', 'Segment')}
          </Group>
        </Stack>
      </Paper>

      <Group justify="space-between" align="baseline">
        <Text size="sm" c="dimmed">
          Open on {formatDate(params.asOf)} by {params.basis === 'due_date' ? 'due' : 'invoice'} date
          {aging.data ? ` · ${rows.length} of ${aging.data.rows.length} rows` : ''}
          {params.by === 'account'
            ? ' · click an account for its open items'
            : ' · click a row for its accounts'}
        </Text>
        {active.length > 0 && (
          <Text size="xs" c="dimmed">
            The export holds every row; the filters apply on screen.
          </Text>
        )}
      </Group>

      {aging.isPending ? (
        <Loading label="Computing the aging…" />
      ) : aging.isError ? (
        <LoadError error={aging.error} retry={() => void aging.refetch()} what="the aging" />
      ) : aging.data.rows.length === 0 ? (
        <Paper withBorder>
          <Empty
            icon={<IconReportMoney size={22} stroke={1.5} />}
            title="Nothing open on this date"
            description="Invoices, payments and applications appear here once they are loaded through Imports."
          />
        </Paper>
      ) : (
        <Stack gap={6}>
          <AgingGrid
            rows={shownRows}
            buckets={aging.data.buckets}
            by={aging.data.by}
            asOf={aging.data.as_of}
            onRowClick={drill}
            reporting={
              new Set(aging.data.rows.map((r) => r.currency)).size > 1 ||
              aging.data.rows.some((r) => r.currency !== aging.data.reporting.currency)
                ? reportingTotal(aging.data.reporting, aging.data.buckets, aging.data.by, active.length > 0)
                : undefined
            }
          />
          <Text size="xs" c="dimmed" data-testid="aging-rates">
            Totals per currency; “All in {aging.data.reporting.currency}” converts every row at the latest
            rate on or before {formatDate(aging.data.as_of)}
            {Object.keys(aging.data.reporting.rates).filter((c) => c !== aging.data.reporting.currency)
              .length > 0
              ? ` (${Object.entries(aging.data.reporting.rates)
                  .filter(([c]) => c !== aging.data.reporting.currency)
                  .map(([c, r]) => `1 ${c} = ${rateText(r)} ${aging.data.reporting.currency}`)
                  .join(', ')})`
              : ''}
            {aging.data.reporting.missing.length > 0
              ? `; no rate for ${aging.data.reporting.missing.join(', ')}: left out of it`
              : ''}
            .
          </Text>
        </Stack>
      )}

      <OpenItemsDrawer
        account={openAccount}
        params={params}
        onClose={() => state.set({ account: null })}
        onItemClick={(item) =>
          navigate(`/aging/items/${encodeURIComponent(item.item_id)}?as_of=${params.asOf}`, {
            state: { back: `/aging?${state.search.toString()}` },
          })
        }
      />
    </Stack>
  );
}
