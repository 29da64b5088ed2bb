import { accountsQuery, useAccounts } from '../features/accounts/use-accounts';
import { PositionView, prefetchPositionView } from '../features/channel/position-view';
import { PageHeader } from '../ui/page-header';
import { startQuery } from '../ui/query-client';
import { LoadError } from '../ui/states';

/** The desk's view of partner inventory: positions, snapshots and the account monitoring log. */
export default function PositionsPage() {
  const accounts = useAccounts();
  return (
    <>
      <PageHeader
        title="Inventory positions"
        description="What each partner should hold (opening + sell-in − sell-out − credited) against what it reports on hand. Differences are logged in the account monitoring log."
      />
      {accounts.isError && (
        <LoadError error={accounts.error} retry={() => void accounts.refetch()} what="accounts" />
      )}
      {/* The positions load at once; the account picker fills in when the accounts arrive. */}
      <PositionView accounts={accounts.data ?? []} allowAllAccounts />
    </>
  );
}

/** What the page shows first (PositionView's first state): the positions, the open differences, the accounts. */
export function prefetch(): void {
  prefetchPositionView('');
  startQuery(accountsQuery);
}
