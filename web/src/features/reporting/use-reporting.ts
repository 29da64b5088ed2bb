import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../ui/api';
import { queryString } from '../receivables/receivables';
import type { MeasureBreakdown, MeasureClaim, MeasureTrend, MonthMeasures } from './reporting';

export const kpisQuery = (month: string | null, by: MeasureBreakdown | null) =>
  queryOptions({
    queryKey: ['kpis', 'month', month, by],
    queryFn: ({ signal }) => api<MonthMeasures>(`/api/kpis${queryString({ month, by })}`, { signal }),
  });

/** A month's measures (the last complete month when none is given), optionally broken down. */
export function useKpis(month: string | null, by: MeasureBreakdown | null) {
  return useQuery({ ...kpisQuery(month, by), placeholderData: keepPreviousData });
}

export const kpiTrendQuery = (toMonth: string | null, months = 12) =>
  queryOptions({
    queryKey: ['kpis', 'trend', toMonth, months],
    queryFn: ({ signal }) =>
      api<MeasureTrend>(`/api/kpis/trend${queryString({ to_month: toMonth, months })}`, { signal }),
  });

/** The measures month by month up to `toMonth`. */
export function useKpiTrend(toMonth: string | null, months = 12) {
  return useQuery({ ...kpiTrendQuery(toMonth, months), placeholderData: keepPreviousData });
}

/** The claims behind a month's claim measures. */
export function useMeasureClaims(
  month: string,
  filter: { set: 'paid' | 'submitted'; country?: string; account_id?: string } | null,
) {
  return useQuery({
    queryKey: ['kpis', 'claims', month, filter],
    enabled: filter !== null,
    queryFn: ({ signal }) =>
      api<{ month: string; set: string; claims: MeasureClaim[] }>(
        `/api/kpis/claims${queryString({ month, ...filter })}`,
        { signal },
      ),
  });
}
