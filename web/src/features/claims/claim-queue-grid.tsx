import { Text } from '@mantine/core';
import type { ColDef, ICellRendererParams } from 'ag-grid-community';
import { type ReactNode, useMemo } from 'react';
import { useNavigate } from 'react-router';
import { DataGrid, type GridQuery, widgetCell } from '../../ui/data-grid';
import { formatDate } from '../../ui/dates';
import { GridBadge } from '../../ui/grid-badge';
import { amountColumn, badgeWidth } from '../../ui/grid-columns';
import { SlaBadge } from '../claims-reports/claim-log-grid';
import { slaStateLabels } from '../claims-reports/reports';
import { UrgentCell, urgentHint } from '../claims-reports/urgent-cell';
import {
  type ClaimQueueItem,
  type ClaimStatus,
  claimPath,
  claimStatusColors,
  claimStatusLabels,
  ruleTitle,
} from './claim';

function StatusBadge({ value }: ICellRendererParams<ClaimQueueItem, ClaimStatus>) {
  if (!value) return null;
  return <GridBadge color={claimStatusColors[value]}>{claimStatusLabels[value]}</GridBadge>;
}

function SlaCell({ data }: ICellRendererParams<ClaimQueueItem>) {
  return data?.sla_state ? <SlaBadge state={data.sla_state} /> : null;
}

/** Business days left: overdue ones in red, stopped clocks as their age. */
function LeftCell({ data }: ICellRendererParams<ClaimQueueItem>) {
  if (!data || data.sla_state === null) return null;
  const left = data.business_days_left;
  if (left === null) {
    return (
      <Text size="sm" c="dimmed">
        took {data.age_business_days}
      </Text>
    );
  }
  return (
    <Text size="sm" c={left < 0 ? 'red' : left <= 3 ? 'orange' : undefined} fw={left < 0 ? 600 : undefined}>
      {left < 0 ? `${-left} overdue` : left}
    </Text>
  );
}

/**
 * The claim queue as the server orders it (by SLA, or newest first): SLA state, business days left, due
 * date and urgency beside the claim's figures. With `onQuery` the rows are one page of the queue: the columns'
 * sort and filters go to the server (`order`, `filters` of /api/claim-queue); without, the grid sorts them.
 */
export function ClaimQueueGrid({
  claims,
  empty,
  partner = false,
  canSetUrgent = false,
  height,
  onQuery,
}: {
  onQuery?: (query: GridQuery) => void;
  claims: ClaimQueueItem[];
  empty?: ReactNode;
  partner?: boolean;
  canSetUrgent?: boolean;
  height?: 'auto' | number | string;
}) {
  const navigate = useNavigate();
  const columns = useMemo<ColDef<ClaimQueueItem>[]>(
    () => [
      { field: 'claim_id', headerName: 'Claim', minWidth: 120, pinned: 'left' },
      {
        field: 'sla_state',
        headerName: 'SLA',
        minWidth: badgeWidth(Object.values(slaStateLabels)),
        cellRenderer: SlaCell,
        cellClass: widgetCell,
      },
      {
        field: 'business_days_left',
        headerName: 'Days left',
        headerTooltip: 'Business days left to the due date, in the partner’s country',
        minWidth: 105,
        cellRenderer: LeftCell,
        cellClass: widgetCell,
      },
      {
        field: 'due_date',
        headerName: 'Due',
        hide: true,
        minWidth: 115,
        valueFormatter: (p) => formatDate(p.value),
      },
      {
        field: 'urgent',
        headerName: 'Urgent',
        headerTooltip: urgentHint,
        // The desk's flag: a partner reads its claims' amounts first (the column chooser still has it).
        hide: partner,
        minWidth: 85,
        maxWidth: 100,
        cellRenderer: UrgentCell,
        cellRendererParams: { canEdit: canSetUrgent },
        cellClass: widgetCell,
      },
      {
        field: 'submitted_date',
        headerName: 'Submitted',
        hide: true,
        minWidth: 115,
        valueFormatter: (params) => formatDate(params.value),
      },
      {
        colId: 'partner',
        headerName: 'Partner',
        minWidth: 150,
        hide: partner,
        valueGetter: (params) => params.data?.partner_name ?? params.data?.account_id ?? '',
      },
      {
        colId: 'program',
        headerName: 'Program',
        minWidth: 150,
        valueGetter: (params) => params.data?.program_name ?? params.data?.program_id ?? '',
      },
      {
        field: 'status',
        headerName: 'Status',
        ...(partner ? { hide: false } : {}),
        minWidth: badgeWidth(Object.values(claimStatusLabels)),
        cellRenderer: StatusBadge,
        cellClass: widgetCell,
      },
      { field: 'lines', headerName: 'Lines', hide: true, type: 'rightAligned', minWidth: 75, maxWidth: 90 },
      // A partner reads a claim's status and amount first: kept on screen, with the findings and currency.
      {
        ...amountColumn<ClaimQueueItem>('claimed_amount', 'Claimed', 115),
        ...(partner ? { hide: false } : {}),
      },
      { ...amountColumn<ClaimQueueItem>('approved_amount', 'Approved', 115), hide: true },
      {
        field: 'currency',
        headerName: 'Currency',
        minWidth: 90,
        maxWidth: 105,
        ...(partner ? { hide: false } : {}),
      },
      {
        colId: 'findings',
        headerName: 'Findings',
        minWidth: 220,
        hide: !partner,
        // Partners read what went wrong in words; the desk reads the rule codes it works by.
        valueGetter: (params) =>
          (partner ? params.data?.rule_codes.map(ruleTitle) : params.data?.rule_codes)?.join(
            partner ? '; ' : ', ',
          ) ?? '',
        tooltipValueGetter: (params) => params.data?.rule_codes.map(ruleTitle).join('\n') ?? '',
      },
    ],
    [partner, canSetUrgent],
  );
  return (
    <DataGrid
      testId="claims-grid"
      rows={claims}
      columns={columns}
      rowId={(claim) => claim.claim_id}
      empty={empty}
      height={height}
      server={onQuery ? { onQuery, sorts: queueSorts, filters: queueFilters } : undefined}
      onRowClick={(claim) => navigate(claimPath(claim.claim_id, claim.account_id))}
    />
  );
}

// What /api/claim-queue sorts and filters by (src/modules/claims/queue.ts, queueGridColumns).
const queueSorts = [
  'claim_id',
  'submitted_date',
  'partner',
  'program',
  'status',
  'currency',
  'urgent',
  'business_days_left',
  'sla_state',
  'due_date',
  'lines',
  'claimed_amount',
  'approved_amount',
] as const;
const queueFilters = [
  'claim_id',
  'submitted_date',
  'partner',
  'program',
  'status',
  'currency',
  'urgent',
] as const;
