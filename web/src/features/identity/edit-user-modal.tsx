import { Alert, Button, Divider, Group, Modal, Stack, Switch, Text, TextInput } from '@mantine/core';
import { modals } from '@mantine/modals';
import { notifications } from '@mantine/notifications';
import { IconAlertCircle, IconKey } from '@tabler/icons-react';
import { type FormEvent, useState } from 'react';
import { fieldErrors, formMessage } from '../../ui/api';
import { formatTimestamp } from '../../ui/dates';
import { ShownOnce } from '../../ui/shown-once';
import { RolesInput } from './roles-input';
import { useRefreshSession, useUser } from './session';
import { type UserChanges, useResetPassword, useUpdateUser } from './use-users';
import type { User } from './user';

const fields = ['name', 'roles', 'active', 'account_id'];

/** Name, roles, organisation and whether the user may sign in; and a fresh password when they lost theirs. */
export function EditUserModal({ user, onClose }: { user: User; onClose: () => void }) {
  const me = useUser();
  const refreshSession = useRefreshSession();
  const [name, setName] = useState(user.name);
  const [roles, setRoles] = useState(user.roles);
  const [accountId, setAccountId] = useState(user.account_id ?? '');
  const [active, setActive] = useState(user.active);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [newPassword, setNewPassword] = useState<string | null>(null);
  const update = useUpdateUser(user.user_id);
  const reset = useResetPassword(user.user_id);
  const self = me.user_id === user.user_id;

  const changes: UserChanges = {};
  if (name.trim() !== user.name) changes.name = name.trim();
  if (roles.join() !== user.roles.join()) changes.roles = roles;
  if (active !== user.active) changes.active = active;
  if ((accountId || null) !== user.account_id) changes.account_id = accountId || null;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const problems: Record<string, string> = {};
    if (!name.trim()) problems.name = 'Enter a name.';
    if (roles.length === 0) problems.roles = 'Choose at least one role.';
    if (roles.includes('partner') && !accountId) problems.account_id = 'Choose the partner organisation.';
    setErrors(problems);
    setMessage(null);
    if (Object.keys(problems).length > 0) return;
    try {
      const saved = await update.mutateAsync(changes);
      if (self) await refreshSession();
      notifications.show({ color: 'teal', title: 'User saved', message: saved.email });
      onClose();
    } catch (error) {
      setErrors(fieldErrors(error));
      setMessage(formMessage(error, fields));
    }
  };

  const confirmReset = () =>
    modals.openConfirmModal({
      title: `Reset the password of ${user.name}?`,
      children: (
        <Text size="sm">
          Their current password stops working at once. You will see the new one once, to pass on to them.
        </Text>
      ),
      labels: { confirm: 'Reset password', cancel: 'Cancel' },
      confirmProps: { color: 'red' },
      onConfirm: () =>
        reset.mutate(undefined, {
          onSuccess: setNewPassword,
          onError: (error) =>
            notifications.show({ color: 'red', title: 'Password not reset', message: error.message }),
        }),
    });

  return (
    <Modal opened onClose={onClose} title={`Edit ${user.name}`} size="lg" closeOnClickOutside={false}>
      <form onSubmit={submit} noValidate data-testid="edit-user-form">
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            {user.email} · added {formatTimestamp(user.created_at)}
            {user.last_sign_in_at
              ? ` · last signed in ${formatTimestamp(user.last_sign_in_at)}`
              : ' · never signed in'}
          </Text>
          {message && (
            <Alert color="red" icon={<IconAlertCircle size={18} />}>
              {message}
            </Alert>
          )}
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
          <Switch
            label="May sign in"
            description={
              self
                ? 'You cannot lock yourself out.'
                : 'Switch off when someone leaves; their history stays in the audit trail.'
            }
            checked={active}
            disabled={self}
            onChange={(event) => setActive(event.currentTarget.checked)}
            error={errors.active}
            mt="xs"
          />
          <Divider my="xs" />
          {newPassword ? (
            <ShownOnce label={`New password for ${user.name}`} secret={newPassword} />
          ) : (
            <Group justify="space-between">
              <Text size="sm" c="dimmed">
                Lost their password?
              </Text>
              <Button
                variant="light"
                color="red"
                leftSection={<IconKey size={16} />}
                onClick={confirmReset}
                loading={reset.isPending}
              >
                Reset password
              </Button>
            </Group>
          )}
          <Group justify="flex-end" mt="sm">
            <Button variant="default" onClick={onClose}>
              {newPassword ? 'Close' : 'Cancel'}
            </Button>
            <Button type="submit" loading={update.isPending} disabled={Object.keys(changes).length === 0}>
              Save changes
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
