import { Box } from '@mantine/core';
import {
  AllCommunityModule,
  type ColDef,
  type GetRowIdParams,
  ModuleRegistry,
  type RowClickedEvent,
  themeQuartz,
} from 'ag-grid-community';
import { AgGridReact } from 'ag-grid-react';
import type { ReactNode } from 'react';

ModuleRegistry.registerModules([AllCommunityModule]);

/** One look for every table: the Mantine font, neutral greys, the indigo accent, dense rows. */
const theme = themeQuartz.withParams({
  accentColor: '#4c6ef5',
  fontFamily: 'inherit',
  fontSize: 13,
  headerFontSize: 12,
  headerFontWeight: 600,
  headerTextColor: '#495057',
  headerBackgroundColor: '#f8f9fa',
  borderColor: '#dee2e6',
  foregroundColor: '#212529',
  wrapperBorderRadius: 8,
  spacing: 6,
  rowHeight: 36,
  headerHeight: 38,
  // Short lists grow with their rows; one row's height leaves room for the "no rows match" message.
  autoHeightMinBodyHeight: 36,
  browserColorScheme: 'light',
});

/** For columns whose cells render components (badges, buttons): centred in the row like plain text. */
export const widgetCell = 'widget-cell';

export interface DataGridProps<T> {
  rows: T[];
  columns: ColDef<T>[];
  rowId: (row: T) => string;
  testId: string;
  /** Text typed in a search box; matches any column. */
  search?: string;
  onRowClick?: (row: T) => void;
  /** Shown instead of the grid when there are no rows at all. */
  empty?: ReactNode;
  /** 'auto' grows with the rows (short lists); a number or CSS length scrolls inside. */
  height?: 'auto' | number | string;
  /** False when the server orders the rows (a page of a longer list): the columns do not sort. */
  sortable?: boolean;
}

export function DataGrid<T>({
  rows,
  columns,
  rowId,
  testId,
  search,
  onRowClick,
  empty,
  height = 'calc(100vh - 230px)',
  sortable = true,
}: DataGridProps<T>) {
  if (rows.length === 0 && empty) return <Box data-testid={testId}>{empty}</Box>;
  const auto = height === 'auto';
  return (
    <Box data-testid={testId} h={auto ? undefined : height} mih={auto ? undefined : 320}>
      <AgGridReact<T>
        theme={theme}
        rowData={rows}
        columnDefs={columns}
        defaultColDef={sortable ? defaultColumn : serverOrdered}
        getRowId={(params: GetRowIdParams<T>) => rowId(params.data)}
        quickFilterText={search ?? ''}
        domLayout={auto ? 'autoHeight' : 'normal'}
        onRowClicked={
          onRowClick ? (event: RowClickedEvent<T>) => event.data && onRowClick(event.data) : undefined
        }
        rowClass={onRowClick ? 'clickable-row' : undefined}
        suppressCellFocus
        enableCellTextSelection
        animateRows={false}
        overlayNoRowsTemplate="<span>No rows match the search or filters.</span>"
      />
    </Box>
  );
}

const defaultColumn: ColDef = {
  sortable: true,
  filter: true,
  resizable: true,
  flex: 1,
  minWidth: 110,
};

const serverOrdered: ColDef = { ...defaultColumn, sortable: false, filter: false };
