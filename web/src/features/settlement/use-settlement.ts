import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../ui/api';
import {
  type AccrualReport,
  type AdviceSummary,
  accrualsQuery,
  type Payment,
  type PaymentBatch,
  type PaymentBatchDetail,
  type PaymentDateCheck,
  type PaymentProposal,
  type ProposalClaimRef,
  type ProposalSummary,
  type ReconciliationReport,
  type ReversedBatch,
  reconciliationQuery,
} from './settlement';

export const batchesQuery = queryOptions({
  queryKey: ['settlement', 'batches'],
  queryFn: ({ signal }) => api<{ items: PaymentBatch[] }>('/api/settlement/batches', { signal }),
});

export function useBatches() {
  return useQuery(batchesQuery);
}

export const batchQuery = (batchId: string) =>
  queryOptions({
    queryKey: ['settlement', 'batches', batchId],
    queryFn: ({ signal }) =>
      api<PaymentBatchDetail>(`/api/settlement/batches/${encodeURIComponent(batchId)}`, { signal }),
  });

export function useBatch(batchId: string) {
  return useQuery(batchQuery(batchId));
}

/** Which payments: a page (`limit`, `offset`) in a grid's `order`, with its column `filters`. */
export interface PaymentsPage {
  limit: number;
  offset: number;
  order?: string | null;
  filters?: string | null;
}

/**
 * One page of payments, newest first (or in a grid's `order`, with its column `filters`, over every payment),
 * with the number of every payment they match (`total`).
 */
export const paymentsQuery = (page: PaymentsPage) => {
  const query = new URLSearchParams({ limit: String(page.limit), offset: String(page.offset) });
  if (page.order) query.set('order', page.order);
  if (page.filters) query.set('filters', page.filters);
  return queryOptions({
    queryKey: ['settlement', 'payments', page.limit, page.offset, page.order ?? null, page.filters ?? null],
    queryFn: ({ signal }) =>
      api<{ items: Payment[]; total: number }>(`/api/settlement/payments?${query}`, { signal }),
  });
};

export function usePayments(page: PaymentsPage) {
  return useQuery({ ...paymentsQuery(page), placeholderData: keepPreviousData });
}

export function useReleaseBatch() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ batchId, comment }: { batchId: string; comment: string }) =>
      api<{ batch_id: string; status: string; paid_on: string; claim_ids: string[] }>(
        `/api/settlement/batches/${encodeURIComponent(batchId)}/release`,
        { method: 'POST', body: { comment } },
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

export const advicesQuery = queryOptions({
  queryKey: ['settlement', 'advices'],
  queryFn: ({ signal }) => api<{ items: AdviceSummary[] }>('/api/settlement/advices', { signal }),
});

export function useAdvices() {
  return useQuery(advicesQuery);
}

/** The accruals as of a date, with their rows (the accruals page; its prefetch). */
export const accrualsReportQuery = (asOf: string) =>
  queryOptions({
    queryKey: ['settlement', 'accruals', asOf],
    queryFn: ({ signal }) => api<AccrualReport>(`/api/settlement/accruals${accrualsQuery(asOf)}`, { signal }),
  });

export function useAccruals(asOf: string) {
  return useQuery(accrualsReportQuery(asOf));
}

/**
 * The accruals' totals per program and currency, without their rows (what the dashboards chart). Its own query,
 * so that a dashboard can start it with its other questions (`prefetchDashboard`).
 */
export const accrualTotalsQuery = (asOf: string) => ({
  queryKey: ['settlement', 'accruals', asOf, 'totals'],
  queryFn: ({ signal }: { signal: AbortSignal }) =>
    api<AccrualReport>(`/api/settlement/accruals${accrualsQuery(asOf, true)}`, { signal }),
});

export function useAccrualTotals(asOf: string) {
  return useQuery(accrualTotalsQuery(asOf));
}

export const reconciliationReportQuery = (from: string, to: string) =>
  queryOptions({
    queryKey: ['settlement', 'reconciliation', from, to],
    queryFn: ({ signal }) =>
      api<ReconciliationReport>(`/api/settlement/reconciliation${reconciliationQuery(from, to)}`, { signal }),
  });

export function useReconciliation(from: string, to: string) {
  return useQuery(reconciliationReportQuery(from, to));
}

/** Whether a date is a business day to pay on, with the next one (`''`: the next business day from today). */
export const paymentDateQuery = (date: string) =>
  queryOptions({
    queryKey: ['settlement', 'payment-date', date],
    queryFn: ({ signal }) =>
      api<PaymentDateCheck>(
        `/api/settlement/payment-date${date ? `?date=${encodeURIComponent(date)}` : ''}`,
        {
          signal,
        },
      ),
  });

export function usePaymentDate(date: string) {
  return useQuery(paymentDateQuery(date));
}

export const proposalsQuery = queryOptions({
  queryKey: ['settlement', 'proposals'],
  queryFn: ({ signal }) => api<{ items: ProposalSummary[] }>('/api/settlement/proposals', { signal }),
});

export function useProposals() {
  return useQuery(proposalsQuery);
}

export const proposalQuery = (proposalId: string) =>
  queryOptions({
    queryKey: ['settlement', 'proposals', proposalId],
    queryFn: ({ signal }) =>
      api<PaymentProposal>(`/api/settlement/proposals/${encodeURIComponent(proposalId)}`, { signal }),
  });

export function useProposal(proposalId: string) {
  return useQuery({ ...proposalQuery(proposalId), enabled: proposalId !== '' });
}

export function useBuildProposal() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (asOf: string) =>
      api<PaymentProposal>('/api/settlement/proposals', { method: 'POST', body: { as_of: asOf } }),
    onSuccess: (p) => {
      queryClient.setQueryData(['settlement', 'proposals', p.proposal_id], p);
      return queryClient.invalidateQueries({ queryKey: ['settlement', 'proposals'], exact: true });
    },
  });
}

/** Excludes claims with a reason (reason given) or takes them back (reason undefined). */
export function useProposalExclusion(proposalId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ claims, reason }: { claims: ProposalClaimRef[]; reason?: string }) =>
      api<PaymentProposal>(
        `/api/settlement/proposals/${encodeURIComponent(proposalId)}/${reason === undefined ? 'include' : 'exclude'}`,
        { method: 'POST', body: reason === undefined ? { claims } : { claims, reason } },
      ),
    onSuccess: (p) => queryClient.setQueryData(['settlement', 'proposals', p.proposal_id], p),
  });
}

export function useSubmitProposal(proposalId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () =>
      api<PaymentProposal>(`/api/settlement/proposals/${encodeURIComponent(proposalId)}/submit`, {
        method: 'POST',
        body: {},
      }),
    onSuccess: (p) => {
      queryClient.setQueryData(['settlement', 'proposals', p.proposal_id], p);
      return queryClient.invalidateQueries({ queryKey: ['settlement'] });
    },
  });
}
