import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../ui/api';
import { queryString } from '../receivables/receivables';
import type { Email, EmailDetail, EmailStatus } from './correspondence';

export interface EmailsFilter {
  status?: EmailStatus | null;
  account_id?: string | null;
  document_id?: string | null;
  q?: string | null;
}

export function useEmails(filter: EmailsFilter) {
  return useQuery({
    queryKey: ['emails', filter],
    queryFn: ({ signal }) =>
      api<{ items: Email[]; total: number; counts: Record<EmailStatus, number> }>(
        `/api/emails${queryString({ ...filter, limit: 500 })}`,
        { signal },
      ),
    placeholderData: keepPreviousData,
  });
}

export function useEmail(emailId: string | null) {
  return useQuery({
    queryKey: ['emails', 'one', emailId],
    enabled: emailId !== null,
    queryFn: ({ signal }) => api<EmailDetail>(`/api/emails/${encodeURIComponent(emailId ?? '')}`, { signal }),
  });
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
