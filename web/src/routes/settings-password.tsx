import { Alert, Button, Card, PasswordInput, Progress, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertCircle } from '@tabler/icons-react';
import { type FormEvent, useState } from 'react';
import { useNavigate } from 'react-router';
import { ApiError, api, fieldErrors } from '../ui/api';
import { PageHeader } from '../ui/page-header';

const minimum = 12;

export default function SettingsPasswordPage() {
  const navigate = useNavigate();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const problems: Record<string, string> = {};
    if (!current) problems.current_password = 'Enter the password you signed in with.';
    if (next.length < minimum) problems.new_password = `Use at least ${minimum} characters.`;
    else if (next === current) problems.new_password = 'Choose a password different from the current one.';
    if (repeat !== next) problems.repeat = 'The two new passwords differ.';
    setErrors(problems);
    setMessage(null);
    if (Object.keys(problems).length > 0) return;
    setBusy(true);
    try {
      await api('/api/auth/password', {
        method: 'POST',
        body: { current_password: current, new_password: next },
      });
      notifications.show({
        color: 'teal',
        title: 'Password changed',
        message: 'Use the new one next time you sign in.',
      });
      navigate('/');
    } catch (error) {
      const byField = fieldErrors(error);
      if (byField.current_password && error instanceof ApiError) byField.current_password = error.message;
      setErrors(byField);
      if (Object.keys(byField).length === 0)
        setMessage(error instanceof Error ? error.message : 'Not changed.');
    } finally {
      setBusy(false);
    }
  };

  const strength = Math.min(100, (next.length / 20) * 100);

  return (
    <>
      <PageHeader
        title="Change password"
        description="Choose a long password you do not use anywhere else."
      />
      <Card maw={480}>
        <form onSubmit={submit} noValidate data-testid="password-form">
          <Stack gap="sm">
            {message && (
              <Alert color="red" icon={<IconAlertCircle size={18} />}>
                {message}
              </Alert>
            )}
            <PasswordInput
              label="Current password"
              autoComplete="current-password"
              required
              value={current}
              error={errors.current_password}
              onChange={(event) => setCurrent(event.currentTarget.value)}
            />
            <PasswordInput
              label="New password"
              description={`At least ${minimum} characters. A few unrelated words make a strong one.`}
              autoComplete="new-password"
              required
              value={next}
              error={errors.new_password}
              onChange={(event) => setNext(event.currentTarget.value)}
            />
            {next && (
              <Stack gap={2}>
                <Progress
                  value={strength}
                  size="xs"
                  color={next.length < minimum ? 'red' : next.length < 16 ? 'yellow' : 'teal'}
                />
                <Text size="xs" c="dimmed">
                  {next.length < minimum ? `${minimum - next.length} more characters needed` : 'Long enough'}
                </Text>
              </Stack>
            )}
            <PasswordInput
              label="New password again"
              autoComplete="new-password"
              required
              value={repeat}
              error={errors.repeat}
              onChange={(event) => setRepeat(event.currentTarget.value)}
            />
            <Button type="submit" loading={busy} mt="xs" w="fit-content">
              Change password
            </Button>
          </Stack>
        </form>
      </Card>
    </>
  );
}
