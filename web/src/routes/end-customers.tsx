import { Button, Paper, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconPlus, IconUsersGroup } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { catalogEditors, type EndCustomer } from '../features/catalog/catalog';
import { EndCustomerFormModal } from '../features/catalog/end-customer-form-modal';
import { EndCustomersGrid } from '../features/catalog/end-customers-grid';
import { endCustomersQuery, useEndCustomers } from '../features/catalog/use-catalog';
import { useUser } from '../features/identity/session';
import { hasAnyRole } from '../features/identity/user';
import { gridViewsQuery } from '../ui/grid-views';
import { formatCount } from '../ui/money';
import { PageHeader } from '../ui/page-header';
import { startQuery } from '../ui/query-client';
import { SearchBox } from '../ui/search-box';
import { Empty, LoadError, Loading } from '../ui/states';

/** What the page shows first: every end customer and the grid's saved views. */
export function prefetch(): void {
  startQuery(endCustomersQuery());
  startQuery(gridViewsQuery('end-customers-grid'));
}

export default function EndCustomersPage() {
  const user = useUser();
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 300);
  const endCustomers = useEndCustomers(q);
  // 'new' opens an empty form; a record opens it for editing.
  const [open, setOpen] = useState<EndCustomer | 'new' | null>(null);
  const mayEdit = hasAnyRole(user, catalogEditors);
  const segments = useMemo(
    () =>
      [...new Set((endCustomers.data ?? []).map((c) => c.segment).filter((s): s is string => !!s))].sort(),
    [endCustomers.data],
  );

  const newEndCustomer = mayEdit && (
    <Button
      leftSection={<IconPlus size={16} />}
      onClick={() => setOpen('new')}
      data-testid="new-end-customer"
    >
      New end customer
    </Button>
  );

  return (
    <>
      <PageHeader
        title="End customers"
        description="The customers partners sell to, as sell-out lines, deals and claims name them. Special bids are authorised per end customer."
        actions={
          <>
            <SearchBox value={search} onChange={setSearch} placeholder="Search end customers" />
            {newEndCustomer}
          </>
        }
      />
      {endCustomers.isPending ? (
        <Loading label="Loading end customers…" />
      ) : endCustomers.isError ? (
        <LoadError
          error={endCustomers.error}
          retry={() => void endCustomers.refetch()}
          what="end customers"
        />
      ) : (
        <>
          <EndCustomersGrid
            endCustomers={endCustomers.data}
            onOpen={mayEdit ? setOpen : undefined}
            empty={
              <Paper withBorder>
                <Empty
                  icon={<IconUsersGroup size={22} stroke={1.5} />}
                  title={q ? 'No end customers match' : 'No end customers yet'}
                  description={
                    q
                      ? 'Try another name or number.'
                      : 'Load them with an end_customers.csv file on the Imports page, or add them one by one.'
                  }
                  action={!q && newEndCustomer}
                />
              </Paper>
            }
          />
          {endCustomers.data.length > 0 && (
            <Text size="xs" c="dimmed" mt="xs">
              {formatCount(endCustomers.data.length)} end customer
              {endCustomers.data.length === 1 ? '' : 's'}
              {mayEdit ? '. Click one to edit it.' : ''}
            </Text>
          )}
        </>
      )}
      {open && (
        <EndCustomerFormModal
          endCustomer={open === 'new' ? undefined : open}
          segments={segments}
          onClose={() => setOpen(null)}
        />
      )}
    </>
  );
}
