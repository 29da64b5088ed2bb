import { Alert, Autocomplete, Button, Group, Paper, Stack, Text } from '@mantine/core';
import { modals } from '@mantine/modals';
import { notifications } from '@mantine/notifications';
import { IconChecklist, IconMail, IconUserShare, IconX } from '@tabler/icons-react';
import { type ReactNode, useCallback, useMemo, useState } from 'react';
import { useNavigate } from 'react-router';
import {
  type BulkWorklistResult,
  type WorklistAction,
  type WorklistRow,
  worklistActionDoes,
} from '../features/collections/collections';
import { useConfirmedAction } from '../features/collections/next-action';
import { useBulkWorklist, useWorklist, worklistQuery } from '../features/collections/use-collections';
import { WorklistGrid, worklistRowId } from '../features/collections/worklist-grid';
import { useUser } from '../features/identity/session';
import { formatDate } from '../ui/dates';
import { gridViewsQuery } from '../ui/grid-views';
import { formatMoney } from '../ui/money';
import { PageHeader } from '../ui/page-header';
import { startQuery } from '../ui/query-client';
import { SearchBox } from '../ui/search-box';
import { Empty, LoadError, Loading } from '../ui/states';

/** "3 sent, 1 sent today already, 1 refused: R9 has no billing e-mail address." */
function bulkSummary(result: BulkWorklistResult, done: string): string {
  const parts = [`${result.done} ${done}`];
  if (result.already_done > 0) parts.push(`${result.already_done} already done today`);
  if (result.refused > 0)
    parts.push(
      `${result.refused} refused: ${result.results
        .filter((r) => r.outcome === 'refused')
        .map((r) => `${r.account_id} (${r.message})`)
        .join('; ')}`,
    );
  return parts.join(', ');
}

/** The collector's worklist: accounts with anything past due, most urgent first, with the next best action. */
export function prefetch(): void {
  startQuery(worklistQuery);
  startQuery(gridViewsQuery('worklist-grid'));
}

