import type { ColDef, ICellRendererParams } from 'ag-grid-community';
import { type ReactNode, useMemo } from 'react';
import { DataGrid, type GridQuery, widgetCell } from '../../ui/data-grid';
import { formatDate } from '../../ui/dates';
import { GridBadge } from '../../ui/grid-badge';
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
    <GridBadge color="teal">Matches</GridBadge>
  ) : (
    <GridBadge color="orange">{formatQty(value, true)}</GridBadge>
  );
}

// What /api/positions sorts and filters by (src/modules/channel/positions.ts, positionGridColumns).
const positionFilters = ['account_id', 'sku', 'product_name', 'last_snapshot_date'] as const;
const positionSorts = [
  ...positionFilters,
  'bought',
  'sold',
  'credited',
  'position',
  'last_snapshot_qty',
  'last_snapshot_difference',
  'open_differences',
] as const;

/**
 * One row per account and SKU: the computed position, what went in and out, and the last snapshot. With
 * `onQuery` the rows are one page: the columns' sort and filters go to the server (`order`, `filters` of
 * /api/positions), which sorts and filters every position.
 */
export function PositionsGrid({
  positions,
  onSelect,
  showAccount,
  empty,
  onQuery,
}: {
  positions: PositionSummary[];
  onSelect: (row: PositionSummary) => void;
  showAccount: boolean;
  empty?: ReactNode;
  onQuery?: (query: GridQuery) => void;
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
      server={onQuery ? { onQuery, sorts: positionSorts, filters: positionFilters } : undefined}
    />
  );
}
