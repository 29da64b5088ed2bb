import type { ColDef, ICellRendererParams } from 'ag-grid-community';
import { type ReactNode, useMemo } from 'react';
import { useNavigate } from 'react-router';
import { DataGrid, type GridQuery, widgetCell } from '../../ui/data-grid';
import { formatDate } from '../../ui/dates';
import { GridBadge } from '../../ui/grid-badge';
import { badgeWidth } from '../../ui/grid-columns';
import { compareAmounts, formatAmount } from '../../ui/money';
import { type ClaimStatus, claimPath, claimStatusColors, claimStatusLabels } from '../claims/claim';
import { type ClaimLogItem, type SlaState, slaStateColors, slaStateLabels } from './reports';
import { UrgentCell, urgentHint } from './urgent-cell';

export function SlaBadge({ state }: { state: SlaState }) {
  return (
    <GridBadge color={slaStateColors[state]} testId={`sla-${state}`}>
      {slaStateLabels[state]}
    </GridBadge>
  );
}

function StatusCell({ value }: ICellRendererParams<ClaimLogItem, ClaimStatus>) {
  if (!value) return null;
  return <GridBadge color={claimStatusColors[value]}>{claimStatusLabels[value]}</GridBadge>;
}

function SlaCell({ value }: ICellRendererParams<ClaimLogItem, SlaState>) {
  return value ? <SlaBadge state={value} /> : null;
}

/**
 * The claim log: dates, business-day age, SLA state and due date, urgency and amounts per claim. With
 * `onQuery` the rows are one page of the log: the columns' sort and filters go to the server (`order`,
 * `filters` of /api/claim-log), which sorts and filters the whole log.
 */
export function ClaimLogGrid({
  items,
  canEdit,
  empty,
  onQuery,
}: {
  items: ClaimLogItem[];
  canEdit: boolean;
  empty?: ReactNode;
  onQuery?: (query: GridQuery) => void;
}) {
  const navigate = useNavigate();
  const columns = useMemo<ColDef<ClaimLogItem>[]>(
    () => [
      { field: 'claim_id', headerName: 'Claim', minWidth: 120, pinned: 'left' },
      {
        colId: 'partner',
        headerName: 'Partner',
        minWidth: 160,
        valueGetter: (p) => p.data?.partner_name ?? p.data?.account_id ?? '',
      },
      {
        colId: 'program',
        headerName: 'Program',
        minWidth: 140,
        valueGetter: (p) => p.data?.program_name ?? p.data?.program_id ?? '',
      },
      {
        field: 'status',
        headerName: 'Status',
        minWidth: badgeWidth(Object.values(claimStatusLabels)),
        cellRenderer: StatusCell,
        cellClass: widgetCell,
      },
      {
        field: 'sla_state',
        headerName: 'SLA',
        minWidth: badgeWidth(Object.values(slaStateLabels)),
        cellRenderer: SlaCell,
        cellClass: widgetCell,
        getQuickFilterText: (p) => (p.value ? slaStateLabels[p.value as SlaState] : ''),
      },
      {
        field: 'urgent',
        headerName: 'Urgent',
        headerTooltip: urgentHint,
        hide: true,
        minWidth: 90,
        maxWidth: 110,
        cellRenderer: UrgentCell,
        cellRendererParams: { canEdit },
        cellClass: widgetCell,
      },
      {
        field: 'submitted_date',
        headerName: 'Submitted',
        minWidth: 115,
        valueFormatter: (p) => formatDate(p.value),
      },
      {
        field: 'validated_date',
        headerName: 'Validated',
        hide: true,
        minWidth: 115,
        valueFormatter: (p) => formatDate(p.value),
      },
      {
        field: 'decided_date',
        headerName: 'Decided',
        hide: true,
        minWidth: 115,
        valueFormatter: (p) => formatDate(p.value),
      },
      {
        field: 'paid_date',
        headerName: 'Paid',
        hide: true,
        minWidth: 115,
        headerTooltip: 'The payment date closes the SLA clock',
        valueFormatter: (p) => formatDate(p.value),
      },
      { field: 'due_date', headerName: 'Due', minWidth: 115, valueFormatter: (p) => formatDate(p.value) },
      {
        field: 'age_business_days',
        headerName: 'Age (bd)',
        hide: true,
        type: 'rightAligned',
        minWidth: 95,
        headerTooltip: 'Business days since receipt, in the partner’s country',
      },
      {
        field: 'business_days_left',
        headerName: 'Left (bd)',
        hide: true,
        type: 'rightAligned',
        minWidth: 95,
      },
      {
        field: 'target_business_days',
        headerName: 'Target (bd)',
        hide: true,
        type: 'rightAligned',
        minWidth: 100,
      },
      {
        field: 'claimed_amount',
        headerName: 'Claimed',
        type: 'rightAligned',
        minWidth: 115,
        valueFormatter: (p) => formatAmount(p.value),
        comparator: (a, b) => compareAmounts(a, b),
      },
      {
        field: 'calculated_amount',
        headerName: 'Calculated',
        hide: true,
        type: 'rightAligned',
        minWidth: 115,
        valueFormatter: (p) => formatAmount(p.value),
        comparator: (a, b) => compareAmounts(a, b),
      },
      {
        field: 'approved_amount',
        headerName: 'Approved',
        type: 'rightAligned',
        minWidth: 115,
        valueFormatter: (p) => formatAmount(p.value),
        comparator: (a, b) => compareAmounts(a, b),
      },
      { field: 'currency', headerName: 'Currency', minWidth: 90, maxWidth: 110 },
    ],
    [canEdit],
  );
  return (
    <DataGrid
      testId="claim-log-grid"
      rows={items}
      columns={columns}
      rowId={(x) => x.claim_id}
      empty={empty}
      server={onQuery ? { onQuery, sorts: logSorts, filters: logFilters } : undefined}
      onRowClick={(x) => navigate(claimPath(x.claim_id, x.account_id))}
    />
  );
}

// What /api/claim-log sorts and filters by (src/modules/claims/claim-log.ts, claimLogGridColumns).
const logFilters = [
  'claim_id',
  'partner',
  'program',
  'status',
  'sla_state',
  'urgent',
  'submitted_date',
  'validated_date',
  'decided_date',
  'paid_date',
  'due_date',
  'currency',
] as const;
const logSorts = [
  ...logFilters,
  'age_business_days',
  'business_days_left',
  'target_business_days',
  'claimed_amount',
  'calculated_amount',
  'approved_amount',
] as const;
