import type { ColDef } from 'ag-grid-community';
import { widgetCell } from '../../ui/data-grid';
import { formatDate } from '../../ui/dates';
import { GridBadge } from '../../ui/grid-badge';

/** The SLA column of a payment grid: "Priority" (with the due date) for a claim paid first for its SLA. */
export function slaPriorityColumn<T extends { sla_priority: boolean; sla_due_date?: string | null }>(
  minWidth: number,
): ColDef<T> {
  return {
    field: 'sla_priority' as ColDef<T>['field'],
    headerName: 'SLA',
    minWidth,
    cellClass: widgetCell,
    cellRenderer: (p: { value: boolean; data?: T }) =>
      p.value ? (
        <GridBadge color="red" title={`Due ${formatDate(p.data?.sla_due_date)}`}>
          Priority
        </GridBadge>
      ) : null,
  };
}
