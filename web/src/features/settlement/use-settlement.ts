import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../ui/api';
import type { Payment, PaymentBatch, PaymentBatchDetail } from './settlement';

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

export function usePayments() {
  return useQuery({
    queryKey: ['settlement', 'payments'],
    queryFn: ({ signal }) => api<{ items: Payment[] }>('/api/settlement/payments', { signal }),
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
