import { Card, Table, Text, Title } from '@mantine/core';
import { IconReceipt } from '@tabler/icons-react';
import { formatDate } from '../../ui/dates';
import { formatMoney } from '../../ui/money';
import { Empty } from '../../ui/states';
import type { ClaimAgainst } from './contract';

/** The claims that consumed a program's budget or a deal's quantity. */
export function ClaimsAgainst({
  claims,
  currency,
  what,
}: {
  claims: ClaimAgainst[];
  currency: string;
  what: 'program' | 'deal';
}) {
  return (
    <Card data-testid="claims-against">
      <Title order={3} fz="md" fw={600} mb="md">
        Claims against this {what}
      </Title>
      {claims.length === 0 ? (
        <Empty
          icon={<IconReceipt size={22} stroke={1.5} />}
          title="No claims yet"
          description={`Claims that use this ${what} appear here with their approved amounts${
            what === 'deal' ? ' and quantities' : ''
          }, and reduce what is left.`}
        />
      ) : (
        <Table verticalSpacing={6}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Claim</Table.Th>
              <Table.Th>Partner</Table.Th>
              <Table.Th>Submitted</Table.Th>
              <Table.Th>Status</Table.Th>
              {what === 'deal' && <Table.Th ta="right">Qty</Table.Th>}
              <Table.Th ta="right">Amount</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {claims.map((claim) => (
              <Table.Tr key={claim.claim_id}>
                <Table.Td>{claim.claim_id}</Table.Td>
                <Table.Td>{claim.account_id}</Table.Td>
                <Table.Td>{formatDate(claim.submitted_date)}</Table.Td>
                <Table.Td>
                  <Text size="sm" tt="capitalize">
                    {claim.status.replaceAll('_', ' ')}
                  </Text>
                </Table.Td>
                {what === 'deal' && <Table.Td ta="right">{claim.qty ?? ''}</Table.Td>}
                <Table.Td ta="right">{formatMoney(claim.amount, currency)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Card>
  );
}
