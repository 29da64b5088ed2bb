import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../ui/api';
import { startQuery } from '../../ui/query-client';
import {
  type ChannelFilters,
  type DifferenceStatus,
  type InventoryDifference,
  type InventoryReport,
  type Page,
  type PositionPoint,
  type PositionSummary,
  queryString,
  type SellInLine,
  type SellOutLine,
} from './channel';

/**
 * One page of positions (by account and SKU, or in a grid's `order` with its column `filters`, over every
 * position) with the number of every position they match (`total`).
 */
export interface PositionsFilters {
  accountId: string;
  asOf: string;
  limit: number;
  offset: number;
  order?: string | null;
  filters?: string | null;
}

/** The positions page as the desk and the portal first show it: every account, today, 100 a page. */
export const firstPositionsPage: PositionsFilters = { accountId: '', asOf: '', limit: 100, offset: 0 };

export const positionsQuery = (filters: PositionsFilters) =>
  queryOptions({
    queryKey: [
      'channel',
      'positions',
      filters.accountId,
      filters.asOf,
      filters.limit,
      filters.offset,
      filters.order ?? null,
      filters.filters ?? null,
    ],
    queryFn: async ({ signal }) => {
      const page = await api<{ items: PositionSummary[]; total: number }>(
        `/api/positions${queryString({
          account_id: filters.accountId,
          as_of: filters.asOf,
          limit: String(filters.limit),
          offset: String(filters.offset),
          order: filters.order,
          filters: filters.filters,
        })}`,
        { signal },
      );
      // The chart of the position shown first is asked for with the rows, not once they are drawn.
      const first = firstPosition(page.items);
      if (first) startQuery(positionSeriesQuery(first.account_id, first.sku));
      return page;
    },
  });

export function usePositions(filters: PositionsFilters) {
  return useQuery({ ...positionsQuery(filters), placeholderData: keepPreviousData });
}

/** The position charted until the user picks one: the first with an open difference, else the first. */
export const firstPosition = (rows: readonly PositionSummary[]): PositionSummary | undefined =>
  rows.find((r) => r.open_differences > 0) ?? rows[0];

export const positionSeriesQuery = (accountId: string, sku: string) => ({
  queryKey: ['channel', 'series', accountId, sku],
  queryFn: ({ signal }: { signal: AbortSignal }) =>
    api<{ series: PositionPoint[]; differences: InventoryDifference[] }>(
      `/api/positions/${encodeURIComponent(accountId)}/${encodeURIComponent(sku)}`,
      { signal },
    ),
});

export function usePositionSeries(accountId: string, sku: string) {
  return useQuery({ ...positionSeriesQuery(accountId, sku), enabled: accountId !== '' && sku !== '' });
}

export interface DifferencesFilters {
  accountId: string;
  sku: string;
  status: DifferenceStatus | '';
}

export const differencesQuery = (filters: DifferencesFilters) =>
  queryOptions({
    queryKey: ['channel', 'differences', filters.accountId, filters.sku, filters.status],
    queryFn: ({ signal }) =>
      api<Page<InventoryDifference>>(
        `/api/inventory-differences${queryString({
          account_id: filters.accountId,
          sku: filters.sku,
          status: filters.status,
          limit: 1000,
        })}`,
        { signal },
      ),
  });

export function useDifferences(filters: DifferencesFilters) {
  return useQuery({ ...differencesQuery(filters), placeholderData: keepPreviousData });
}

export type ChannelDataKind = 'sell-in' | 'sell-out' | 'inventory';

export interface ChannelRows {
  'sell-in': SellInLine;
  'sell-out': SellOutLine;
  inventory: InventoryReport;
}

/** Which page of a list of channel data, in which order, with the grid's column filters. */
interface ChannelPageParams {
  limit: number;
  offset: number;
  order?: string | null;
  filters?: string | null;
}

/** One page of sell-in, sell-out or inventory reports, paged on the server. */
export const channelPageQuery = <K extends ChannelDataKind>(
  kind: K,
  filters: ChannelFilters,
  page: ChannelPageParams,
) =>
  queryOptions<Page<ChannelRows[K]>>({
    queryKey: ['channel', kind, filters, page],
    queryFn: ({ signal }) =>
      api<Page<ChannelRows[K]>>(`/api/${kind}${queryString({ ...filters, ...page })}`, { signal }),
  });

export function useChannelPage<K extends ChannelDataKind>(
  kind: K,
  filters: ChannelFilters,
  page: ChannelPageParams,
) {
  return useQuery({ ...channelPageQuery(kind, filters, page), placeholderData: keepPreviousData });
}
