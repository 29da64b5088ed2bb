import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../ui/api';
import type { CallOutcome, PromiseToPay, TimelineEntry, Worklist } from './collections';

const account = (accountId: string) => `/api/accounts/${encodeURIComponent(accountId)}`;

export function useWorklist() {
  return useQuery({
    queryKey: ['collections', 'worklist'],
    queryFn: ({ signal }) => api<Worklist>('/api/collections/worklist', { signal }),
  });
}

export function useTimeline(accountId: string) {
  return useQuery({
    queryKey: ['collections', 'timeline', accountId],
    queryFn: ({ signal }) =>
      api<{ account_id: string; entries: TimelineEntry[] }>(`${account(accountId)}/timeline`, { signal }),
  });
}

export function usePromises(accountId: string) {
  return useQuery({
    queryKey: ['collections', 'promises', accountId],
    queryFn: ({ signal }) =>
      api<{ account_id: string; promises: PromiseToPay[] }>(`${account(accountId)}/promises`, { signal }),
  });
}

export type ActivityInput =
  | { kind: 'comment'; body: string }
  | { kind: 'call'; outcome: CallOutcome; body: string };

export interface PromiseInput {
  amount: string;
  promised_date: string;
  document_ids: string[];
  note?: string;
}

/** Records a comment or a call; a call with outcome 'promised' may carry the promise, recorded after it. */
export function useAddActivity(accountId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ activity, promise }: { activity: ActivityInput; promise?: PromiseInput }) => {
      if (promise) {
        // The promise first: if it is refused (a date in the past), the call is not recorded twice on retry.
        await api(`${account(accountId)}/promises`, { method: 'POST', body: promise });
      }
      await api(`${account(accountId)}/activities`, { method: 'POST', body: activity });
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['collections'] }),
  });
}
