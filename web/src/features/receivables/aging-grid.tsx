import { Box } from '@mantine/core';
import type { CellStyle, ColDef, GetRowIdParams, RowClickedEvent } from 'ag-grid-community';
import { useMemo } from 'react';
import { AgGrid } from '../../ui/data-grid';
import { amountColumn } from '../../ui/grid-columns';
import { countryName } from '../accounts/account';
import {
  type AgingBucket,
  type AgingGroup,
  type AgingReport,
  type AgingRow,
  bucketLabel,
  isZeroAmount,
  sumAmounts,
} from './receivables';

// As every grid: long headers wrap to a second line rather than being cut (ui/data-grid.tsx).
const agingDefaults = {
  sortable: true,
  filter: true,
  resizable: true,
  flex: 1,
  minWidth: 80,
  wrapHeaderText: true,
};

const totalMark = '__total';
export const unassigned = 'Unassigned';

export const groupKey = (row: AgingRow, by: AgingGroup): string =>
  by === 'account'
    ? (row.account_id ?? '')
    : by === 'collector'
      ? (row.collector ?? '')
      : by === 'country'
        ? (row.country ?? '')
        : '';

const rowId = (row: AgingRow, by: AgingGroup) =>
  row[totalMark]
    ? `${row[totalMark]}\u0000${row.currency}`
    : `${groupKey(row, by)}\u0000${row.currency ?? ''}`;

/** One totals row per currency: amounts in different currencies are never added together. */
export function totalsByCurrency(rows: AgingRow[], buckets: AgingBucket[], by: AgingGroup): AgingRow[] {
  const currencies = [...new Set(rows.map((r) => r.currency ?? ''))].sort();
  const label = by === 'currency' ? 'currency' : by === 'account' ? 'account_id' : by;
  return currencies.map((currency) => {
    const mine = rows.filter((r) => (r.currency ?? '') === currency);
    const total: AgingRow = { [totalMark]: 'yes', [label]: 'Total', currency };
    if (by === 'account') total.name = `${mine.length} ${mine.length === 1 ? 'account' : 'accounts'}`;
    for (const key of [...buckets.map((b) => b.key), 'total']) {
      total[key] = sumAmounts(mine.map((r) => r[key]));
    }
    return total;
  });
}

// AG Grid keeps a style property a cell once had unless told otherwise, so every style names both.
const zeroStyle: CellStyle = { color: 'var(--mantine-color-gray-5)', fontWeight: 'inherit' };
const strongStyle: CellStyle = { color: 'inherit', fontWeight: 600 };
const plainStyle: CellStyle = { color: 'inherit', fontWeight: 'inherit' };

function agingColumn(field: string, headerName: string, strong = false): ColDef<AgingRow> {
  return {
    // Wide enough for 1,234,567.89 in bold: an amount is never cut (the grid scrolls sideways instead).
    ...amountColumn<AgingRow>(field, headerName, 106),
    filter: false,
    cellStyle: (params): CellStyle =>
      isZeroAmount(params.value) && !params.node.rowPinned ? zeroStyle : strong ? strongStyle : plainStyle,
  };
}

function groupColumns(by: AgingGroup): ColDef<AgingRow>[] {
  const currency: ColDef<AgingRow> = {
    field: 'currency',
    headerName: 'Currency',
    minWidth: 92,
    maxWidth: 100,
  };
  switch (by) {
    case 'account':
      return [
        { field: 'account_id', headerName: 'Account', minWidth: 86, maxWidth: 120 },
        { field: 'name', headerName: 'Name', minWidth: 130, flex: 1.5, tooltipField: 'name' },
        currency,
      ];
    case 'collector':
      return [
        {
          field: 'collector',
          headerName: 'Collector',
          minWidth: 200,
          flex: 2,
          valueFormatter: (p) => (p.node?.rowPinned ? p.value : p.value || unassigned),
        },
        currency,
      ];
    case 'country':
      return [
        {
          field: 'country',
          headerName: 'Country',
          minWidth: 160,
          flex: 1.5,
          valueFormatter: (p) =>
            p.node?.rowPinned ? p.value : p.value ? `${countryName(p.value)} (${p.value})` : '',
        },
        currency,
      ];
    case 'currency':
      return [{ ...currency, maxWidth: undefined, valueGetter: (p) => p.data?.currency }];
  }
}

