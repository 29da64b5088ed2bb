import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../ui/api';
import type { StoredDocument } from '../platform/documents/document';
import {
  type Conversation,
  type Message,
  type Recommendation,
  type RecurringError,
  type Subject,
  subjectPath,
  type ThreadSummary,
} from './messages';

type ThreadFilters = { account_id?: string | null; unread?: boolean };

/** My conversations with unread counts (the navigation's badge starts it with the session, app-navbar.tsx). */
export function threadsQuery(params: ThreadFilters = {}) {
  const q = new URLSearchParams();
  if (params.account_id) q.set('account_id', params.account_id);
  if (params.unread) q.set('unread', 'true');
  return queryOptions({
    queryKey: ['messages', 'threads', params.account_id ?? '', !!params.unread],
    queryFn: ({ signal }) =>
      api<{ items: ThreadSummary[]; total: number; unread_total: number }>(`/api/messages/threads?${q}`, {
        signal,
      }),
  });
}

/** My conversations with unread counts; polled so the navigation's badge follows new messages. */
export function useThreads(params: ThreadFilters = {}, enabled = true) {
  return useQuery({
    ...threadsQuery(params),
    enabled,
    placeholderData: keepPreviousData,
    refetchInterval: 30_000,
  });
}

export const conversationQuery = (subject: Subject | null) =>
  queryOptions({
    queryKey: ['messages', 'conversation', subject?.accountId ?? '', subject?.claimId ?? ''],
    queryFn: ({ signal }) => api<Conversation>(subjectPath(subject!), { signal }),
  });

export function useConversation(subject: Subject | null) {
  return useQuery({ ...conversationQuery(subject), enabled: !!subject, refetchInterval: 30_000 });
}

/** Uploads the files to the claim (or account), then posts the message naming them. */
export function usePostMessage(subject: Subject) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ body, files, clientId }: { body: string; files: File[]; clientId: string }) => {
      const attachments: string[] = [];
      for (const file of files) {
        const form = new FormData();
        form.set('entity_type', subject.claimId ? 'claim' : 'account');
        form.set('entity_id', subject.claimId ?? subject.accountId);
        form.set('account_id', subject.accountId);
        form.set('document_type', 'message_attachment');
        form.set('file', file, file.name);
        const { document } = await api<{ document: StoredDocument }>('/api/documents', {
          method: 'POST',
          body: form,
        });
        attachments.push(document.document_id);
      }
      return api<{ message: Message; created: boolean }>(subjectPath(subject), {
        method: 'POST',
        body: { body, attachments, client_message_id: clientId },
      });
    },
    onSettled: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: ['messages'] }),
        queryClient.invalidateQueries({ queryKey: ['documents'] }),
        queryClient.invalidateQueries({ queryKey: ['audit'] }),
      ]),
  });
}

export function useMarkRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (messageId: string) =>
      api<{ thread_id: string; unread: number; unread_total: number }>(
        `/api/messages/${encodeURIComponent(messageId)}/read`,
        { method: 'POST' },
      ),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['messages'] }),
  });
}

export const recommendationsQuery = (accountId: string | null) =>
  queryOptions({
    queryKey: ['messages', 'recommendations', accountId ?? ''],
    queryFn: ({ signal }) =>
      api<{ items: Recommendation[]; recurring_errors: RecurringError[] | null }>(
        `/api/recommendations${accountId ? `?account_id=${encodeURIComponent(accountId)}` : ''}`,
        { signal },
      ),
  });

export function useRecommendations(accountId: string | null) {
  return useQuery(recommendationsQuery(accountId));
}

export function useSendRecommendation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { account_id: string; rule_code: string; program_id?: string; text: string }) =>
      api<{ recommendation: Recommendation }>('/api/recommendations', { method: 'POST', body: input }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['messages'] }),
  });
}

export function useMoveRecommendation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, to }: { id: string; to: 'acknowledge' | 'resolve' }) =>
      api<{ recommendation: Recommendation }>(`/api/recommendations/${encodeURIComponent(id)}/${to}`, {
        method: 'POST',
      }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['messages'] }),
  });
}
