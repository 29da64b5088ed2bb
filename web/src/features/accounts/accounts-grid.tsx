import type { ColDef } from 'ag-grid-community';
import { type ReactNode, useMemo } from 'react';
import { useNavigate } from 'react-router';
import { DataGrid } from '../../ui/data-grid';
import { amountColumn } from '../../ui/grid-columns';
import { type Account, countryName } from './account';

export function AccountsGrid({
  accounts,
  search,
  empty,
  height,
}: {
  accounts: Account[];
  search?: string;
  empty?: ReactNode;
  height?: 'auto' | number | string;
}) {
  const navigate = useNavigate();
  const names = useMemo(
    () => new Map(accounts.map((account) => [account.account_id, account.name])),
    [accounts],
  );
  const columns = useMemo<ColDef<Account>[]>(
    () => [
      { field: 'name', headerName: 'Name', minWidth: 200, flex: 2, sort: 'asc' },
      { field: 'account_id', headerName: 'Account', minWidth: 100 },
      {
        field: 'country',
        headerName: 'Country',
        minWidth: 95,
        tooltipValueGetter: (params) => countryName(params.value),
      },
      { field: 'currency', headerName: 'Currency', minWidth: 100, maxWidth: 120 },
      {
        ...amountColumn<Account>('credit_limit', 'Credit limit', 135),
        filter: 'agNumberColumnFilter',
        // Filtering compares against what the user typed; a float is exact enough to pick rows, and
        // nothing is computed from it.
        filterValueGetter: (params) => (params.data?.credit_limit ? Number(params.data.credit_limit) : null),
      },
      {
        field: 'payment_terms_days',
        headerName: 'Terms (days)',
        type: 'rightAligned',
        minWidth: 115,
        filter: 'agNumberColumnFilter',
      },
      {
        field: 'parent_account_id',
        headerName: 'Parent',
        minWidth: 140,
        valueGetter: (params) => {
          const parent = params.data?.parent_account_id;
          return parent ? (names.get(parent) ?? parent) : '';
        },
      },
      { field: 'collector', headerName: 'Collector', minWidth: 150 },
      { field: 'rebate_analyst', headerName: 'Rebate analyst', minWidth: 150, hide: true },
      { field: 'segment', headerName: 'Segment', minWidth: 110, hide: true },
    ],
    [names],
  );

  return (
    <DataGrid
      testId="accounts-grid"
      rows={accounts}
      columns={columns}
      rowId={(account) => account.account_id}
      search={search}
      empty={empty}
      height={height}
      onRowClick={(account) => navigate(`/accounts/${encodeURIComponent(account.account_id)}`)}
    />
  );
}
