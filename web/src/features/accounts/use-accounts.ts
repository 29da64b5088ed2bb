import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../ui/api';
import type { Account } from './account';

export const accountsQuery = queryOptions({
  queryKey: ['accounts'],
  queryFn: ({ signal }) => api<{ items: Account[] }>('/api/accounts', { signal }).then((body) => body.items),
});

export function useAccounts() {
  return useQuery(accountsQuery);
}

export const accountQuery = (accountId: string) =>
  queryOptions({
    queryKey: ['accounts', accountId],
    queryFn: ({ signal }) =>
      api<{ account: Account }>(`/api/accounts/${encodeURIComponent(accountId)}`, { signal }).then(
        (body) => body.account,
      ),
  });

export function useAccount(accountId: string, opts: { enabled?: boolean } = {}) {
  return useQuery({ ...accountQuery(accountId), enabled: opts.enabled ?? true });
}

export function useCreateAccount() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Record<string, unknown>) =>
      api<{ account: Account }>('/api/accounts', { method: 'POST', body }).then((result) => result.account),
    onSuccess: (account) => {
      queryClient.setQueryData(['accounts', account.account_id], account);
      return queryClient.invalidateQueries({ queryKey: ['accounts'], exact: true });
    },
  });
}

export function useUpdateAccount(accountId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Record<string, unknown>) =>
      api<{ account: Account }>(`/api/accounts/${encodeURIComponent(accountId)}`, {
        method: 'PATCH',
        body,
      }).then((result) => result.account),
    onSuccess: (account) => {
      queryClient.setQueryData(['accounts', account.account_id], account);
      return Promise.all([
        queryClient.invalidateQueries({ queryKey: ['accounts'], exact: true }),
        queryClient.invalidateQueries({ queryKey: ['audit', 'account', account.account_id] }),
      ]);
    },
  });
}
