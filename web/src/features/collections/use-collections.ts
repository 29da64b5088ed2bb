import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../ui/api';
import type { Email } from '../correspondence/correspondence';
import { queryString } from '../receivables/receivables';
import type {
  AccountOverview,
  BulkWorklistResult,
  CallOutcome,
  PromiseToPay,
  StepKind,
  Strategy,
  Task,
  TaskKind,
  TaskOutcome,
  TaskQueue,
  TimelineEntry,
  TriggerKind,
  Worklist,
  WorklistAction,
  WorklistActionResult,
} from './collections';

const account = (accountId: string) => `/api/accounts/${encodeURIComponent(accountId)}`;

export const worklistQuery = queryOptions({
  queryKey: ['collections', 'worklist'],
  queryFn: ({ signal }) => api<Worklist>('/api/collections/worklist', { signal }),
});

export function useWorklist() {
  return useQuery(worklistQuery);
}

/** One worklist action for an account (at most once per account, action and day on the server). */
export function useWorklistAction() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ accountId, action, note }: { accountId: string; action: WorklistAction; note?: string }) =>
      api<WorklistActionResult>(`${account(accountId)}/next-action`, {
        method: 'POST',
        body: note ? { action, note } : { action },
      }),
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: ['collections'] });
      void queryClient.invalidateQueries({ queryKey: ['emails'] });
      void queryClient.invalidateQueries({ queryKey: ['home'] });
    },
  });
}

/** Reminders to, or a collector for, the accounts selected on the worklist. */
export function useBulkWorklist() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (
      body:
        | { action: 'reminder'; account_ids: string[] }
        | { action: 'assign'; account_ids: string[]; collector: string | null },
    ) => api<BulkWorklistResult>('/api/collections/worklist/bulk', { method: 'POST', body }),
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: ['collections'] });
      void queryClient.invalidateQueries({ queryKey: ['emails'] });
      void queryClient.invalidateQueries({ queryKey: ['home'] });
    },
  });
}

export const timelineQuery = (accountId: string, documentId?: string) =>
  queryOptions({
    queryKey: ['collections', 'timeline', accountId, documentId ?? null],
    queryFn: ({ signal }) =>
      api<{ account_id: string; entries: TimelineEntry[] }>(
        `${account(accountId)}/timeline${queryString({ document_id: documentId })}`,
        { signal },
      ),
  });

export function useTimeline(accountId: string, documentId?: string) {
  return useQuery(timelineQuery(accountId, documentId));
}

export const promisesQuery = (accountId: string) =>
  queryOptions({
    queryKey: ['collections', 'promises', accountId],
    queryFn: ({ signal }) =>
      api<{ account_id: string; promises: PromiseToPay[] }>(`${account(accountId)}/promises`, { signal }),
  });

export function usePromises(accountId: string) {
  return useQuery(promisesQuery(accountId));
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

export const accountOverviewQuery = (accountId: string) =>
  queryOptions({
    queryKey: ['collections', 'overview', accountId],
    queryFn: ({ signal }) => api<AccountOverview>(`${account(accountId)}/overview`, { signal }),
  });

export function useAccountOverview(accountId: string) {
  return useQuery(accountOverviewQuery(accountId));
}

export interface TasksFilter {
  for?: 'me' | 'all';
  queue?: TaskQueue | null;
  status?: 'open' | 'done' | 'all';
  overdue?: 'true' | null;
  account_id?: string | null;
}

export const tasksQuery = (filter: TasksFilter) =>
  queryOptions({
    queryKey: ['collections', 'tasks', filter],
    queryFn: ({ signal }) =>
      api<{ as_of: string; items: Task[]; counts: { open: number; overdue: number } }>(
        `/api/tasks${queryString({ ...filter })}`,
        { signal },
      ),
  });

export function useTasks(filter: TasksFilter) {
  return useQuery({ ...tasksQuery(filter), placeholderData: keepPreviousData });
}

export function useCompleteTask() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ taskId, outcome, note }: { taskId: string; outcome: TaskOutcome; note: string }) =>
      api<{ task: Task }>(`/api/tasks/${encodeURIComponent(taskId)}/complete`, {
        method: 'POST',
        body: { outcome, note },
      }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['collections'] }),
  });
}

export function useCreateTask(accountId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { kind: TaskKind; note: string; document_ids?: string[] }) =>
      api<{ task: Task }>(`${account(accountId)}/tasks`, { method: 'POST', body }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['collections'] }),
  });
}

export interface SendInput {
  to?: string[];
  note?: string;
}

/** A reminder about one item or a copy of it; or (no item) a reminder of everything past due. */
export function useSendReminder(accountId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({
      documentId,
      kind,
      ...body
    }: SendInput & { documentId?: string; kind?: 'reminder' | 'invoice_copy' }) =>
      documentId
        ? api<{ email: Email }>(`/api/ar/items/${encodeURIComponent(documentId)}/emails`, {
            method: 'POST',
            body: { kind: kind ?? 'reminder', ...body },
          })
        : api<{ email: Email }>(`${account(accountId)}/reminders`, { method: 'POST', body }),
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: ['collections'] });
      void queryClient.invalidateQueries({ queryKey: ['emails'] });
    },
  });
}

export const strategiesQuery = queryOptions({
  queryKey: ['collections', 'strategies'],
  queryFn: ({ signal }) => api<{ items: Strategy[] }>('/api/collection-strategies', { signal }),
});

export function useStrategies() {
  return useQuery(strategiesQuery);
}

export interface StrategyBody {
  strategy_id?: string;
  name: string;
  description?: string;
  segment: string | null;
  country: string | null;
  steps: {
    step_id?: string;
    kind: StepKind;
    trigger: TriggerKind;
    days: number | null;
    subject: string | null;
    body: string | null;
    sla_business_days: number | null;
  }[];
}

export function useSaveStrategy() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string | null; body: StrategyBody }) =>
      id
        ? api<{ strategy: Strategy }>(`/api/collection-strategies/${encodeURIComponent(id)}`, {
            method: 'PUT',
            body,
          })
        : api<{ strategy: Strategy }>('/api/collection-strategies', { method: 'POST', body }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['collections'] }),
  });
}

export function useDeleteStrategy() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      api<void>(`/api/collection-strategies/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['collections'] }),
  });
}
