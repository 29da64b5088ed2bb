import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../ui/api';
import type { ClaimDetail, ClaimItem, ClaimVersion } from './claim';

export interface ClaimFilters {
  status?: string | undefined;
  account_id?: string | undefined;
  program_id?: string | undefined;
}

function query(params: Record<string, string | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value) search.set(key, value);
  search.set('limit', '1000');
  return `?${search.toString()}`;
}

export function useClaims(filters: ClaimFilters = {}) {
  return useQuery({
    queryKey: ['claims', 'list', filters],
    queryFn: ({ signal }) =>
      api<{ items: ClaimItem[]; total: number }>(`/api/claims${query({ ...filters })}`, { signal }),
  });
}

export function useClaim(claimId: string) {
  return useQuery({
    queryKey: ['claims', claimId],
    enabled: claimId !== '',
    queryFn: ({ signal }) => api<ClaimDetail>(`/api/claims/${encodeURIComponent(claimId)}`, { signal }),
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

export function useApproveClaim(claimId: string) {
  return useClaimChange(claimId, () =>
    api(`/api/claims/${encodeURIComponent(claimId)}/approve`, { method: 'POST', body: {} }),
  );
}

export function useRejectClaim(claimId: string) {
  return useClaimChange(claimId, (reason: string) =>
    api(`/api/claims/${encodeURIComponent(claimId)}/reject`, { method: 'POST', body: { reason } }),
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

export function useClaimVersions(claimId: string) {
  return useQuery({
    queryKey: ['claims', claimId, 'versions'],
    queryFn: ({ signal }) =>
      api<{ items: ClaimVersion[] }>(`/api/claims/${encodeURIComponent(claimId)}/versions`, { signal }).then(
        (body) => body.items,
      ),
  });
}

export function useResolveFinding(claimId: string) {
  return useClaimChange(claimId, ({ line_no, rule_code, ...body }: Resolution) =>
    api(
      `/api/claims/${encodeURIComponent(claimId)}/lines/${line_no}/findings/${encodeURIComponent(rule_code)}/resolve`,
      { method: 'POST', body },
    ),
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

export function useSubmitClaim() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: SubmitClaimBody) =>
      api<{ outcome: string; claim: ClaimItem }>('/api/claims', { method: 'POST', body }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['claims'] }),
  });
}
