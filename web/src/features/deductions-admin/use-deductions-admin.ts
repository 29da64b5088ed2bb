import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../ui/api';
import type {
  DeductionCategory,
  DeductionQueue,
  DeductionQueueRow,
  ReasonCode,
  RoutingRule,
} from './deductions-admin';

const key = ['deductions-admin'] as const;

export const deductionQueuesQuery = queryOptions({
  queryKey: [...key, 'queues'],
  queryFn: ({ signal }) => api<{ items: DeductionQueueRow[] }>('/api/deduction-queues', { signal }),
});

export function useDeductionQueues() {
  return useQuery(deductionQueuesQuery);
}

export function useSaveQueue() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (q: { queue: DeductionQueue; sla_business_days: number; email: string | null }) =>
      api<DeductionQueueRow>(`/api/deduction-queues/${q.queue}`, {
        method: 'PUT',
        body: { sla_business_days: q.sla_business_days, email: q.email },
      }),
    onSuccess: () => client.invalidateQueries({ queryKey: [...key, 'queues'] }),
  });
}

export const reasonCodesQuery = (accountId: string) =>
  queryOptions({
    queryKey: [...key, 'reason-codes', accountId],
    queryFn: ({ signal }) =>
      api<{ items: ReasonCode[] }>(
        `/api/deduction-reason-codes${accountId ? `?account_id=${encodeURIComponent(accountId)}` : ''}`,
        { signal },
      ),
  });

export function useReasonCodes(accountId: string) {
  return useQuery(reasonCodesQuery(accountId));
}

const codePath = (accountId: string, code: string) =>
  `/api/deduction-reason-codes/${encodeURIComponent(accountId)}/${encodeURIComponent(code)}`;

export function useSaveReasonCode() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (r: { account_id: string; customer_code: string; category: DeductionCategory }) =>
      api<ReasonCode>(codePath(r.account_id, r.customer_code), {
        method: 'PUT',
        body: { category: r.category },
      }),
    onSuccess: () => client.invalidateQueries({ queryKey: [...key, 'reason-codes'] }),
  });
}

export function useDeleteReasonCode() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (r: { account_id: string; customer_code: string }) =>
      api<void>(codePath(r.account_id, r.customer_code), { method: 'DELETE' }),
    onSuccess: () => client.invalidateQueries({ queryKey: [...key, 'reason-codes'] }),
  });
}

export const routingRulesQuery = queryOptions({
  queryKey: [...key, 'rules'],
  queryFn: ({ signal }) => api<{ items: RoutingRule[] }>('/api/deduction-routing-rules', { signal }),
});

export function useRoutingRules() {
  return useQuery(routingRulesQuery);
}

export interface RuleInput {
  account_id: string | null;
  category: DeductionCategory | null;
  customer_code: string | null;
  queue: DeductionQueue;
  note: string | null;
}

export function useSaveRule() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ ruleId, input }: { ruleId: string | null; input: RuleInput }) =>
      api<RoutingRule>(ruleId ? `/api/deduction-routing-rules/${ruleId}` : '/api/deduction-routing-rules', {
        method: ruleId ? 'PUT' : 'POST',
        body: input,
      }),
    onSuccess: () => client.invalidateQueries({ queryKey: [...key, 'rules'] }),
  });
}

export function useDeleteRule() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (ruleId: string) => api<void>(`/api/deduction-routing-rules/${ruleId}`, { method: 'DELETE' }),
    onSuccess: () => client.invalidateQueries({ queryKey: [...key, 'rules'] }),
  });
}
