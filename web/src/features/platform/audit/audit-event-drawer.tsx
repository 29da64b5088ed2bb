import { Anchor, Badge, DataList, Drawer, Stack } from '@mantine/core';
import { Link } from 'react-router';
import { formatTimestamp } from '../../../ui/dates';
import { AuditDiff } from './audit-diff';
import { type AuditEvent, actionLabel } from './audit-event';
import { entityLabel } from './audit-events-grid';

/** Pages that show a record, so an event can lead back to it. */
function recordLink(event: AuditEvent): string | null {
  if (event.entity_type === 'account') return `/accounts/${encodeURIComponent(event.entity_id)}`;
  return null;
}

export function AuditEventDrawer({ event, onClose }: { event: AuditEvent | null; onClose: () => void }) {
  const link = event && recordLink(event);
  return (
    <Drawer
      opened={event !== null}
      onClose={onClose}
      position="right"
      size="xl"
      title={event && `${actionLabel(event.action)}: ${entityLabel(event.entity_type)} ${event.entity_id}`}
      styles={{ title: { fontWeight: 600, fontSize: 'var(--mantine-font-size-lg)' } }}
    >
      {event && (
        <Stack gap="lg" data-testid="audit-event">
          <DataList labelWidth={120} withDivider>
            <DataList.Item>
              <DataList.ItemLabel>When</DataList.ItemLabel>
              <DataList.ItemValue>{formatTimestamp(event.occurred_at)}</DataList.ItemValue>
            </DataList.Item>
            <DataList.Item>
              <DataList.ItemLabel>By</DataList.ItemLabel>
              <DataList.ItemValue>{event.actor_name}</DataList.ItemValue>
            </DataList.Item>
            <DataList.Item>
              <DataList.ItemLabel>Action</DataList.ItemLabel>
              <DataList.ItemValue>
                <Badge variant="light" color="gray">
                  {event.action}
                </Badge>
              </DataList.ItemValue>
            </DataList.Item>
            <DataList.Item>
              <DataList.ItemLabel>Record</DataList.ItemLabel>
              <DataList.ItemValue>
                {link ? (
                  <Anchor component={Link} to={link} size="sm" onClick={onClose}>
                    {entityLabel(event.entity_type)} {event.entity_id}
                  </Anchor>
                ) : (
                  `${entityLabel(event.entity_type)} ${event.entity_id}`
                )}
              </DataList.ItemValue>
            </DataList.Item>
            {event.account_id && (
              <DataList.Item>
                <DataList.ItemLabel>Account</DataList.ItemLabel>
                <DataList.ItemValue>{event.account_id}</DataList.ItemValue>
              </DataList.Item>
            )}
          </DataList>
          <AuditDiff event={event} />
        </Stack>
      )}
    </Drawer>
  );
}
