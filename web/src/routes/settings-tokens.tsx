import { Badge, Button, Paper } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { modals } from '@mantine/modals';
import { notifications } from '@mantine/notifications';
import { IconKey, IconPlus } from '@tabler/icons-react';
import type { ColDef, ICellRendererParams } from 'ag-grid-community';
import { useMemo } from 'react';
import { NewTokenModal } from '../features/identity/new-token-modal';
import { type ApiToken, tokenStatus, useRevokeToken, useTokens } from '../features/identity/use-tokens';
import { DataGrid, widgetCell } from '../ui/data-grid';
import { formatTimestamp } from '../ui/dates';
import { PageHeader } from '../ui/page-header';
import { Empty, LoadError, Loading } from '../ui/states';

const statusColor = { Active: 'teal', Revoked: 'gray', Expired: 'yellow' } as const;

export default function SettingsTokensPage() {
  const tokens = useTokens();
  const revoke = useRevokeToken();
  const [creating, create] = useDisclosure(false);

  const columns = useMemo<ColDef<ApiToken>[]>(() => {
    const confirmRevoke = (token: ApiToken) =>
      modals.openConfirmModal({
        title: `Revoke "${token.name}"?`,
        children: 'Anything using this token stops working at once. This cannot be undone.',
        labels: { confirm: 'Revoke token', cancel: 'Keep it' },
        confirmProps: { color: 'red' },
        onConfirm: () =>
          revoke.mutate(token.token_id, {
            onSuccess: () => notifications.show({ color: 'teal', message: `Token "${token.name}" revoked.` }),
            onError: (error) =>
              notifications.show({ color: 'red', title: 'Not revoked', message: error.message }),
          }),
      });
    return [
      { field: 'name', headerName: 'Name', minWidth: 200, flex: 2 },
      {
        colId: 'status',
        headerName: 'Status',
        minWidth: 110,
        maxWidth: 130,
        valueGetter: (params) => (params.data ? tokenStatus(params.data) : ''),
        cellClass: widgetCell,
        cellRenderer: ({ value }: ICellRendererParams<ApiToken, keyof typeof statusColor>) =>
          value ? (
            <Badge size="sm" variant="dot" color={statusColor[value]}>
              {value}
            </Badge>
          ) : null,
      },
      {
        field: 'created_at',
        headerName: 'Created',
        minWidth: 160,
        sort: 'desc',
        valueFormatter: (params) => formatTimestamp(params.value),
      },
      {
        field: 'last_used_at',
        headerName: 'Last used',
        minWidth: 160,
        valueFormatter: (params) => (params.value ? formatTimestamp(params.value) : 'Never'),
      },
      {
        field: 'expires_at',
        headerName: 'Expires',
        minWidth: 160,
        valueFormatter: (params) => (params.value ? formatTimestamp(params.value) : 'Never'),
      },
      {
        colId: 'revoke',
        headerName: '',
        minWidth: 110,
        maxWidth: 120,
        sortable: false,
        filter: false,
        cellClass: widgetCell,
        cellRenderer: ({ data }: ICellRendererParams<ApiToken>) =>
          data && tokenStatus(data) === 'Active' ? (
            <Button size="compact-xs" variant="subtle" color="red" onClick={() => confirmRevoke(data)}>
              Revoke
            </Button>
          ) : null,
      },
    ];
  }, [revoke.mutate]);

  const newToken = (
    <Button leftSection={<IconPlus size={16} />} onClick={create.open} data-testid="new-token">
      New token
    </Button>
  );

  return (
    <>
      <PageHeader
        title="API tokens"
        description="Tokens let scripts and integrations use the Clearhouse API as you, with your roles. Create one per integration so you can revoke it alone."
        actions={newToken}
      />
      {tokens.isPending ? (
        <Loading label="Loading your tokens…" />
      ) : tokens.isError ? (
        <LoadError error={tokens.error} retry={() => void tokens.refetch()} what="your tokens" />
      ) : (
        <DataGrid
          testId="tokens-grid"
          rows={tokens.data}
          columns={columns}
          rowId={(token) => token.token_id}
          height="auto"
          empty={
            <Paper withBorder>
              <Empty
                icon={<IconKey size={22} stroke={1.5} />}
                title="No API tokens"
                description="Create a token when a script or system needs to read or send data through the API."
                action={newToken}
              />
            </Paper>
          }
        />
      )}
      {creating && <NewTokenModal onClose={create.close} />}
    </>
  );
}
