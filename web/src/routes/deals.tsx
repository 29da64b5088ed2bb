import { Paper, Switch, Text } from '@mantine/core';
import { IconDiscount } from '@tabler/icons-react';
import { useState } from 'react';
import { localToday } from '../features/contracts/contract';
import { DealsGrid } from '../features/contracts/deals-grid';
import { dealsQuery, useDeals } from '../features/contracts/use-contracts';
import { useUser } from '../features/identity/session';
import { isPartner } from '../features/identity/user';
import { gridViewsQuery } from '../ui/grid-views';
import { formatCount } from '../ui/money';
import { PageHeader } from '../ui/page-header';
import { startQuery } from '../ui/query-client';
import { SearchBox } from '../ui/search-box';
import { Empty, LoadError, Loading } from '../ui/states';

/** Special-bid deals: what the deal desk authorised, and how much of each is left to claim. */
export function prefetch(): void {
  startQuery(dealsQuery());
  startQuery(gridViewsQuery('deals-grid'));
}

export default function DealsPage() {
  const user = useUser();
  const partner = isPartner(user);
  const [search, setSearch] = useState('');
  const [validToday, setValidToday] = useState(false);
  const deals = useDeals({ active_on: validToday ? localToday() : undefined });

  return (
    <>
      <PageHeader
        title="Deals"
        description={
          partner
            ? 'Your special-bid deals: the end customer, product, authorised amount per unit, and how many units are left to claim.'
            : 'Special-bid deals from the deal desk: partner, end customer, SKU, authorised amount per unit, maximum quantity and validity, with what claims have used.'
        }
        actions={
          <>
            <Switch
              label="Valid today only"
              checked={validToday}
              onChange={(event) => setValidToday(event.currentTarget.checked)}
              data-testid="deals-valid-today"
            />
            <SearchBox value={search} onChange={setSearch} placeholder="Search deals" />
          </>
        }
      />
      {deals.isPending ? (
        <Loading label="Loading deals…" />
      ) : deals.isError ? (
        <LoadError error={deals.error} retry={() => void deals.refetch()} what="deals" />
      ) : (
        <>
          <DealsGrid
            deals={deals.data}
            search={search}
            partner={partner}
            empty={
              <Paper withBorder>
                <Empty
                  icon={<IconDiscount size={22} stroke={1.5} />}
                  title={validToday ? 'No deal is valid today' : 'No deals yet'}
                  description={
                    validToday
                      ? 'Switch off "Valid today only" to see expired and upcoming deals.'
                      : partner
                        ? 'Deals appear here once the deal desk authorises a special bid for you.'
                        : 'Deals arrive from the deal desk through deals.csv under Imports.'
                  }
                />
              </Paper>
            }
          />
          {deals.data.length > 0 && (
            <Text size="xs" c="dimmed" mt="xs">
              {formatCount(deals.data.length)} deal{deals.data.length === 1 ? '' : 's'}
            </Text>
          )}
        </>
      )}
    </>
  );
}
