import { Avatar, Badge, Group, Menu, Stack, Text, UnstyledButton } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconChevronDown, IconKey, IconLanguage, IconLock, IconLogout } from '@tabler/icons-react';
import { Link, useNavigate } from 'react-router';
import { useSession, useUser } from './session';
import { roleLabel } from './user';

export function initials(name: string): string {
  const parts = name.trim().split(/\s+/);
  return `${parts[0]?.[0] ?? ''}${parts.length > 1 ? (parts.at(-1)?.[0] ?? '') : ''}`.toUpperCase() || '?';
}

export function UserMenu() {
  const user = useUser();
  const { signOut } = useSession();
  const navigate = useNavigate();

  const leave = async () => {
    try {
      await signOut();
    } catch {
      notifications.show({ color: 'yellow', message: 'Signed out here; the server could not be told.' });
    }
    navigate('/sign-in', { replace: true });
  };

  return (
    <Menu position="bottom-end" width={280} shadow="md" withinPortal>
      <Menu.Target>
        <UnstyledButton
          data-testid="user-menu"
          aria-label="User menu"
          px={6}
          py={4}
          style={{ borderRadius: 8 }}
        >
          <Group gap={8} wrap="nowrap">
            <Avatar size={30} radius="xl" color="indigo">
              {initials(user.name)}
            </Avatar>
            <Text size="sm" fw={500} visibleFrom="sm">
              {user.name}
            </Text>
            <IconChevronDown size={14} />
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Stack gap={4} px="sm" py="xs">
          <Text size="sm" fw={600}>
            {user.name}
          </Text>
          <Text size="xs" c="dimmed">
            {user.email}
          </Text>
          <Group gap={4} mt={4}>
            {user.roles.map((role) => (
              <Badge key={role} size="sm" variant="default">
                {roleLabel(role)}
              </Badge>
            ))}
          </Group>
        </Stack>
        <Menu.Divider />
        <Menu.Item component={Link} to="/settings/preferences" leftSection={<IconLanguage size={16} />}>
          Dates and numbers
        </Menu.Item>
        <Menu.Item component={Link} to="/settings/tokens" leftSection={<IconKey size={16} />}>
          API tokens
        </Menu.Item>
        <Menu.Item component={Link} to="/settings/password" leftSection={<IconLock size={16} />}>
          Change password
        </Menu.Item>
        <Menu.Divider />
        <Menu.Item color="red" leftSection={<IconLogout size={16} />} onClick={leave}>
          Sign out
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
