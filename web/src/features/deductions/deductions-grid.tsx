import { Badge, Text } from '@mantine/core';
import type { ColDef, ICellRendererParams } from 'ag-grid-community';
import { type ReactNode, useMemo } from 'react';
import { useNavigate } from 'react-router';
import { DataGrid, type GridQuery, widgetCell } from '../../ui/data-grid';
import { formatDate } from '../../ui/dates';
import { GridBadge } from '../../ui/grid-badge';
import { amountColumn, badgeWidth } from '../../ui/grid-columns';
import { formatMoney } from '../../ui/money';
import {
  categoryLabels,
  type DeductionRow,
  daysLeftWords,
  deductionPath,
  queueLabels,
  slaColors,
  slaLabels,
  statusColors,
  statusLabels,
  validationColors,
  validationLabels,
} from './deductions';

/** The SLA state and the days left in one badge; a denied deduction's overdue payback instead. */
function SlaCell({ data }: ICellRendererParams<DeductionRow>) {
  if (!data) return null;
  if (data.payback_overdue) {
    return (
      <GridBadge color="red" title={`Payback was due ${formatDate(data.payback_due_date)}`}>
        Payback overdue
      </GridBadge>
    );
  }
  if (!data.sla_state) return null;
  return (
    <GridBadge
      color={slaColors[data.sla_state]}
      title={`${slaLabels[data.sla_state]} · due ${formatDate(data.sla_due_date)}`}
    >
      {daysLeftWords(data.sla_days_left)}
    </GridBadge>
  );
}

function StatusCell({ data }: ICellRendererParams<DeductionRow>) {
  if (!data) return null;
  return <GridBadge color={statusColors[data.status]}>{statusLabels[data.status]}</GridBadge>;
}

function ValidationCell({ data }: ICellRendererParams<DeductionRow>) {
  if (!data) return null;
  if (!data.validation) {
    return (
      <Text size="sm" c="dimmed">
        pending
      </Text>
    );
  }
  return (
    <Badge variant="dot" color={validationColors[data.validation]}>
      {validationLabels[data.validation]}
    </Badge>
  );
}

/**
 * Deductions as the server orders them (by SLA: breached first), one page: SLA state and days left beside
 * the deduction's figures. Fits 1440 px with the navigation; the queue column shows only across queues. With
 * `onQuery` the columns' sort and filters go to the server (`order`, `filters` of /api/deductions), which
 * sorts and filters every deduction; without, the columns neither sort nor filter (the page is the server's).
 */
export function DeductionsGrid({
  rows,
  empty,
  showQueue = false,
  height,
  onQuery,
}: {
  rows: DeductionRow[];
  empty?: ReactNode;
  showQueue?: boolean;
  height?: 'auto' | number | string;
  onQuery?: (query: GridQuery) => void;
}) {
  const navigate = useNavigate();
  const columns = useMemo<ColDef<DeductionRow>[]>(
    () => [
      { field: 'deduction_id', headerName: 'Deduction', minWidth: 150, pinned: 'left' },
      {
        field: 'sla_days_left',
        headerName: 'SLA',
        headerTooltip: 'Calendar days to the SLA due date (breached: overdue)',
        minWidth: 135,
        cellRenderer: SlaCell,
        cellClass: widgetCell,
      },
      {
        colId: 'account',
        headerName: 'Account',
        minWidth: 150,
        valueGetter: (p) => p.data?.account_name ?? p.data?.account_id ?? '',
        tooltipValueGetter: (p) => p.data?.account_id ?? '',
      },
      {
        field: 'deduction_date',
        headerName: 'Taken',
        minWidth: 112,
        valueFormatter: (p) => formatDate(p.value),
      },
      {
        ...amountColumn<DeductionRow>('amount', 'Amount', 120),
        valueFormatter: (p) => formatMoney(p.value, p.data?.currency),
      },
      {
        field: 'queue',
        headerName: 'Queue',
        minWidth: 105,
        hide: !showQueue,
        valueFormatter: (p) => (p.value ? queueLabels[p.value as DeductionRow['queue']] : ''),
      },
      {
        field: 'category',
        headerName: 'Category',
        minWidth: 95,
        valueFormatter: (p) => (p.value ? categoryLabels[p.value as DeductionRow['category']] : ''),
      },
      {
        field: 'validation',
        headerName: 'Validation',
        // wide enough for the longest status ("Partly valid"): statuses are never cut
        minWidth: 140,
        cellRenderer: ValidationCell,
        cellClass: widgetCell,
      },
      {
        field: 'status',
        headerName: 'Status',
        minWidth: badgeWidth(Object.values(statusLabels)),
        cellRenderer: StatusCell,
        cellClass: widgetCell,
      },
      {
        field: 'assignee',
        headerName: 'Assignee',
        minWidth: 95,
        valueFormatter: (p) => (p.value ? String(p.value).split('@')[0]! : ''),
        tooltipValueGetter: (p) => p.data?.assignee ?? '',
      },
    ],
    [showQueue],
  );
  return (
    <DataGrid<DeductionRow>
      testId="deductions-grid"
      rows={rows}
      columns={columns}
      rowId={(r) => r.deduction_id}
      onRowClick={(r) => navigate(deductionPath(r.deduction_id))}
      empty={empty}
      sortable={false}
      server={onQuery ? { onQuery, sorts: deductionSorts, filters: deductionFilters } : undefined}
      {...(height ? { height } : {})}
    />
  );
}

// What /api/deductions sorts and filters by (src/modules/deductions/queries.ts, deductionGridColumns); the
// SLA column filters by state (breached, due_soon, on_track).
const deductionFilters = [
  'deduction_id',
  'sla_days_left',
  'account',
  'deduction_date',
  'queue',
  'category',
  'validation',
  'status',
  'assignee',
] as const;
const deductionSorts = [...deductionFilters, 'amount'] as const;
