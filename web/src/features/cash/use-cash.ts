import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../ui/api';
import { queryString } from '../receivables/receivables';
import type {
  BankCredit,
  BankFileDetail,
  BankFileSummary,
  CashRun,
  ClearingView,
  CreditDetail,
  ManualApplyInput,
  ManualApplyResult,
  OpenDocument,
} from './cash';

const enc = encodeURIComponent;

export const bankFilesQuery = queryOptions({
  queryKey: ['cash', 'bank-files'],
  queryFn: ({ signal }) =>
    api<{ items: BankFileSummary[]; total: number }>('/api/cash/bank-files?limit=500', { signal }),
});

export function useBankFiles() {
  return useQuery(bankFilesQuery);
}

export const bankFileQuery = (fileId: string | null) =>
  queryOptions({
    queryKey: ['cash', 'bank-files', fileId],
    queryFn: ({ signal }) =>
      api<BankFileDetail>(`/api/cash/bank-files/${enc(fileId ?? '')}?limit=1000`, { signal }),
  });

export function useBankFile(fileId: string | null) {
  return useQuery({ ...bankFileQuery(fileId), enabled: Boolean(fileId) });
}

export interface CreditFilters {
  status?: string;
  reason?: string | null;
  account_id?: string;
}

export const creditsQuery = (params: CreditFilters) =>
  queryOptions({
    queryKey: ['cash', 'credits', params],
    queryFn: ({ signal }) =>
      api<{ items: BankCredit[]; total: number; by_reason: Record<string, number> }>(
        `/api/cash/credits${queryString({ ...params, limit: 1000 })}`,
        { signal },
      ),
  });

export function useCredits(params: CreditFilters) {
  return useQuery({ ...creditsQuery(params), placeholderData: keepPreviousData });
}

export const creditQuery = (paymentRef: string | null) =>
  queryOptions({
    queryKey: ['cash', 'credit', paymentRef],
    queryFn: ({ signal }) => api<CreditDetail>(`/api/cash/credits/${enc(paymentRef ?? '')}`, { signal }),
  });

export function useCredit(paymentRef: string | null) {
  return useQuery({ ...creditQuery(paymentRef), enabled: Boolean(paymentRef) });
}

export function useOpenItemSearch(params: {
  q?: string;
  account_id?: string;
  currency?: string;
  amount?: string;
}) {
  const any = Boolean(params.q || params.account_id || params.amount);
  return useQuery({
    queryKey: ['cash', 'open-items', params],
    enabled: any,
    placeholderData: keepPreviousData,
    queryFn: ({ signal }) =>
      api<{ items: OpenDocument[] }>(`/api/cash/open-items${queryString({ ...params, limit: 200 })}`, {
        signal,
      }),
  });
}

export function useApplyCredit() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ paymentRef, input }: { paymentRef: string; input: ManualApplyInput }) =>
      api<ManualApplyResult>(`/api/cash/credits/${enc(paymentRef)}/apply`, { method: 'POST', body: input }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['cash'] });
      void queryClient.invalidateQueries({ queryKey: ['collections'] });
      void queryClient.invalidateQueries({ queryKey: ['receivables'] });
    },
  });
}

export function useUnapplyCredit() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (paymentRef: string) =>
      api<{ payment_ref: string; status: string }>(`/api/cash/credits/${enc(paymentRef)}/unapply`, {
        method: 'POST',
        body: {},
      }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['cash'] }),
  });
}

export const runsQuery = queryOptions({
  queryKey: ['cash', 'runs'],
  queryFn: ({ signal }) => api<{ items: CashRun[] }>('/api/cash/runs?limit=200', { signal }),
});

export function useRuns() {
  return useQuery(runsQuery);
}

export function useRunCascade() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api<CashRun>('/api/cash/runs', { method: 'POST', body: {} }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['cash'] });
      void queryClient.invalidateQueries({ queryKey: ['collections'] });
    },
  });
}

export const clearingQuery = (accountId: string) =>
  queryOptions({
    queryKey: ['cash', 'clearing', accountId],
    queryFn: ({ signal }) => api<ClearingView>(`/api/cash/accounts/${enc(accountId)}/clearing`, { signal }),
  });

export function useClearing(accountId: string) {
  return useQuery(clearingQuery(accountId));
}

function useClearingMutation<I>(fn: (input: I) => Promise<unknown>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['cash'] });
      void queryClient.invalidateQueries({ queryKey: ['collections'] });
      void queryClient.invalidateQueries({ queryKey: ['receivables'] });
    },
  });
}

export function useClearCredit(accountId: string) {
  return useClearingMutation(
    (input: { source_id: string; lines: { document_id: string; amount: string }[] }) =>
      api(`/api/cash/accounts/${enc(accountId)}/clearings`, { method: 'POST', body: input }),
  );
}

export function useReverseClearing(accountId: string) {
  return useClearingMutation((clearingId: string) =>
    api(`/api/cash/accounts/${enc(accountId)}/clearings/${enc(clearingId)}/reverse`, {
      method: 'POST',
      body: {},
    }),
  );
}

export function useSetClearingPolicy(accountId: string) {
  return useClearingMutation((auto: boolean) =>
    api(`/api/cash/accounts/${enc(accountId)}/clearing-policy`, {
      method: 'PUT',
      body: { auto_clear_credits: auto },
    }),
  );
}
