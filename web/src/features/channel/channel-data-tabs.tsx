import { Group, Pagination, Paper, Select, Stack, Tabs, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconBox, IconPackageExport, IconPackageImport } from '@tabler/icons-react';
import type { ColDef } from 'ag-grid-community';
import { useState } from 'react';
import { DataGrid, type GridQuery, gridQueryParams, noGridQuery } from '../../ui/data-grid';
import { DateInput } from '../../ui/date-input';
import { formatCount } from '../../ui/money';
import { Empty, LoadError, Loading } from '../../ui/states';
import type { Account } from '../accounts/account';
import { type ChannelFilters, noFilters } from './channel';
import { channelGridColumns, inventoryColumns, sellInColumns, sellOutColumns } from './channel-data-columns';
import { type ChannelDataKind, type ChannelRows, useChannelPage } from './use-channel';

const pageSize = 100;

const tabs: { kind: ChannelDataKind; label: string; icon: typeof IconBox; empty: string }[] = [
  {
    kind: 'sell-in',
    label: 'Sell-in',
    icon: IconPackageExport,
    empty: 'Invoice lines to partners appear here once a sell-in file is imported.',
  },
  {
    kind: 'sell-out',
    label: 'Sell-out',
    icon: IconPackageImport,
    empty: 'Partners’ sales to end customers appear here once a sell-out report is imported.',
  },
  {
    kind: 'inventory',
    label: 'Inventory reports',
    icon: IconBox,
    empty: 'Snapshots and opening balances appear here once an inventory report is imported.',
  },
];

const rowKeys: { [K in ChannelDataKind]: (row: ChannelRows[K]) => string } = {
  'sell-in': (row) => `${row.invoice_id}/${row.line_no}`,
  'sell-out': (row) => `${row.account_id}/${row.sell_out_ref}`,
  inventory: (row) => `${row.account_id}/${row.sku}/${row.as_of_date}/${row.kind}`,
};

const columnsOf: { [K in ChannelDataKind]: ColDef<ChannelRows[K]>[] } = {
  'sell-in': sellInColumns,
  'sell-out': sellOutColumns,
  inventory: inventoryColumns,
};

/** Sell-in, sell-out and inventory reports as loaded, filtered and paged on the server. */
export function ChannelDataTabs({ accounts }: { accounts: Pick<Account, 'account_id' | 'name'>[] }) {
  const [kind, setKind] = useState<ChannelDataKind>('sell-in');
  const [filters, setFilters] = useState<ChannelFilters>(noFilters);
  const [debounced] = useDebouncedValue(filters, 300);
  const set = (key: keyof ChannelFilters) => (value: string) => setFilters((f) => ({ ...f, [key]: value }));

  return (
    <Stack gap="md" data-testid="channel-data">
      <Group align="flex-end" wrap="wrap">
        <Select
          label="Account"
          placeholder="All accounts"
          data={accounts.map((a) => ({ value: a.account_id, label: `${a.name} (${a.account_id})` }))}
          value={filters.account_id || null}
          onChange={(value) => set('account_id')(value ?? '')}
          searchable
          clearable
          w={280}
        />
        <TextInput
          label="SKU"
          placeholder="Any SKU"
          value={filters.sku}
          onChange={(event) => set('sku')(event.currentTarget.value.trim())}
          w={160}
        />
        <DateInput
          label="From"
          value={filters.from}
          onChange={(event) => set('from')(event.currentTarget.value)}
          w={160}
        />
        <DateInput
          label="To"
          value={filters.to}
          onChange={(event) => set('to')(event.currentTarget.value)}
          w={160}
        />
      </Group>
      <Tabs value={kind} onChange={(value) => value && setKind(value as ChannelDataKind)} keepMounted={false}>
        <Tabs.List mb="md">
          {tabs.map((tab) => (
            <Tabs.Tab key={tab.kind} value={tab.kind} leftSection={<tab.icon size={16} />}>
              {tab.label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {tabs.map((tab) => (
          <Tabs.Panel key={tab.kind} value={tab.kind}>
            <PagedList kind={tab.kind} filters={debounced} emptyText={tab.empty} />
          </Tabs.Panel>
        ))}
      </Tabs>
    </Stack>
  );
}

function PagedList<K extends ChannelDataKind>({
  kind,
  filters,
  emptyText,
}: {
  kind: K;
  filters: ChannelFilters;
  emptyText: string;
}) {
  const [page, setPage] = useState(1);
  const [seenFilters, setSeenFilters] = useState(filters);
  // The grid's own sort and column filters, done by the server over every line.
  const [grid, setGrid] = useState<GridQuery>(noGridQuery);
  // New filters start again at the first page.
  if (seenFilters !== filters) {
    setSeenFilters(filters);
    setPage(1);
  }
  const query = useChannelPage(kind, filters, {
    limit: pageSize,
    offset: (page - 1) * pageSize,
    ...gridQueryParams(grid),
  });
  if (query.isPending) return <Loading label="Loading…" />;
  if (query.isError) return <LoadError error={query.error} retry={() => void query.refetch()} />;
  const { items, total } = query.data;
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const first = total === 0 ? 0 : (page - 1) * pageSize + 1;
  return (
    <Stack gap="xs">
      <DataGrid<ChannelRows[K]>
        testId={`channel-data-${kind}`}
        rows={items}
        columns={columnsOf[kind]}
        rowId={rowKeys[kind]}
        height="calc(100vh - 380px)"
        server={{
          onQuery: (next) => {
            setGrid(next);
            setPage(1);
          },
          ...channelGridColumns[kind],
        }}
        empty={
          <Paper withBorder>
            {Object.values(filters).some(Boolean) ? (
              <Empty
                title="No rows match"
                description="Nothing matches these filters; widen the dates or clear a filter."
              />
            ) : (
              <Empty title="Nothing loaded yet" description={emptyText} />
            )}
          </Paper>
        }
      />
      <Group justify="space-between">
        <Text size="xs" c="dimmed">
          {total === 0
            ? 'No rows match'
            : `${formatCount(first)}–${formatCount(first + items.length - 1)} of ${formatCount(total)}`}
        </Text>
        {pages > 1 && <Pagination total={pages} value={page} onChange={setPage} size="sm" />}
      </Group>
    </Stack>
  );
}
