import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../ui/api';
import { queryString } from '../receivables/receivables';
import type { DeductionDashboard, DeductionDetail, DeductionList, QueueSummary } from './deductions';

const enc = encodeURIComponent;

export interface DeductionFilters {
  queue?: string | null;
  status?: string | null;
  validation?: string | null;
  category?: string | null;
  sla?: string | null;
  account_id?: string | null;
  payback_overdue?: string | null;
  open?: string | null;
  age_from?: string | null;
  age_to?: string | null;
  taken_from?: string | null;
  taken_to?: string | null;
  q?: string | null;
  sort?: string | null;
  dir?: string | null;
  /** The grid's column and direction (`amount:desc`), before the list's own order. */
  order?: string | null;
  /** The grid's column filters, JSON of column → text it contains. */
  filters?: string | null;
  limit?: number;
  offset?: number;
}

export const deductionsQuery = (filters: DeductionFilters) =>
  queryOptions({
    queryKey: ['deductions', 'list', filters],
    queryFn: ({ signal }) => api<DeductionList>(`/api/deductions${queryString({ ...filters })}`, { signal }),
  });

export function useDeductions(filters: DeductionFilters, enabled = true) {
  return useQuery({ ...deductionsQuery(filters), enabled, placeholderData: keepPreviousData });
}

export function useDeduction(id: string) {
  return useQuery({
    queryKey: ['deductions', 'one', id],
    queryFn: ({ signal }) => api<DeductionDetail>(`/api/deductions/${enc(id)}`, { signal }),
    retry: false,
  });
}

export const deductionQueuesQuery = queryOptions({
  queryKey: ['deductions', 'queues'],
  queryFn: ({ signal }) =>
    api<{ as_of: string; queues: QueueSummary[] }>('/api/deductions/queues', { signal }),
});

export function useDeductionQueues() {
  return useQuery(deductionQueuesQuery);
}

export const deductionDashboardQuery = (params: { as_of?: string | null; currency?: string | null }) =>
  queryOptions({
    queryKey: ['deductions', 'dashboard', params],
    queryFn: ({ signal }) =>
      api<DeductionDashboard>(`/api/deductions/dashboard${queryString(params)}`, { signal }),
  });

export function useDeductionDashboard(params: { as_of?: string | null; currency?: string | null }) {
  return useQuery({ ...deductionDashboardQuery(params), placeholderData: keepPreviousData });
}

/**
 * The desk's actions on a deduction (POST /api/deductions/{id}/{action}); each answers with the deduction
 * or a result, and every deduction view is read again after it.
 */
export type DeductionAction = 'clear' | 'deny' | 'accept' | 'write-off' | 'reassign' | 'assign' | 'comments';

export function useDeductionAction(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ action, body }: { action: DeductionAction; body: Record<string, unknown> }) =>
      api<unknown>(`/api/deductions/${enc(id)}/${action}`, { method: 'POST', body }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['deductions'] });
      void queryClient.invalidateQueries({ queryKey: ['adjustments'] });
    },
  });
}
