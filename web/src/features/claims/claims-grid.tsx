import { Badge } from '@mantine/core';
import type { ColDef, ICellRendererParams } from 'ag-grid-community';
import { type ReactNode, useMemo } from 'react';
import { useNavigate } from 'react-router';
import { DataGrid, widgetCell } from '../../ui/data-grid';
import { formatDate } from '../../ui/dates';
import { compareAmounts, formatAmount } from '../../ui/money';
import { type ClaimItem, type ClaimStatus, claimPath, claimStatusColors, claimStatusLabels } from './claim';

function StatusBadge({ value }: ICellRendererParams<ClaimItem, ClaimStatus>) {
  if (!value) return null;
  return (
    <Badge variant="light" color={claimStatusColors[value]}>
      {claimStatusLabels[value]}
    </Badge>
  );
}

/** The claim queue: newest submitted first, status badges, claimed and approved totals. */
export function ClaimsGrid({
  claims,
  search,
  empty,
  partner = false,
  height,
}: {
  claims: ClaimItem[];
  search?: string;
  empty?: ReactNode;
  partner?: boolean;
  height?: 'auto' | number | string;
}) {
  const navigate = useNavigate();
  const columns = useMemo<ColDef<ClaimItem>[]>(
    () => [
      { field: 'claim_id', headerName: 'Claim', minWidth: 120 },
      {
        field: 'submitted_date',
        headerName: 'Submitted',
        minWidth: 120,
        sort: 'desc',
        valueFormatter: (params) => formatDate(params.value),
      },
      {
        colId: 'partner',
        headerName: 'Partner',
        minWidth: 170,
        hide: partner,
        valueGetter: (params) => params.data?.partner_name ?? params.data?.account_id ?? '',
      },
      {
        colId: 'program',
        headerName: 'Program',
        minWidth: 160,
        valueGetter: (params) => params.data?.program_name ?? params.data?.program_id ?? '',
      },
      {
        field: 'status',
        headerName: 'Status',
        minWidth: 150,
        cellRenderer: StatusBadge,
        cellClass: widgetCell,
        getQuickFilterText: (params) => (params.value ? claimStatusLabels[params.value as ClaimStatus] : ''),
      },
      { field: 'lines', headerName: 'Lines', type: 'rightAligned', minWidth: 80, maxWidth: 100 },
      {
        field: 'claimed_amount',
        headerName: 'Claimed',
        type: 'rightAligned',
        minWidth: 120,
        valueFormatter: (params) => formatAmount(params.value),
        comparator: (a, b) => compareAmounts(a, b),
      },
      {
        field: 'approved_amount',
        headerName: 'Approved',
        type: 'rightAligned',
        minWidth: 120,
        valueFormatter: (params) => formatAmount(params.value),
        comparator: (a, b) => compareAmounts(a, b),
      },
      { field: 'currency', headerName: 'Currency', minWidth: 90, maxWidth: 110 },
      {
        colId: 'findings',
        headerName: 'Findings',
        minWidth: 200,
        valueGetter: (params) => params.data?.rule_codes.join(', ') ?? '',
      },
    ],
    [partner],
  );
  return (
    <DataGrid
      testId="claims-grid"
      rows={claims}
      columns={columns}
      rowId={(claim) => claim.claim_id}
      search={search}
      empty={empty}
      height={height}
      onRowClick={(claim) => navigate(claimPath(claim.claim_id))}
    />
  );
}
