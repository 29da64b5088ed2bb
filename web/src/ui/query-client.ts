import {
  type FetchInfiniteQueryOptions,
  type FetchQueryOptions,
  type Query,
  QueryClient,
  type QueryKey,
  skipToken,
} from '@tanstack/react-query';
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
 * A query starts as soon as a component asks for it while React draws, not once the whole page has been drawn,
 * laid out and painted, when useQuery's subscription would start it: the answer travels meanwhile. The check
 * waits for the end of the current task, so that data put in the cache (setQueryData) is not asked for again;
 * it starts only what the component's own subscription would start (enabled, no data yet, not running).
 */
queryClient.getQueryCache().subscribe((event) => {
  if (event.type !== 'added') return;
  const { query } = event;
  queueMicrotask(() => {
    const { data, fetchStatus, status } = query.state;
    if (data !== undefined || fetchStatus !== 'idle' || status !== 'pending') return;
    const { enabled, queryFn } = query.options as typeof query.options & {
      enabled?: boolean | ((query: Query) => boolean);
    };
    if (!queryFn || queryFn === skipToken) return;
    if ((typeof enabled === 'function' ? enabled(query as Query) : enabled) === false) return;
    query.fetch().catch(() => {}); // a failure is left for the component's hook to show
  });
});

/**
 * What a page asks the server for first, started by its route as soon as the page's code has loaded, so the
 * answers travel while React draws the layout (app.tsx). It must use the same query options as the page's
 * hooks, or the page asks again.
 */
export type Prefetch = (url: URL) => void;

/** The queries a prefetch being run has started (`prefetched`), and what it goes on to start after them. */
let started: Promise<unknown>[] | null = null;

/** Runs `run` with `into` as the list the queries it starts are added to. */
function collecting(into: Promise<unknown>[] | null, run: () => void): void {
  const outer = started;
  started = into;
  try {
    run();
  } finally {
    started = outer;
  }
}

/**
 * Starts a query whose answer the page will read; a failure is left for the page's hook to show. `next` runs with
 * the answer, to start what depends on it (the chart of the first row, say), as part of the same prefetch.
 */
export function startQuery<T, K extends QueryKey>(
  options: FetchQueryOptions<T, Error, T, K>,
  next?: (data: T) => void,
): void {
  const into = started;
  const answer = next
    ? queryClient.fetchQuery(options).then(
        (data) => collecting(into, () => next(data)),
        () => {},
      )
    : queryClient.prefetchQuery(options);
  into?.push(answer);
}

/** Starts a query of pages (its first page) whose answer the page will read, as `startQuery` does. */
export function startInfiniteQuery<T, K extends QueryKey, P>(
  options: FetchInfiniteQueryOptions<T, Error, T, K, P>,
): void {
  const answer = queryClient.prefetchInfiniteQuery(options);
  started?.push(answer);
}

/** Runs `next` with what `waited` resolves to (the session's user, say), as part of the prefetch being run. */
export function startAfter<T>(waited: Promise<T>, next: (value: T) => void): void {
  const into = started;
  into?.push(
    waited.then(
      (value) => collecting(into, () => next(value)),
      () => {},
    ),
  );
  if (!into) void waited.then(next, () => {});
}

/**
 * Runs a page's prefetch; settles when every query it started has its answer (or has failed), with those its
 * `next` and `startAfter` functions started in turn.
 */
export async function prefetched(prefetch: () => void): Promise<void> {
  const answers: Promise<unknown>[] = [];
  collecting(answers, prefetch);
  while (answers.length > 0) await Promise.all(answers.splice(0));
}
