import { Badge, Group, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { IconChartBar } from '@tabler/icons-react';
import { useMemo } from 'react';
import { BarChart, LineChart } from '../../ui/chart-views';
import { formatCount } from '../../ui/money';
import { Empty } from '../../ui/states';
import { ruleTitle } from '../claims/claim';
import { formatMonth, formatRate, type Scorecard } from './reports';

const palette = [
  'indigo.6',
  'red.6',
  'orange.6',
  'teal.6',
  'grape.6',
  'yellow.6',
  'cyan.6',
  'pink.6',
  'lime.6',
  'blue.6',
  'violet.6',
  'green.6',
];

const effectColors: Record<string, string> = {
  reject: 'red',
  adjust: 'orange',
  review: 'yellow',
  report: 'gray',
};

function Figure({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <Paper withBorder p="md">
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text fz={24} fw={600}>
        {value}
      </Text>
      {hint && (
        <Text size="xs" c="dimmed">
          {hint}
        </Text>
      )}
    </Paper>
  );
}

/** A partner's (or every partner's) scorecard: figures, findings by rule code per month, rates, top errors. */
export function ScorecardView({ card, partner = false }: { card: Scorecard; partner?: boolean }) {
  // Partners read the findings in words; the desk reads the rule codes it works by, with the words below.
  const ruleName = (code: string) => (partner ? ruleTitle(code) : code);
  const findings = useMemo(
    () =>
      card.months.map((m) => ({
        month: formatMonth(m.month),
        ...Object.fromEntries(card.rule_codes.map((code) => [code, m.by_rule_code[code] ?? 0])),
      })),
    [card],
  );
  const rates = useMemo(
    () =>
      card.months.map((m) => ({
        month: formatMonth(m.month),
        error_rate: m.error_rate === null ? null : Number(m.error_rate) * 100,
        first_pass_rate: m.first_pass_rate === null ? null : Number(m.first_pass_rate) * 100,
      })),
    [card],
  );
  if (card.totals.lines === 0) {
    return (
      <Paper withBorder>
        <Empty
          icon={<IconChartBar size={22} stroke={1.5} />}
          title="No validated claim lines yet"
          description="The scorecard counts claim lines once validation has run over them."
        />
      </Paper>
    );
  }
  return (
    <Stack gap="lg" data-testid="scorecard">
      <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }}>
        <Figure label="Validated lines" value={formatCount(card.totals.lines)} />
        <Figure
          label="Error rate"
          value={formatRate(card.totals.error_rate)}
          hint={`${formatCount(card.totals.error_lines)} lines rejected or adjusted`}
        />
        <Figure
          label="First-pass rate"
          value={formatRate(card.totals.first_pass_rate)}
          hint={`${formatCount(card.totals.first_pass_lines)} lines approved without findings`}
        />
        <Figure
          label={partner ? 'Kinds of error seen' : 'Rule codes seen'}
          value={String(card.rule_codes.length)}
        />
      </SimpleGrid>

      <Paper withBorder p="md">
        <Title order={4} mb="sm">
          {partner ? 'Findings by kind per month' : 'Findings by rule code per month'}
        </Title>
        {card.rule_codes.length === 0 ? (
          <Text c="dimmed">No findings: every validated line passed.</Text>
        ) : (
          <BarChart
            h={300}
            data={findings}
            dataKey="month"
            stacked
            withLegend
            series={card.rule_codes.map((code, i) => ({
              name: code,
              label: ruleName(code),
              color: palette[i % palette.length]!,
            }))}
            label={partner ? 'Findings by kind per month' : 'Findings by rule code per month'}
            wholeNumbers
            data-testid="scorecard-findings-chart"
          />
        )}
      </Paper>

      <Paper withBorder p="md">
        <Title order={4} mb="sm">
          Error rate and first-pass rate
        </Title>
        <LineChart
          h={240}
          data={rates}
          dataKey="month"
          withLegend
          series={[
            { name: 'error_rate', label: 'Error rate', color: 'red.6' },
            { name: 'first_pass_rate', label: 'First-pass rate', color: 'teal.6' },
          ]}
          label="Error rate and first-pass rate by month"
          valueFormatter={(v) => `${v.toFixed(1)} %`}
          tickFormatter={(v) => `${v} %`}
          domain={[0, 100]}
          connectNulls
          data-testid="scorecard-rates-chart"
        />
      </Paper>

      <Paper withBorder p="md">
        <Title order={4} mb="sm">
          Top recurring errors
        </Title>
        {card.top_errors.length === 0 ? (
          <Text c="dimmed">None.</Text>
        ) : (
          <Table verticalSpacing="sm" data-testid="scorecard-top-errors">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{partner ? 'Error' : 'Rule code'}</Table.Th>
                <Table.Th ta="right">Lines</Table.Th>
                <Table.Th ta="right">Share</Table.Th>
                <Table.Th ta="right">Months</Table.Th>
                <Table.Th>Recommendation</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {card.top_errors.slice(0, 10).map((e) => (
                <Table.Tr key={e.rule_code}>
                  <Table.Td>
                    <Group gap={6} wrap="nowrap">
                      <Text ff={partner ? undefined : 'monospace'} size="sm">
                        {ruleName(e.rule_code)}
                      </Text>
                      <Badge
                        size="xs"
                        variant="light"
                        color={effectColors[e.effect] ?? 'gray'}
                        style={{ flexShrink: 0, overflow: 'visible' }}
                      >
                        {e.effect}
                      </Badge>
                    </Group>
                    {!partner && (
                      <Text size="xs" c="dimmed">
                        {ruleTitle(e.rule_code)}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td ta="right">{formatCount(e.lines)}</Table.Td>
                  <Table.Td ta="right">{formatRate(e.share)}</Table.Td>
                  <Table.Td ta="right">
                    {e.months}{' '}
                    <Text span size="xs" c="dimmed">
                      (last {formatMonth(e.last_month)})
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{e.recommendation}</Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Paper>
    </Stack>
  );
}

/** Every partner's figures side by side (the desk's overview when no partner is picked). */
export function PartnerFigures({
  partners,
  onPick,
}: {
  partners: Scorecard['partners'];
  onPick?: (accountId: string) => void;
}) {
  if (partners.length < 2) return null;
  return (
    <Paper withBorder p="md">
      <Title order={4} mb="sm">
        By partner
      </Title>
      <Table highlightOnHover={!!onPick} data-testid="scorecard-partners">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Partner</Table.Th>
            <Table.Th ta="right">Lines</Table.Th>
            <Table.Th ta="right">Error rate</Table.Th>
            <Table.Th ta="right">First-pass rate</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {[...partners]
            .sort((a, b) => Number(b.error_rate ?? 0) - Number(a.error_rate ?? 0))
            .map((p) => (
              <Table.Tr
                key={p.account_id}
                style={onPick ? { cursor: 'pointer' } : undefined}
                onClick={onPick ? () => onPick(p.account_id) : undefined}
              >
                <Table.Td>{p.partner_name ?? p.account_id}</Table.Td>
                <Table.Td ta="right">{formatCount(p.lines)}</Table.Td>
                <Table.Td ta="right">{formatRate(p.error_rate)}</Table.Td>
                <Table.Td ta="right">{formatRate(p.first_pass_rate)}</Table.Td>
              </Table.Tr>
            ))}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}
