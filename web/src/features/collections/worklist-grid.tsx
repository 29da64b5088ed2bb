import { Button, Checkbox, Group, Text, Tooltip } from '@mantine/core';
import type { ColDef, ICellRendererParams } from 'ag-grid-community';
import { useMemo } from 'react';
import { DataGrid, widgetCell } from '../../ui/data-grid';
import { formatDate, formatTimestamp } from '../../ui/dates';
import { compareAmounts, formatAmount, formatMoney } from '../../ui/money';
import { RowWidget } from '../../ui/row-widget';
import { type WorklistAction, type WorklistRow, worklistActionLabels } from './collections';

export const worklistRowId = (row: Pick<WorklistRow, 'account_id' | 'currency'>) =>
  `${row.account_id}\u0000${row.currency}`;

/** Why this account ranks where it does: the factors of its priority, in a tooltip. */
function PriorityCell({ data }: ICellRendererParams<WorklistRow>) {
  if (!data) return null;
  const f = data.priority_factors;
  return (
    <Tooltip
      multiline
      w={360}
      withArrow
      openDelay={200}
      label={
        <>
          <Text size="xs" fw={600}>
            Why this account ranks here
          </Text>
          <Text size="xs">{f.explanation}</Text>
          <Text size="xs" c="dimmed" mt={4}>
            Past due not in dispute, in {data.priority_currency}, × the age weight of the oldest item (1–30
            days ×1, 31–60 ×1.5, 61–90 ×2, over 90 ×3), + 1,000 per promise broken in the last 180 days.
          </Text>
        </>
      }
    >
      <Text
        size="sm"
        ta="right"
        w="100%"
        data-testid={`priority-${data.account_id}`}
        style={{ cursor: 'help' }}
      >
        {formatAmount(data.priority)}
      </Text>
    </Tooltip>
  );
}

/** The worklist in the server's priority order; a row opens the account; its next action is one click. */
export function WorklistGrid({
  rows,
  search,
  onRowClick,
  selected,
  onToggle,
  onAction,
  busy,
  reportingCurrency,
}: {
  reportingCurrency: string;
  rows: WorklistRow[];
  search?: string;
  onRowClick: (row: WorklistRow) => void;
  selected: ReadonlySet<string>;
  onToggle: (row: WorklistRow) => void;
  onAction: (row: WorklistRow, action: WorklistAction) => void;
  busy: boolean;
}) {
  const columns = useMemo<ColDef<WorklistRow>[]>(
    () => [
      {
        colId: 'select',
        headerName: '',
        width: 48,
        minWidth: 48,
        maxWidth: 48,
        flex: 0,
        sortable: false,
        filter: false,
        resizable: false,
        pinned: 'left',
        cellClass: widgetCell,
        cellRenderer: ({ data }: ICellRendererParams<WorklistRow>) =>
          data ? (
            <RowWidget onClick={() => onToggle(data)} testId={`select-${data.account_id}`}>
              <Checkbox
                size="xs"
                checked={selected.has(worklistRowId(data))}
                readOnly
                aria-label={`Select ${data.name}`}
              />
            </RowWidget>
          ) : null,
      },
      {
        field: 'account_id',
        headerName: 'Account',
        minWidth: 250,
        flex: 2,
        valueGetter: (p) => (p.data ? `${p.data.account_id} · ${p.data.name}` : ''),
      },
      {
        field: 'priority',
        headerName: 'Priority',
        minWidth: 110,
        maxWidth: 140,
        type: 'rightAligned',
        comparator: (a, b) => compareAmounts(a, b),
        filter: false,
        cellClass: widgetCell,
        cellRenderer: PriorityCell,
      },
      {
        field: 'past_due_amount',
        headerName: 'Past due',
        type: 'rightAligned',
        minWidth: 140,
        valueFormatter: (p) => (p.data ? formatMoney(p.value, p.data.currency) : ''),
        comparator: (a, b) => compareAmounts(a, b),
        filter: false,
      },
      {
        field: 'past_due_reporting',
        colId: 'past_due_reporting',
        headerName: `Past due in ${reportingCurrency}`,
        type: 'rightAligned',
        minWidth: 150,
        headerTooltip: 'The past-due amount in the reporting currency at the rate of the as-of date',
        valueFormatter: (p) =>
          p.data && p.value !== null
            ? formatMoney(p.value, p.data.priority_currency)
            : p.data
              ? 'no rate'
              : '',
        comparator: (a, b) => compareAmounts(a, b),
        filter: false,
      },
      {
        field: 'oldest_days_past_due',
        headerName: 'Days late',
        headerTooltip: 'Days past due of the oldest item',
        type: 'rightAligned',
        minWidth: 104,
        maxWidth: 120,
        filter: 'agNumberColumnFilter',
      },
      {
        colId: 'open_promise',
        headerName: 'Open promise',
        // The promise the collector follows up: always in view.
        hide: false,
        minWidth: 210,
        valueGetter: (p) =>
          p.data?.open_promise
            ? `${formatMoney(p.data.open_promise.amount, p.data.currency)} by ${formatDate(p.data.open_promise.promised_date)}`
            : '',
      },
      {
        field: 'next_action',
        headerName: 'Next action',
        minWidth: 190,
        flex: 1.5,
        // What the collector does next is always in view, however narrow the screen.
        hide: false,
        pinned: 'right',
        cellClass: widgetCell,
        cellRenderer: ({ data }: ICellRendererParams<WorklistRow>) => {
          if (!data) return null;
          const step = data.next_step;
          if (!step)
            return (
              <Text size="sm" c="dimmed">
                {data.next_action}
              </Text>
            );
          return (
            <Group gap={6} wrap="nowrap">
              <Tooltip label={data.next_action} openDelay={300}>
                <div>
                  <RowWidget
                    onClick={() => !busy && onAction(data, step)}
                    testId={`next-action-${data.account_id}`}
                  >
                    <Button size="compact-xs" variant="light" disabled={busy}>
                      {worklistActionLabels[step]}
                    </Button>
                  </RowWidget>
                </div>
              </Tooltip>
            </Group>
          );
        },
      },
      {
        field: 'disputed_amount',
        headerName: 'In dispute',
        type: 'rightAligned',
        minWidth: 110,
        valueFormatter: (p) => (compareAmounts(p.value, '0') === 0 ? '' : formatAmount(p.value)),
        comparator: (a, b) => compareAmounts(a, b),
        filter: false,
      },
      {
        field: 'broken_promises',
        headerName: 'Broken',
        headerTooltip: 'Promises broken in the last 180 days',
        type: 'rightAligned',
        minWidth: 90,
        filter: 'agNumberColumnFilter',
      },
      { field: 'collector', headerName: 'Collector', minWidth: 150, valueFormatter: (p) => p.value ?? '—' },
      {
        field: 'last_activity_at',
        headerName: 'Last activity',
        minWidth: 140,
        hide: true,
        valueFormatter: (p) => formatTimestamp(p.value),
      },
    ],
    [selected, onToggle, onAction, busy, reportingCurrency],
  );
  return (
    <DataGrid<WorklistRow>
      rows={rows}
      columns={columns}
      rowId={worklistRowId}
      testId="worklist-grid"
      search={search}
      onRowClick={onRowClick}
      height={rows.length <= 14 ? 'auto' : undefined}
    />
  );
}
