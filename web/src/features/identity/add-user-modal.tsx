import { Alert, Button, Group, Modal, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';
import { type FormEvent, useState } from 'react';
import { fieldErrors, formMessage } from '../../ui/api';
import { ShownOnce } from '../../ui/shown-once';
import { RolesInput } from './roles-input';
import { type NewUser, useCreateUser } from './use-users';
import type { User } from './user';

const fields = ['email', 'name', 'roles', 'account_id', 'password'];

function check(draft: { email: string; name: string; roles: string[]; accountId: string; password: string }) {
  const problems: Record<string, string> = {};
  if (!/^[^\s@]+@[^\s@]+$/.test(draft.email.trim()))
    problems.email = 'Enter the e-mail address the user signs in with.';
  if (!draft.name.trim()) problems.name = 'Enter the name colleagues know them by.';
  if (draft.roles.length === 0) problems.roles = 'Choose at least one role.';
  if (draft.roles.includes('partner') && !draft.accountId)
    problems.account_id = 'Choose the partner organisation.';
  if (draft.password && draft.password.length < 12)
    problems.password = 'Use at least 12 characters, or leave empty.';
  return problems;
}

/** Mount only while open. After creating, it shows the password once before closing. */
export function AddUserModal({ onClose }: { onClose: () => void }) {
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [roles, setRoles] = useState<string[]>([]);
  const [accountId, setAccountId] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [created, setCreated] = useState<{ user: User; password?: string } | null>(null);
  const create = useCreateUser();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const problems = check({ email, name, roles, accountId, password });
    setErrors(problems);
    setMessage(null);
    if (Object.keys(problems).length > 0) return;
    const body: NewUser = { email: email.trim().toLowerCase(), name: name.trim(), roles };
    if (roles.includes('partner')) body.account_id = accountId;
    if (password) body.password = password;
    try {
      setCreated(await create.mutateAsync(body));
    } catch (error) {
      setErrors(fieldErrors(error));
      setMessage(formMessage(error, fields));
    }
  };

  if (created) {
    return (
      <Modal opened onClose={onClose} title="User added" size="lg" closeOnClickOutside={false}>
        <Stack>
          <Text size="sm">
            <b>{created.user.name}</b> ({created.user.email}) can now sign in.
          </Text>
          {created.password ? (
            <ShownOnce
              label="Their password"
              secret={created.password}
              note="Give it to them over a channel you trust. It is shown only now; they can change it after signing in."
            />
          ) : (
            <Text size="sm" c="dimmed">
              They sign in with the password you chose.
            </Text>
          )}
          <Group justify="flex-end">
            <Button onClick={onClose}>Done</Button>
          </Group>
        </Stack>
      </Modal>
    );
  }

  return (
    <Modal opened onClose={onClose} title="Add user" size="lg" closeOnClickOutside={false}>
      <form onSubmit={submit} noValidate data-testid="add-user-form">
        <Stack gap="sm">
          {message && (
            <Alert color="red" icon={<IconAlertCircle size={18} />}>
              {message}
            </Alert>
          )}
          <TextInput
            label="E-mail"
            type="email"
            required
            data-autofocus
            value={email}
            error={errors.email}
            onChange={(event) => setEmail(event.currentTarget.value)}
          />
          <TextInput
            label="Name"
            required
            value={name}
            error={errors.name}
            onChange={(event) => setName(event.currentTarget.value)}
          />
          <RolesInput
            roles={roles}
            accountId={accountId}
            errors={errors}
            onChange={(nextRoles, nextAccount) => {
              setRoles(nextRoles);
              setAccountId(nextAccount);
            }}
          />
          <PasswordInput
            label="Password"
            description="Leave empty and Clearhouse generates a strong one, shown to you once."
            autoComplete="new-password"
            value={password}
            error={errors.password}
            onChange={(event) => setPassword(event.currentTarget.value)}
          />
          <Group justify="flex-end" mt="sm">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending}>
              Add user
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
