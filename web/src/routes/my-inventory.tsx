import { accountsQuery, useAccounts } from '../features/accounts/use-accounts';
import { PositionView, prefetchPositionView } from '../features/channel/position-view';
import { sessionUser, useUser } from '../features/identity/session';
import { PageHeader } from '../ui/page-header';
import { startAfter, startQuery } from '../ui/query-client';
import { LoadError, Loading } from '../ui/states';

/** The partner's own inventory positions as we compute them, against the snapshots it reported. */
export default function MyInventoryPage() {
  const user = useUser();
  const accounts = useAccounts();
  // The user's own account is known with the session: its positions need not wait for the list of accounts,
  // which only fills the picker.
  const own = user.account_id ?? accounts.data?.[0]?.account_id;
  return (
    <>
      <PageHeader
        title="Inventory"
        description="Your stock as we compute it from our invoices to you, the sales you report and the units credited to you, compared with the inventory you report. Differences are listed so you can correct a report."
      />
      {accounts.isError ? (
        <LoadError error={accounts.error} retry={() => void accounts.refetch()} what="your accounts" />
      ) : own === undefined ? (
        <Loading label="Loading your accounts…" />
      ) : (
        <PositionView
          accounts={accounts.data ?? []}
          initialAccountId={own}
          allowAllAccounts={(accounts.data?.length ?? 0) > 1}
        />
      )}
    </>
  );
}

/** What the page shows first: the user's own account's positions and open differences, and its accounts. */
export function prefetch(): void {
  startQuery(accountsQuery);
  startAfter(sessionUser(), (user) => {
    if (user?.account_id) prefetchPositionView(user.account_id);
  });
}
