import { AppShell, Stack, Text } from '@mantine/core';
import { IconHome } from '@tabler/icons-react';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { Link, useLocation } from 'react-router';
import { deskSectionsFor, entriesFor, type NavEntry } from './app-navigation';
import { isPartner, type User } from './features/identity/user';
import { UnreadBadge } from './features/messages/unread-badge';
import { threadsQuery } from './features/messages/use-messages';
import { api } from './ui/api';
import { startQuery } from './ui/query-client';

/** The navbar lists only what the user's roles may open, grouped by the desk's sections. */
export function AppNavbar({ user, onNavigate }: { user: User; onNavigate: () => void }) {
  const { pathname } = useLocation();
  const partner = isPartner(user);
  const active = (path: string) =>
    path === '/' ? pathname === '/' : pathname === path || pathname.startsWith(`${path}/`);
  // A plain link with NavLink's look (app.css .nav-link): forty Mantine NavLinks took 50–100 ms of every page's
  // first drawing on a laptop.
  const link = (entry: Pick<NavEntry, 'path' | 'label' | 'icon' | 'badge'>) => (
    <Link
      key={entry.path}
      to={entry.path}
      onClick={onNavigate}
      className="nav-link"
      data-active={active(entry.path) || undefined}
      aria-current={active(entry.path) ? 'page' : undefined}
    >
      <entry.icon size={18} stroke={1.6} />
      <span className="nav-link-label">{entry.label}</span>
      {entry.badge ? <entry.badge /> : null}
    </Link>
  );

  return (
    <>
      {/* The browser's own scrolling: Mantine's ScrollArea measures itself on every layout change of the page. */}
      <AppShell.Section grow style={{ overflowY: 'auto', overscrollBehavior: 'contain' }}>
        <Stack gap={2}>
          {link({ path: '/', label: partner ? 'Home' : 'Overview', icon: IconHome })}
          {partner
            ? entriesFor(user)
                .filter((entry) => entry.world === 'portal')
                .map(link)
            : deskSectionsFor(user).map(({ section, entries }) => (
                <Stack key={section} gap={2} mt="md">
                  <Text size="xs" fw={600} c="dimmed" tt="uppercase" px="sm" mb={2} lts={0.4}>
                    {section}
                  </Text>
                  {entries.map(link)}
                </Stack>
              ))}
        </Stack>
      </AppShell.Section>
      <AppShell.Section>
        <Version />
      </AppShell.Section>
    </>
  );
}

const healthQuery = queryOptions({
  queryKey: ['health'],
  queryFn: () => api<{ status: string; version?: string }>('/api/health'),
  staleTime: Number.POSITIVE_INFINITY,
  retry: false,
});

/**
 * What the navbar asks for, started as soon as the session is known (main.tsx) rather than once the whole
 * page has been drawn, when the answers would keep the page waiting.
 */
export function prefetchNavbar(user: User): void {
  startQuery(healthQuery);
  if (entriesFor(user).some((entry) => entry.badge === UnreadBadge)) startQuery(threadsQuery());
}

function Version() {
  const health = useQuery(healthQuery);
  if (!health.data?.version) return null;
  return (
    <Text size="xs" c="dimmed" px="sm" pt="sm">
      Clearhouse {health.data.version}
    </Text>
  );
}
