import { Box } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type {
  ColDef,
  ColumnState,
  FilterModel,
  GetRowIdParams,
  GridApi,
  RowClickedEvent,
} from 'ag-grid-community';
import { type ReactNode, useCallback, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { fitColumns } from './grid-columns';
import type { GridProps } from './grid-engine';
import { fittedColumns } from './grid-fit';
import { GridToolbar } from './grid-toolbar';
import { gridViewsQuery } from './grid-views';
import { lazyModule } from './lazy-module';
import { Loading } from './states';

/**
 * AG Grid with the app's look, its code loaded apart from the page's (index.html preloads it with the page):
 * the page draws its header and asks for its rows while the grid's code runs.
 */
// Run when a grid is first drawn, never when this module loads: the app's shared chunk holds this module, and
// pages without a grid must not run AG Grid. index.html has fetched its code already on a grid page.
const useGridEngine = lazyModule(() => import('./grid-engine'));
/** AG Grid's code, run ahead of the first drawing on a page that shows a grid (main.tsx). */
export const loadGridEngine = useGridEngine.load;
export function AgGrid<T>(props: GridProps<T>) {
  const engine = useGridEngine();
  if (!engine) return <Loading />;
  const Grid = engine.default as unknown as (props: GridProps<T>) => ReactNode;
  return <Grid {...props} />;
}

/** For columns whose cells render components (badges, buttons): centred in the row like plain text. */
export const widgetCell = 'widget-cell';

/** The sort and filters of a grid whose rows the server orders and filters (a page of a longer list). */
export interface GridQuery {
  /** `column:asc` or `column:desc`, by column id; null: the server's own order. */
  sort: string | null;
  /** Text typed in each column's filter, by column id. */
  filters: Record<string, string>;
}

/** A grid's query as a list's `order` and `filters` parameters (null when the grid adds none). */
export function gridQueryParams(query: GridQuery): { order: string | null; filters: string | null } {
  return {
    order: query.sort,
    filters: Object.keys(query.filters).length > 0 ? JSON.stringify(query.filters) : null,
  };
}

/** No sort, no column filter: the server's own order. */
export const noGridQuery: GridQuery = { sort: null, filters: {} };

export interface DataGridProps<T> {
  rows: T[];
  columns: ColDef<T>[];
  rowId: (row: T) => string;
  testId: string;
  /** Saved views and exports are kept under this id (default: `testId`). */
  gridId?: string;
  /** The export's title (default: the page's heading). */
  title?: string;
  /** Text typed in a search box; matches any column. */
  search?: string;
  onRowClick?: (row: T) => void;
  /** Shown instead of the grid when there are no rows at all. */
  empty?: ReactNode;
  /** 'auto' grows with the rows (short lists); a number or CSS length scrolls inside. */
  height?: 'auto' | number | string;
  /**
   * A page of a longer list that the server orders and filters: the columns' sort and filters go to the
   * server through `onQuery`; only the columns the server takes sort (`sorts`) and filter (`filters`).
   */
  server?: { onQuery: (query: GridQuery) => void; sorts: readonly string[]; filters: readonly string[] };
  /** False hides the views, columns and export buttons (a grid inside a card of a few rows). */
  toolbar?: boolean;
  /** Rows pinned under the others (totals). */
  pinnedBottomRows?: T[];
  /** False when the server orders the rows and takes no sort or filter: the columns neither sort nor filter. */
  sortable?: boolean;
}

export function DataGrid<T>({
  rows,
  columns,
  rowId,
  testId,
  gridId,
  title,
  search,
  onRowClick,
  empty,
  height = 'calc(100vh - 262px)',
  server,
  toolbar = true,
  pinnedBottomRows,
  sortable = true,
}: DataGridProps<T>) {
  const [api, setApi] = useState<GridApi<T> | null>(null);
  const [queried, setQueried] = useState(false);
  const frame = useRef<HTMLDivElement>(null);
  // The width the columns may take: the grid's less its vertical scrollbar.
  const room = useCallback(() => (frame.current?.clientWidth ?? 0) - 30, []);
  const fit = useCallback((gridApi: GridApi<T>) => fitColumns(gridApi, room()), [room]);
  // The grid is made once its frame's width is known (measured before the page is painted), with the columns
  // that do not fit hidden from the start.
  const [width, setWidth] = useState<number | null>(null);
  useLayoutEffect(() => {
    if (width === null && frame.current) setWidth(room());
  });
  const onQuery = server?.onQuery;
  const serverSorts = server?.sorts;
  const serverFilters = server?.filters;
  const columnDefs = useMemo(
    () =>
      serverSorts && serverFilters
        ? columns.map((c): ColDef<T> => {
            const id = c.colId ?? (c.field as string | undefined) ?? '';
            // The server sorted and filtered the page already: the grid keeps its order and filters nothing more.
            return {
              ...c,
              ...(serverSorts.includes(id) ? { comparator: () => 0 } : { sortable: false }),
              ...(serverFilters.includes(id)
                ? { filter: 'agTextColumnFilter', filterParams: serverFilter }
                : { filter: false }),
            };
          })
        : sortable
          ? columns
          : columns.map((c) => ({ ...c, sortable: false, filter: false })),
    [columns, serverSorts, serverFilters, sortable],
  );
  const fitted = useMemo(
    () => (width === null ? null : fittedColumns(columnDefs, width)),
    [columnDefs, width],
  );
  const lastQuery = useRef('');
  const emitQuery = useCallback(
    (gridApi: GridApi<T>) => {
      if (!onQuery) return;
      const sorted = gridApi.getColumnState().find((c) => c.sort);
      const filters: Record<string, string> = {};
      for (const [colId, model] of Object.entries(gridApi.getFilterModel() as FilterModel)) {
        const text = (model as { filter?: unknown }).filter;
        if (text !== undefined && text !== null && String(text).trim()) filters[colId] = String(text).trim();
      }
      const query = { sort: sorted ? `${sorted.colId}:${sorted.sort}` : null, filters };
      const key = JSON.stringify(query);
      if (key === lastQuery.current) return;
      lastQuery.current = key;
      setQueried(query.sort !== null || Object.keys(filters).length > 0);
      onQuery(query);
    },
    [onQuery],
  );
  const id = gridId ?? testId;
  // The saved views are asked for with the grid, not once it is ready (the toolbar that shows them waits for
  // the grid's api): the chosen view then applies as the rows are first drawn.
  useQuery({ ...gridViewsQuery(id), enabled: toolbar });
  // No rows at all (not merely none matching the columns' filters): the page's own empty state.
  if (rows.length === 0 && empty && !queried) return <Box data-testid={testId}>{empty}</Box>;
  const auto = height === 'auto';
  return (
    <Box data-testid={testId} data-grid-id={id}>
      {toolbar && api && <GridToolbar api={api} gridId={id} title={title} onReset={() => fit(api)} />}
      <Box ref={frame} h={auto ? undefined : height} mih={auto ? undefined : 320}>
        {fitted && (
          <AgGrid<T>
            rowData={rows}
            columnDefs={fitted}
            defaultColDef={defaultColumn}
            getRowId={(params: GetRowIdParams<T>) => rowId(params.data)}
            quickFilterText={search ?? ''}
            domLayout={auto ? 'autoHeight' : 'normal'}
            onApi={setApi}
            onSortChanged={(event) => emitQuery(event.api)}
            onFilterChanged={(event) => emitQuery(event.api)}
            onRowClicked={
              onRowClick ? (event: RowClickedEvent<T>) => event.data && onRowClick(event.data) : undefined
            }
            rowClass={onRowClick ? 'clickable-row' : undefined}
            pinnedBottomRowData={pinnedBottomRows}
            suppressCellFocus
            enableCellTextSelection
            animateRows={false}
            overlayNoRowsTemplate="<span>No rows match the search or filters.</span>"
          />
        )}
      </Box>
    </Box>
  );
}

const serverFilter = { filterOptions: ['contains'], maxNumConditions: 1, debounceMs: 400 };

const defaultColumn: ColDef = {
  // A header too long for its column wraps to a second line rather than being cut; the header's height stays
  // fixed (two lines fit): measuring each header cell to fit its height cost every grid a forced layout a cell.
  wrapHeaderText: true,
  sortable: true,
  filter: true,
  resizable: true,
  flex: 1,
  minWidth: 110,
};

/** A grid's column state and filters, as a saved view keeps them. */
export interface GridViewState {
  columns: ColumnState[];
  filters: FilterModel;
}
