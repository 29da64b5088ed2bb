import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../ui/api';
import type {
  AccountCredit,
  CreditPosition,
  CreditReport,
  LimitRequest,
  LimitRequestDetail,
  OrderDetail,
} from './credit';

export const creditReportQuery = (asOf: string) =>
  queryOptions({
    queryKey: ['credit', 'report', asOf],
    queryFn: ({ signal }) =>
      api<CreditReport>(`/api/credit/report?as_of=${encodeURIComponent(asOf)}`, { signal }),
  });

export function useCreditReport(asOf: string) {
  return useQuery(creditReportQuery(asOf));
}

export const accountCreditQuery = (accountId: string) =>
  queryOptions({
    queryKey: ['credit', 'account', accountId],
    queryFn: ({ signal }) =>
      api<AccountCredit>(`/api/credit/accounts/${encodeURIComponent(accountId)}`, { signal }),
  });

export function useAccountCredit(accountId: string) {
  return useQuery(accountCreditQuery(accountId));
}

export const creditPositionsQuery = (asOf: string) =>
  queryOptions({
    queryKey: ['credit', 'positions', asOf],
    queryFn: ({ signal }) =>
      api<{ items: CreditPosition[] }>(`/api/credit/positions?as_of=${encodeURIComponent(asOf)}`, { signal }),
  });

export function useCreditPositions(asOf: string, enabled: boolean) {
  return useQuery({ ...creditPositionsQuery(asOf), enabled });
}

export const limitRequestsQuery = queryOptions({
  queryKey: ['credit', 'requests'],
  queryFn: ({ signal }) => api<{ items: LimitRequest[] }>('/api/credit/limit-requests', { signal }),
});

export function useLimitRequests() {
  return useQuery(limitRequestsQuery);
}

export function useDecideOrder() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({
      orderId,
      decision,
      comment,
    }: {
      orderId: string;
      decision: 'release' | 'keep';
      comment: string;
    }) =>
      api<OrderDetail>(`/api/credit/orders/${encodeURIComponent(orderId)}/${decision}`, {
        method: 'POST',
        body: { comment },
      }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['credit'] }),
  });
}

export function useRequestLimit() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { account_id: string; currency: string; credit_limit: string; comment: string }) =>
      api<LimitRequestDetail>('/api/credit/limit-requests', { method: 'POST', body: input }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['credit'] }),
  });
}

export function useDecideLimit() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({
      id,
      decision,
      comment,
    }: {
      id: string;
      decision: 'approve' | 'refuse';
      comment: string;
    }) =>
      api<LimitRequestDetail>(`/api/credit/limit-requests/${encodeURIComponent(id)}/${decision}`, {
        method: 'POST',
        body: comment ? { comment } : {},
      }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['credit'] });
      void client.invalidateQueries({ queryKey: ['adjustments', 'inbox'] });
    },
  });
}
