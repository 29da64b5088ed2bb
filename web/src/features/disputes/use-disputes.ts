import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../ui/api';
import type {
  AccountDispute,
  Dispute,
  DisputeCategory,
  DisputeDetail,
  DisputeTeam,
  Team,
  TeamCount,
} from './disputes';

export interface DisputeFilters {
  team?: string | null;
  state?: string | null;
  category?: string | null;
  account_id?: string | null;
  document_id?: string | null;
  assignee?: string | null;
  overdue?: string | null;
}

const qs = (params: object) => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
};

export const disputesQuery = (filters: DisputeFilters) =>
  queryOptions({
    queryKey: ['disputes', 'list', filters],
    queryFn: ({ signal }) =>
      api<{ as_of: string; items: Dispute[]; counts: TeamCount[] }>(`/api/disputes${qs(filters)}`, {
        signal,
      }),
  });

export function useDisputes(filters: DisputeFilters, enabled = true) {
  return useQuery({ ...disputesQuery(filters), enabled, placeholderData: keepPreviousData });
}

export function useDispute(id: string) {
  return useQuery({
    queryKey: ['disputes', 'one', id],
    queryFn: ({ signal }) => api<DisputeDetail>(`/api/disputes/${encodeURIComponent(id)}`, { signal }),
  });
}

export const teamsQuery = queryOptions({
  queryKey: ['disputes', 'teams'],
  queryFn: ({ signal }) => api<{ items: Team[] }>('/api/dispute-teams', { signal }),
});

export function useTeams() {
  return useQuery(teamsQuery);
}

export interface NewDispute {
  document_id: string;
  category: DisputeCategory;
  amount: string;
  description: string;
  customer_reference?: string;
  team?: DisputeTeam;
}

/** Opens the dispute, then files the customer's documents against it. */
export function useOpenDispute() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ input, files }: { input: NewDispute; files: File[] }) => {
      const created = await api<DisputeDetail>('/api/disputes', { method: 'POST', body: input });
      for (const file of files) {
        const form = new FormData();
        form.set('entity_type', 'dispute');
        form.set('entity_id', created.dispute_id);
        form.set('file', file, file.name);
        await api('/api/documents', { method: 'POST', body: form });
      }
      return created;
    },
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['disputes'] });
      void client.invalidateQueries({ queryKey: ['receivables'] });
      void client.invalidateQueries({ queryKey: ['collections'] });
    },
  });
}

/** One action on a dispute (assign, comment, adjustment, reject, withdraw): the server answers the dispute. */
export function useDisputeAction(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ action, body }: { action: string; body: object }) =>
      api<DisputeDetail>(`/api/disputes/${encodeURIComponent(id)}/${action}`, { method: 'POST', body }),
    onSuccess: (detail) => {
      client.setQueryData(['disputes', 'one', id], detail);
      void client.invalidateQueries({ queryKey: ['disputes', 'list'] });
      void client.invalidateQueries({ queryKey: ['disputes', 'teams'] });
      void client.invalidateQueries({ queryKey: ['adjustments'] });
      void client.invalidateQueries({ queryKey: ['receivables'] });
      void client.invalidateQueries({ queryKey: ['collections'] });
    },
  });
}

export function useSetTeamSla() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ team, days }: { team: DisputeTeam; days: number }) =>
      api<Team>(`/api/dispute-teams/${team}`, { method: 'PUT', body: { sla_business_days: days } }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['disputes', 'teams'] }),
  });
}

/** An account's disputes as the customer sees them (the portal). */
export const accountDisputesQuery = (accountId: string | null) =>
  queryOptions({
    queryKey: ['disputes', 'account', accountId],
    queryFn: ({ signal }) =>
      api<{ items: AccountDispute[] }>(`/api/accounts/${encodeURIComponent(accountId ?? '')}/disputes`, {
        signal,
      }).then((body) => body.items),
  });

export function useAccountDisputes(accountId: string | null) {
  return useQuery({ ...accountDisputesQuery(accountId), enabled: accountId !== null });
}

/** A partner raises a dispute on one of its invoices; the disputes module routes it. */
export function useRaiseDispute(accountId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: Omit<NewDispute, 'team'>) =>
      api<{ dispute: AccountDispute }>(`/api/accounts/${encodeURIComponent(accountId)}/disputes`, {
        method: 'POST',
        body: input,
      }).then((body) => body.dispute),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['disputes'] });
      void client.invalidateQueries({ queryKey: ['receivables'] });
    },
  });
}
