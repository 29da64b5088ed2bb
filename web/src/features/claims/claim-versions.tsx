import { Accordion, Badge, Card, Group, Table, Text, Title } from '@mantine/core';
import { formatDate, formatTimestamp } from '../../ui/dates';
import { formatAmount, formatMoney } from '../../ui/money';
import { claimStatusColors, claimStatusLabels, lineStatusColors, lineStatusLabels, ruleTitle } from './claim';
import { useClaimVersions } from './use-claims';

/** A claim's earlier versions (before each correction), each with its lines, results and findings. */
export function ClaimVersions({
  claimId,
  accountId,
  version,
  partner = false,
}: {
  /** Partners read the findings in words; the desk reads rule codes. */
  partner?: boolean;
  claimId: string;
  accountId?: string | null;
  version: number;
}) {
  const versions = useClaimVersions(claimId, accountId);
  if (version <= 1 || !versions.data || versions.data.length === 0) return null;
  return (
    <Card data-testid="claim-versions">
      <Title order={3} fz="md" fw={600} mb="xs">
        Earlier versions
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        This is version {version}. Each correction sent a new version; the ones it replaced are kept as they
        stood.
      </Text>
      <Accordion variant="separated">
        {versions.data.map((v) => (
          <Accordion.Item
            key={v.version}
            value={String(v.version)}
            data-testid={`claim-version-${v.version}`}
          >
            <Accordion.Control>
              <Group gap="sm">
                <Text fw={600} size="sm">
                  Version {v.version}
                </Text>
                <Badge variant="light" color={claimStatusColors[v.status]}>
                  {claimStatusLabels[v.status]}
                </Badge>
                <Text size="sm" c="dimmed">
                  submitted {formatDate(v.submitted_date)} · claimed{' '}
                  {formatMoney(v.claimed_amount, v.currency)}
                  {v.approved_amount !== null && ` · approved ${formatMoney(v.approved_amount, v.currency)}`}{' '}
                  · replaced {formatTimestamp(v.superseded_at)}
                  {v.superseded_by ? ` by ${v.superseded_by}` : ''}
                </Text>
              </Group>
            </Accordion.Control>
            <Accordion.Panel>
              <Table fz="sm" striped>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Line</Table.Th>
                    <Table.Th>SKU / period</Table.Th>
                    <Table.Th ta="right">Qty</Table.Th>
                    <Table.Th ta="right">Claimed</Table.Th>
                    <Table.Th ta="right">Approved</Table.Th>
                    <Table.Th>Status</Table.Th>
                    <Table.Th>Findings</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {v.lines.map((l) => (
                    <Table.Tr key={l.line_no}>
                      <Table.Td>{l.line_no}</Table.Td>
                      <Table.Td>
                        {l.sku ?? `${formatDate(l.period_start)} – ${formatDate(l.period_end)}`}
                      </Table.Td>
                      <Table.Td ta="right">{l.qty ?? ''}</Table.Td>
                      <Table.Td ta="right">{formatAmount(String(l.claimed_amount))}</Table.Td>
                      <Table.Td ta="right">
                        {l.approved_amount === null ? '' : formatAmount(String(l.approved_amount))}
                      </Table.Td>
                      <Table.Td>
                        {l.status && (
                          <Badge size="sm" variant="light" color={lineStatusColors[l.status]}>
                            {lineStatusLabels[l.status]}
                          </Badge>
                        )}
                      </Table.Td>
                      <Table.Td>
                        <Text size="xs" ff={partner ? undefined : 'monospace'}>
                          {l.findings
                            .map((f) => (partner ? ruleTitle(f.rule_code) : f.rule_code))
                            .join(partner ? '; ' : ', ')}
                        </Text>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Accordion.Panel>
          </Accordion.Item>
        ))}
      </Accordion>
    </Card>
  );
}
