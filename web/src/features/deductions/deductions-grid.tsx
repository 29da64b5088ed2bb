import { Badge, Text } from '@mantine/core';
import type { ColDef, ICellRendererParams } from 'ag-grid-community';
import { type ReactNode, useMemo } from 'react';
import { useNavigate } from 'react-router';
import { DataGrid, widgetCell } from '../../ui/data-grid';
import { formatDate } from '../../ui/dates';
import { amountColumn } from '../../ui/grid-columns';
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

function SlaCell({ data }: ICellRendererParams<DeductionRow>) {
  if (!data?.sla_state) return null;
  return (
    <Badge variant="light" color={slaColors[data.sla_state]}>
      {slaLabels[data.sla_state]}
    </Badge>
  );
}

function LeftCell({ data }: ICellRendererParams<DeductionRow>) {
  if (!data) return null;
  if (data.payback_overdue) {
    return (
      <Text size="sm" c="red" fw={600}>
        payback overdue
      </Text>
    );
  }
  const left = data.sla_days_left;
  if (left === null) return null;
  return (
    <Text size="sm" c={left < 0 ? 'red' : left <= 3 ? 'orange' : undefined} fw={left < 0 ? 600 : undefined}>
      {daysLeftWords(left)}
    </Text>
  );
}

function StatusCell({ data }: ICellRendererParams<DeductionRow>) {
  if (!data) return null;
  return (
    <Badge variant="light" color={statusColors[data.status]}>
      {statusLabels[data.status]}
    </Badge>
  );
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
 * the deduction's figures. Fits 1440 px with the navigation; the queue column shows only across queues.
 */
export function DeductionsGrid({
  rows,
  empty,
  showQueue = false,
  height,
}: {
  rows: DeductionRow[];
  empty?: ReactNode;
  showQueue?: boolean;
  height?: 'auto' | number | string;
}) {
  const navigate = useNavigate();
  const columns = useMemo<ColDef<DeductionRow>[]>(
    () => [
      { field: 'deduction_id', headerName: 'Deduction', minWidth: 150, pinned: 'left' },
      {
        field: 'sla_state',
        headerName: 'SLA',
        minWidth: 100,
        maxWidth: 115,
        cellRenderer: SlaCell,
        cellClass: widgetCell,
      },
      {
        field: 'sla_days_left',
        headerName: 'Days left',
        headerTooltip: 'Calendar days to the SLA due date',
        minWidth: 120,
        cellRenderer: LeftCell,
        cellClass: widgetCell,
      },
      { field: 'sla_due_date', headerName: 'Due', minWidth: 105, valueFormatter: (p) => formatDate(p.value) },
      {
        colId: 'account',
        headerName: 'Account',
        minWidth: 170,
        valueGetter: (p) => p.data?.account_name ?? p.data?.account_id ?? '',
        tooltipValueGetter: (p) => p.data?.account_id ?? '',
      },
      {
        field: 'deduction_date',
        headerName: 'Taken',
        minWidth: 105,
        valueFormatter: (p) => formatDate(p.value),
      },
      amountColumn('amount', 'Amount', 105),
      { field: 'currency', headerName: 'Cur.', minWidth: 62, maxWidth: 70 },
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
        minWidth: 110,
        valueFormatter: (p) => (p.value ? categoryLabels[p.value as DeductionRow['category']] : ''),
      },
      {
        field: 'validation',
        headerName: 'Validation',
        minWidth: 125,
        cellRenderer: ValidationCell,
        cellClass: widgetCell,
      },
      {
        field: 'status',
        headerName: 'Status',
        minWidth: 100,
        cellRenderer: StatusCell,
        cellClass: widgetCell,
      },
      {
        field: 'assignee',
        headerName: 'Assignee',
        minWidth: 110,
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
      {...(height ? { height } : {})}
    />
  );
}
