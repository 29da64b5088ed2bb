import { useAccounts } from '../features/accounts/use-accounts';
import { PositionView } from '../features/channel/position-view';
import { useUser } from '../features/identity/session';
import { PageHeader } from '../ui/page-header';
import { LoadError, Loading } from '../ui/states';

/** The partner's own inventory positions as we compute them, against the snapshots it reported. */
export default function MyInventoryPage() {
  const user = useUser();
  const accounts = useAccounts();
  return (
    <>
      <PageHeader
        title="Inventory"
        description="Your stock as we compute it from our invoices to you, the sales you report and the units credited to you, compared with the inventory you report. Differences are listed so you can correct a report."
      />
      {accounts.isPending ? (
        <Loading label="Loading your accounts…" />
      ) : accounts.isError ? (
        <LoadError error={accounts.error} retry={() => void accounts.refetch()} what="your accounts" />
      ) : (
        <PositionView
          accounts={accounts.data}
          initialAccountId={user.account_id ?? accounts.data[0]?.account_id ?? ''}
          allowAllAccounts={accounts.data.length > 1}
        />
      )}
    </>
  );
}
