import { Badge, Button, Paper } from '@mantine/core';
import { IconFileDollar, IconListDetails } from '@tabler/icons-react';
import type { ColDef } from 'ag-grid-community';
import { useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import {
  type Adjustment,
  adjustmentPath,
  adjustmentRequesters,
  kindLabels,
  statusColors,
} from '../features/adjustments/adjustments';
import { ReasonsCard } from '../features/adjustments/reasons-card';
import { adjustmentsQuery, reasonsQuery, useAdjustments } from '../features/adjustments/use-adjustments';
import { useUser } from '../features/identity/session';
import { hasAnyRole } from '../features/identity/user';
import { DataGrid, widgetCell } from '../ui/data-grid';
import { formatDate, formatTimestamp } from '../ui/dates';
import { amountColumn } from '../ui/grid-columns';
import { gridViewsQuery } from '../ui/grid-views';
import { PageHeader } from '../ui/page-header';
import { startQuery } from '../ui/query-client';
import { Segmented } from '../ui/segmented';
import { Empty, LoadError, Loading } from '../ui/states';

/** What the page shows first: the pending requests with their grid's saved views, and the reasons. */
export function prefetch(): void {
  startQuery(adjustmentsQuery({ status: 'pending' }));
  startQuery(gridViewsQuery('adjustments-grid'));
  startQuery(reasonsQuery);
}

/** Every adjustment and write-off request, newest first, by status; the bulk write-off worksheet. */
export default function AdjustmentsPage() {
  const navigate = useNavigate();
  const user = useUser();
  const [status, setStatus] = useState('pending');
  const list = useAdjustments({ status: status === 'all' ? undefined : status });
  const columns = useMemo<ColDef<Adjustment>[]>(
    () => [
      { field: 'adjustment_id', headerName: 'Request', minWidth: 120 },
      {
        field: 'kind',
        headerName: 'Kind',
        minWidth: 140,
        valueFormatter: (p) => kindLabels[p.value as Adjustment['kind']],
      },
      {
        field: 'account_id',
        headerName: 'Account',
        minWidth: 110,
        valueFormatter: (p) => p.value || 'several',
      },
      { field: 'line_count', headerName: 'Documents', type: 'rightAligned', minWidth: 100 },
      amountColumn<Adjustment>('amount', 'Amount'),
      { field: 'currency', headerName: 'Currency', minWidth: 90 },
      { field: 'reason_code', headerName: 'Reason', minWidth: 140 },
      {
        field: 'status',
        headerName: 'Status',
        minWidth: 110,
        cellClass: widgetCell,
        cellRenderer: (p: { value: Adjustment['status'] }) => (
          <Badge color={statusColors[p.value]} variant="light">
            {p.value}
          </Badge>
        ),
      },
      { field: 'requested_by_name', headerName: 'Requested by', minWidth: 140 },
      {
        field: 'requested_at',
        headerName: 'Requested',
        minWidth: 150,
        valueFormatter: (p) => formatTimestamp(p.value),
      },
      { field: 'posted_on', headerName: 'Posted', minWidth: 110, valueFormatter: (p) => formatDate(p.value) },
    ],
    [],
  );
  return (
    <>
      <PageHeader
        title="Adjustments"
        description="Credit adjustments, rebills, debit adjustments, write-offs and absorptions: requested from an item, an account or a worksheet, approved within limits, posted once as entries."
        actions={
          <>
            <Segmented
              value={status}
              onChange={setStatus}
              data={[
                { value: 'pending', label: 'Pending' },
                { value: 'approved', label: 'Approved' },
                { value: 'refused', label: 'Refused' },
                { value: 'all', label: 'All' },
              ]}
            />
            {hasAnyRole(user, adjustmentRequesters) && (
              <Button
                component={Link}
                to="/adjustments/worksheet"
                leftSection={<IconFileDollar size={16} />}
                data-testid="open-worksheet"
              >
                Write-off worksheet
              </Button>
            )}
          </>
        }
      />
      {list.isPending ? (
        <Loading label="Loading adjustments…" />
      ) : list.isError ? (
        <LoadError error={list.error} retry={() => void list.refetch()} what="the adjustments" />
      ) : (
        <DataGrid
          testId="adjustments-grid"
          rows={list.data.items}
          columns={columns}
          rowId={(r) => r.adjustment_id}
          onRowClick={(r) => navigate(adjustmentPath(r.adjustment_id))}
          empty={
            <Paper withBorder>
              <Empty
                icon={<IconListDetails size={22} stroke={1.5} />}
                title="No requests"
                description="Request an adjustment from an item or account page, or write off small balances on a worksheet."
              />
            </Paper>
          }
        />
      )}
      <ReasonsCard editable={hasAnyRole(user, ['administrator'])} />
    </>
  );
}
