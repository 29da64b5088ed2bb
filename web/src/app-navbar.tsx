import { AppShell, NavLink, Stack, Text } from '@mantine/core';
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
  const link = (entry: Pick<NavEntry, 'path' | 'label' | 'icon' | 'badge'>) => (
    <NavLink
      key={entry.path}
      component={Link}
      to={entry.path}
      label={entry.label}
      leftSection={<entry.icon size={18} stroke={1.6} />}
      rightSection={entry.badge ? <entry.badge /> : undefined}
      active={active(entry.path)}
      onClick={onNavigate}
      variant="light"
      style={{ borderRadius: 'var(--mantine-radius-md)' }}
    />
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
