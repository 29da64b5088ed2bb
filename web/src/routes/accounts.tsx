import { Button, Paper, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconBuilding, IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { AccountFormModal } from '../features/accounts/account-form-modal';
import { AccountsGrid } from '../features/accounts/accounts-grid';
import { accountsQuery, useAccounts } from '../features/accounts/use-accounts';
import { useUser } from '../features/identity/session';
import { accountEditors, hasAnyRole } from '../features/identity/user';
import { gridViewsQuery } from '../ui/grid-views';
import { formatCount } from '../ui/money';
import { PageHeader } from '../ui/page-header';
import { startQuery } from '../ui/query-client';
import { SearchBox } from '../ui/search-box';
import { Empty, LoadError, Loading } from '../ui/states';

export function prefetch(): void {
  startQuery(accountsQuery);
  startQuery(gridViewsQuery('accounts-grid'));
}

export default function AccountsPage() {
  const user = useUser();
  const accounts = useAccounts();
  const navigate = useNavigate();
  const [search, setSearch] = useState('');
  const [creating, create] = useDisclosure(false);
  const mayEdit = hasAnyRole(user, accountEditors);

  const newAccount = mayEdit && (
    <Button leftSection={<IconPlus size={16} />} onClick={create.open} data-testid="new-account">
      New account
    </Button>
  );

  return (
    <>
      <PageHeader
        title="Accounts"
        description="Customers and channel partners with their terms, credit limits and the people who look after them. Click an account to see its details, documents and history."
        actions={
          <>
            <SearchBox value={search} onChange={setSearch} placeholder="Search accounts" />
            {newAccount}
          </>
        }
      />
      {accounts.isPending ? (
        <Loading label="Loading accounts…" />
      ) : accounts.isError ? (
        <LoadError error={accounts.error} retry={() => void accounts.refetch()} what="accounts" />
      ) : (
        <>
          <AccountsGrid
            accounts={accounts.data}
            search={search}
            empty={
              <Paper withBorder>
                <Empty
                  icon={<IconBuilding size={22} stroke={1.5} />}
                  title="No accounts yet"
                  description={
                    mayEdit
                      ? 'Create the first account here, or load your customer master with the clearhouse CLI.'
                      : 'Accounts appear here once someone with the collector, rebate analyst, manager or administrator role creates them.'
                  }
                  action={newAccount}
                />
              </Paper>
            }
          />
          {accounts.data.length > 0 && (
            <Text size="xs" c="dimmed" mt="xs">
              {formatCount(accounts.data.length)} account{accounts.data.length === 1 ? '' : 's'}
            </Text>
          )}
        </>
      )}
      {creating && (
        <AccountFormModal
          onClose={create.close}
          onSaved={(account) => navigate(`/accounts/${encodeURIComponent(account.account_id)}`)}
        />
      )}
    </>
  );
}
