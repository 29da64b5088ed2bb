import { Alert, Anchor, Text } from '@mantine/core';
import { IconReceiptTax } from '@tabler/icons-react';
import { Link } from 'react-router';
import { flagLabels } from './tax';
import { useAccountTaxExceptions } from './use-tax';

/** On an invoice's page: the tax check's flag of this invoice, if it has one (CONTROLS.md tax check). */
export function TaxFlagBanner({ accountId, documentId }: { accountId: string; documentId: string }) {
  const flags = useAccountTaxExceptions(accountId);
  const flag = flags.data?.items.find((x) => x.document_id === documentId);
  if (!flag) return null;
  return (
    <Alert
      color="orange"
      variant="light"
      icon={<IconReceiptTax size={18} />}
      title={flagLabels[flag.flag]}
      mb="md"
      data-testid="item-tax-flag"
    >
      <Text size="sm">
        {flag.flag === 'TAX_CHARGED_TO_EXEMPT'
          ? `Tax of ${flag.tax_amount} was charged in ${flag.tax_jurisdiction}, where certificate ${flag.certificate_number} exempts the customer.`
          : `No tax was charged in ${flag.tax_jurisdiction}, and no validated certificate covers ${flag.document_date}.`}{' '}
        <Anchor component={Link} to="/tax-certificates" size="sm">
          The tax team’s queue
        </Anchor>
      </Text>
    </Alert>
  );
}
