import { accountsQuery } from '../features/accounts/use-accounts';
import { creditReaders } from '../features/credit/credit';
import { creditPositionsQuery } from '../features/credit/use-credit';
import { sessionUser } from '../features/identity/session';
import { hasAnyRole } from '../features/identity/user';
import { AgingView, agingParamsOf } from '../features/receivables/aging-view';
import { todayDate } from '../features/receivables/receivables';
import { agingReportQuery, openItemsQuery } from '../features/receivables/use-receivables';
import { gridViewsQuery } from '../ui/grid-views';
import { PageHeader } from '../ui/page-header';
import { startAfter, startQuery } from '../ui/query-client';

/**
 * What the page shows first: the aging of the address's date (or today), basis, buckets and grouping, the
 * accounts for its filters, the credit positions of that day beside the accounts (for the credit readers), and
 * the open items of the account whose drawer the address opens.
 */
export function prefetch(url: URL): void {
  const search = url.searchParams;
  const params = agingParamsOf(search, todayDate());
  startQuery(agingReportQuery(params));
  startQuery(accountsQuery);
  const account = search.get('account');
  if (account) {
    startQuery(openItemsQuery(account, params));
    startQuery(gridViewsQuery('aging-items'));
  }
  if (params.by === 'account')
    startAfter(sessionUser(), (user) => {
      if (user && hasAnyRole(user, creditReaders)) startQuery(creditPositionsQuery(params.asOf));
    });
}

/** The aging as of any date, drilling down from an account to its open items and an item's timeline. */
export default function AgingPage() {
  return (
    <>
      <PageHeader
        title="Aging"
        description="What was open on a date, by days past due: pick the date, the basis and the buckets, group by account, collector, country or currency, and open an account for its items."
      />
      <AgingView />
    </>
  );
}
