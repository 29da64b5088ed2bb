import { Anchor, DataList, SimpleGrid, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { formatTimestamp } from '../../ui/dates';
import { formatMoney } from '../../ui/money';
import { type Account, countryName, masked } from './account';

function Value({ children }: { children: ReactNode }) {
  return children === null || children === undefined || children === '' ? (
    <Text span c="dimmed" size="sm">
      Not set
    </Text>
  ) : (
    children
  );
}

/** The account's master data, read-only. */
export function AccountDetails({
  account,
  parentName,
}: {
  account: Account;
  parentName?: string | undefined;
}) {
  const item = (label: string, value: ReactNode) => (
    <DataList.Item>
      <DataList.ItemLabel>{label}</DataList.ItemLabel>
      <DataList.ItemValue>
        <Value>{value}</Value>
      </DataList.ItemValue>
    </DataList.Item>
  );
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }} spacing="xl" data-testid="account-details">
      <DataList labelWidth={150} withDivider>
        {item('Account number', account.account_id)}
        {item('Country', account.country && `${countryName(account.country)} (${account.country})`)}
        {item('Currency', account.currency)}
        {item('Payment terms', `${account.payment_terms_days} days`)}
        {item('Credit limit', account.credit_limit && formatMoney(account.credit_limit, account.currency))}
        {item(
          'Parent account',
          account.parent_account_id && (
            <Anchor
              component={Link}
              to={`/accounts/${encodeURIComponent(account.parent_account_id)}`}
              size="sm"
            >
              {parentName ? `${parentName} (${account.parent_account_id})` : account.parent_account_id}
            </Anchor>
          ),
        )}
        {item('Segment', account.segment)}
      </DataList>
      <DataList labelWidth={150} withDivider>
        {item('Collector', account.collector)}
        {item('Rebate analyst', account.rebate_analyst)}
        {item('Sales owner', account.sales_owner)}
        {item('Billing e-mail', account.billing_email)}
        {item('Claims e-mail', account.claims_email)}
        {item('Bank routing', account.bank_routing_number)}
        {item('Bank account', masked(account.bank_account_number))}
        {item('Last changed', formatTimestamp(account.updated_at))}
      </DataList>
    </SimpleGrid>
  );
}
