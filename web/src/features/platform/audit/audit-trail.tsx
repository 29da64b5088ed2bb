import { Anchor, Card, Group, Stack, Text, ThemeIcon, Timeline, Title, Tooltip } from '@mantine/core';
import { IconHistory, IconPencil, IconPlus, IconPoint, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { ApiError } from '../../../ui/api';
import { formatAgo, formatTimestamp } from '../../../ui/dates';
import { Empty, LoadError, Loading } from '../../../ui/states';
import { AuditDiff } from './audit-diff';
import {
  type ActionKind,
  type AuditEvent,
  actionKind,
  actionLabel,
  type FieldChange,
  fieldChanges,
  fieldLabel,
  isTechnical,
  readable,
} from './audit-event';
import { useAuditTrail } from './use-audit';

const kindLook: Record<ActionKind, { color: string; icon: typeof IconPlus }> = {
  create: { color: 'teal', icon: IconPlus },
  change: { color: 'indigo', icon: IconPencil },
  delete: { color: 'red', icon: IconTrash },
  other: { color: 'gray', icon: IconPoint },
};

/** Who changed this record, when, and what each change was: newest first. */
export function AuditTrail({
  entityType,
  entityId,
  accountId,
}: {
  entityType: string;
  entityId: string;
  /** The owning account, where the entity id is unique only within it (a partner's claim id). */
  accountId?: string | null;
}) {
  const trail = useAuditTrail(entityType, entityId, accountId);
  return (
    <Card data-testid="audit-trail">
      <Group gap="xs" mb="md">
        <IconHistory size={18} />
        <Title order={3} fz="md" fw={600}>
          History
        </Title>
      </Group>
      {trail.isPending ? (
        <Loading label="Loading history…" />
      ) : trail.isError ? (
        trail.error instanceof ApiError && trail.error.status === 404 ? (
          <Text size="sm" c="dimmed">
            The history of this record is not available to you.
          </Text>
        ) : (
          <LoadError error={trail.error} retry={() => void trail.refetch()} what="the history" />
        )
      ) : trail.data.length === 0 ? (
        <Empty
          title="No changes recorded yet"
          description="Every change to this record will be listed here with who made it."
        />
      ) : (
        <Timeline bulletSize={24} lineWidth={2}>
          {trail.data.map((event) => (
            <Timeline.Item
              key={event.event_id}
              bullet={<Bullet event={event} />}
              title={<Heading event={event} />}
            >
              <Changes event={event} />
            </Timeline.Item>
          ))}
        </Timeline>
      )}
    </Card>
  );
}

function Bullet({ event }: { event: AuditEvent }) {
  const look = kindLook[actionKind(event)];
  return (
    <ThemeIcon size={24} radius="xl" variant="light" color={look.color}>
      <look.icon size={13} />
    </ThemeIcon>
  );
}

function Heading({ event }: { event: AuditEvent }) {
  return (
    <Stack gap={0}>
      <Text size="sm" fw={600}>
        {actionLabel(event.action)}{' '}
        <Text span size="sm" fw={400} c="dimmed">
          by
        </Text>{' '}
        {event.actor_name}
      </Text>
      <Tooltip label={formatTimestamp(event.occurred_at)} withArrow openDelay={300}>
        <Text size="xs" c="dimmed" w="fit-content">
          {formatAgo(event.occurred_at)}
        </Text>
      </Tooltip>
    </Stack>
  );
}

const preview = 4;

/** The fields in one line each (a change as before → after); the full before/after table on request. */
function Changes({ event }: { event: AuditEvent }) {
  const [open, setOpen] = useState(false);
  const changed = fieldChanges(event).filter((change) => change.changed);
  const kind = actionKind(event);
  // A change shows every changed field; a creation or attachment its readable fields, not its identifiers.
  const summary = kind === 'change' ? changed : changed.filter((change) => !isTechnical(change.field));
  if (open) {
    return (
      <Stack gap={4} mt={6}>
        <AuditDiff event={event} />
        <Anchor component="button" size="xs" onClick={() => setOpen(false)} w="fit-content">
          Hide details
        </Anchor>
      </Stack>
    );
  }
  if (changed.length === 0) return null;
  const line = (change: FieldChange) =>
    kind === 'change'
      ? `${readable(change.before)} → ${readable(change.after)}`
      : readable(kind === 'delete' ? change.before : change.after);
  return (
    <Stack gap={2} mt={6}>
      {summary.slice(0, preview).map((change) => (
        <Text key={change.field} size="xs" c="dark.4" lineClamp={2}>
          <Text span size="xs" fw={600}>
            {fieldLabel(change.field)}:
          </Text>{' '}
          {line(change)}
        </Text>
      ))}
      <Anchor component="button" size="xs" onClick={() => setOpen(true)} w="fit-content">
        {changed.length > Math.min(preview, summary.length) ? `All ${changed.length} fields` : 'Details'}
      </Anchor>
    </Stack>
  );
}
