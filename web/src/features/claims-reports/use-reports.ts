import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../ui/api';
import {
  type ClaimLogFilters,
  type ClaimLogItem,
  queryString,
  type Scorecard,
  type SlaAlert,
} from './reports';

export function useClaimLog(filters: ClaimLogFilters) {
  return useQuery({
    queryKey: ['claims', 'log', filters],
    queryFn: ({ signal }) =>
      api<{ items: ClaimLogItem[]; total: number; as_of: string }>(
        `/api/claim-log${queryString({ ...filters, limit: 5000 })}`,
        { signal },
      ),
    placeholderData: keepPreviousData,
  });
}

export function useSlaAlerts(enabled: boolean) {
  return useQuery({
    queryKey: ['claims', 'sla-alerts'],
    queryFn: ({ signal }) =>
      api<{ items: SlaAlert[]; total: number }>('/api/claims/sla-alerts?limit=1000', { signal }),
    enabled,
  });
}

export function useSetUrgent() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ claimId, urgent }: { claimId: string; urgent: boolean }) =>
      api<ClaimLogItem>(`/api/claims/${encodeURIComponent(claimId)}/urgent`, {
        method: 'POST',
        body: { urgent },
      }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['claims'] }),
  });
}

export function useScorecard(accountId: string | null) {
  return useQuery({
    queryKey: ['claims', 'scorecard', accountId],
    queryFn: ({ signal }) =>
      api<Scorecard>(`/api/scorecard${queryString({ account_id: accountId })}`, { signal }),
    placeholderData: keepPreviousData,
  });
}
