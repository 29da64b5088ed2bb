import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../ui/api';
import {
  type AccountStatement,
  type AgingBasis,
  type AgingParams,
  type AgingReport,
  agingUrl,
  type ItemDetail,
  type OpenItem,
  queryString,
  type StatementParams,
  statementUrl,
} from './receivables';

export const agingReportQuery = (params: AgingParams) =>
  queryOptions({
    queryKey: ['receivables', 'aging', params],
    queryFn: ({ signal }) => api<AgingReport>(agingUrl(params), { signal }),
  });

export function useAging(params: AgingParams) {
  return useQuery({ ...agingReportQuery(params), placeholderData: keepPreviousData });
}

/** An account's open items on a date, aged on the same basis and buckets as the aging they came from. */
export const openItemsQuery = (
  accountId: string | null,
  params: { asOf: string; basis: AgingBasis; buckets: string },
) =>
  queryOptions({
    queryKey: ['receivables', 'items', accountId, params],
    enabled: accountId !== null,
    queryFn: ({ signal }) =>
      api<{ as_of: string; items: OpenItem[]; total: number }>(
        `/api/ar/items${queryString({
          account_id: accountId,
          as_of: params.asOf,
          basis: params.basis,
          buckets: params.buckets,
          limit: 10000,
        })}`,
        { signal },
      ),
  });

export function useOpenItems(
  accountId: string | null,
  params: { asOf: string; basis: AgingBasis; buckets: string },
) {
  return useQuery(openItemsQuery(accountId, params));
}

export function useItem(itemId: string, asOf: string) {
  return useQuery({
    queryKey: ['receivables', 'item', itemId, asOf],
    queryFn: ({ signal }) =>
      api<ItemDetail>(`/api/ar/items/${encodeURIComponent(itemId)}${queryString({ as_of: asOf })}`, {
        signal,
      }),
    placeholderData: keepPreviousData,
  });
}

/** An account's statement: opening balance, the period's activity, closing balance, open items and aging. */
export const statementQuery = (params: StatementParams | null) =>
  queryOptions({
    queryKey: ['receivables', 'statement', params],
    queryFn: ({ signal }) => api<AccountStatement>(statementUrl(params!), { signal }),
  });

export function useStatement(params: StatementParams | null) {
  return useQuery({ ...statementQuery(params), enabled: params !== null, placeholderData: keepPreviousData });
}
