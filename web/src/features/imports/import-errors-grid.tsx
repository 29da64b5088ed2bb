import type { CellStyle, ColDef } from 'ag-grid-community';
import { useMemo } from 'react';
import { DataGrid } from '../../ui/data-grid';
import type { ImportIssue } from './import';

const monospace: CellStyle = { fontFamily: 'var(--mantine-font-family-monospace)' };
const wrapped: CellStyle = { lineHeight: '1.45', paddingTop: '8px', paddingBottom: '8px' };

/** Why a file was refused: one row per problem, in file order. */
export function ImportErrorsGrid({ errors }: { errors: ImportIssue[] }) {
  const rows = useMemo(() => errors.map((issue, index) => ({ ...issue, seq: index })), [errors]);
  const columns = useMemo<ColDef<ImportIssue & { seq: number }>[]>(
    () => [
      {
        field: 'line',
        headerName: 'Line',
        type: 'rightAligned',
        minWidth: 70,
        maxWidth: 90,
        filter: 'agNumberColumnFilter',
        headerTooltip: 'The line in the file; the header row is line 1.',
        valueFormatter: (params) =>
          params.value === null || params.value === undefined ? 'File' : String(params.value),
      },
      {
        field: 'column',
        headerName: 'Column',
        minWidth: 110,
        maxWidth: 220,
        valueFormatter: (p) => p.value ?? '',
      },
      {
        field: 'value',
        headerName: 'Value',
        headerTooltip: 'The value as read from the file.',
        minWidth: 120,
        maxWidth: 240,
        cellStyle: monospace,
        valueFormatter: (params) =>
          params.value === null || params.value === undefined ? '' : String(params.value),
      },
      {
        field: 'reason',
        headerName: 'What is wrong',
        flex: 3,
        minWidth: 180,
        wrapText: true,
        autoHeight: true,
        cellStyle: wrapped,
      },
    ],
    [],
  );
  return (
    <DataGrid
      testId="import-errors"
      rows={rows}
      columns={columns}
      rowId={(row) => String(row.seq)}
      height={rows.length <= 12 ? 'auto' : 460}
    />
  );
}
