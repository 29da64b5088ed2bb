import type { ColDef } from 'ag-grid-community';
import { type ReactNode, useMemo } from 'react';
import { DataGrid } from '../../ui/data-grid';
import { countryName } from '../accounts/account';
import type { EndCustomer } from './catalog';

export function EndCustomersGrid({
  endCustomers,
  empty,
  onOpen,
}: {
  endCustomers: EndCustomer[];
  empty?: ReactNode;
  onOpen?: (endCustomer: EndCustomer) => void;
}) {
  const columns = useMemo<ColDef<EndCustomer>[]>(
    () => [
      { field: 'end_customer_id', headerName: 'End customer', minWidth: 140, maxWidth: 220 },
      { field: 'name', headerName: 'Name', minWidth: 220, flex: 2, sort: 'asc' },
      {
        field: 'country',
        headerName: 'Country',
        minWidth: 160,
        valueFormatter: (params) => (params.value ? `${countryName(params.value)} (${params.value})` : ''),
      },
      { field: 'segment', headerName: 'Segment', minWidth: 150 },
    ],
    [],
  );
  return (
    <DataGrid
      testId="end-customers-grid"
      rows={endCustomers}
      columns={columns}
      rowId={(endCustomer) => endCustomer.end_customer_id}
      empty={empty}
      onRowClick={onOpen}
    />
  );
}
