import { accountsQuery, useAccounts } from '../features/accounts/use-accounts';
import { noFilters } from '../features/channel/channel';
import { ChannelDataTabs } from '../features/channel/channel-data-tabs';
import { channelPageQuery } from '../features/channel/use-channel';
import { gridQueryParams, noGridQuery } from '../ui/data-grid';
import { gridViewsQuery } from '../ui/grid-views';
import { PageHeader } from '../ui/page-header';
import { startQuery } from '../ui/query-client';
import { LoadError, Loading } from '../ui/states';

/**
 * What the page shows first: the accounts to filter by and the tab open by default, the first page (100 lines)
 * of sell-in without filters, with its grid's saved views.
 */
export function prefetch(): void {
  startQuery(accountsQuery);
  startQuery(
    channelPageQuery('sell-in', noFilters, { limit: 100, offset: 0, ...gridQueryParams(noGridQuery) }),
  );
  startQuery(gridViewsQuery('channel-data-sell-in'));
}

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
