import { Alert, Button, Group, Modal, Stack } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertCircle } from '@tabler/icons-react';
import { useState } from 'react';
import { fieldErrors, formMessage } from '../../ui/api';
import { type Account, bodyOf, changesOf, draftOf, emptyDraft } from './account';
import { AccountForm, accountFieldNames, checkDraft } from './account-form';
import { useAccounts, useCreateAccount, useUpdateAccount } from './use-accounts';

/** New account when `account` is absent, otherwise an edit of it. Mount it only while open. */
export function AccountFormModal({
  account,
  onClose,
  onSaved,
}: {
  account?: Account;
  onClose: () => void;
  onSaved?: (account: Account) => void;
}) {
  const creating = !account;
  const [draft, setDraft] = useState(account ? draftOf(account) : emptyDraft);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const accounts = useAccounts();
  const create = useCreateAccount();
  const update = useUpdateAccount(account?.account_id ?? '');
  const pending = create.isPending || update.isPending;

  const save = async () => {
    const found = checkDraft(draft, creating);
    setErrors(found);
    setMessage(null);
    if (Object.keys(found).length > 0) return;
    try {
      const saved = account
        ? await update.mutateAsync(changesOf(account, draft))
        : await create.mutateAsync(bodyOf(draft));
      notifications.show({
        color: 'teal',
        title: creating ? 'Account created' : 'Account saved',
        message: `${saved.name} (${saved.account_id})`,
      });
      onSaved?.(saved);
      onClose();
    } catch (error) {
      setErrors(fieldErrors(error));
      setMessage(formMessage(error, accountFieldNames));
    }
  };

  const nothingChanged = account !== undefined && Object.keys(changesOf(account, draft)).length === 0;

  return (
    <Modal
      opened
      onClose={onClose}
      title={creating ? 'New account' : `Edit ${account.name}`}
      size="xl"
      closeOnClickOutside={false}
    >
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void save();
        }}
        noValidate
      >
        <Stack gap="md">
          {message && (
            <Alert color="red" icon={<IconAlertCircle size={18} />}>
              {message}
            </Alert>
          )}
          <AccountForm
            draft={draft}
            onChange={(next) => {
              // A field's message goes away once the user changes that field.
              setErrors((current) =>
                Object.fromEntries(
                  Object.entries(current).filter(
                    ([field]) => next[field as keyof typeof next] === draft[field as keyof typeof draft],
                  ),
                ),
              );
              setDraft(next);
            }}
            errors={errors}
            creating={creating}
            accounts={accounts.data ?? []}
          />
          <Group justify="flex-end" mt="sm">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={pending} disabled={nothingChanged}>
              {creating ? 'Create account' : 'Save changes'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
