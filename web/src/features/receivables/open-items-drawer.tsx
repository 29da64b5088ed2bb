import { Anchor, Drawer, Group, Paper, Stack, Text } from '@mantine/core';
import { IconReceipt } from '@tabler/icons-react';
import type { ColDef } from 'ag-grid-community';
import { useMemo } from 'react';
import { Link } from 'react-router';
import { DataGrid, widgetCell } from '../../ui/data-grid';
import { formatDate } from '../../ui/dates';
import { GridBadge } from '../../ui/grid-badge';
import { compareAmounts, formatAmount } from '../../ui/money';
import { Empty, LoadError, Loading } from '../../ui/states';
import { type AgingBasis, bucketLabel, kindLabels, type OpenItem } from './receivables';
import { useOpenItems } from './use-receivables';

function BucketBadge({ value }: { value: string }) {
  return (
    <GridBadge color={value === 'not_due' ? 'teal' : value.endsWith('_plus') ? 'red' : 'orange'}>
      {bucketLabel(value)}
    </GridBadge>
  );
}

const amount = (field: 'amount' | 'open_amount', headerName: string): ColDef<OpenItem> => ({
  field,
  headerName,
  type: 'rightAligned',
  minWidth: 110,
  valueFormatter: (p) => formatAmount(p.value),
  comparator: (a, b) => compareAmounts(a, b),
  filter: false,
});

const columns: ColDef<OpenItem>[] = [
  { field: 'item_id', headerName: 'Item', minWidth: 110 },
  {
    field: 'kind',
    headerName: 'Type',
    minWidth: 110,
    valueFormatter: (p) => kindLabels[p.value as OpenItem['kind']],
  },
  // The drawer shows what ages an item (its due date); the document date waits under Columns.
  {
    field: 'item_date',
    headerName: 'Date',
    minWidth: 110,
    hide: true,
    valueFormatter: (p) => formatDate(p.value),
  },
  { field: 'due_date', headerName: 'Due', minWidth: 110, valueFormatter: (p) => formatDate(p.value) },
  { field: 'currency', headerName: 'Cur.', minWidth: 70, maxWidth: 80 },
  amount('amount', 'Amount'),
  amount('open_amount', 'Open'),
  {
    field: 'days_past_due',
    headerName: 'Days past due',
    type: 'rightAligned',
    minWidth: 90,
    wrapHeaderText: true,
    filter: 'agNumberColumnFilter',
  },
  {
    field: 'bucket',
    headerName: 'Bucket',
    minWidth: 110,
    hide: false,
    cellRenderer: BucketBadge,
    cellClass: widgetCell,
  },
];

/** An aging row opened: the account's open items on that date, each leading to its timeline. */
export function OpenItemsDrawer({
  account,
  params,
  onClose,
  onItemClick,
}: {
  account: { account_id: string; name: string | null } | null;
  params: { asOf: string; basis: AgingBasis; buckets: string };
  onClose: () => void;
  onItemClick: (item: OpenItem) => void;
}) {
  const items = useOpenItems(account?.account_id ?? null, params);
  const rows = useMemo(() => items.data?.items ?? [], [items.data]);
  return (
    <Drawer
      opened={account !== null}
      onClose={onClose}
      position="right"
      size={980}
      title={account && `Open items of ${account.name ?? account.account_id}`}
      styles={{ title: { fontWeight: 600, fontSize: 'var(--mantine-font-size-lg)' } }}
    >
      {account && (
        <Stack gap="md">
          <Group justify="space-between" align="flex-end">
            <Text size="sm" c="dimmed">
              Open on {formatDate(params.asOf)}, aged by {params.basis === 'due_date' ? 'due' : 'invoice'}{' '}
              date. Credit memos and payments are negative and aged from their own date. Click an item for its
              timeline.
            </Text>
            <Anchor component={Link} to={`/accounts/${encodeURIComponent(account.account_id)}`} size="sm">
              Account {account.account_id}
            </Anchor>
          </Group>
          {items.isPending ? (
            <Loading label="Loading open items…" />
          ) : items.isError ? (
            <LoadError error={items.error} retry={() => void items.refetch()} what="open items" />
          ) : (
            <DataGrid
              testId="aging-items"
              rows={rows}
              columns={columns}
              rowId={(item) => item.item_id}
              onRowClick={onItemClick}
              height={rows.length > 16 ? 'calc(100vh - 180px)' : 'auto'}
              empty={
                <Paper withBorder>
                  <Empty
                    icon={<IconReceipt size={22} stroke={1.5} />}
                    title="Nothing open"
                    description="Every document of this account was settled on this date."
                  />
                </Paper>
              }
            />
          )}
        </Stack>
      )}
    </Drawer>
  );
}
