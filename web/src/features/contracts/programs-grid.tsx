import { Badge, Group } from '@mantine/core';
import type { ColDef, ICellRendererParams } from 'ag-grid-community';
import { type ReactNode, useMemo } from 'react';
import { useNavigate } from 'react-router';
import { DataGrid, widgetCell } from '../../ui/data-grid';
import { formatDate } from '../../ui/dates';
import { amountColumn } from '../../ui/grid-columns';
import { countryName } from '../accounts/account';
import { type ProgramListItem, programPath, statusColors, statusLabels, typeLabels } from './contract';

/** Who a program is for, in a few words: its partners, or every partner of its country. */
function enrolment(program: ProgramListItem): string {
  if (program.partners.length > 0) return program.partners.join(', ');
  return program.country ? `Every partner in ${countryName(program.country)}` : '';
}

export function ProgramsGrid({
  programs,
  search,
  empty,
  partner = false,
}: {
  programs: ProgramListItem[];
  search?: string;
  empty?: ReactNode;
  /** The portal's view: only versions in force, so no version column. */
  partner?: boolean;
}) {
  const navigate = useNavigate();
  const columns = useMemo<ColDef<ProgramListItem>[]>(
    () => [
      { field: 'name', headerName: 'Program', minWidth: 220, flex: 2, sort: 'asc' },
      { field: 'program_id', headerName: 'ID', minWidth: 130 },
      {
        field: 'type',
        headerName: 'Type',
        minWidth: 140,
        valueGetter: (params) => (params.data ? typeLabels[params.data.type] : ''),
      },
      ...(partner
        ? []
        : [
            {
              colId: 'status',
              headerName: 'Status',
              minWidth: 200,
              valueGetter: (params: { data?: ProgramListItem }) =>
                params.data ? statusText(params.data) : '',
              cellRenderer: Status,
              cellClass: widgetCell,
            } satisfies ColDef<ProgramListItem>,
          ]),
      {
        colId: 'period',
        headerName: 'Period',
        minWidth: 200,
        valueGetter: (params) =>
          params.data ? `${formatDate(params.data.start_date)} – ${formatDate(params.data.end_date)}` : '',
        comparator: (_a, _b, nodeA, nodeB) =>
          (nodeA.data?.start_date ?? '').localeCompare(nodeB.data?.start_date ?? ''),
      },
      {
        colId: 'enrolment',
        headerName: 'Partners',
        minWidth: 180,
        valueGetter: (params) => (params.data ? enrolment(params.data) : ''),
      },
      { field: 'currency', headerName: 'Currency', minWidth: 100, maxWidth: 120 },
      amountColumn('budget', 'Budget', 130),
      {
        field: 'claim_window_days',
        headerName: 'Claim window (days)',
        type: 'rightAligned',
        minWidth: 120,
        filter: 'agNumberColumnFilter',
      },
    ],
    [partner],
  );
  return (
    <DataGrid
      testId="programs-grid"
      rows={programs}
      columns={columns}
      rowId={(program) => program.program_id}
      search={search}
      empty={empty}
      onRowClick={(program) => navigate(programPath(program.program_id))}
    />
  );
}

function statusText(p: ProgramListItem): string {
  const shown = `v${p.version} ${statusLabels[p.status]}`;
  return p.latest_version !== p.version
    ? `${shown}, v${p.latest_version} ${statusLabels[p.latest_status]}`
    : shown;
}

function Status({ data }: ICellRendererParams<ProgramListItem>) {
  if (!data) return null;
  return (
    <Group gap={4} wrap="nowrap">
      <Badge variant="light" color={statusColors[data.status]} radius="sm">
        v{data.version} {statusLabels[data.status]}
      </Badge>
      {data.latest_version !== data.version && (
        <Badge variant="outline" color={statusColors[data.latest_status]} radius="sm">
          v{data.latest_version} {statusLabels[data.latest_status]}
        </Badge>
      )}
    </Group>
  );
}
