import type { ColDef, ICellRendererParams } from 'ag-grid-community';
import { type ReactNode, useMemo } from 'react';
import { DataGrid, widgetCell } from '../../ui/data-grid';
import { formatDate, formatTimestamp } from '../../ui/dates';
import { GridBadge } from '../../ui/grid-badge';
import { formatQty, type InventoryDifference, resolutionLabels } from './channel';

function Status({ data }: ICellRendererParams<InventoryDifference>) {
  if (!data) return null;
  if (data.status === 'open') return <GridBadge color="orange">Open</GridBadge>;
  return (
    <GridBadge color="gray" title={`Resolved ${formatTimestamp(data.resolved_at)}`}>
      {data.resolution ? resolutionLabels[data.resolution] : 'Resolved'}
    </GridBadge>
  );
}

const qty = (
  field: 'reported_qty' | 'computed_qty' | 'difference',
  headerName: string,
  signed = false,
): ColDef<InventoryDifference> => ({
  field,
  headerName,
  type: 'rightAligned',
  minWidth: 85,
  maxWidth: 130,
  valueFormatter: (params) => formatQty(params.value, signed),
  filter: 'agNumberColumnFilter',
});

/** The account monitoring log: each difference found, when, and whether it still stands. */
export function DifferencesGrid({
  differences,
  showAccount = true,
  empty,
}: {
  differences: InventoryDifference[];
  showAccount?: boolean;
  empty?: ReactNode;
}) {
  const columns = useMemo<ColDef<InventoryDifference>[]>(
    () => [
      ...(showAccount ? [{ field: 'account_id', headerName: 'Account', minWidth: 100 } as const] : []),
      { field: 'sku', headerName: 'SKU', minWidth: 100 },
      { field: 'product_name', headerName: 'Product', minWidth: 130, flex: 1.3 },
      {
        field: 'snapshot_date',
        headerName: 'Snapshot',
        minWidth: 110,
        valueFormatter: (params) => formatDate(params.value),
      },
      qty('reported_qty', 'Reported'),
      qty('computed_qty', 'Computed'),
      qty('difference', 'Difference', true),
      {
        field: 'status',
        headerName: 'Status',
        minWidth: 130,
        cellRenderer: Status,
        cellClass: widgetCell,
      },
      {
        field: 'first_detected_at',
        headerName: 'First found',
        minWidth: 175,
        valueFormatter: (params) => formatTimestamp(params.value),
        tooltipValueGetter: (params) =>
          params.data ? `Last checked ${formatTimestamp(params.data.last_checked_at)}` : undefined,
        filter: false,
      },
    ],
    [showAccount],
  );
  return (
    <DataGrid
      testId="differences-grid"
      rows={differences}
      columns={columns}
      rowId={(row) => row.difference_id}
      empty={empty}
      height={differences.length > 12 ? 440 : 'auto'}
    />
  );
}
