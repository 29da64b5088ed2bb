import { AppShell, Badge, Burger, Group, Text, ThemeIcon, UnstyledButton } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconStack2 } from '@tabler/icons-react';
import { Suspense } from 'react';
import { Link, Outlet } from 'react-router';
import { AppNavbar } from './app-navbar';
import { useUser } from './features/identity/session';
import { isPartner } from './features/identity/user';
import { UserMenu } from './features/identity/user-menu';
import { Loading } from './ui/states';

/** The frame around every signed-in page; partner users and the company's desk share it. */
export function AppLayout() {
  const user = useUser();
  const partner = isPartner(user);
  const [navOpen, nav] = useDisclosure(false);

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 248, breakpoint: 'sm', collapsed: { mobile: !navOpen } }}
      padding={{ base: 'md', sm: 'xl' }}
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap" miw={0}>
            <Burger opened={navOpen} onClick={nav.toggle} hiddenFrom="sm" size="sm" aria-label="Navigation" />
            <UnstyledButton component={Link} to="/" aria-label="Clearhouse home">
              <Group gap={8} wrap="nowrap">
                <ThemeIcon size={28} radius="md" variant="filled">
                  <IconStack2 size={18} />
                </ThemeIcon>
                <Text fw={700} fz="lg" lts={-0.2}>
                  Clearhouse
                </Text>
              </Group>
            </UnstyledButton>
            <Badge variant="light" color={partner ? 'teal' : 'indigo'} radius="sm" data-testid="app-world">
              {partner ? 'Partner portal' : 'Desk'}
            </Badge>
            {partner && user.account_name && (
              <Text size="sm" c="dimmed" truncate visibleFrom="xs" data-testid="organisation-name">
                {user.account_name}
              </Text>
            )}
          </Group>
          <UserMenu />
        </Group>
      </AppShell.Header>

      <AppShell.Navbar p="sm" data-testid="nav">
        <AppNavbar user={user} onNavigate={nav.close} />
      </AppShell.Navbar>

      <AppShell.Main bg="gray.0">
        <Suspense fallback={<Loading />}>
          <Outlet />
        </Suspense>
      </AppShell.Main>
    </AppShell>
  );
}
