import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../ui/api';
import { queryString } from '../receivables/receivables';
import type { Email, EmailDetail, EmailStatus } from './correspondence';

export interface EmailsFilter {
  status?: EmailStatus | null;
  account_id?: string | null;
  document_id?: string | null;
  q?: string | null;
}

export const emailsQuery = (filter: EmailsFilter) =>
  queryOptions({
    queryKey: ['emails', filter],
    queryFn: ({ signal }) =>
      api<{ items: Email[]; total: number; counts: Record<EmailStatus, number> }>(
        `/api/emails${queryString({ ...filter, limit: 500 })}`,
        { signal },
      ),
  });

export function useEmails(filter: EmailsFilter) {
  return useQuery({ ...emailsQuery(filter), placeholderData: keepPreviousData });
}

export const emailQuery = (emailId: string | null) =>
  queryOptions({
    queryKey: ['emails', 'one', emailId],
    queryFn: ({ signal }) => api<EmailDetail>(`/api/emails/${encodeURIComponent(emailId ?? '')}`, { signal }),
  });

export function useEmail(emailId: string | null) {
  return useQuery({ ...emailQuery(emailId), enabled: emailId !== null });
}

/** Retry (failed, same e-mail) or resend (a new e-mail, optionally to other recipients). */
export function useEmailAction() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ emailId, action, to }: { emailId: string; action: 'retry' | 'resend'; to?: string[] }) =>
      api<{ email: Email }>(`/api/emails/${encodeURIComponent(emailId)}/${action}`, {
        method: 'POST',
        body: action === 'resend' ? (to ? { to } : {}) : undefined,
      }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['emails'] }),
  });
}
