import { Card, DataList, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { formatDate } from '../../ui/dates';
import { formatAmount, formatMoney } from '../../ui/money';
import { countryName } from '../accounts/account';
import { type ProgramTerms, paymentMethodLabels, percent, type Tier, typeLabels } from './contract';

/** What a partner can claim under this type, in the program's own figures. */
function entitlement(t: ProgramTerms): ReactNode {
  switch (t.type) {
    case 'special_bid':
      return 'Per deal from the deal desk: each deal names the partner, end customer, SKU, the authorised amount per unit and the maximum quantity. Claim: units sold to that end customer in the deal’s validity × the authorised amount.';
    case 'sell_out':
      return t.per_unit_amount
        ? `${formatMoney(t.per_unit_amount, t.currency)} per eligible unit sold to an end customer in the period.`
        : `${percent(t.percent_of_sell_out)} of the sell-out value of eligible units sold to end customers in the period.`;
    case 'volume_tier':
      return `${t.basis === 'units' ? 'An amount per unit of the partner’s purchases (sell-in) in a period' : 'A rate on the revenue of the partner’s purchases (sell-in) in a period'}. ${
        t.retroactive
          ? 'Retroactive: the rate of the highest tier reached applies to the whole volume.'
          : 'Incremental: each band of volume earns its own rate.'
      }`;
    case 'growth':
      return `${t.basis === 'units' ? 'An amount per unit' : 'A rate'} by growth of the partner’s purchases (by ${t.basis === 'units' ? 'units' : 'revenue'}) over the baseline period${
        t.baseline ? ` ${formatDate(t.baseline.start_date)} – ${formatDate(t.baseline.end_date)}` : ''
      }; the rate of the growth tier reached applies to the whole period volume.`;
    case 'price_protection':
      return `When a SKU’s price drops, (old − new price) × the units the partner held that day, limited to units bought in the ${t.protection_window_days} days before the drop.`;
    case 'mdf':
      return `A fund accrued at ${percent(t.accrual_rate)} of eligible purchases; claims for approved marketing activities with proof of performance, up to the fund balance.`;
  }
}

function tierFrom(t: ProgramTerms, from: string): string {
  if (t.type === 'growth') return `${percent(from)} growth`;
  return t.basis === 'units'
    ? `${formatAmount(from).replace(/\.00$/, '')} units`
    : formatMoney(from, t.currency);
}

/** A tier's rate: a percent of revenue, or on a units basis an amount per unit (RULES.md). */
function tierRate(t: ProgramTerms, rate: string): string {
  return t.basis === 'units' ? `${formatMoney(rate, t.currency)} per unit` : percent(rate);
}

function TiersTable({ terms }: { terms: ProgramTerms }) {
  const tiers: Tier[] = terms.tiers ?? [];
  return (
    <Table withTableBorder striped verticalSpacing={6} data-testid="program-tiers">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{terms.type === 'growth' ? 'Growth from' : 'Volume from'}</Table.Th>
          <Table.Th>Up to</Table.Th>
          <Table.Th ta="right">Rate</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {tiers.map((tier, i) => {
          const next = tiers[i + 1];
          return (
            <Table.Tr key={tier.from}>
              <Table.Td>{tierFrom(terms, tier.from)}</Table.Td>
              <Table.Td c={next ? undefined : 'dimmed'}>
                {next ? `below ${tierFrom(terms, next.from)}` : 'and above'}
              </Table.Td>
              <Table.Td ta="right" style={{ fontVariantNumeric: 'tabular-nums' }}>
                {tierRate(terms, tier.rate)}
              </Table.Td>
            </Table.Tr>
          );
        })}
      </Table.Tbody>
    </Table>
  );
}

function list(values: string[] | undefined, map: (value: string) => string = (v) => v): string | null {
  return values?.length ? values.map(map).join(', ') : null;
}

/** A version's terms, read as a contract rather than as JSON. */
export function ProgramTermsCard({ terms }: { terms: ProgramTerms }) {
  const item = (label: string, value: ReactNode) => (
    <DataList.Item>
      <DataList.ItemLabel>{label}</DataList.ItemLabel>
      <DataList.ItemValue>
        {value === null || value === undefined || value === '' ? (
          <Text span c="dimmed" size="sm">
            Not set
          </Text>
        ) : (
          value
        )}
      </DataList.ItemValue>
    </DataList.Item>
  );
  return (
    <Card data-testid="program-terms">
      <Title order={3} fz="md" fw={600} mb="xs">
        Terms
      </Title>
      <Text size="sm" mb="md">
        {entitlement(terms)}
      </Text>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="xl">
        <DataList labelWidth={170} withDivider>
          {item('Type', typeLabels[terms.type])}
          {item('Period', `${formatDate(terms.start_date)} – ${formatDate(terms.end_date)}`)}
          {item('Currency', terms.currency)}
          {item(
            'Claim window',
            terms.claim_window_days &&
              `${terms.claim_window_days} days after the ${
                ['volume_tier', 'growth', 'mdf'].includes(terms.type) ? 'period end' : 'sale'
              }`,
          )}
          {item('Budget', terms.budget && formatMoney(terms.budget, terms.currency))}
          {terms.type === 'sell_out' &&
            item(
              terms.per_unit_amount ? 'Amount per unit' : 'Percent of sell-out',
              terms.per_unit_amount
                ? formatMoney(terms.per_unit_amount, terms.currency)
                : percent(terms.percent_of_sell_out),
            )}
          {terms.type === 'price_protection' &&
            item('Protection window', `${terms.protection_window_days} days before the price drop`)}
          {terms.type === 'mdf' && item('Accrual rate', percent(terms.accrual_rate))}
        </DataList>
        <DataList labelWidth={170} withDivider>
          {item(
            'End-customer countries',
            list(terms.end_customer_countries, (c) => `${countryName(c)} (${c})`) ?? 'Any',
          )}
          {item(
            'Required documents',
            list(terms.required_documents, (d) => d.replaceAll('_', ' ')) ?? 'None',
          )}
          {item('Payment method', terms.payment_method && paymentMethodLabels[terms.payment_method])}
          {item('SLA', terms.sla_business_days && `${terms.sla_business_days} business days`)}
          {(terms.type === 'volume_tier' || terms.type === 'growth') &&
            item('Basis', terms.basis === 'units' ? 'Units purchased' : 'Net revenue purchased')}
          {terms.type === 'growth' &&
            terms.baseline &&
            item(
              'Baseline',
              `${formatDate(terms.baseline.start_date)} – ${formatDate(terms.baseline.end_date)}`,
            )}
        </DataList>
      </SimpleGrid>
      {terms.tiers && (
        <Stack gap={6} mt="lg">
          <Text size="sm" fw={600}>
            Tiers
          </Text>
          <TiersTable terms={terms} />
        </Stack>
      )}
    </Card>
  );
}
