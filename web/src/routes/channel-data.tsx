import { useAccounts } from '../features/accounts/use-accounts';
import { ChannelDataTabs } from '../features/channel/channel-data-tabs';
import { PageHeader } from '../ui/page-header';
import { LoadError, Loading } from '../ui/states';

/** Sell-in, sell-out and inventory reports as loaded, for checking a feed line by line. */
export default function ChannelDataPage() {
  const accounts = useAccounts();
  return (
    <>
      <PageHeader
        title="Channel data"
        description="Our invoice lines to partners (sell-in), their sales to end customers (sell-out) and the inventory they report, as loaded."
      />
      {accounts.isPending ? (
        <Loading label="Loading accounts…" />
      ) : accounts.isError ? (
        <LoadError error={accounts.error} retry={() => void accounts.refetch()} what="accounts" />
      ) : (
        <ChannelDataTabs accounts={accounts.data} />
      )}
    </>
  );
}
