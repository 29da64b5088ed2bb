import { Anchor, Badge, Card, Group, Progress, Stack, Table, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { formatAmount, formatCount, formatMoney } from '../../ui/money';
import { countryName } from '../accounts/account';
import type { ProgramDetail } from './contract';

/** Catalogue prices are stored with four decimals: "199.0000" reads as "199.00". */
function trimmed(amount: string | null): string | null {
  return amount?.replace(/(\.\d\d\d*?)0+$/, '$1') ?? null;
}

/** Who is enrolled: named partners, or every partner of a country. */
export function ProgramPartners({
  program,
  linkAccounts,
}: {
  program: ProgramDetail;
  linkAccounts: boolean;
}) {
  const { enrolment } = program;
  return (
    <Card data-testid="program-partners">
      <Title order={3} fz="md" fw={600} mb="sm">
        Enrolled partners
      </Title>
      {enrolment.every_partner_in ? (
        <Text size="sm">
          Every partner in {countryName(enrolment.every_partner_in)} ({enrolment.every_partner_in})
        </Text>
      ) : enrolment.partners.length === 0 ? (
        <Text size="sm" c="dimmed">
          {enrolment.label}
        </Text>
      ) : (
        <Group gap="xs">
          {enrolment.partners.map((p) => (
            <Badge key={p.account_id} variant="default" size="lg" radius="sm" tt="none" fw={500}>
              {linkAccounts ? (
                <Anchor component={Link} to={`/accounts/${encodeURIComponent(p.account_id)}`} size="sm">
                  {p.name ?? p.account_id}
                </Anchor>
              ) : (
                (p.name ?? p.account_id)
              )}{' '}
              <Text span size="xs" c="dimmed">
                {p.account_id}
              </Text>
            </Badge>
          ))}
        </Group>
      )}
    </Card>
  );
}

/** Which products the program pays on, resolved against the catalogue. */
export function EligibleProducts({
  program,
  linkProducts,
}: {
  program: ProgramDetail;
  linkProducts: boolean;
}) {
  const { eligible_products: eligible } = program;
  const rule = eligible.every_product
    ? 'Every product in the catalogue.'
    : [
        eligible.skus.length ? `SKUs ${eligible.skus.join(', ')}` : '',
        eligible.categories.length ? `categories ${eligible.categories.join(', ')}` : '',
      ]
        .filter(Boolean)
        .join(' and ');
  return (
    <Card data-testid="eligible-products">
      <Title order={3} fz="md" fw={600} mb={4}>
        Eligible products
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {eligible.every_product ? rule : `${rule.charAt(0).toUpperCase()}${rule.slice(1)}.`}{' '}
        {formatCount(eligible.total)} product{eligible.total === 1 ? '' : 's'} today
        {eligible.total > eligible.products.length
          ? `; the first ${eligible.products.length} are listed`
          : ''}
        .
      </Text>
      {eligible.products.length > 0 && (
        <Table.ScrollContainer minWidth={480} mah={360}>
          <Table verticalSpacing={4} stickyHeader>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>SKU</Table.Th>
                <Table.Th>Name</Table.Th>
                <Table.Th>Category</Table.Th>
                <Table.Th ta="right">List price</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {eligible.products.map((p) => (
                <Table.Tr key={p.sku}>
                  <Table.Td>
                    {linkProducts ? (
                      <Anchor component={Link} to={`/products/${encodeURIComponent(p.sku)}`} size="sm">
                        {p.sku}
                      </Anchor>
                    ) : (
                      p.sku
                    )}
                  </Table.Td>
                  <Table.Td>{p.name}</Table.Td>
                  <Table.Td>{p.category}</Table.Td>
                  <Table.Td ta="right">{formatMoney(trimmed(p.list_price), p.currency)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Card>
  );
}

/** The budget cap, what approved claims have used of it and what is left. */
export function ProgramBudget({ program }: { program: ProgramDetail }) {
  const { budget } = program;
  // For the bar's length only; the figures shown are the server's exact strings.
  const share =
    budget.amount && Number(budget.amount) > 0 ? (Number(budget.used) / Number(budget.amount)) * 100 : 0;
  return (
    <Card data-testid="program-budget">
      <Title order={3} fz="md" fw={600} mb="sm">
        Budget
      </Title>
      {budget.amount === null ? (
        <Text size="sm" c="dimmed">
          No budget cap. {formatMoney(budget.used, budget.currency)} used by approved claims so far.
        </Text>
      ) : (
        <Stack gap="xs">
          <Progress
            value={Math.min(100, share)}
            color={share >= 90 ? 'red' : share >= 75 ? 'yellow' : 'teal'}
          />
          <Group justify="space-between" gap="xs">
            {[
              ['Budget', budget.amount],
              ['Used', budget.used],
              ['Left', budget.left],
            ].map(([label, value]) => (
              <Stack key={label} gap={0}>
                <Text size="xs" c="dimmed">
                  {label}
                </Text>
                <Text
                  size="sm"
                  fw={label === 'Left' ? 600 : 400}
                  style={{ fontVariantNumeric: 'tabular-nums' }}
                >
                  {formatAmount(value)} {budget.currency}
                </Text>
              </Stack>
            ))}
          </Group>
        </Stack>
      )}
    </Card>
  );
}
