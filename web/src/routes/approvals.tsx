import { Paper } from '@mantine/core';
import { IconChecklist } from '@tabler/icons-react';
import type { ColDef } from 'ag-grid-community';
import { useMemo } from 'react';
import { useNavigate } from 'react-router';
import { adjustmentPath, type InboxEntry } from '../features/adjustments/adjustments';
import { inboxQuery, useInbox } from '../features/adjustments/use-adjustments';
import { creditPath } from '../features/credit/credit';
import { DataGrid } from '../ui/data-grid';
import { formatTimestamp } from '../ui/dates';
import { amountColumn } from '../ui/grid-columns';
import { gridViewsQuery } from '../ui/grid-views';
import { PageHeader } from '../ui/page-header';
import { startQuery } from '../ui/query-client';
import { Empty, LoadError, Loading } from '../ui/states';

/** What the page shows first: the approver's inbox, and its grid's saved views. */
export function prefetch(): void {
  startQuery(inboxQuery);
  startQuery(gridViewsQuery('approvals-grid'));
}

/** The approver's inbox: requests within my limits, not my own and not yet decided by me, oldest first. */
export default function ApprovalsPage() {
  const navigate = useNavigate();
  const inbox = useInbox();
  const columns = useMemo<ColDef<InboxEntry>[]>(
    () => [
      { field: 'subject_id', headerName: 'Request', minWidth: 120 },
      { field: 'title', headerName: 'What', flex: 2, minWidth: 260 },
      { field: 'account_id', headerName: 'Account', minWidth: 110 },
      amountColumn<InboxEntry>('amount', 'Amount'),
      { field: 'currency', headerName: 'Currency', minWidth: 90 },
      {
        headerName: 'Approvals',
        minWidth: 100,
        valueGetter: (p) => `${p.data?.approvals ?? 0} of ${p.data?.approvals_needed ?? 1}`,
      },
      { field: 'requested_by_name', headerName: 'Requested by', minWidth: 140 },
      {
        field: 'requested_at',
        headerName: 'Requested',
        minWidth: 150,
        valueFormatter: (p) => formatTimestamp(p.value),
      },
      { field: 'waiting_hours', headerName: 'Waiting (h)', type: 'rightAligned', minWidth: 100 },
    ],
    [],
  );
  return (
    <>
      <PageHeader
        title="Approvals"
        description="Adjustments, write-offs and credit-limit changes waiting for you: within your approval limit, requested by someone else. Open one to see the document, its history and documents, and approve or refuse it."
      />
      {inbox.isPending ? (
        <Loading label="Loading your inbox…" />
      ) : inbox.isError ? (
        <LoadError error={inbox.error} retry={() => void inbox.refetch()} what="your inbox" />
      ) : (
        <DataGrid
          testId="approvals-grid"
          rows={inbox.data.items}
          columns={columns}
          rowId={(r) => r.request_id}
          onRowClick={(r) =>
            navigate(
              r.subject_type === 'credit_limit' ? creditPath(r.subject_id) : adjustmentPath(r.subject_id),
            )
          }
          empty={
            <Paper withBorder>
              <Empty
                icon={<IconChecklist size={22} stroke={1.5} />}
                title="Nothing waits for you"
                description="Requests within your approval limits appear here."
              />
            </Paper>
          }
        />
      )}
    </>
  );
}
