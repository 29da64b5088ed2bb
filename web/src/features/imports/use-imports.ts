import {
  infiniteQueryOptions,
  keepPreviousData,
  queryOptions,
  useInfiniteQuery,
  useQuery,
} from '@tanstack/react-query';
import { api } from '../../ui/api';
import type { ImportRecord, ImportTemplate } from './import';

export const importTemplatesQuery = queryOptions({
  queryKey: ['import-templates'],
  queryFn: ({ signal }) =>
    api<{ items: ImportTemplate[] }>('/api/import-templates', { signal }).then((body) => body.items),
  // The templates change only with a new release.
  staleTime: Number.POSITIVE_INFINITY,
});

export function useImportTemplates() {
  return useQuery(importTemplatesQuery);
}

const pageSize = 100;

interface HistoryFilters {
  kind?: string | null;
  status?: string | null;
  order?: string | null;
  filters?: string | null;
}

/**
 * The history, newest first (or in a grid's `order`, with its column `filters`, over every import), a page at
 * a time.
 */
export const importHistoryQuery = (filters: HistoryFilters) =>
  infiniteQueryOptions({
    queryKey: [
      'imports',
      'history',
      filters.kind ?? '',
      filters.status ?? '',
      filters.order ?? '',
      filters.filters ?? '',
    ],
    initialPageParam: 0,
    queryFn: ({ pageParam, signal }) => {
      const query = new URLSearchParams({ limit: String(pageSize), offset: String(pageParam) });
      if (filters.kind) query.set('kind', filters.kind);
      if (filters.status) query.set('status', filters.status);
      if (filters.order) query.set('order', filters.order);
      if (filters.filters) query.set('filters', filters.filters);
      return api<{ items: ImportRecord[]; total: number }>(`/api/imports?${query}`, { signal });
    },
    getNextPageParam: (last, pages) => {
      const loaded = pages.reduce((sum, page) => sum + page.items.length, 0);
      return last.items.length === pageSize && loaded < Number(last.total) ? loaded : undefined;
    },
  });

export function useImportHistory(filters: HistoryFilters) {
  // A new sort or filter keeps the rows shown (and the grid with its sort) until the answer comes.
  return useInfiniteQuery({ ...importHistoryQuery(filters), placeholderData: keepPreviousData });
}

export function useImport(importId: string) {
  return useQuery({
    queryKey: ['imports', 'one', importId],
    queryFn: ({ signal }) =>
      api<{ import: ImportRecord }>(`/api/imports/${encodeURIComponent(importId)}`, { signal }).then(
        (body) => body.import,
      ),
  });
}
