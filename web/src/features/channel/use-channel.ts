import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../../ui/api';
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
export function usePositions(filters: {
  accountId: string;
  asOf: string;
  limit: number;
  offset: number;
  order?: string | null;
  filters?: string | null;
}) {
  return useQuery<{ items: PositionSummary[]; total: number }>({
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
    queryFn: ({ signal }) =>
      api<{ items: PositionSummary[]; total: number }>(
        `/api/positions${queryString({
          account_id: filters.accountId,
          as_of: filters.asOf,
          limit: String(filters.limit),
          offset: String(filters.offset),
          order: filters.order,
          filters: filters.filters,
        })}`,
        { signal },
      ),
    placeholderData: keepPreviousData,
  });
}

export function usePositionSeries(accountId: string, sku: string) {
  return useQuery({
    queryKey: ['channel', 'series', accountId, sku],
    enabled: accountId !== '' && sku !== '',
    queryFn: ({ signal }) =>
      api<{ series: PositionPoint[]; differences: InventoryDifference[] }>(
        `/api/positions/${encodeURIComponent(accountId)}/${encodeURIComponent(sku)}`,
        { signal },
      ),
  });
}

export function useDifferences(filters: { accountId: string; sku: string; status: DifferenceStatus | '' }) {
  return useQuery<Page<InventoryDifference>>({
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
    placeholderData: keepPreviousData,
  });
}

export type ChannelDataKind = 'sell-in' | 'sell-out' | 'inventory';

export interface ChannelRows {
  'sell-in': SellInLine;
  'sell-out': SellOutLine;
  inventory: InventoryReport;
}

/** One page of sell-in, sell-out or inventory reports, paged on the server. */
export function useChannelPage<K extends ChannelDataKind>(
  kind: K,
  filters: ChannelFilters,
  page: { limit: number; offset: number; order?: string | null; filters?: string | null },
) {
  return useQuery<Page<ChannelRows[K]>>({
    queryKey: ['channel', kind, filters, page],
    queryFn: ({ signal }) =>
      api<Page<ChannelRows[K]>>(`/api/${kind}${queryString({ ...filters, ...page })}`, { signal }),
    placeholderData: keepPreviousData,
  });
}
