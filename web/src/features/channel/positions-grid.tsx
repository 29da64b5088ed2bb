import { Badge } from '@mantine/core';
import type { ColDef, ICellRendererParams } from 'ag-grid-community';
import { type ReactNode, useMemo } from 'react';
import { DataGrid, widgetCell } from '../../ui/data-grid';
import { formatDate } from '../../ui/dates';
import { formatQty, type PositionSummary } from './channel';

const qtyColumn = (
  field: keyof PositionSummary & string,
  headerName: string,
  extra: Partial<ColDef<PositionSummary>> = {},
): ColDef<PositionSummary> => ({
  field,
  headerName,
  type: 'rightAligned',
  minWidth: 78,
  maxWidth: 140,
  valueFormatter: (params) => formatQty(params.value),
  filter: 'agNumberColumnFilter',
  ...extra,
});

function Difference({ value }: ICellRendererParams<PositionSummary, number | null>) {
  if (value === null || value === undefined) return null;
  return value === 0 ? (
    <Badge color="teal" variant="light">
      Matches
    </Badge>
  ) : (
    <Badge color="orange" variant="light">
      {formatQty(value, true)}
    </Badge>
  );
}

/** One row per account and SKU: the computed position, what went in and out, and the last snapshot. */
export function PositionsGrid({
  positions,
  onSelect,
  showAccount,
  empty,
}: {
  positions: PositionSummary[];
  onSelect: (row: PositionSummary) => void;
  showAccount: boolean;
  empty?: ReactNode;
}) {
  const columns = useMemo<ColDef<PositionSummary>[]>(
    () => [
      ...(showAccount ? [{ field: 'account_id', headerName: 'Account', minWidth: 100 } as const] : []),
      { field: 'sku', headerName: 'SKU', minWidth: 100 },
      { field: 'product_name', headerName: 'Product', minWidth: 140, flex: 1.5 },
      qtyColumn('bought', 'Bought', { headerTooltip: 'Opening balances and sell-in' }),
      qtyColumn('sold', 'Sold'),
      qtyColumn('credited', 'Credited', { headerTooltip: 'Units credited by claims' }),
      qtyColumn('position', 'Position', { headerTooltip: 'Bought − sold − credited' }),
      {
        field: 'last_snapshot_date',
        headerName: 'Last snapshot',
        minWidth: 120,
        valueFormatter: (params) => formatDate(params.value),
      },
      qtyColumn('last_snapshot_qty', 'Reported'),
      qtyColumn('last_snapshot_difference', 'Difference', {
        headerTooltip: 'Reported on hand − computed position on the snapshot date',
        cellRenderer: Difference,
        cellClass: widgetCell,
      }),
      qtyColumn('open_differences', 'Open', { headerTooltip: 'Open differences in the monitoring log' }),
    ],
    [showAccount],
  );
  const key = (row: PositionSummary) => `${row.account_id}\u0000${row.sku}`;
  return (
    <DataGrid
      testId="positions-grid"
      rows={positions}
      columns={columns}
      rowId={key}
      onRowClick={onSelect}
      empty={empty}
      height={positions.length > 12 ? 480 : 'auto'}
    />
  );
}
