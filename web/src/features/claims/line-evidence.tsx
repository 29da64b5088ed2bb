import { Anchor, Card, Group, Progress, Stack, Table, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { formatDate } from '../../ui/dates';
import { formatMoney } from '../../ui/money';
import { LoadError, Loading } from '../../ui/states';
import { PositionsChart } from '../channel/positions-chart';
import { usePositionSeries } from '../channel/use-channel';
import { type ClaimDetail, type ClaimLine, inventoryRules } from './claim';

function Rows({ rows }: { rows: [string, ReactNode][] }) {
  return (
    <Table fz="sm" verticalSpacing={2} horizontalSpacing="xs" withRowBorders={false}>
      <Table.Tbody>
        {rows.map(([label, value]) => (
          <Table.Tr key={label}>
            <Table.Td w={150} c="dimmed" style={{ verticalAlign: 'top' }}>
              {label}
            </Table.Td>
            <Table.Td>{value ?? '—'}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** Used of a total, as figures and a bar (deal units, budget). */
function Usage({ used, total, label }: { used: number; total: number; label: string }) {
  const share = total > 0 ? Math.min(100, (used / total) * 100) : 0;
  return (
    <Stack gap={2}>
      <Progress value={share} color={share >= 100 ? 'red' : share >= 80 ? 'orange' : 'indigo'} size="sm" />
      <Text size="xs" c="dimmed">
        {label}
      </Text>
    </Stack>
  );
}

function Section({ title, testId, children }: { title: string; testId: string; children: ReactNode }) {
  return (
    <Card withBorder padding="xs" data-testid={testId}>
      <Text size="xs" fw={600} c="dimmed" tt="uppercase" mb={4}>
        {title}
      </Text>
      {children}
    </Card>
  );
}

function InventoryPosition({
  accountId,
  sku,
  around,
}: {
  accountId: string;
  sku: string;
  around: string | null;
}) {
  const series = usePositionSeries(accountId, sku);
  if (series.isPending) return <Loading label="Loading the inventory position…" />;
  if (series.isError) return <LoadError error={series.error} what="the inventory position" />;
  const points = series.data.series;
  return (
    <Stack gap={4}>
      <PositionsChart series={points} height={200} />
      <Text size="xs" c="dimmed">
        {accountId}’s position in {sku} over time (opening + sell-in − sell-out), with its snapshots
        {around ? `; the line’s date is ${formatDate(around)}` : ''}.
      </Text>
    </Stack>
  );
}

/**
 * What a line was checked against, beside its findings: the deal (authorised, used, left), the sell-out line
 * it matched (units credited and left), the program budget (desk), and — for findings about stock — the
 * partner's inventory position over time.
 */
export function LineEvidence({
  line,
  budget,
  currency,
  partner,
}: {
  line: ClaimLine;
  budget: ClaimDetail['budget'];
  currency: string;
  partner: boolean;
}) {
  const { deal, sell_out: so, position } = line.context;
  const stock = position && line.findings.some((f) => inventoryRules.includes(f.rule_code));
  const budgetFinding = line.findings.some((f) => f.rule_code === 'BUDGET_EXCEEDED');
  return (
    <Stack gap="xs" data-testid={`line-evidence-${line.line_no}`}>
      {deal && (
        <Section title={`Deal ${deal.deal_id}`} testId="evidence-deal">
          <Rows
            rows={[
              [
                'Deal',
                <Anchor key="d" component={Link} to={`/deals/${encodeURIComponent(deal.deal_id)}`} size="sm">
                  {deal.deal_id}
                </Anchor>,
              ],
              ['SKU', deal.sku],
              ['End customer', deal.end_customer_id ?? 'any'],
              ['Authorised per unit', formatMoney(deal.authorized_unit_amount, deal.currency)],
              ['Valid', `${formatDate(deal.start_date)} – ${formatDate(deal.end_date)}`],
              ['Units authorised', deal.max_qty],
              ['Used / left', `${deal.used_qty} used · ${deal.left_qty} left`],
            ]}
          />
          <Usage
            used={deal.used_qty}
            total={deal.max_qty}
            label={`${deal.used_qty} of ${deal.max_qty} units used`}
          />
        </Section>
      )}
      {so && (
        <Section title={`Sell-out line ${so.sell_out_ref}`} testId="evidence-sell-out">
          <Rows
            rows={[
              ['Sold', formatDate(so.sale_date)],
              ['SKU', so.sku],
              ['Units', so.qty],
              ['Unit price', formatMoney(so.unit_price, so.currency)],
              ['End customer', so.end_customer_id],
              ['Partner invoice', so.partner_invoice_no],
              ['Serial numbers', so.serial_numbers.length > 0 ? so.serial_numbers.join(', ') : null],
              ['Credited / left', `${so.credited_qty} credited · ${so.left_qty} left`],
            ]}
          />
        </Section>
      )}
      {!partner && budget && (
        <Section title="Program budget" testId="evidence-budget">
          <Rows
            rows={[
              ['Budget', formatMoney(budget.amount, budget.currency)],
              ['Used', formatMoney(budget.used, budget.currency)],
              ['Left', formatMoney(budget.left, budget.currency)],
            ]}
          />
          {budgetFinding && (
            <Text size="xs" c="orange.8">
              This line was held to what the budget had left when it was validated.
            </Text>
          )}
        </Section>
      )}
      {stock && position && (
        <Section title={`Inventory position · ${position.sku}`} testId="evidence-position">
          <InventoryPosition accountId={position.account_id} sku={position.sku} around={line.sale_date} />
        </Section>
      )}
      {!deal && !so && !(budget && !partner) && !stock && (
        <Group>
          <Text size="sm" c="dimmed">
            {line.period_start
              ? `A period line: checked against ${currency} sell-in of the period.`
              : 'No deal or sell-out line was found for this line.'}
          </Text>
        </Group>
      )}
    </Stack>
  );
}
