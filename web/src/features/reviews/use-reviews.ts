import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../ui/api';
import type { ReportSchedule, ReviewPacket, Top40, Wwch } from './reviews';

export const top40Query = (asOf: string) =>
  queryOptions({
    queryKey: ['reviews', 'top40', asOf],
    queryFn: ({ signal }) => api<Top40>(`/api/reviews/top40?as_of=${encodeURIComponent(asOf)}`, { signal }),
  });

export function useTop40(asOf: string) {
  return useQuery(top40Query(asOf));
}

export function useSaveComment() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ accountId, asOf, comment }: { accountId: string; asOf: string; comment: string }) =>
      api(`/api/reviews/top40/${encodeURIComponent(accountId)}/comment`, {
        method: 'PUT',
        body: { as_of: asOf, comment },
      }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['reviews', 'top40'] }),
  });
}

export const wwchQuery = (asOf: string) =>
  queryOptions({
    queryKey: ['reviews', 'wwch', asOf],
    queryFn: ({ signal }) => api<Wwch>(`/api/reviews/wwch?as_of=${encodeURIComponent(asOf)}`, { signal }),
  });

export function useWwch(asOf: string, enabled: boolean) {
  return useQuery({ ...wwchQuery(asOf), enabled });
}

export const reviewPacketsQuery = queryOptions({
  queryKey: ['reviews', 'packets'],
  queryFn: ({ signal }) => api<{ packets: ReviewPacket[] }>('/api/reviews/wd8/packets', { signal }),
});

export function useReviewPackets(enabled: boolean) {
  return useQuery({ ...reviewPacketsQuery, enabled });
}

export function useMakePacket() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { month: string; country: string }) =>
      api<ReviewPacket>('/api/reviews/wd8/packets', { method: 'POST', body }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['reviews', 'packets'] }),
  });
}

export const schedulesQuery = queryOptions({
  queryKey: ['reviews', 'schedules'],
  queryFn: ({ signal }) => api<{ schedules: ReportSchedule[] }>('/api/reviews/schedules', { signal }),
});

export function useSchedules() {
  return useQuery(schedulesQuery);
}

type ScheduleBody = Pick<ReportSchedule, 'report' | 'format' | 'frequency' | 'recipients' | 'active'>;

export function useSaveSchedule() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id?: string; body: Partial<ScheduleBody> }) =>
      id
        ? api<ReportSchedule>(`/api/reviews/schedules/${id}`, { method: 'PATCH', body })
        : api<ReportSchedule>('/api/reviews/schedules', { method: 'POST', body }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['reviews', 'schedules'] }),
  });
}

export function useDeleteSchedule() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api(`/api/reviews/schedules/${id}`, { method: 'DELETE' }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['reviews', 'schedules'] }),
  });
}
