import { Badge, Switch, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { type AuditEvent, fieldChanges, fieldLabel, readable } from './audit-event';

/** Before and after side by side, field by field, with what changed highlighted. */
export function AuditDiff({ event }: { event: Pick<AuditEvent, 'before' | 'after'> }) {
  const [showAll, setShowAll] = useState(false);
  const changes = fieldChanges(event);
  const changed = changes.filter((change) => change.changed);
  const shown = showAll ? changes : changed;
  const unchanged = changes.length - changed.length;

  if (changes.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        This event records no field values.
      </Text>
    );
  }

  return (
    <>
      <Table withTableBorder withColumnBorders fz="sm" verticalSpacing={6} data-testid="audit-diff">
        <Table.Thead bg="gray.0">
          <Table.Tr>
            <Table.Th w="28%">Field</Table.Th>
            <Table.Th w="36%">Before</Table.Th>
            <Table.Th w="36%">After</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {shown.map((change) => (
            <Table.Tr key={change.field} className={change.changed ? 'changed-field' : undefined}>
              <Table.Td>
                <Text size="sm" fw={change.changed ? 600 : 400}>
                  {fieldLabel(change.field)}
                </Text>
              </Table.Td>
              <Table.Td style={{ wordBreak: 'break-word' }}>
                <Text
                  size="sm"
                  c={change.changed ? 'red.8' : 'dimmed'}
                  td={change.changed && event.after ? 'line-through' : undefined}
                >
                  {event.before ? readable(change.before) : ''}
                </Text>
              </Table.Td>
              <Table.Td style={{ wordBreak: 'break-word' }}>
                <Text size="sm" c={change.changed ? 'teal.9' : 'dimmed'}>
                  {event.after ? readable(change.after) : ''}
                </Text>
              </Table.Td>
            </Table.Tr>
          ))}
          {shown.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={3}>
                <Text size="sm" c="dimmed">
                  No field values changed.
                </Text>
              </Table.Td>
            </Table.Tr>
          )}
        </Table.Tbody>
      </Table>
      {unchanged > 0 && (
        <Switch
          mt="sm"
          size="xs"
          checked={showAll}
          onChange={(toggle) => setShowAll(toggle.currentTarget.checked)}
          label={
            <>
              Show unchanged fields{' '}
              <Badge size="xs" variant="default" ml={4}>
                {unchanged}
              </Badge>
            </>
          }
        />
      )}
    </>
  );
}
