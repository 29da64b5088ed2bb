import type { ColDef } from 'ag-grid-community';
import { useMemo } from 'react';
import { DataGrid } from '../../../ui/data-grid';
import { formatTimestamp } from '../../../ui/dates';
import { type AuditEvent, actionLabel, fieldChanges, fieldLabel } from './audit-event';

export function entityLabel(entityType: string): string {
  return entityType.charAt(0).toUpperCase() + entityType.slice(1).replaceAll('_', ' ');
}

export function AuditEventsGrid({
  events,
  onOpen,
}: {
  events: AuditEvent[];
  onOpen: (event: AuditEvent) => void;
}) {
  const columns = useMemo<ColDef<AuditEvent>[]>(
    () => [
      {
        field: 'occurred_at',
        headerName: 'When',
        minWidth: 170,
        maxWidth: 200,
        valueFormatter: (params) => formatTimestamp(params.value),
        filter: false,
      },
      {
        field: 'entity_type',
        headerName: 'Record',
        minWidth: 100,
        maxWidth: 130,
        valueFormatter: (params) => entityLabel(params.value ?? ''),
      },
      { field: 'entity_id', headerName: 'Record ID', minWidth: 140 },
      {
        field: 'action',
        headerName: 'Action',
        minWidth: 120,
        maxWidth: 170,
        valueFormatter: (params) => actionLabel(params.value ?? ''),
      },
      { field: 'actor_name', headerName: 'By', minWidth: 150 },
      {
        colId: 'changes',
        headerName: 'Fields',
        flex: 2,
        minWidth: 240,
        sortable: false,
        valueGetter: (params) =>
          params.data
            ? fieldChanges(params.data)
                .filter((change) => change.changed)
                .map((change) => fieldLabel(change.field))
                .join(', ')
            : '',
      },
    ],
    [],
  );
  return (
    <DataGrid
      testId="audit-events-grid"
      rows={events}
      columns={columns}
      rowId={(event) => `${event.account_id ?? ''}:${event.event_id}`}
      onRowClick={onOpen}
    />
  );
}
