import type { ColDef, ICellRendererParams } from 'ag-grid-community';
import { useMemo } from 'react';
import { useNavigate } from 'react-router';
import { DataGrid, type GridQuery, widgetCell } from '../../ui/data-grid';
import { formatTimestamp } from '../../ui/dates';
import { GridBadge } from '../../ui/grid-badge';
import { formatCount } from '../../ui/money';
import {
  count,
  type ImportRecord,
  type ImportTemplate,
  importPath,
  kindLabel,
  shortSha,
  sourceLabels,
} from './import';

const countColumn = (
  colId: string,
  headerName: string,
  value: (row: ImportRecord) => number,
  tooltip: string,
  minWidth: number,
): ColDef<ImportRecord> => ({
  colId,
  headerName,
  headerTooltip: tooltip,
  type: 'rightAligned',
  minWidth,
  maxWidth: 130,
  valueGetter: (params) => (params.data ? value(params.data) : null),
  valueFormatter: (params) => (params.value === null ? '' : formatCount(Number(params.value))),
  // The template and status filters above the grid pick imports; a funnel here would only take room.
  filter: false,
});

// What /api/imports sorts and filters by (src/modules/imports/engine.ts, importGridColumns).
const importFilters = ['actor_name', 'kind', 'file_name', 'sha256', 'status', 'source'] as const;
const importSorts = [
  ...importFilters,
  'finished_at',
  'rows_total',
  'accepted',
  'rows_unchanged',
  'rows_rejected',
] as const;

/**
 * Every load, newest first; a row opens the load with its counts or its errors. With `onQuery` the rows are
 * the pages loaded so far: the columns' sort and filters go to the server (`order`, `filters` of
 * /api/imports), which sorts and filters every import.
 */
export function ImportHistoryGrid({
  imports,
  templates,
  showSource = true,
  height,
  onQuery,
}: {
  imports: ImportRecord[];
  templates?: readonly ImportTemplate[];
  showSource?: boolean;
  height?: 'auto' | number | string;
  onQuery?: (query: GridQuery) => void;
}) {
  const navigate = useNavigate();
  const columns = useMemo<ColDef<ImportRecord>[]>(
    () => [
      {
        field: 'finished_at',
        headerName: 'When',
        minWidth: 165,
        maxWidth: 190,
        valueFormatter: (params) => formatTimestamp(params.value),
        filter: false,
      },
      { field: 'actor_name', headerName: 'Who', minWidth: 90 },
      {
        field: 'kind',
        headerName: 'Template',
        minWidth: 100,
        valueFormatter: (params) => kindLabel(params.value ?? '', templates),
      },
      { field: 'file_name', headerName: 'File', minWidth: 120, flex: 1.5 },
      {
        field: 'sha256',
        headerName: 'SHA-256',
        minWidth: 105,
        maxWidth: 140,
        // The short form in the cell, the whole digest in the grid's own tooltip (no component a row).
        valueFormatter: (params) => (params.value ? shortSha(params.value) : ''),
        tooltipValueGetter: (params) => params.value ?? '',
        cellClass: 'mono-cell',
        filter: false,
      },
      {
        field: 'status',
        headerName: 'Status',
        minWidth: 90,
        maxWidth: 130,
        valueFormatter: (params) => (params.value === 'loaded' ? 'Loaded' : 'Refused'),
        cellRenderer: Status,
        cellClass: widgetCell,
      },
      countColumn('rows_total', 'Rows', (row) => count(row.rows_total), 'Data rows in the file.', 65),
      countColumn(
        'accepted',
        'Accepted',
        (row) => (row.status === 'loaded' ? count(row.rows_inserted) + count(row.rows_updated) : 0),
        'Rows saved: new ones and changed ones.',
        85,
      ),
      countColumn(
        'rows_unchanged',
        'Unchanged',
        (row) => count(row.rows_unchanged),
        'Rows already on file exactly as sent.',
        95,
      ),
      countColumn(
        'rows_rejected',
        'Rejected',
        (row) => count(row.rows_rejected),
        'Rows with a problem; nothing of the file was saved.',
        80,
      ),
      ...(showSource
        ? [
            {
              field: 'source',
              headerName: 'Via',
              minWidth: 95,
              maxWidth: 150,
              valueFormatter: (params) =>
                sourceLabels[params.value as ImportRecord['source']] ?? params.value,
            } satisfies ColDef<ImportRecord>,
          ]
        : []),
    ],
    [templates, showSource],
  );
  return (
    <DataGrid
      testId="import-history"
      rows={imports}
      columns={columns}
      rowId={(row) => row.import_id}
      height={height}
      server={onQuery ? { onQuery, sorts: importSorts, filters: importFilters } : undefined}
      onRowClick={(row) => navigate(importPath(row.import_id))}
    />
  );
}

function Status({ data }: ICellRendererParams<ImportRecord>) {
  if (!data) return null;
  const loaded = data.status === 'loaded';
  return <GridBadge color={loaded ? 'teal' : 'red'}>{loaded ? 'Loaded' : 'Refused'}</GridBadge>;
}
