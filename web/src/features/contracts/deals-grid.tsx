import type { ColDef, ICellRendererParams } from 'ag-grid-community';
import { type ReactNode, useMemo } from 'react';
import { useNavigate } from 'react-router';
import { DataGrid, widgetCell } from '../../ui/data-grid';
import { formatDate } from '../../ui/dates';
import { GridBadge } from '../../ui/grid-badge';
import { amountColumn } from '../../ui/grid-columns';
import { type DealItem, dealPath, validityColors, validityLabels } from './contract';

export function DealsGrid({
  deals,
  search,
  empty,
  height,
  partner = false,
}: {
  deals: DealItem[];
  search?: string;
  empty?: ReactNode;
  height?: 'auto' | number | string;
  /** The portal's view: the partner's own accounts, so no partner column. */
  partner?: boolean;
}) {
  const navigate = useNavigate();
  const columns = useMemo<ColDef<DealItem>[]>(
    () => [
      { field: 'deal_id', headerName: 'Deal', minWidth: 120, sort: 'asc' },
      {
        colId: 'partner',
        headerName: 'Partner',
        minWidth: 170,
        hide: partner,
        valueGetter: (params) => params.data?.account_name ?? params.data?.account_id ?? '',
      },
      {
        colId: 'end_customer',
        headerName: 'End customer',
        minWidth: 170,
        valueGetter: (params) => params.data?.end_customer_name ?? params.data?.end_customer_id ?? '',
      },
      { field: 'sku', headerName: 'SKU', minWidth: 110 },
      amountColumn('authorized_unit_amount', 'Per unit', 110),
      { field: 'currency', headerName: 'Currency', minWidth: 95, maxWidth: 110 },
      { field: 'max_qty', headerName: 'Max qty', type: 'rightAligned', minWidth: 100 },
      { field: 'used_qty', headerName: 'Used', type: 'rightAligned', minWidth: 90 },
      { field: 'left_qty', headerName: 'Left', type: 'rightAligned', minWidth: 90 },
      {
        colId: 'validity',
        headerName: 'Valid',
        minWidth: 200,
        valueGetter: (params) =>
          params.data ? `${formatDate(params.data.start_date)} – ${formatDate(params.data.end_date)}` : '',
        comparator: (_a, _b, nodeA, nodeB) =>
          (nodeA.data?.start_date ?? '').localeCompare(nodeB.data?.start_date ?? ''),
      },
      {
        field: 'validity',
        headerName: 'Status',
        minWidth: 120,
        maxWidth: 140,
        valueGetter: (params) => (params.data ? validityLabels[params.data.validity] : ''),
        cellRenderer: Validity,
        cellClass: widgetCell,
      },
      {
        colId: 'program',
        headerName: 'Program',
        minWidth: 160,
        valueGetter: (params) => params.data?.program_name ?? params.data?.program_id ?? '',
      },
    ],
    [partner],
  );
  return (
    <DataGrid
      testId="deals-grid"
      rows={deals}
      columns={columns}
      rowId={(deal) => deal.deal_id}
      search={search}
      empty={empty}
      height={height}
      onRowClick={(deal) => navigate(dealPath(deal.deal_id))}
    />
  );
}

function Validity({ data }: ICellRendererParams<DealItem>) {
  if (!data) return null;
  return <GridBadge color={validityColors[data.validity]}>{validityLabels[data.validity]}</GridBadge>;
}
