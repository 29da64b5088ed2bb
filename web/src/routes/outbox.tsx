import { Badge, Group, Paper, Stack, Text } from '@mantine/core';
import { IconMail } from '@tabler/icons-react';
import type { ColDef } from 'ag-grid-community';
import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import {
  type Email,
  type EmailStatus,
  kindLabels,
  mailSenders,
  statusColors,
  statusLabels,
} from '../features/correspondence/correspondence';
import { EmailDrawer } from '../features/correspondence/email-drawer';
import { emailQuery, emailsQuery, useEmails } from '../features/correspondence/use-correspondence';
import { useUser } from '../features/identity/session';
import { hasAnyRole } from '../features/identity/user';
import { DataGrid, widgetCell } from '../ui/data-grid';
import { formatTimestamp } from '../ui/dates';
import { gridViewsQuery } from '../ui/grid-views';
import { PageHeader } from '../ui/page-header';
import { startQuery } from '../ui/query-client';
import { SearchBox } from '../ui/search-box';
import { Segmented } from '../ui/segmented';
import { Empty, LoadError, Loading } from '../ui/states';

function Status({ data }: { data?: Email }) {
  if (!data) return null;
  return (
    <Badge variant="light" color={statusColors[data.status]}>
      {data.status}
    </Badge>
  );
}

/** What the page shows first: every e-mail, the grid's saved views, and the e-mail the address opens. */
export function prefetch(url: URL): void {
  startQuery(emailsQuery({ status: null, q: null }));
  startQuery(gridViewsQuery('outbox-grid'));
  const open = url.searchParams.get('email');
  if (open) startQuery(emailQuery(open));
}

/**
 * Correspondence: every e-mail to an account — statements, reminders, invoice copies — with its status
 * (queued, sent, failed and retried, bounced), its attempts and last error; open one for its history, the
 * .eml as sent, and retry or resend. Without SMTP_URL, "sent" means kept in the outbox folder.
 */
export default function OutboxPage() {
  const user = useUser();
  const [params, setParams] = useSearchParams();
  const [status, setStatus] = useState<EmailStatus | 'all'>('all');
  const [search, setSearch] = useState('');
  const emails = useEmails({ status: status === 'all' ? null : status, q: search.trim() || null });
  const open = params.get('email');
  const setOpen = (id: string | null) => setParams(id ? { email: id } : {}, { replace: true });
  const maySend = hasAnyRole(user, mailSenders);

  const columns = useMemo<ColDef<Email>[]>(
    () => [
      {
        field: 'status',
        headerName: 'Status',
        minWidth: 110,
        maxWidth: 130,
        cellClass: widgetCell,
        cellRenderer: Status,
      },
      {
        field: 'created_at',
        headerName: 'Queued',
        minWidth: 160,
        sort: 'desc',
        valueFormatter: (p) => formatTimestamp(p.value),
      },
      { field: 'subject', headerName: 'Subject', minWidth: 280, flex: 2 },
      { field: 'account_id', headerName: 'Account', minWidth: 110 },
      {
        field: 'to_addresses',
        headerName: 'To',
        minWidth: 180,
        valueFormatter: (p) => (p.value as string[] | undefined)?.join(', ') ?? '',
      },
      {
        field: 'kind',
        headerName: 'Kind',
        minWidth: 110,
        valueFormatter: (p) => kindLabels[p.value] ?? p.value,
      },
      { field: 'attempts', headerName: 'Attempts', type: 'rightAligned', minWidth: 100, maxWidth: 120 },
      {
        colId: 'error',
        headerName: 'Last error',
        minWidth: 200,
        flex: 1,
        valueGetter: (p) =>
          p.data?.status === 'sent' ? '' : (p.data?.bounce_reason ?? p.data?.last_error ?? ''),
      },
      {
        field: 'sent_at',
        headerName: 'Sent',
        minWidth: 160,
        valueFormatter: (p) => formatTimestamp(p.value),
      },
      { field: 'transport', headerName: 'Via', minWidth: 90, maxWidth: 110 },
    ],
    [],
  );

  const counts = emails.data?.counts;
  return (
    <>
      <PageHeader
        title="Correspondence"
        description="Every e-mail to an account with its delivery state. Failed e-mails are tried again with backoff; bounced ones are final until resent, to a corrected address if need be. Open one for its history and the message as sent."
        actions={<SearchBox value={search} onChange={setSearch} placeholder="Subject or recipient" />}
      />
      <Group mb="md" gap="md">
        <Segmented
          value={status}
          onChange={(v) => setStatus(v as EmailStatus | 'all')}
          data={[
            { value: 'all', label: 'All' },
            ...(['queued', 'sent', 'failed', 'bounced'] as const).map((s) => ({
              value: s,
              label: `${statusLabels[s]}${counts ? ` (${counts[s]})` : ''}`,
            })),
          ]}
          data-testid="outbox-status"
        />
      </Group>
      {emails.isPending ? (
        <Loading label="Loading e-mails…" />
      ) : emails.isError ? (
        <LoadError error={emails.error} retry={() => void emails.refetch()} what="the e-mails" />
      ) : (
        <Stack gap="xs">
          <Text size="sm" c="dimmed">
            {emails.data.total} e-mail{emails.data.total === 1 ? '' : 's'}
            {emails.data.total > emails.data.items.length
              ? `, the latest ${emails.data.items.length} shown`
              : ''}
          </Text>
          <DataGrid<Email>
            rows={emails.data.items}
            columns={columns}
            rowId={(e) => e.email_id}
            testId="outbox-grid"
            onRowClick={(e) => setOpen(e.email_id)}
            height={emails.data.items.length <= 14 ? 'auto' : undefined}
            empty={
              <Paper withBorder>
                <Empty
                  icon={<IconMail size={22} stroke={1.5} />}
                  title="No e-mails"
                  description="Statements, reminders and invoice copies appear here once they are queued."
                />
              </Paper>
            }
          />
        </Stack>
      )}
      <EmailDrawer emailId={open} onClose={() => setOpen(null)} onOpen={setOpen} maySend={maySend} />
    </>
  );
}
