import { Code, Table, Text } from '@mantine/core';
import { evidenceLabel } from './claim';

function value(v: unknown) {
  if (v === null || v === undefined || v === '')
    return (
      <Text c="dimmed" size="sm">
        —
      </Text>
    );
  if (Array.isArray(v)) {
    if (v.every((x) => typeof x !== 'object' || x === null)) return <Text size="sm">{v.join(', ')}</Text>;
    return <Evidence evidence={{ ...v }} nested />;
  }
  if (typeof v === 'object') return <Evidence evidence={v as Record<string, unknown>} nested />;
  if (typeof v === 'boolean') return <Text size="sm">{v ? 'Yes' : 'No'}</Text>;
  return <Code>{String(v)}</Code>;
}

/** A finding's evidence (deal, sell-out line, position, figures compared) as a small key–value table. */
export function Evidence({
  evidence,
  nested = false,
}: {
  evidence: Record<string, unknown>;
  nested?: boolean;
}) {
  const entries = Object.entries(evidence ?? {});
  if (entries.length === 0)
    return nested ? null : (
      <Text size="sm" c="dimmed">
        No evidence recorded.
      </Text>
    );
  return (
    <Table withRowBorders={!nested} fz="sm" verticalSpacing={2} horizontalSpacing="xs">
      <Table.Tbody>
        {entries.map(([k, v]) => (
          <Table.Tr key={k}>
            <Table.Td w={nested ? undefined : 200} c="dimmed" style={{ verticalAlign: 'top' }}>
              {evidenceLabel(k)}
            </Table.Td>
            <Table.Td>{value(v)}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