/**
 * Every row summed into the reporting currency by the server (at the rates of the as-of date), pinned under
 * the totals per currency: the one figure that adds currencies up.
 */
export function reportingTotal(
  reporting: AgingReport['reporting'],
  buckets: AgingBucket[],
  by: AgingGroup,
  filtered: boolean,
): AgingRow {
  const label = by === 'currency' ? 'currency' : by === 'account' ? 'account_id' : by;
  const row: AgingRow = {
    [totalMark]: 'reporting',
    [label]: `All in ${reporting.currency}`,
    currency: reporting.currency,
  };
  if (by === 'account')
    row.name =
      reporting.missing.length > 0
        ? `without ${reporting.missing.join(', ')} (no rate)`
        : filtered
          ? 'all rows, unfiltered'
          : 'converted';
  for (const key of [...buckets.map((b) => b.key), 'total']) row[key] = reporting.totals[key] ?? null;
  return row;
}

/** The aging: one row per group and currency, the buckets right-aligned, totals per currency pinned below. */
export function AgingGrid({
  rows,
  buckets,
  by,
  asOf,
  onRowClick,
  reporting,
}: {
  /** The pinned row in the reporting currency (reportingTotal), when the rows hold several currencies. */
  reporting?: AgingRow | undefined;
  rows: AgingRow[];
  /** The date the rows are for, on the element (tests wait for it). */
  asOf: string;
  buckets: AgingBucket[];
  by: AgingGroup;
  onRowClick: (row: AgingRow) => void;
}) {
  const columns = useMemo<ColDef<AgingRow>[]>(
    () => [
      ...groupColumns(by),
      ...buckets.map((b) => agingColumn(b.key, bucketLabel(b.key))),
      agingColumn('total', 'Total', true),
      // With the credit team's figures (rows by account, for those who read credit, once some account has a
      // limit): exposure and available credit of the account's credit group.
      ...(by === 'account' && rows.some((r) => r.credit_limit)
        ? [
            agingColumn('exposure', 'Exposure'),
            {
              ...agingColumn('available_credit', 'Available'),
              headerTooltip: 'Available credit: the credit limit less the exposure (empty without a limit)',
              cellStyle: (params: { value: unknown }): CellStyle =>
                String(params.value ?? '').startsWith('-')
                  ? { color: 'var(--mantine-color-red-7)', fontWeight: 600 }
                  : plainStyle,
            },
          ]
        : []),
    ],
    [by, buckets, rows],
  );
  const totals = useMemo(
    () => [...totalsByCurrency(rows, buckets, by), ...(reporting ? [reporting] : [])],
    [rows, buckets, by, reporting],
  );
  const auto = rows.length <= 14;
  return (
    <Box data-testid="aging-grid" data-as-of={asOf} h={auto ? undefined : 560}>
      <AgGrid<AgingRow>
        rowData={rows}
        pinnedBottomRowData={totals}
        columnDefs={columns}
        defaultColDef={agingDefaults}
        getRowId={(params: GetRowIdParams<AgingRow>) => rowId(params.data, by)}
        domLayout={auto ? 'autoHeight' : 'normal'}
        onRowClicked={(event: RowClickedEvent<AgingRow>) => {
          if (event.data && !event.node.rowPinned) onRowClick(event.data);
        }}
        rowClass="clickable-row"
        suppressCellFocus
        enableCellTextSelection
        animateRows={false}
        overlayNoRowsTemplate="<span>No rows match the filters.</span>"
      />
    </Box>
  );
}
