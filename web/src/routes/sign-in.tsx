import {
  Alert,
  Button,
  Center,
  Group,
  Paper,
  PasswordInput,
  Stack,
  Text,
  TextInput,
  ThemeIcon,
  Title,
} from '@mantine/core';
import { IconAlertCircle, IconClockPause, IconStack2 } from '@tabler/icons-react';
import { type FormEvent, useState } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { useSession } from '../features/identity/session';
import { ApiError } from '../ui/api';

/** Only paths inside this app, so a crafted link cannot send someone elsewhere after signing in. */
function safeNext(next: string | null): string {
  return next?.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export default function SignInPage() {
  const { user, signIn } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<ApiError | Error | null>(null);
  const [busy, setBusy] = useState(false);

  if (user) return <Navigate to={safeNext(params.get('next'))} replace />;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    // Read the fields themselves: a browser's autofill may not have told React yet.
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const typedEmail = String(form.get('email') ?? email).trim();
    const typedPassword = String(form.get('password') ?? password);
    if (!typedEmail || !typedPassword) {
      setError(new Error('Enter your e-mail and password.'));
      return;
    }
    setBusy(true);
    try {
      await signIn(typedEmail, typedPassword);
      navigate(safeNext(params.get('next')), { replace: true });
    } catch (caught) {
      setError(caught instanceof Error ? caught : new Error('Sign-in failed.'));
      setPassword('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <Center mih="100vh" bg="gray.0" p="md">
      <Stack w={400} gap="lg">
        <Stack align="center" gap={6}>
          <Group gap={10}>
            <ThemeIcon size={38} radius="md">
              <IconStack2 size={24} />
            </ThemeIcon>
            <Title order={1} fz={30} fw={700}>
              Clearhouse
            </Title>
          </Group>
          <Text c="dimmed" size="sm">
            Rebate claims and cash collections
          </Text>
        </Stack>
        <Paper withBorder shadow="sm" p="xl">
          <form onSubmit={submit} data-testid="sign-in-form" noValidate>
            <Stack gap="md">
              <Title order={2} fz="lg" fw={600}>
                Sign in
              </Title>
              {error && <SignInError error={error} />}
              <TextInput
                label="E-mail"
                name="email"
                type="email"
                autoComplete="username"
                required
                autoFocus
                value={email}
                onChange={(event) => setEmail(event.currentTarget.value)}
              />
              <PasswordInput
                label="Password"
                name="password"
                autoComplete="current-password"
                required
                value={password}
                onChange={(event) => setPassword(event.currentTarget.value)}
              />
              <Button type="submit" loading={busy} fullWidth mt="xs">
                Sign in
              </Button>
            </Stack>
          </form>
        </Paper>
        <Text size="xs" c="dimmed" ta="center">
          Forgot your password? Your Clearhouse administrator can reset it.
        </Text>
      </Stack>
    </Center>
  );
}

function SignInError({ error }: { error: Error }) {
  if (error instanceof ApiError && error.code === 'rate_limited') {
    return (
      <Alert
        color="yellow"
        icon={<IconClockPause size={18} />}
        title="Too many attempts"
        data-testid="sign-in-error"
      >
        {error.message}
      </Alert>
    );
  }
  const wrong = error instanceof ApiError && error.code === 'unauthenticated';
  // Anything that is not an ApiError was found here before asking the server (an empty field).
  const local = !(error instanceof ApiError);
  return (
    <Alert
      color={local ? 'gray' : 'red'}
      icon={<IconAlertCircle size={18} />}
      title={local ? undefined : wrong ? 'Not signed in' : 'Sign-in failed'}
      data-testid="sign-in-error"
    >
      {wrong
        ? 'That e-mail and password do not match an active user. Check both and try again.'
        : error.message}
    </Alert>
  );
}
