import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../ui/api';
import { qs } from '../../ui/query-string';
import type { InterchangeDetail, InterchangeSummary, TradingPartner } from './edi';

export interface InterchangeFilters {
  direction?: string | null;
  status?: string | null;
  account_id?: string | null;
}

export const interchangesQuery = (filters: InterchangeFilters) =>
  queryOptions({
    queryKey: ['edi', 'interchanges', filters],
    queryFn: ({ signal }) =>
      api<{ items: InterchangeSummary[]; total: number }>(
        `/api/edi/interchanges${qs({ ...filters, limit: 500 })}`,
        {
          signal,
        },
      ),
  });

export function useInterchanges(filters: InterchangeFilters) {
  return useQuery({ ...interchangesQuery(filters), placeholderData: keepPreviousData });
}

export function useInterchange(id: string | null) {
  return useQuery({
    queryKey: ['edi', 'interchange', id],
    enabled: id !== null,
    queryFn: ({ signal }) =>
      api<InterchangeDetail>(`/api/edi/interchanges/${encodeURIComponent(id ?? '')}`, { signal }),
  });
}

export const tradingPartnersQuery = queryOptions({
  queryKey: ['edi', 'partners'],
  queryFn: ({ signal }) => api<{ items: TradingPartner[] }>('/api/edi/trading-partners', { signal }),
});

export function useTradingPartners() {
  return useQuery(tradingPartnersQuery);
}

/** The account's EDI status; null when it exchanges no EDI (404). */
export const accountEdiQuery = (accountId: string) =>
  queryOptions({
    queryKey: ['edi', 'account', accountId],
    queryFn: async ({ signal }) => {
      try {
        return await api<TradingPartner>(`/api/accounts/${encodeURIComponent(accountId)}/edi`, { signal });
      } catch (e) {
        if ((e as { status?: number }).status === 404) return null;
        throw e;
      }
    },
  });

export function useAccountEdi(accountId: string) {
  return useQuery(accountEdiQuery(accountId));
}

export function useReprocess() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      api<{ message: string; status: string }>(`/api/edi/interchanges/${encodeURIComponent(id)}/reprocess`, {
        method: 'POST',
        body: {},
      }),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['edi'] }),
  });
}

export function useSaveTradingPartner() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({
      account_id,
      ...body
    }: {
      account_id: string;
      isa_qualifier: string;
      isa_id: string;
      gs_id: string;
      sets_received: string[];
      sets_sent: string[];
      usage: 'test' | 'production';
    }) =>
      api<TradingPartner>(`/api/edi/trading-partners/${encodeURIComponent(account_id)}`, {
        method: 'PUT',
        body,
      }),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['edi'] }),
  });
}
