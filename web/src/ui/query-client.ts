import { type FetchQueryOptions, QueryClient, type QueryKey } from '@tanstack/react-query';
import { ApiError } from './api';

/** The app's one query cache: the pages' hooks and the routes' prefetches (app.tsx) share it. */
export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      // A refusal (4xx) will not change by asking again; a network or server failure might.
      retry: (failures, error) =>
        failures < 2 && !(error instanceof ApiError && error.status >= 400 && error.status < 500),
      refetchOnWindowFocus: false,
    },
  },
});

/**
 * What a page asks the server for first, started by its route as soon as the page's code has loaded, so the
 * answers travel while React draws the layout (app.tsx). It must use the same query options as the page's
 * hooks, or the page asks again.
 */
export type Prefetch = (url: URL) => void;

/** Starts a query whose answer the page will read; a failure is left for the page's hook to show. */
export function startQuery<T, K extends QueryKey>(options: FetchQueryOptions<T, Error, T, K>): void {
  void queryClient.prefetchQuery(options);
}
