import assert from 'node:assert/strict';
import { registerHooks } from 'node:module';
import { test } from 'node:test';

// The web app's modules import each other without extensions, as the bundler resolves them.
registerHooks({
  resolve(specifier, context, next) {
    try {
      return next(specifier, context);
    } catch (error) {
      if (!specifier.startsWith('.') || !context.parentURL?.includes('/web/src/')) throw error;
      return next(`${specifier}.ts`, context);
    }
  },
});

/** What the test uses of web/src/ui/query-client.ts (imported by address: the web app is typed on its own). */
interface Options {
  queryKey: unknown[];
  queryFn: (context: { pageParam: number }) => Promise<unknown>;
  retry?: boolean;
  initialPageParam?: number;
  getNextPageParam?: () => undefined;
}
const { prefetched, queryClient, startAfter, startInfiniteQuery, startQuery } = (await import(
  String(new URL('../web/src/ui/query-client.ts', import.meta.url))
)) as {
  prefetched: (prefetch: () => void) => Promise<void>;
  queryClient: {
    clear(): void;
    getQueryData(key: unknown[]): unknown;
    getQueryState(key: unknown[]): { status: string } | undefined;
  };
  startAfter: <T>(waited: Promise<T>, next: (value: T) => void) => void;
  startInfiniteQuery: (options: Required<Options>) => void;
  startQuery: (options: Options, next?: (data: unknown) => void) => void;
};

/**
 * A page's prefetch, as the route runs it before the first page of a visit is drawn (web/src/app.tsx): what it
 * started is waited for, with what it went on to start from an answer, and a failure never holds it up.
 */
const later = <T>(ms: number, value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));

test('prefetched settles once every query started, and every query started from an answer, has its answer', async () => {
  queryClient.clear();
  const answered: string[] = [];
  const ask = (key: string, ms: number) => ({
    queryKey: ['prefetch-test', key],
    queryFn: async () => {
      const value = await later(ms, key);
      answered.push(key);
      return value;
    },
  });
  await prefetched(() => {
    startQuery(ask('list', 20), () => startQuery(ask('first row', 20)));
    startAfter(later(10, 'user'), (user: string) => {
      startQuery(ask(`${user}'s cards`, 30), () => startQuery(ask('card detail', 10)));
    });
    startInfiniteQuery({
      queryKey: ['prefetch-test', 'pages'],
      initialPageParam: 0,
      retry: false,
      queryFn: async ({ pageParam }) => {
        const page = await later(15, [pageParam]);
        answered.push('first page');
        return page;
      },
      getNextPageParam: () => undefined,
    });
  });
  assert.deepEqual(answered.sort(), ['card detail', 'first page', 'first row', 'list', "user's cards"]);
  assert.equal(queryClient.getQueryData(['prefetch-test', 'card detail']), 'card detail');
});

test('a failed query, or a failed wait, settles the prefetch without holding it up or throwing', async () => {
  queryClient.clear();
  let ran = false;
  await prefetched(() => {
    startQuery({
      queryKey: ['prefetch-test', 'refused'],
      queryFn: async () => {
        throw new Error('refused');
      },
      retry: false,
    });
    startQuery(
      {
        queryKey: ['prefetch-test', 'refused too'],
        queryFn: async () => {
          throw new Error('refused');
        },
        retry: false,
      },
      () => {
        ran = true;
      },
    );
    startAfter(Promise.reject(new Error('no session')), () => {
      ran = true;
    });
  });
  assert.equal(ran, false, 'nothing goes on from a failure');
  assert.equal(queryClient.getQueryState(['prefetch-test', 'refused'])?.status, 'error');
});

test('outside a prefetch being waited for, queries start and go on all the same', async () => {
  queryClient.clear();
  const user = later(5, 'user');
  let next = '';
  startAfter(user, (value: string) => {
    next = value;
  });
  startQuery({ queryKey: ['prefetch-test', 'alone'], queryFn: () => later(5, 'alone') });
  await later(30, null);
  assert.equal(next, 'user');
  assert.equal(queryClient.getQueryData(['prefetch-test', 'alone']), 'alone');
});
