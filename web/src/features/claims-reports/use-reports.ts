import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../ui/api';
import { claimApi } from '../claims/claim';
import {
  type ClaimLogFilters,
  type ClaimLogItem,
  queryString,
  type Scorecard,
  type SlaAlert,
} from './reports';

/** Claims per page of the claim log (the server filters and pages it). */
export const claimLogPageSize = 1000;

export const claimLogQuery = (filters: ClaimLogFilters, page = 1) =>
  queryOptions({
    queryKey: ['claims', 'log', filters, page],
    queryFn: ({ signal }) =>
      api<{ items: ClaimLogItem[]; total: number; as_of: string }>(
        `/api/claim-log${queryString({ ...filters, limit: claimLogPageSize, offset: (page - 1) * claimLogPageSize })}`,
        { signal },
      ),
  });

export function useClaimLog(filters: ClaimLogFilters, page = 1) {
  return useQuery({ ...claimLogQuery(filters, page), placeholderData: keepPreviousData });
}

export const slaAlertsQuery = queryOptions({
  queryKey: ['claims', 'sla-alerts'],
  queryFn: ({ signal }) =>
    api<{ items: SlaAlert[]; total: number }>('/api/claims/sla-alerts?limit=1000', { signal }),
});

export function useSlaAlerts(enabled: boolean) {
  return useQuery({ ...slaAlertsQuery, enabled });
}

export function useSetUrgent() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({
      claimId,
      accountId,
      urgent,
    }: {
      claimId: string;
      accountId?: string | null;
      urgent: boolean;
    }) =>
      api<ClaimLogItem>(claimApi(claimId, accountId, '/urgent'), {
        method: 'POST',
        body: { urgent },
      }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['claims'] }),
  });
}

export const scorecardQuery = (accountId: string | null) =>
  queryOptions({
    queryKey: ['claims', 'scorecard', accountId],
    queryFn: ({ signal }) =>
      api<Scorecard>(`/api/scorecard${queryString({ account_id: accountId })}`, { signal }),
  });

export function useScorecard(accountId: string | null) {
  return useQuery({ ...scorecardQuery(accountId), placeholderData: keepPreviousData });
}
