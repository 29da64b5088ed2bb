import { Alert, Button, Code, Group, Modal, Select, Stack, Text, TextInput } from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';
import { type FormEvent, useState } from 'react';
import { fieldErrors, formMessage } from '../../ui/api';
import { ShownOnce } from '../../ui/shown-once';
import { useCreateToken } from './use-tokens';

const lifetimes = [
  { value: '30', label: '30 days' },
  { value: '90', label: '90 days' },
  { value: '365', label: '1 year' },
  { value: 'never', label: 'Does not expire' },
];

/** Mount only while open; after creating, it shows the secret once. */
export function NewTokenModal({ onClose }: { onClose: () => void }) {
  const [name, setName] = useState('');
  const [lifetime, setLifetime] = useState<string>('90');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const create = useCreateToken();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) {
      setErrors({ name: 'Name the token after what will use it, e.g. "ERP nightly export".' });
      return;
    }
    try {
      const result = await create.mutateAsync({
        name: name.trim(),
        ...(lifetime === 'never' ? {} : { expires_in_days: Number(lifetime) }),
      });
      setSecret(result.secret);
    } catch (error) {
      setErrors(fieldErrors(error));
      setMessage(formMessage(error, ['name', 'expires_in_days']));
    }
  };

  return (
    <Modal
      opened
      onClose={onClose}
      title={secret ? 'Token created' : 'New API token'}
      size="lg"
      closeOnClickOutside={false}
    >
      {secret ? (
        <Stack>
          <ShownOnce label={name} secret={secret} />
          <Text size="sm" c="dimmed">
            Send it as <Code>Authorization: Bearer &lt;token&gt;</Code>. It acts with your roles, so keep it
            as safe as your password.
          </Text>
          <Group justify="flex-end">
            <Button onClick={onClose}>Done</Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={submit} noValidate data-testid="new-token-form">
          <Stack gap="sm">
            {message && (
              <Alert color="red" icon={<IconAlertCircle size={18} />}>
                {message}
              </Alert>
            )}
            <TextInput
              label="Name"
              description="What will use it, so you recognise it later."
              required
              data-autofocus
              value={name}
              error={errors.name}
              onChange={(event) => setName(event.currentTarget.value)}
            />
            <Select
              label="Expires"
              data={lifetimes}
              value={lifetime}
              onChange={(value) => setLifetime(value ?? '90')}
              error={errors.expires_in_days}
              allowDeselect={false}
            />
            <Group justify="flex-end" mt="sm">
              <Button variant="default" onClick={onClose}>
                Cancel
              </Button>
              <Button type="submit" loading={create.isPending}>
                Create token
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
