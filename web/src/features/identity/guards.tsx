import { Button, Center, Stack } from '@mantine/core';
import { IconLock } from '@tabler/icons-react';
import { Link, Navigate, Outlet, useLocation } from 'react-router';
import { Empty, LoadError, Loading } from '../../ui/states';
import { useSession } from './session';
import { hasAnyRole, type Role } from './user';

/** Everything under it needs a signed-in user; anyone else goes to sign-in and comes back afterwards. */
export function SignedIn() {
  const { user, error, retry } = useSession();
  const location = useLocation();
  if (user === undefined && error) {
    return (
      <Center h="100vh" p="md">
        <Stack w={420}>
          <LoadError error={error} retry={retry} what="your session" />
        </Stack>
      </Center>
    );
  }
  if (user === undefined) return <Loading label="Opening Clearhouse…" />;
  if (user === null) {
    const next = `${location.pathname}${location.search}`;
    const search = next === '/' ? '' : `?next=${encodeURIComponent(next)}`;
    return <Navigate to={`/sign-in${search}`} replace />;
  }
  return <Outlet />;
}

/** A page only some roles may open; others get an explanation instead of an empty page. */
export function Allowed({ roles }: { roles: readonly Role[] }) {
  const { user } = useSession();
  if (user && hasAnyRole(user, roles)) return <Outlet />;
  return (
    <Empty
      icon={<IconLock size={22} stroke={1.5} />}
      title="This page is not part of your role"
      description="Ask an administrator for the role that includes it if you need it for your work."
      action={
        <Button component={Link} to="/" variant="light">
          Go to home
        </Button>
      }
    />
  );
}
