import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../ui/api';
import { qs } from '../../ui/query-string';
import type { Certificate, CertificateDetail, TaxException, TaxFlag } from './tax';

export interface CertificateFilters {
  status?: string | null;
  account_id?: string | null;
  jurisdiction?: string | null;
  expiring_within_days?: number | null;
}

export const certificatesQuery = (filters: CertificateFilters) =>
  queryOptions({
    queryKey: ['tax', 'certificates', filters],
    queryFn: ({ signal }) =>
      api<{ as_of: string; items: Certificate[]; counts: Record<string, number> }>(
        `/api/tax-certificates${qs(filters)}`,
        { signal },
      ),
  });

export function useCertificates(filters: CertificateFilters) {
  return useQuery({ ...certificatesQuery(filters), placeholderData: keepPreviousData });
}

export function useCertificate(id: string | null) {
  return useQuery({
    queryKey: ['tax', 'certificate', id],
    enabled: id !== null,
    queryFn: ({ signal }) =>
      api<CertificateDetail>(`/api/tax-certificates/${encodeURIComponent(id ?? '')}`, { signal }),
  });
}

export function useTaxExceptions(flag: TaxFlag | null) {
  return useQuery({
    queryKey: ['tax', 'exceptions', flag],
    queryFn: ({ signal }) =>
      api<{ items: TaxException[]; counts: Record<TaxFlag, number>; checked: number }>(
        `/api/tax-exceptions${qs({ flag })}`,
        { signal },
      ),
  });
}

/** One account's flagged invoices (the item page and Account 360 show them beside the certificates). */
export const accountTaxExceptionsQuery = (accountId: string | null) =>
  queryOptions({
    queryKey: ['tax', 'exceptions', 'account', accountId],
    queryFn: ({ signal }) =>
      api<{ items: TaxException[]; counts: Record<TaxFlag, number>; checked: number }>(
        `/api/tax-exceptions${qs({ account_id: accountId, limit: '1000' })}`,
        { signal },
      ),
  });

export function useAccountTaxExceptions(accountId: string | null, enabled = true) {
  return useQuery({ ...accountTaxExceptionsQuery(accountId), enabled: enabled && accountId !== null });
}

function useTaxMutation<I, O>(fn: (input: I) => Promise<O>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['tax'] });
      void client.invalidateQueries({ queryKey: ['audit', 'tax_certificate'] });
    },
  });
}

export function useRequestCertificate() {
  return useTaxMutation((body: { account_id: string; jurisdiction: string; note: string }) =>
    api<{ certificate: Certificate; email_id: string }>('/api/tax-certificates/requests', {
      method: 'POST',
      body,
    }),
  );
}

export interface CertificateUpload {
  /** Answering a request (or a rejection); without it, a new certificate for account and jurisdiction. */
  certificate_id?: string;
  account_id?: string;
  jurisdiction?: string;
  certificate_number: string;
  exempt_reason: string;
  effective_date: string;
  expiry_date: string;
  file: File;
}

export function useUploadCertificate() {
  return useTaxMutation((u: CertificateUpload) => {
    const form = new FormData();
    // The fields go before the file: the server reads them first.
    for (const key of [
      'account_id',
      'jurisdiction',
      'certificate_number',
      'exempt_reason',
      'effective_date',
      'expiry_date',
    ] as const) {
      const value = u[key];
      if (value !== undefined) form.append(key, value);
    }
    form.append('file', u.file);
    return api<CertificateDetail>(
      u.certificate_id
        ? `/api/tax-certificates/${encodeURIComponent(u.certificate_id)}/upload`
        : '/api/tax-certificates',
      { method: 'POST', body: form },
    );
  });
}

export function useDecideCertificate() {
  return useTaxMutation(
    (d: { id: string; decision: 'validate' } | { id: string; decision: 'reject'; reason: string }) =>
      api<CertificateDetail>(`/api/tax-certificates/${encodeURIComponent(d.id)}/${d.decision}`, {
        method: 'POST',
        body: d.decision === 'reject' ? { reason: d.reason } : {},
      }),
  );
}
