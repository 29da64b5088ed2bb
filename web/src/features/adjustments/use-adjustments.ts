import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../ui/api';
import type {
  Adjustment,
  AdjustmentDetail,
  AdjustmentKind,
  AdjustmentReason,
  GlAccounts,
  InboxEntry,
  JournalRow,
  MonthEndRun,
  UserLimits,
} from './adjustments';

const qs = (params: Record<string, string | undefined>) => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) p.set(k, v);
  const s = p.toString();
  return s ? `?${s}` : '';
};

export const reasonsQuery = queryOptions({
  queryKey: ['adjustments', 'reasons'],
  queryFn: ({ signal }) => api<{ items: AdjustmentReason[] }>('/api/adjustment-reasons', { signal }),
  staleTime: 60_000,
});

export function useReasons() {
  return useQuery(reasonsQuery);
}

type AdjustmentFilters = { status?: string; document_id?: string; account_id?: string };

export const adjustmentsQuery = (params: AdjustmentFilters = {}) =>
  queryOptions({
    queryKey: ['adjustments', 'list', params],
    queryFn: ({ signal }) => api<{ items: Adjustment[] }>(`/api/adjustments${qs(params)}`, { signal }),
  });

export function useAdjustments(params: AdjustmentFilters = {}, enabled = true) {
  return useQuery({ ...adjustmentsQuery(params), enabled });
}

export function useAdjustment(id: string) {
  return useQuery({
    queryKey: ['adjustments', 'one', id],
    queryFn: ({ signal }) => api<AdjustmentDetail>(`/api/adjustments/${encodeURIComponent(id)}`, { signal }),
  });
}

export const inboxQuery = queryOptions({
  queryKey: ['adjustments', 'inbox'],
  queryFn: ({ signal }) => api<{ items: InboxEntry[] }>('/api/approvals/inbox', { signal }),
});

export function useInbox() {
  return useQuery(inboxQuery);
}

export interface NewAdjustment {
  kind: AdjustmentKind;
  document_id?: string;
  amount?: string;
  corrected_amount?: string;
  reason_code: string;
  comment: string;
  source_type?: string;
  source_id?: string;
  lines?: { document_id: string; amount: string }[];
}

/** Creates the request, then attaches the files (platform documents linked to the adjustment). */
export function useRequestAdjustment() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ input, files }: { input: NewAdjustment; files: File[] }) => {
      const created = await api<AdjustmentDetail>('/api/adjustments', { method: 'POST', body: input });
      for (const file of files) {
        const form = new FormData();
        form.append('entity_type', 'adjustment');
        form.append('entity_id', created.adjustment_id);
        form.append('file', file);
        await api('/api/documents', { method: 'POST', body: form });
      }
      return created;
    },
    onSuccess: () => client.invalidateQueries({ queryKey: ['adjustments'] }),
  });
}

export function useDecide(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ decision, comment }: { decision: 'approve' | 'refuse'; comment: string }) =>
      api<AdjustmentDetail>(`/api/adjustments/${encodeURIComponent(id)}/${decision}`, {
        method: 'POST',
        body: comment ? { comment } : {},
      }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['adjustments'] });
      void client.invalidateQueries({ queryKey: ['receivables'] });
    },
  });
}

export const monthEndRunsQuery = queryOptions({
  queryKey: ['adjustments', 'month-end'],
  queryFn: ({ signal }) => api<{ items: MonthEndRun[] }>('/api/month-end/runs', { signal }),
});

export function useMonthEndRuns() {
  return useQuery(monthEndRunsQuery);
}

export function useRunMonthEnd() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (asOf: string) =>
      api<MonthEndRun>('/api/month-end/runs', { method: 'POST', body: { as_of: asOf } }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['adjustments'] });
      void client.invalidateQueries({ queryKey: ['receivables'] });
    },
  });
}

export const journalQuery = (from: string, to: string) =>
  queryOptions({
    queryKey: ['adjustments', 'journal', from, to],
    queryFn: ({ signal }) =>
      api<{ from: string; to: string; rows: JournalRow[] }>(`/api/journal${qs({ from, to })}`, { signal }),
  });

export function useJournal(from: string, to: string) {
  return useQuery(journalQuery(from, to));
}

export const glAccountsQuery = queryOptions({
  queryKey: ['adjustments', 'gl-accounts'],
  queryFn: ({ signal }) => api<{ items: GlAccounts[] }>('/api/journal/gl-accounts', { signal }),
});

export function useGlAccounts() {
  return useQuery(glAccountsQuery);
}

export function useSetGlAccounts() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (g: GlAccounts) =>
      api<GlAccounts>(`/api/journal/gl-accounts/${g.kind}`, {
        method: 'PUT',
        body: { debit_account: g.debit_account, credit_account: g.credit_account },
      }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['adjustments'] }),
  });
}

export const approvalLimitsQuery = queryOptions({
  queryKey: ['adjustments', 'limits'],
  queryFn: ({ signal }) => api<{ items: UserLimits[] }>('/api/approval-limits', { signal }),
});

export function useApprovalLimits() {
  return useQuery(approvalLimitsQuery);
}

export function useSetApprovalLimits() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ userId, limits }: { userId: string; limits: { currency: string; amount: string }[] }) =>
      api(`/api/approval-limits/${userId}`, { method: 'PUT', body: { limits } }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['adjustments', 'limits'] }),
  });
}
