import { queryOptions, useQuery } from '@tanstack/react-query';
import type { Home, HomeKind } from '../../../../src/modules/desk/index.ts';
import { api } from '../../ui/api';

export type {
  Figure,
  Home,
  HomeKind,
  SlaLight,
  WorkItem,
  WorkSection,
} from '../../../../src/modules/desk/index.ts';

export const homesQuery = queryOptions({
  queryKey: ['home'],
  queryFn: ({ signal }) => api<{ homes: { home: HomeKind; title: string }[] }>('/api/home', { signal }),
});

/** The homes the user's roles give (GET /api/home). */
export function useHomes() {
  return useQuery(homesQuery);
}

export const homeQuery = (home: HomeKind | null) =>
  queryOptions({
    queryKey: ['home', home],
    enabled: home !== null,
    queryFn: ({ signal }) => api<Home>(`/api/home/${home}`, { signal }),
  });

/** One home: my work by SLA and the role's figures. */
export function useHome(home: HomeKind | null) {
  return useQuery(homeQuery(home));
}
