import { queryOptions } from '@tanstack/react-query';
import type { ColumnState, FilterModel } from 'ag-grid-community';
import { api } from './api';

/** What a saved view keeps: the columns' state (shown, order, widths, pinning, sort) and the filters. */
export interface ViewState {
  columns: ColumnState[];
  filters: FilterModel;
}

export interface SavedView {
  grid_id: string;
  name: string;
  state: ViewState;
}

export const viewsKey = (gridId: string) => ['grid-views', gridId];

/** The user's saved views of a grid; a page's prefetch starts it with its data (the grid applies one). */
export const gridViewsQuery = (gridId: string) =>
  queryOptions({
    queryKey: viewsKey(gridId),
    queryFn: () => api<{ items: SavedView[] }>(`/api/grid-views/${gridId}`).then((r) => r.items),
    staleTime: Number.POSITIVE_INFINITY,
  });
