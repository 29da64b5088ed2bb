import { Badge, Group } from '@mantine/core';
import type { ColDef, ICellRendererParams } from 'ag-grid-community';
import { useMemo } from 'react';
import { DataGrid, widgetCell } from '../../ui/data-grid';
import { formatTimestamp } from '../../ui/dates';
import { roleLabel, type User } from './user';

export function UsersGrid({
  users,
  search,
  onOpen,
}: {
  users: User[];
  search: string;
  onOpen: (user: User) => void;
}) {
  const columns = useMemo<ColDef<User>[]>(
    () => [
      { field: 'name', headerName: 'Name', minWidth: 180, sort: 'asc' },
      { field: 'email', headerName: 'E-mail', minWidth: 220, flex: 1.4 },
      {
        field: 'roles',
        headerName: 'Roles',
        minWidth: 220,
        flex: 1.6,
        valueGetter: (params) => (params.data?.roles ?? []).map(roleLabel).join(', '),
        cellRenderer: Roles,
        cellClass: widgetCell,
      },
      {
        field: 'account_name',
        headerName: 'Organisation',
        minWidth: 160,
        valueGetter: (params) =>
          params.data?.account_name ?? (params.data?.account_id ? params.data.account_id : 'The company'),
      },
      {
        field: 'active',
        headerName: 'Status',
        minWidth: 110,
        maxWidth: 130,
        valueGetter: (params) => (params.data?.active ? 'Active' : 'Disabled'),
        cellRenderer: Status,
        cellClass: widgetCell,
      },
      {
        field: 'last_sign_in_at',
        headerName: 'Last sign-in',
        minWidth: 160,
        valueFormatter: (params) => (params.value ? formatTimestamp(params.value) : 'Never'),
        filter: false,
      },
      {
        field: 'created_at',
        headerName: 'Added',
        minWidth: 150,
        valueFormatter: (params) => formatTimestamp(params.value),
        filter: false,
      },
    ],
    [],
  );
  return (
    <DataGrid
      testId="users-grid"
      rows={users}
      columns={columns}
      rowId={(user) => user.user_id}
      search={search}
      onRowClick={onOpen}
    />
  );
}

function Roles({ data }: ICellRendererParams<User>) {
  return (
    <Group gap={4} wrap="nowrap">
      {(data?.roles ?? []).map((role) => (
        <Badge
          key={role}
          size="sm"
          variant={role === 'partner' ? 'light' : 'default'}
          color={role === 'partner' ? 'teal' : 'gray'}
        >
          {roleLabel(role)}
        </Badge>
      ))}
    </Group>
  );
}

function Status({ data }: ICellRendererParams<User>) {
  return (
    <Badge size="sm" variant="dot" color={data?.active ? 'teal' : 'gray'}>
      {data?.active ? 'Active' : 'Disabled'}
    </Badge>
  );
}
