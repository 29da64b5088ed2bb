import { AppShell, NavLink, Stack, Text } from '@mantine/core';
import { IconHome } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { Link, useLocation } from 'react-router';
import { deskSectionsFor, entriesFor, type NavEntry } from './app-navigation';
import { isPartner, type User } from './features/identity/user';
import { api } from './ui/api';

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

function Version() {
  const health = useQuery({
    queryKey: ['health'],
    queryFn: () => api<{ status: string; version?: string }>('/api/health'),
    staleTime: Number.POSITIVE_INFINITY,
    retry: false,
  });
  if (!health.data?.version) return null;
  return (
    <Text size="xs" c="dimmed" px="sm" pt="sm">
      Clearhouse {health.data.version}
    </Text>
  );
}
