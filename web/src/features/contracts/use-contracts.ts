import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../ui/api';
import type { DealDetail, DealItem, ProgramDetail, ProgramListItem, VersionSummary } from './contract';

function query(params: Record<string, string | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value) search.set(key, value);
  const text = search.toString();
  return text ? `?${text}` : '';
}

export interface ProgramFilters {
  type?: string | undefined;
  status?: string | undefined;
  partner?: string | undefined;
}

export const programsQuery = (filters: ProgramFilters = {}) =>
  queryOptions({
    queryKey: ['programs', 'list', filters],
    queryFn: ({ signal }) =>
      api<{ items: ProgramListItem[] }>(`/api/programs${query({ ...filters })}`, { signal }).then(
        (body) => body.items,
      ),
  });

export function usePrograms(filters: ProgramFilters = {}) {
  return useQuery(programsQuery(filters));
}

export function useProgram(programId: string, version?: number) {
  return useQuery({
    queryKey: ['programs', programId, version ?? 'current'],
    queryFn: ({ signal }) => {
      const id = encodeURIComponent(programId);
      const path = version === undefined ? `/api/programs/${id}` : `/api/programs/${id}/versions/${version}`;
      return api<{ program: ProgramDetail }>(path, { signal }).then((body) => body.program);
    },
  });
}

function useVersionAction(action: 'approve' | 'activate') {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ programId, version }: { programId: string; version: number }) =>
      api<{ version: VersionSummary }>(
        `/api/programs/${encodeURIComponent(programId)}/versions/${version}/${action}`,
        { method: 'POST' },
      ).then((body) => body.version),
    onSuccess: (_version, { programId }) =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: ['programs'] }),
        queryClient.invalidateQueries({ queryKey: ['audit', 'program', programId] }),
      ]),
  });
}

export const useApproveVersion = () => useVersionAction('approve');
export const useActivateVersion = () => useVersionAction('activate');

/** A program as programs.json writes it, saved as a draft version. */
export function useProposeProgram() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Record<string, unknown>) =>
      api<{ outcome: string; program: ProgramDetail }>('/api/programs', { method: 'POST', body }),
    onSuccess: (result) =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: ['programs'] }),
        queryClient.invalidateQueries({ queryKey: ['audit', 'program', result.program.program_id] }),
      ]),
  });
}

export interface DealFilters {
  program_id?: string | undefined;
  account_id?: string | undefined;
  sku?: string | undefined;
  active_on?: string | undefined;
}

export const dealsQuery = (filters: DealFilters = {}) =>
  queryOptions({
    queryKey: ['deals', 'list', filters],
    queryFn: ({ signal }) =>
      api<{ items: DealItem[] }>(`/api/deals${query({ ...filters })}`, { signal }).then((body) => body.items),
  });

export function useDeals(filters: DealFilters = {}, enabled = true) {
  return useQuery({ ...dealsQuery(filters), enabled });
}

export function useDeal(dealId: string) {
  return useQuery({
    queryKey: ['deals', dealId],
    queryFn: ({ signal }) =>
      api<{ deal: DealDetail }>(`/api/deals/${encodeURIComponent(dealId)}`, { signal }).then(
        (body) => body.deal,
      ),
  });
}
