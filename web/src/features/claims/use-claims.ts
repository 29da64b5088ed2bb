import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../ui/api';
import {
  type ClaimDetail,
  type ClaimItem,
  type ClaimQueue,
  type ClaimQueueFilters,
  type ClaimVersion,
  claimApi,
} from './claim';

export const claimQueueQuery = (filters: ClaimQueueFilters) =>
  queryOptions({
    queryKey: ['claims', 'queue', filters],
    queryFn: ({ signal }) => {
      const search = new URLSearchParams();
      for (const [key, value] of Object.entries(filters)) {
        if (value === null || value === undefined || value === '') continue;
        if (Array.isArray(value)) {
          if (value.length > 0) search.set(key, value.join(','));
        } else search.set(key, String(value));
      }
      return api<ClaimQueue>(`/api/claim-queue?${search.toString()}`, { signal });
    },
  });

/** The claim queue, ordered by SLA (or newest first) and paged by the server. */
export function useClaimQueue(filters: ClaimQueueFilters) {
  return useQuery({ ...claimQueueQuery(filters), placeholderData: keepPreviousData });
}

export function useClaim(claimId: string, accountId?: string | null) {
  return useQuery({
    queryKey: ['claims', claimId, accountId ?? ''],
    enabled: claimId !== '',
    queryFn: ({ signal }) => api<ClaimDetail>(claimApi(claimId, accountId), { signal }),
  });
}

function useClaimChange<V>(claimId: string, send: (variables: V) => Promise<unknown>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: send,
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: ['claims'] }),
        queryClient.invalidateQueries({ queryKey: ['audit', 'claim', claimId] }),
      ]),
  });
}

export function useApproveClaim(claimId: string, accountId?: string | null) {
  return useClaimChange(claimId, () =>
    api(claimApi(claimId, accountId, '/approve'), { method: 'POST', body: {} }),
  );
}

export function useRejectClaim(claimId: string, accountId?: string | null) {
  return useClaimChange(claimId, (reason: string) =>
    api(claimApi(claimId, accountId, '/reject'), { method: 'POST', body: { reason } }),
  );
}

/** An approver approves an override (or adjustment) that waits for one. */
export function useApproveOverride(claimId: string, accountId?: string | null) {
  return useClaimChange(claimId, ({ line_no, rule_code }: { line_no: number; rule_code: string }) =>
    api(
      claimApi(
        claimId,
        accountId,
        `/lines/${line_no}/findings/${encodeURIComponent(rule_code)}/approve-override`,
      ),
      { method: 'POST', body: {} },
    ),
  );
}

export interface Resolution {
  line_no: number;
  rule_code: string;
  resolution: 'accepted' | 'adjusted' | 'overridden';
  reason_code: string;
  comment: string;
  adjusted_amount?: string | null;
  document_id?: string | null;
}

export function useClaimVersions(claimId: string, accountId?: string | null) {
  return useQuery({
    queryKey: ['claims', claimId, accountId ?? '', 'versions'],
    queryFn: ({ signal }) =>
      api<{ items: ClaimVersion[] }>(claimApi(claimId, accountId, '/versions'), { signal }).then(
        (body) => body.items,
      ),
  });
}

export function useResolveFinding(claimId: string, accountId?: string | null) {
  return useClaimChange(claimId, ({ line_no, rule_code, ...body }: Resolution) =>
    api(claimApi(claimId, accountId, `/lines/${line_no}/findings/${encodeURIComponent(rule_code)}/resolve`), {
      method: 'POST',
      body,
    }),
  );
}

export function useValidateClaims() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () =>
      api<{ summary: { claims_validated: number; lines: number } }>('/api/claims/validate', {
        method: 'POST',
        body: {},
      }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['claims'] }),
  });
}

export interface SubmitLine {
  line_no: number;
  sku: string | null;
  qty: number | null;
  claimed_unit_amount: string | null;
  claimed_amount: string;
  sale_date: string | null;
  end_customer_id: string | null;
  deal_id: string | null;
  sell_out_ref: string | null;
  serial_numbers: string[] | null;
  period_start: string | null;
  period_end: string | null;
}

export interface SubmitClaimBody {
  claim_id: string;
  account_id: string;
  program_id: string;
  submitted_date?: string;
  currency: string;
  lines: SubmitLine[];
}

/** Submits a draft as it was saved (submitted today). */
export function useSubmitDraft() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (claimId: string) =>
      api<{ outcome: 'submitted' | 'unchanged'; claim: ClaimItem }>(
        `/api/claims/${encodeURIComponent(claimId)}/submit`,
        { method: 'POST', body: {} },
      ),
    onSuccess: (_r, claimId) =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: ['claims'] }),
        queryClient.invalidateQueries({ queryKey: ['audit', 'claim', claimId] }),
      ]),
  });
}

/**
 * Sends the claim form with its documents. Submitting with documents goes through a draft: the claim is saved
 * as a draft, the documents are attached to it, then it is submitted, so it is checked with its documents the
 * first time. A draft is saved with its documents; a correction is sent as a new version, then the documents.
 */
export function useSendClaim() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({
      body,
      mode,
      documents,
    }: {
      body: SubmitClaimBody;
      mode: 'submit' | 'draft' | 'resubmit';
      documents: { document_type: string; file: File }[];
    }) => {
      const viaDraft = mode === 'draft' || (mode === 'submit' && documents.length > 0);
      const saved = await api<{ outcome: string; claim: ClaimItem }>('/api/claims', {
        method: 'POST',
        body: { ...body, status: viaDraft ? 'draft' : 'submitted' },
      });
      const { claim_id, account_id } = saved.claim;
      for (const d of documents) {
        const form = new FormData();
        form.set('document_type', d.document_type);
        form.set('file', d.file, d.file.name);
        await api(claimApi(claim_id, account_id, '/documents'), { method: 'POST', body: form });
      }
      if (mode === 'submit' && viaDraft)
        return api<{ outcome: string; claim: ClaimItem }>(claimApi(claim_id, account_id, '/submit'), {
          method: 'POST',
          body: {},
        });
      return saved;
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['claims'] }),
  });
}
