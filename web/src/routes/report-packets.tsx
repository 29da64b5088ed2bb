import { Badge, Button, Group, Modal, Paper, Select, Stack, Switch, TagsInput, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconMailForward, IconPlus } from '@tabler/icons-react';
import type { ColDef } from 'ag-grid-community';
import { useMemo, useState } from 'react';
import { frequencyLabels, type ReportSchedule, reportLabels } from '../features/reviews/reviews';
import {
  schedulesQuery,
  useDeleteSchedule,
  useSaveSchedule,
  useSchedules,
} from '../features/reviews/use-reviews';
import { formMessage } from '../ui/api';
import { DataGrid, widgetCell } from '../ui/data-grid';
import { formatTimestamp } from '../ui/dates';
import { gridViewsQuery } from '../ui/grid-views';
import { PageHeader } from '../ui/page-header';
import { startQuery } from '../ui/query-client';
import { Segmented } from '../ui/segmented';
import { Empty, LoadError, Loading } from '../ui/states';

/** What the page shows first: the schedules and their grid's saved views. */
export function prefetch(): void {
  startQuery(schedulesQuery);
  startQuery(gridViewsQuery('schedules-grid'));
}

/** The report packets a manager has scheduled: which report, as XLSX or PDF, how often, to whom. */
export default function ReportPacketsPage() {
  const schedules = useSchedules();
  const [editing, setEditing] = useState<ReportSchedule | 'new' | null>(null);
  const columns = useMemo<ColDef<ReportSchedule>[]>(
    () => [
      {
        field: 'report',
        headerName: 'Report',
        minWidth: 160,
        valueFormatter: (p) => reportLabels[p.value] ?? p.value,
      },
      {
        field: 'format',
        headerName: 'As',
        minWidth: 70,
        maxWidth: 90,
        valueFormatter: (p) => String(p.value).toUpperCase(),
      },
      { field: 'frequency', headerName: 'How often', minWidth: 110 },
      {
        field: 'recipients',
        headerName: 'To',
        minWidth: 240,
        flex: 2,
        valueFormatter: (p) => (p.value ?? []).join(', '),
      },
      {
        field: 'active',
        headerName: 'State',
        minWidth: 90,
        cellClass: widgetCell,
        cellRenderer: ({ value }: { value: boolean }) => (
          <Badge color={value ? 'teal' : 'gray'} variant="light">
            {value ? 'active' : 'paused'}
          </Badge>
        ),
      },
      {
        field: 'last_sent_at',
        headerName: 'Last sent',
        minWidth: 160,
        valueFormatter: (p) => (p.value ? `${formatTimestamp(p.value)} (${p.data?.last_period})` : 'not yet'),
      },
      { field: 'created_by', headerName: 'Scheduled by', minWidth: 130 },
    ],
    [],
  );
  return (
    <>
      <PageHeader
        title="Report packets"
        description="Reports e-mailed on a schedule: the aging, the Top 40, the measures, the claim log, open deductions or the credit-pend report, as XLSX or PDF, daily, weekly or monthly. Each period’s packet is sent once."
        actions={
          <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')}>
            Schedule a report
          </Button>
        }
      />
      {schedules.isPending ? (
        <Loading label="Loading the schedules…" />
      ) : schedules.isError ? (
        <LoadError error={schedules.error} retry={() => void schedules.refetch()} what="the schedules" />
      ) : (
        <DataGrid<ReportSchedule>
          rows={schedules.data.schedules}
          columns={columns}
          rowId={(s) => s.schedule_id}
          testId="schedules-grid"
          height="auto"
          onRowClick={(s) => setEditing(s)}
          empty={
            <Paper withBorder>
              <Empty
                icon={<IconMailForward size={22} stroke={1.5} />}
                title="No report is scheduled"
                description="Schedule a report to have it e-mailed to you and your team every day, week or month."
              />
            </Paper>
          }
        />
      )}
      {editing && (
        <ScheduleModal schedule={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />
      )}
    </>
  );
}

function ScheduleModal({ schedule, onClose }: { schedule: ReportSchedule | null; onClose: () => void }) {
  const save = useSaveSchedule();
  const remove = useDeleteSchedule();
  const [report, setReport] = useState<string>(schedule?.report ?? 'aging');
  const [format, setFormat] = useState<string>(schedule?.format ?? 'xlsx');
  const [frequency, setFrequency] = useState<string>(schedule?.frequency ?? 'weekly');
  const [recipients, setRecipients] = useState<string[]>(schedule?.recipients ?? []);
  const [active, setActive] = useState(schedule?.active ?? true);
  const body = {
    report: report as ReportSchedule['report'],
    format: format as ReportSchedule['format'],
    frequency: frequency as ReportSchedule['frequency'],
    recipients,
    active,
  };
  return (
    <Modal opened onClose={onClose} title={schedule ? 'Change the schedule' : 'Schedule a report'}>
      <Stack>
        <Select
          label="Report"
          data={Object.entries(reportLabels).map(([value, label]) => ({ value, label }))}
          value={report}
          onChange={(v) => v && setReport(v)}
          allowDeselect={false}
        />
        <div>
          <Text size="sm" fw={500} mb={4}>
            As
          </Text>
          <Segmented
            data={[
              { value: 'xlsx', label: 'XLSX' },
              { value: 'pdf', label: 'PDF' },
            ]}
            value={format}
            onChange={setFormat}
          />
        </div>
        <Select
          label="How often"
          data={Object.entries(frequencyLabels).map(([value, label]) => ({ value, label }))}
          value={frequency}
          onChange={(v) => v && setFrequency(v)}
          allowDeselect={false}
        />
        <TagsInput
          label="Recipients"
          description="E-mail addresses; press Enter after each."
          value={recipients}
          onChange={setRecipients}
          data-testid="schedule-recipients"
        />
        <Switch label="Active" checked={active} onChange={(e) => setActive(e.currentTarget.checked)} />
        {(save.error || remove.error) && (
          <Text c="red" size="sm">
            {formMessage(save.error ?? remove.error, [])}
          </Text>
        )}
        <Group justify="space-between">
          {schedule ? (
            <Button
              variant="subtle"
              color="red"
              loading={remove.isPending}
              onClick={() => remove.mutate(schedule.schedule_id, { onSuccess: onClose })}
            >
              Delete
            </Button>
          ) : (
            <span />
          )}
          <Button
            disabled={recipients.length === 0}
            loading={save.isPending}
            onClick={() =>
              save.mutate(
                { id: schedule?.schedule_id, body },
                {
                  onSuccess: () => {
                    notifications.show({ message: `${reportLabels[report]} scheduled ${frequency}.` });
                    onClose();
                  },
                },
              )
            }
          >
            Save
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
