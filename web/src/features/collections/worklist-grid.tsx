import type { ColDef } from 'ag-grid-community';
import { useMemo } from 'react';
import { DataGrid } from '../../ui/data-grid';
import { formatDate, formatTimestamp } from '../../ui/dates';
import { compareAmounts, formatAmount, formatMoney } from '../../ui/money';
import type { WorklistRow } from './collections';

/** The worklist in the server's priority order; a row opens the account. */
export function WorklistGrid({
  rows,
  search,
  onRowClick,
}: {
  rows: WorklistRow[];
  search?: string;
  onRowClick: (row: WorklistRow) => void;
}) {
  const columns = useMemo<ColDef<WorklistRow>[]>(
    () => [
      {
        field: 'account_id',
        headerName: 'Account',
        minWidth: 200,
        flex: 2,
        valueGetter: (p) => (p.data ? `${p.data.account_id} · ${p.data.name}` : ''),
      },
      { field: 'currency', headerName: 'Currency', minWidth: 90, maxWidth: 110 },
      {
        field: 'past_due_amount',
        headerName: 'Past due',
        type: 'rightAligned',
        valueFormatter: (p) => formatAmount(p.value),
        comparator: (a, b) => compareAmounts(a, b),
        filter: false,
      },
      {
        field: 'disputed_amount',
        headerName: 'In dispute',
        type: 'rightAligned',
        valueFormatter: (p) => (compareAmounts(p.value, '0') === 0 ? '' : formatAmount(p.value)),
        comparator: (a, b) => compareAmounts(a, b),
        filter: false,
      },
      {
        field: 'oldest_days_past_due',
        headerName: 'Oldest days past due',
        type: 'rightAligned',
        filter: 'agNumberColumnFilter',
      },
      {
        field: 'broken_promises',
        headerName: 'Broken promises',
        type: 'rightAligned',
        filter: 'agNumberColumnFilter',
      },
      {
        colId: 'open_promise',
        headerName: 'Open promise',
        minWidth: 170,
        valueGetter: (p) =>
          p.data?.open_promise
            ? `${formatMoney(p.data.open_promise.amount, p.data.currency)} by ${formatDate(p.data.open_promise.promised_date)}`
            : '',
      },
      {
        field: 'last_activity_at',
        headerName: 'Last activity',
        minWidth: 150,
        hide: true,
        valueFormatter: (p) => formatTimestamp(p.value),
      },
      // What the collector does next is always in view, however narrow the screen.
      { field: 'next_action', headerName: 'Next action', minWidth: 170, flex: 1.5, hide: false },
    ],
    [],
  );
  return (
    <DataGrid<WorklistRow>
      rows={rows}
      columns={columns}
      rowId={(row) => `${row.account_id}\u0000${row.currency}`}
      testId="worklist-grid"
      search={search}
      onRowClick={onRowClick}
      height={rows.length <= 14 ? 'auto' : undefined}
    />
  );
}
