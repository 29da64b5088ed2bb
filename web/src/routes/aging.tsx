import { AgingView } from '../features/receivables/aging-view';
import { PageHeader } from '../ui/page-header';

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
