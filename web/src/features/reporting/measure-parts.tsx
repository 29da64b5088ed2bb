import {
  Alert,
  Anchor,
  Badge,
  Drawer,
  Group,
  Paper,
  ScrollArea,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { IconAlertTriangle, IconArrowDownRight, IconArrowUpRight } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { BarChart, LineChart } from '../../ui/chart-views';
import { formatDate } from '../../ui/dates';
import { formatAmount } from '../../ui/money';
import { plainCell, plainFigureCell, plainRow } from '../../ui/plain-table';
import { LoadError, Loading } from '../../ui/states';
import { claimPath } from '../claims/claim';
import { useAccrualTotals } from '../settlement/use-settlement';
import {
  type DrillTarget,
  drillTarget,
  formatMeasure,
  isMonth,
  type MeasureBreakdown,
  type MeasureTrend,
  type MeasureValues,
  type Metric,
  type MissingRate,
  type MonthMeasures,
  metricInfo,
  monthLabel,
  monthName,
  previousMonth,
} from './reporting';
import { useMeasureClaims } from './use-reporting';

/** The month the dashboard shows, kept in the address (`?month=`); empty: the last complete month. */
export function MonthInput({ value, onChange }: { value: string; onChange: (month: string | null) => void }) {
  return (
    <TextInput
      type="month"
      label="Month"
      value={value}
      onChange={(e) => {
        const v = e.currentTarget.value;
        if (v === '' || isMonth(v)) onChange(v || null);
      }}
      w={170}
      data-testid="dashboard-month"
    />
  );
}

/** Opens the items behind a figure: a page of the app, or the claims drawer. */
export function useDrill() {
  const navigate = useNavigate();
  const [claims, setClaims] = useState<DrillTarget['claims'] | null>(null);
  const open = (target: DrillTarget) => {
    if (target.to) navigate(target.to);
    else if (target.claims) setClaims(target.claims);
  };
  return { claims: claims ?? null, open, close: () => setClaims(null) };
}

export function MissingRates({ missing, currency }: { missing: readonly MissingRate[]; currency: string }) {
  if (missing.length === 0) return null;
  return (
    <Alert color="orange" icon={<IconAlertTriangle size={18} />} mb="md" data-testid="missing-rates">
      No exchange rate into {currency} for{' '}
      {missing.map((m) => `${m.currency} on ${formatDate(m.on)}`).join(', ')}: the figures that need it are
      left empty. Load{' '}
      <Anchor component={Link} to="/imports">
        fx_rates.csv
      </Anchor>{' '}
      with a rate on or before those dates.
    </Alert>
  );
}

/** One tile per measure: the month's figure (a link to its items) and the change against the month before. */
export function MetricTiles({
  data,
  previous,
  metrics,
  onDrill,
}: {
  data: MonthMeasures;
  previous: MeasureValues | undefined;
  metrics: readonly Metric[];
  onDrill: (target: DrillTarget) => void;
}) {
  return (
    <SimpleGrid cols={{ base: 2, md: 3, xl: metrics.length > 4 ? 6 : metrics.length }} spacing="md" mb="lg">
      {metrics.map((metric) => {
        const info = metricInfo[metric];
        const value = data.total[metric];
        const before = previous?.[metric] ?? null;
        const change = value !== null && before !== null ? Number(value) - Number(before) : null;
        const better = change === null || change === 0 ? null : change > 0 === info.higherIsBetter;
        return (
          <Paper key={metric} withBorder p="md" data-testid={`tile-${metric}`}>
            <Text size="xs" c="dimmed" fw={600} tt="uppercase">
              {info.short}
            </Text>
            <Anchor
              component="button"
              type="button"
              fz={26}
              fw={600}
              c={value === null ? 'dimmed' : undefined}
              onClick={() => onDrill(drillTarget(metric, data))}
              title={`${info.description}. Click for the items behind it.`}
              data-testid={`value-${metric}`}
            >
              {formatMeasure(metric, value)}
            </Anchor>
            <Group gap={4} mt={2} wrap="nowrap">
              {change !== null && change !== 0 ? (
                <Text size="xs" c={better ? 'teal.7' : 'red.7'} span>
                  {change > 0 ? <IconArrowUpRight size={12} /> : <IconArrowDownRight size={12} />}{' '}
                  {change > 0 ? '+' : ''}
                  {change.toFixed(1)} vs {monthName(previousMonth(data.month))}
                </Text>
              ) : (
                <Text size="xs" c="dimmed" span>
                  {before === null ? 'no figure the month before' : 'unchanged'}
                </Text>
              )}
            </Group>
          </Paper>
        );
      })}
    </SimpleGrid>
  );
}

const seriesColors = ['indigo.6', 'teal.6', 'orange.6', 'grape.6', 'cyan.6'];

/** A line per measure over the trend's months; a month without a figure leaves a gap. */
export function TrendChart({
  trend,
  metrics,
  title,
  testId,
  onMonth,
}: {
  trend: MeasureTrend;
  metrics: readonly Metric[];
  title: string;
  testId: string;
  onMonth?: (month: string) => void;
}) {
  const data = useMemo(
    () =>
      trend.points.map((p) => ({
        month: monthLabel(p.month),
        key: p.month,
        // Plotted only: every figure shown as text stays the server's decimal string.
        ...Object.fromEntries(
          metrics.filter((m) => p[m] !== null).map((m) => [metricInfo[m].short, Number(p[m])]),
        ),
      })),
    [trend, metrics],
  );
  const unit = metricInfo[metrics[0]!].unit;
  const empty = trend.points.every((p) => metrics.every((m) => p[m] === null));
  return (
    <Paper withBorder p="md" data-testid={testId}>
      <Title order={5} mb={4}>
        {title} ({unit === '%' ? '%' : 'days'})
      </Title>
      <Text size="xs" c="dimmed" mb="sm">
        {metrics.map((m) => `${metricInfo[m].short}: ${metricInfo[m].description}`).join(' · ')}
      </Text>
      {empty ? (
        <Text size="sm" c="dimmed">
          No figures in these months.
        </Text>
      ) : (
        <LineChart
          h={240}
          data={data}
          dataKey="month"
          series={metrics.map((m, i) => ({ name: metricInfo[m].short, color: seriesColors[i]! }))}
          label={`${title} by month`}
          withLegend
          valueFormatter={(v) => (unit === '%' ? `${v.toFixed(1)} %` : `${v.toFixed(1)} days`)}
          onPointClick={onMonth && ((row) => onMonth(row.key))}
        />
      )}
    </Paper>
  );
}

const breakdownWords: Record<MeasureBreakdown, string> = {
  country: 'Country',
  collector: 'Collector',
  partner: 'Partner',
};

/** The month's measures per country, collector or partner; every figure opens its items. */
export function BreakdownTable({
  data,
  metrics,
  onDrill,
}: {
  data: MonthMeasures;
  metrics: readonly Metric[];
  onDrill: (target: DrillTarget) => void;
}) {
  const by = data.by;
  if (!by) return null;
  const shown = metrics.filter(
    (m) =>
      by !== 'collector' || (!m.startsWith('claim_') && m !== 'sla_attainment' && m !== 'first_pass_rate'),
  );
  return (
    <ScrollArea>
      <Table fz="sm" striped highlightOnHover withTableBorder data-testid="breakdown-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{breakdownWords[by]}</Table.Th>
            <Table.Th ta="right">Sales ({data.reporting_currency})</Table.Th>
            <Table.Th ta="right">Receivables</Table.Th>
            {shown.map((m) => (
              <Table.Th key={m} ta="right" title={metricInfo[m].description}>
                {metricInfo[m].short}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {/* Plain rows and cells (ui/plain-table.ts): fifty partners by ten figures. */}
          {data.rows.map((r) => (
            <tr key={r.key} {...plainRow({ striped: true, hover: true })}>
              <td className={plainCell}>
                {r.label || (by === 'collector' ? 'No collector' : '—')}
                {by === 'partner' && r.label !== r.key && <span className="dimmed-xs"> {r.key}</span>}
              </td>
              <td className={plainFigureCell}>{formatAmount(r.inputs.sales)}</td>
              <td className={plainFigureCell}>{formatAmount(r.inputs.ar)}</td>
              {shown.map((m) => (
                <td key={m} className={plainFigureCell}>
                  {r[m] === null ? (
                    <span className="dimmed">—</span>
                  ) : (
                    <button
                      type="button"
                      className="link-button"
                      onClick={() => onDrill(drillTarget(m, data, { by, key: r.key }))}
                    >
                      {r[m]}
                    </button>
                  )}
                </td>
              ))}
            </tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollArea>
  );
}

/** The claims behind a claim measure, each opening its claim. */
export function ClaimsDrawer({
  month,
  filter,
  onClose,
}: {
  month: string;
  filter: NonNullable<DrillTarget['claims']> | null;
  onClose: () => void;
}) {
  const claims = useMeasureClaims(month, filter);
  const paid = filter?.set === 'paid';
  return (
    <Drawer
      opened={filter !== null}
      onClose={onClose}
      position="right"
      size="xl"
      title={
        <Text fw={600}>
          {paid ? 'Claims paid' : 'Claims submitted and validated'} in {monthName(month)}
          {filter?.country ? ` · ${filter.country}` : ''}
          {filter?.account_id ? ` · ${filter.account_id}` : ''}
        </Text>
      }
    >
      {claims.isPending ? (
        <Loading label="Finding the claims…" />
      ) : claims.isError ? (
        <LoadError error={claims.error} what="the claims" />
      ) : claims.data.claims.length === 0 ? (
        <Text c="dimmed">No claims.</Text>
      ) : (
        <>
          <Text size="sm" c="dimmed" mb="sm">
            {paid
              ? `${claims.data.claims.length} claim(s); ${claims.data.claims.filter((c) => c.within_sla).length} paid within their SLA. Business days are the partner's country's, from submitted to paid, against the SLA target.`
              : `${claims.data.claims.length} claim(s); ${claims.data.claims.filter((c) => c.first_pass).length} with nothing found by their first validation.`}
          </Text>
          <Table fz="sm" striped withTableBorder data-testid="measure-claims">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Claim</Table.Th>
                <Table.Th>Partner</Table.Th>
                <Table.Th>Submitted</Table.Th>
                {paid ? (
                  <>
                    <Table.Th>Paid</Table.Th>
                    <Table.Th ta="right">Business days</Table.Th>
                    <Table.Th>SLA</Table.Th>
                  </>
                ) : (
                  <Table.Th>First validation</Table.Th>
                )}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {claims.data.claims.map((c) => (
                <Table.Tr key={`${c.account_id}/${c.claim_id}`}>
                  <Table.Td>
                    <Anchor component={Link} to={claimPath(c.claim_id, c.account_id)} size="sm">
                      {c.claim_id}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    {c.partner_name ?? c.account_id}{' '}
                    <Text span size="xs" c="dimmed">
                      {c.country}
                    </Text>
                  </Table.Td>
                  <Table.Td>{formatDate(c.submitted_date)}</Table.Td>
                  {paid ? (
                    <>
                      <Table.Td>{formatDate(c.paid_on)}</Table.Td>
                      <Table.Td ta="right">
                        {c.business_days} of {c.target_business_days}
                      </Table.Td>
                      <Table.Td>
                        <Badge color={c.within_sla ? 'teal' : 'red'} variant="light">
                          {c.within_sla ? 'met' : 'missed'}
                        </Badge>
                      </Table.Td>
                    </>
                  ) : (
                    <Table.Td>
                      <Badge color={c.first_pass ? 'teal' : 'orange'} variant="light">
                        {c.first_pass ? 'nothing found' : 'findings'}
                      </Badge>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </>
      )}
    </Drawer>
  );
}

/**
 * Rebate spend against accrual per program as of a date: the accruals report's own figures (accrued, approved
 * and paid per program, each in the program's currency); a bar opens the accruals.
 */
export function SpendVsAccrual({ asOf }: { asOf: string }) {
  const navigate = useNavigate();
  const report = useAccrualTotals(asOf);
  const chart = useMemo(
    () =>
      (report.data?.programs ?? [])
        .filter((p) => Number(p.accrued) !== 0 || Number(p.paid) !== 0)
        .map((p) => ({
          program: `${p.program_id} (${p.currency})`,
          Accrued: Number(p.accrued),
          Approved: Number(p.approved),
          Paid: Number(p.paid),
        })),
    [report.data],
  );
  return (
    <Paper withBorder p="md" data-testid="spend-vs-accrual">
      <Group justify="space-between" mb={4}>
        <Title order={5}>Rebate spend against accrual per program</Title>
        <Anchor component={Link} to={`/accruals?as_of=${asOf}`} size="sm">
          Accruals as of {formatDate(asOf)}
        </Anchor>
      </Group>
      <Text size="xs" c="dimmed" mb="sm">
        Accrued (what partners earned, or was approved if more), approved on claims and paid, each in the
        program’s currency.
      </Text>
      {report.isPending ? (
        <Loading label="Computing the accruals…" />
      ) : report.isError ? (
        <LoadError error={report.error} what="the accruals" />
      ) : chart.length === 0 ? (
        <Text size="sm" c="dimmed">
          Nothing accrued or paid yet.
        </Text>
      ) : (
        <BarChart
          h={Math.max(240, chart.length * 34)}
          data={chart}
          dataKey="program"
          horizontal
          series={[
            { name: 'Accrued', color: 'indigo.5' },
            { name: 'Approved', color: 'yellow.6' },
            { name: 'Paid', color: 'teal.6' },
          ]}
          label="Accrued, approved and paid per program"
          withLegend
          valueFormatter={(v) => formatAmount(v.toFixed(2))}
          onBarClick={() => navigate(`/accruals?as_of=${asOf}`)}
        />
      )}
    </Paper>
  );
}

/** A column of the dashboard: its title and what it holds. */
export function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <Stack gap="sm" mb="lg">
      <Title order={4}>{title}</Title>
      {children}
    </Stack>
  );
}
