import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../ui/api';

/** A personal API token: scripts and integrations act as the user who created it. */
export interface ApiToken {
  token_id: string;
  name: string;
  created_at: string;
  last_used_at: string | null;
  expires_at: string | null;
  revoked_at: string | null;
}

export function tokenStatus(token: ApiToken, now = new Date()): 'Active' | 'Revoked' | 'Expired' {
  if (token.revoked_at) return 'Revoked';
  if (token.expires_at && new Date(token.expires_at) <= now) return 'Expired';
  return 'Active';
}

export function useTokens() {
  return useQuery({
    queryKey: ['tokens'],
    queryFn: ({ signal }) => api<{ items: ApiToken[] }>('/api/tokens', { signal }).then((body) => body.items),
  });
}

export function useCreateToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { name: string; expires_in_days?: number }) =>
      api<{ token: ApiToken; secret: string }>('/api/tokens', { method: 'POST', body }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['tokens'] }),
  });
}

export function useRevokeToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (tokenId: string) =>
      api<void>(`/api/tokens/${encodeURIComponent(tokenId)}`, { method: 'DELETE' }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['tokens'] }),
  });
}
