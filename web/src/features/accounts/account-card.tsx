import { Anchor, Badge, Card, Group, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { formatMoney } from '../../ui/money';
import type { Account } from './account';
import { AccountDetails } from './account-details';

/** An account's details with its parent and the accounts below it. */
export function AccountCard({ account, accounts }: { account: Account; accounts: Account[] }) {
  const parent = accounts.find((other) => other.account_id === account.parent_account_id);
  const children = accounts.filter((other) => other.parent_account_id === account.account_id);
  return (
    <Card>
      <Title order={3} fz="md" fw={600} mb="md">
        Details
      </Title>
      <AccountDetails account={account} parentName={parent?.name} />
      {children.length > 0 && (
        <Stack gap={6} mt="lg">
          <Text size="sm" fw={600}>
            Accounts below this one
          </Text>
          <Group gap="xs">
            {children.map((child) => (
              <Badge
                key={child.account_id}
                variant="default"
                size="lg"
                radius="sm"
                component={Link}
                to={`/accounts/${encodeURIComponent(child.account_id)}`}
                style={{ cursor: 'pointer' }}
              >
                <Anchor component="span" size="sm">
                  {child.name}
                </Anchor>{' '}
                <Text span size="xs" c="dimmed">
                  {child.account_id}
                  {child.credit_limit ? ` · limit ${formatMoney(child.credit_limit, child.currency)}` : ''}
                </Text>
              </Badge>
            ))}
          </Group>
        </Stack>
      )}
    </Card>
  );
}
