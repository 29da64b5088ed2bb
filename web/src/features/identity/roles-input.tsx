import { MultiSelect, Select, Stack } from '@mantine/core';
import { useAccounts } from '../accounts/use-accounts';
import { internalRoles, roleLabels } from './user';

const roleOptions = [
  { group: 'The company', items: internalRoles.map((role) => ({ value: role, label: roleLabels[role] })) },
  { group: 'External', items: [{ value: 'partner', label: roleLabels.partner }] },
];

/**
 * A partner user has the partner role alone and belongs to one organisation; choosing it replaces the
 * internal roles, and choosing an internal role replaces it.
 */
export function nextRoles(previous: string[], chosen: string[]): string[] {
  const added = chosen.filter((role) => !previous.includes(role));
  if (added.includes('partner')) return ['partner'];
  if (previous.includes('partner') && added.length > 0) return chosen.filter((role) => role !== 'partner');
  return chosen;
}

export function RolesInput({
  roles,
  accountId,
  onChange,
  errors,
}: {
  roles: string[];
  accountId: string;
  onChange: (roles: string[], accountId: string) => void;
  errors: Record<string, string>;
}) {
  const partner = roles.includes('partner');
  const accounts = useAccounts();
  return (
    <Stack gap="sm">
      <MultiSelect
        label="Roles"
        description="What the user may see and do. A partner user has only the partner role."
        required
        data={roleOptions}
        value={roles}
        onChange={(chosen) => {
          const next = nextRoles(roles, chosen);
          onChange(next, next.includes('partner') ? accountId : '');
        }}
        error={errors.roles}
        searchable
        hidePickedOptions
        data-testid="roles-input"
      />
      {partner && (
        <Select
          label="Partner organisation"
          description="The account whose data this user may see, with the accounts below it."
          required
          searchable
          data={(accounts.data ?? []).map((account) => ({
            value: account.account_id,
            label: `${account.name} (${account.account_id})`,
          }))}
          value={accountId || null}
          onChange={(value) => onChange(roles, value ?? '')}
          error={errors.account_id ?? (accounts.isError ? 'Accounts could not be loaded.' : undefined)}
          placeholder={accounts.isPending ? 'Loading accounts…' : 'Choose the organisation'}
          nothingFoundMessage="No account matches"
          data-testid="account-input"
        />
      )}
    </Stack>
  );
}
