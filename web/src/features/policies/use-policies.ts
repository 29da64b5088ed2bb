import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../ui/api';
import { type Policy, type PolicyClaim, type PolicyInput, type PolicyKey, policyPath } from './policies';

const key = ['policies'] as const;

export const policiesQuery = queryOptions({
  queryKey: [...key, 'list'],
  queryFn: ({ signal }) => api<{ items: Policy[] }>('/api/policies', { signal }),
});

export function usePolicies() {
  return useQuery(policiesQuery);
}

export const policyQuery = (k: PolicyKey | null) =>
  queryOptions({
    queryKey: [...key, 'one', k],
    queryFn: ({ signal }) => api<Policy & { claims: PolicyClaim[] }>(policyPath(k!), { signal }),
  });

export function usePolicy(k: PolicyKey | null) {
  return useQuery({ ...policyQuery(k), enabled: k !== null });
}

export function useSavePolicy() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (p: { key: PolicyKey; input: PolicyInput }) =>
      api<Policy>(policyPath(p.key), { method: 'PUT', body: p.input }),
    onSuccess: () => client.invalidateQueries({ queryKey: key }),
  });
}

export function useDeletePolicy() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (k: PolicyKey) => api<void>(policyPath(k), { method: 'DELETE' }),
    onSuccess: () => client.invalidateQueries({ queryKey: key }),
  });
}
