import { Button, Group, Select, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconHistory, IconUser } from '@tabler/icons-react';
import { useState } from 'react';
import type { AuditEvent } from '../features/platform/audit/audit-event';
import { AuditEventDrawer } from '../features/platform/audit/audit-event-drawer';
import { AuditEventsGrid } from '../features/platform/audit/audit-events-grid';
import { recentAuditQuery, useRecentAudit } from '../features/platform/audit/use-audit';
import { gridViewsQuery } from '../ui/grid-views';
import { PageHeader } from '../ui/page-header';
import { startInfiniteQuery, startQuery } from '../ui/query-client';
import { Empty, LoadError, Loading } from '../ui/states';

/** The records that have an audit trail today (documents are recorded on the record they are filed to). */
const entityTypes = [
  { value: 'account', label: 'Accounts' },
  { value: 'user', label: 'Users' },
];

/** What the page shows first: the latest events (no filter chosen) and its grid's saved views. */
export function prefetch(): void {
  startInfiniteQuery(recentAuditQuery({ entityType: '', actor: '' }));
  startQuery(gridViewsQuery('audit-events-grid'));
}

export default function AdminAuditPage() {
  const [entityType, setEntityType] = useState<string | null>(null);
  const [actorInput, setActorInput] = useState('');
  const [actor] = useDebouncedValue(actorInput.trim(), 350);
  const [open, setOpen] = useState<AuditEvent | null>(null);
  const recent = useRecentAudit({ entityType: entityType ?? '', actor });
  const events = recent.data?.pages.flat() ?? [];
  const filtered = Boolean(entityType || actor);

  return (
    <>
      <PageHeader
        title="Audit trail"
        description="Every change made in Clearhouse, newest first: who made it, when, and each field before and after. The trail cannot be edited or deleted."
        actions={
          <>
            <Select
              placeholder="All records"
              data={entityTypes}
              value={entityType}
              onChange={setEntityType}
              clearable
              w={170}
              aria-label="Record type"
            />
            <TextInput
              placeholder="Made by"
              leftSection={<IconUser size={16} />}
              value={actorInput}
              onChange={(event) => setActorInput(event.currentTarget.value)}
              w={200}
              aria-label="Made by"
            />
          </>
        }
      />
      {recent.isPending ? (
        <Loading label="Loading the audit trail…" />
      ) : recent.isError ? (
        <LoadError error={recent.error} retry={() => void recent.refetch()} what="the audit trail" />
      ) : events.length === 0 ? (
        <Empty
          icon={<IconHistory size={22} stroke={1.5} />}
          title={filtered ? 'No changes match these filters' : 'No changes recorded yet'}
          description={
            filtered
              ? 'Clear the record type or the name to see more.'
              : 'Changes to accounts and users appear here as soon as anyone makes them.'
          }
        />
      ) : (
        <>
          <AuditEventsGrid events={events} onOpen={setOpen} />
          <Group justify="space-between" mt="xs">
            <Text size="xs" c="dimmed">
              {events.length} event{events.length === 1 ? '' : 's'} shown. Click one to see its before and
              after.
            </Text>
            {recent.hasNextPage && (
              <Button
                size="xs"
                variant="default"
                onClick={() => void recent.fetchNextPage()}
                loading={recent.isFetchingNextPage}
              >
                Load older events
              </Button>
            )}
          </Group>
        </>
      )}
      <AuditEventDrawer event={open} onClose={() => setOpen(null)} />
    </>
  );
}
