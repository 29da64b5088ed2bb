import { Paper } from '@mantine/core';
import { IconBuilding } from '@tabler/icons-react';
import { AccountsGrid } from '../features/accounts/accounts-grid';
import { accountsQuery, useAccounts } from '../features/accounts/use-accounts';
import { useUser } from '../features/identity/session';
import { gridViewsQuery } from '../ui/grid-views';
import { PageHeader } from '../ui/page-header';
import { startQuery } from '../ui/query-client';
import { Empty, LoadError, Loading } from '../ui/states';

/** What the page shows first: the partner's accounts, and their grid's saved views. */
export function prefetch(): void {
  startQuery(accountsQuery);
  startQuery(gridViewsQuery('accounts-grid'));
}

/** The partner's own accounts: its organisation and the accounts under it. */
export default function MyOrganisationPage() {
  const user = useUser();
  const accounts = useAccounts();
  return (
    <>
      <PageHeader
        title="My organisation"
        description={`The accounts ${user.account_name ?? 'your organisation'} holds with us. Open one to see its terms, contacts and documents.`}
      />
      {accounts.isPending ? (
        <Loading label="Loading accounts…" />
      ) : accounts.isError ? (
        <LoadError error={accounts.error} retry={() => void accounts.refetch()} what="your accounts" />
      ) : (
        <AccountsGrid
          accounts={accounts.data}
          height="auto"
          empty={
            <Paper withBorder>
              <Empty
                icon={<IconBuilding size={22} stroke={1.5} />}
                title="No accounts on file"
                description="Your organisation has no accounts with us yet. Your contact at the company sets them up."
              />
            </Paper>
          }
        />
      )}
    </>
  );
}
