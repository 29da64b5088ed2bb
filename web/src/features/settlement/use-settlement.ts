import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../ui/api';
import {
  type AccrualReport,
  type AdviceSummary,
  accrualsQuery,
  type Payment,
  type PaymentBatch,
  type PaymentBatchDetail,
  type ReconciliationReport,
  type ReversedBatch,
  reconciliationQuery,
} from './settlement';

export function useBatches() {
  return useQuery({
    queryKey: ['settlement', 'batches'],
    queryFn: ({ signal }) => api<{ items: PaymentBatch[] }>('/api/settlement/batches', { signal }),
  });
}

export function useBatch(batchId: string) {
  return useQuery({
    queryKey: ['settlement', 'batches', batchId],
    queryFn: ({ signal }) =>
      api<PaymentBatchDetail>(`/api/settlement/batches/${encodeURIComponent(batchId)}`, { signal }),
  });
}

/** One page of payments, newest first, with the number of every payment (`total`). */
export function usePayments(page: { limit: number; offset: number }) {
  return useQuery({
    queryKey: ['settlement', 'payments', page.limit, page.offset],
    queryFn: ({ signal }) =>
      api<{ items: Payment[]; total: number }>(
        `/api/settlement/payments?limit=${page.limit}&offset=${page.offset}`,
        { signal },
      ),
    placeholderData: keepPreviousData,
  });
}

export function useReleaseBatch() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (batchId: string) =>
      api<{ batch_id: string; status: string }>(
        `/api/settlement/batches/${encodeURIComponent(batchId)}/release`,
        { method: 'POST', body: {} },
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['settlement'] }),
  });
}

export function useReverseBatch() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ batchId, reason }: { batchId: string; reason: string }) =>
      api<ReversedBatch>(`/api/settlement/batches/${encodeURIComponent(batchId)}/reverse`, {
        method: 'POST',
        body: { reason },
      }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['settlement'] }),
  });
}

export function useAdvices() {
  return useQuery({
    queryKey: ['settlement', 'advices'],
    queryFn: ({ signal }) => api<{ items: AdviceSummary[] }>('/api/settlement/advices', { signal }),
  });
}

export function useAccruals(asOf: string) {
  return useQuery({
    queryKey: ['settlement', 'accruals', asOf],
    queryFn: ({ signal }) => api<AccrualReport>(`/api/settlement/accruals${accrualsQuery(asOf)}`, { signal }),
  });
}

export function useReconciliation(from: string, to: string) {
  return useQuery({
    queryKey: ['settlement', 'reconciliation', from, to],
    queryFn: ({ signal }) =>
      api<ReconciliationReport>(`/api/settlement/reconciliation${reconciliationQuery(from, to)}`, { signal }),
  });
}
