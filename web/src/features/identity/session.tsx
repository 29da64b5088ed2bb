import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, Fragment, type ReactNode, useCallback, useContext, useEffect, useMemo } from 'react';
import { ApiError, api, setCsrfToken, whenUnauthenticated } from '../../ui/api';
import { setLocale } from '../../ui/locale';
import { queryClient } from '../../ui/query-client';
import type { User } from './user';

interface Session {
  user: User;
  csrf_token: string;
}

export interface SessionValue {
  /** Undefined while the first check is running, null when nobody is signed in. */
  user: User | null | undefined;
  csrfToken: string | null;
  /** The session check itself failed (server unreachable), not merely "not signed in". */
  error: unknown;
  retry: () => void;
  signIn: (email: string, password: string) => Promise<User>;
  signOut: () => Promise<void>;
}

const SessionContext = createContext<SessionValue | null>(null);
const sessionKey = ['session'];

async function loadSession(): Promise<Session | null> {
  try {
    const session = await api<Session>('/api/auth/session');
    setCsrfToken(session.csrf_token);
    setLocale(session.user.locale ?? null);
    return session;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      setCsrfToken(null);
      return null;
    }
    throw error;
  }
}

/** The signed-in user (null: nobody), for a route's prefetch that needs it before the page is drawn. */
export async function sessionUser(): Promise<User | null> {
  const session = await queryClient.fetchQuery({
    queryKey: sessionKey,
    queryFn: loadSession,
    staleTime: Number.POSITIVE_INFINITY,
  });
  return session?.user ?? null;
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const query = useQuery({ queryKey: sessionKey, queryFn: loadSession, staleTime: Number.POSITIVE_INFINITY });

  const forget = useCallback(() => {
    setCsrfToken(null);
    // Nothing another user could see may survive in the cache.
    queryClient.removeQueries({ predicate: (cached) => cached.queryKey[0] !== 'session' });
    queryClient.setQueryData(sessionKey, null);
  }, [queryClient]);

  useEffect(() => {
    whenUnauthenticated(forget);
    return () => whenUnauthenticated(null);
  }, [forget]);

  const signIn = useCallback(
    async (email: string, password: string) => {
      const session = await api<Session>('/api/auth/sign-in', { method: 'POST', body: { email, password } });
      setCsrfToken(session.csrf_token);
      setLocale(session.user.locale ?? null);
      queryClient.removeQueries({ predicate: (cached) => cached.queryKey[0] !== 'session' });
      queryClient.setQueryData(sessionKey, session);
      return session.user;
    },
    [queryClient],
  );

  const signOut = useCallback(async () => {
    try {
      await api('/api/auth/sign-out', { method: 'POST' });
    } finally {
      forget();
    }
  }, [forget]);

  const value = useMemo<SessionValue>(
    () => ({
      user: query.data === undefined ? undefined : (query.data?.user ?? null),
      csrfToken: query.data?.csrf_token ?? null,
      error: query.error,
      retry: () => void query.refetch(),
      signIn,
      signOut,
    }),
    [query.data, query.error, query.refetch, signIn, signOut],
  );

  // Dates and numbers follow the user's locale; the pages are made again when it changes.
  const locale = query.data?.user.locale ?? '';
  return (
    <SessionContext value={value}>
      <Fragment key={locale}>{children}</Fragment>
    </SessionContext>
  );
}

export function useSession(): SessionValue {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession needs a SessionProvider above it.');
  return session;
}

/** The signed-in user, for pages that only render inside the signed-in shell. */
export function useUser(): User {
  const { user } = useSession();
  if (!user) throw new Error('useUser is only for pages behind sign-in.');
  return user;
}

/** After the user's own record changes (name, roles), read the session again. */
export function useRefreshSession(): () => Promise<void> {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: sessionKey });
}