export default function WorklistPage() {
  const navigate = useNavigate();
  const user = useUser();
  const worklist = useWorklist();
  const { confirm, busy } = useConfirmedAction();
  const bulk = useBulkWorklist();
  const [search, setSearch] = useState('');
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [collector, setCollector] = useState('');

  const rows = worklist.data?.rows ?? [];
  const selectedRows = useMemo(() => rows.filter((r) => selected.has(worklistRowId(r))), [rows, selected]);
  const accountIds = [...new Set(selectedRows.map((r) => r.account_id))];
  const collectors = useMemo(
    () => [...new Set([user.email, ...rows.flatMap((r) => (r.collector ? [r.collector] : []))])].sort(),
    [rows, user.email],
  );

  const toggle = useCallback((row: WorklistRow) => {
    setSelected((current) => {
      const next = new Set(current);
      const id = worklistRowId(row);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  }, []);

  const confirmAction = useCallback(
    (row: WorklistRow, action: WorklistAction) =>
      confirm(
        row,
        action,
        `${formatMoney(row.past_due_amount, row.currency)} past due, the oldest ${row.oldest_days_past_due} days.`,
      ),
    [confirm],
  );

  const sendReminders = () =>
    modals.openConfirmModal({
      title: `Send reminders to ${accountIds.length} account${accountIds.length === 1 ? '' : 's'}`,
      children: (
        <Text size="sm">
          {worklistActionDoes.reminder} An account reminded today already is not reminded again.
        </Text>
      ),
      labels: { confirm: 'Send reminders', cancel: 'Cancel' },
      confirmProps: { 'data-testid': 'confirm-bulk-reminders' } as Record<string, string>,
      onConfirm: () =>
        bulk.mutate(
          { action: 'reminder', account_ids: accountIds },
          {
            onSuccess: (result) => {
              notifications.show({
                color: result.refused > 0 ? 'orange' : 'teal',
                title: 'Reminders',
                message: bulkSummary(result, 'sent'),
              });
              setSelected(new Set());
            },
            onError: (err) => notifications.show({ color: 'red', message: (err as Error).message }),
          },
        ),
    });

  const assign = () => {
    const to = collector.trim().toLowerCase() || null;
    modals.openConfirmModal({
      title: `Assign ${accountIds.length} account${accountIds.length === 1 ? '' : 's'}`,
      children: (
        <Text size="sm">
          {to ? `${to} becomes the collector of ` : 'No collector for '}
          {accountIds.join(', ')}.
        </Text>
      ),
      labels: { confirm: 'Assign', cancel: 'Cancel' },
      confirmProps: { 'data-testid': 'confirm-bulk-assign' } as Record<string, string>,
      onConfirm: () =>
        bulk.mutate(
          { action: 'assign', account_ids: accountIds, collector: to },
          {
            onSuccess: (result) => {
              notifications.show({
                color: result.refused > 0 ? 'orange' : 'teal',
                title: 'Assigned',
                message: bulkSummary(result, 'assigned'),
              });
              setSelected(new Set());
            },
            onError: (err) => notifications.show({ color: 'red', message: (err as Error).message }),
          },
        ),
    });
  };

  let body: ReactNode;
  if (worklist.isPending) body = <Loading label="Loading the worklist…" />;
  else if (worklist.isError)
    body = <LoadError error={worklist.error} retry={() => void worklist.refetch()} what="the worklist" />;
  else if (worklist.data.rows.length === 0)
    body = (
      <Empty
        icon={<IconChecklist size={22} stroke={1.5} />}
        title="Nothing past due"
        description="Accounts appear here once an item of theirs is past due."
      />
    );
  else
    body = (
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          As of {formatDate(worklist.data.as_of)}
          {worklist.data.collector ? ` · accounts of ${worklist.data.collector}` : ' · all collectors'} ·
          ranked in {worklist.data.reporting_currency} (point at a priority for its factors)
        </Text>
        {selectedRows.length > 0 && (
          <Paper withBorder px="sm" py={6} data-testid="worklist-bulk">
            <Group gap="xs" wrap="nowrap">
              <Text size="sm" fw={600}>
                {accountIds.length} selected
              </Text>
              <Button
                size="xs"
                leftSection={<IconMail size={14} />}
                onClick={sendReminders}
                loading={bulk.isPending}
                data-testid="bulk-reminders"
              >
                Send reminders
              </Button>
              <Autocomplete
                size="xs"
                placeholder="Collector's e-mail"
                data={collectors}
                value={collector}
                onChange={setCollector}
                w={220}
                data-testid="bulk-collector"
              />
              <Button
                size="xs"
                variant="light"
                leftSection={<IconUserShare size={14} />}
                onClick={assign}
                loading={bulk.isPending}
                data-testid="bulk-assign"
              >
                Assign
              </Button>
              <Button
                size="xs"
                variant="subtle"
                color="gray"
                leftSection={<IconX size={14} />}
                onClick={() => setSelected(new Set())}
              >
                Clear
              </Button>
            </Group>
          </Paper>
        )}
        {worklist.data.missing_rates.length > 0 && (
          <Alert color="yellow" variant="light">
            No exchange rate into {worklist.data.reporting_currency} on {formatDate(worklist.data.as_of)} for{' '}
            {worklist.data.missing_rates.join(', ')}: those accounts are ranked by their own amounts. Load
            fx_rates.csv through Imports.
          </Alert>
        )}
        <WorklistGrid
          rows={worklist.data.rows}
          search={search}
          onRowClick={(row) => navigate(`/accounts/${encodeURIComponent(row.account_id)}`)}
          selected={selected}
          onToggle={toggle}
          onAction={confirmAction}
          busy={busy}
          reportingCurrency={worklist.data.reporting_currency}
        />
      </Stack>
    );

  return (
    <>
      <PageHeader
        title="Worklist"
        description="Accounts with anything past due in priority order: the amount, how old, broken and open promises, and what to do next — one click does it. Select accounts to remind or assign them together."
        actions={<SearchBox value={search} onChange={setSearch} placeholder="Search accounts" />}
      />
      {body}
    </>
  );
}
