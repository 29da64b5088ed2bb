import { Alert, Anchor, Button, Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import { IconFileCertificate, IconUpload } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router';
import { formatDate } from '../../ui/dates';
import { LoadError, Loading } from '../../ui/states';
import { useAccount } from '../accounts/use-accounts';
import { CertificateBadge } from './certificate-badge';
import { RequestCertificateModal } from './request-certificate-modal';
import { flagLabels } from './tax';
import { UploadCertificateModal } from './upload-certificate-modal';
import { useAccountTaxExceptions, useCertificates } from './use-tax';

/** Account 360: the account's tax-exempt certificates per jurisdiction; request or upload one from here. */
export function CertificatesCard({ accountId, mayRequest }: { accountId: string; mayRequest: boolean }) {
  const account = useAccount(accountId);
  const billingEmail = account.data?.billing_email ?? null;
  const list = useCertificates({ account_id: accountId });
  const [requesting, setRequesting] = useState(false);
  const [uploading, setUploading] = useState(false);
  const items = list.data?.items ?? [];
  const flags = useAccountTaxExceptions(accountId);
  const flagged = flags.data?.items ?? [];
  return (
    <Card data-testid="account-tax-certificates">
      {flagged.length > 0 && (
        <Alert color="orange" variant="light" mb="sm" data-testid="account-tax-flags">
          {flagged.length} invoice{flagged.length === 1 ? '' : 's'} flagged by the tax check:{' '}
          {flagged
            .slice(0, 5)
            .map((f) => `${f.document_id} (${flagLabels[f.flag].toLowerCase()})`)
            .join(', ')}
          {flagged.length > 5 ? ', …' : ''}
        </Alert>
      )}
      <Group justify="space-between" mb="sm">
        <Title order={4}>Tax certificates</Title>
        {mayRequest && (
          <Group gap="xs">
            <Button
              size="xs"
              variant="light"
              leftSection={<IconFileCertificate size={14} />}
              onClick={() => setRequesting(true)}
              data-testid="account-request-certificate"
            >
              Request
            </Button>
            <Button
              size="xs"
              variant="subtle"
              leftSection={<IconUpload size={14} />}
              onClick={() => setUploading(true)}
            >
              Upload
            </Button>
          </Group>
        )}
      </Group>
      {list.isPending ? (
        <Loading label="Loading certificates…" />
      ) : list.isError ? (
        <LoadError error={list.error} retry={() => void list.refetch()} what="the certificates" />
      ) : items.length === 0 ? (
        <Text size="sm" c="dimmed">
          No tax-exempt certificates: invoices are taxed.
        </Text>
      ) : (
        <Stack gap="xs">
          <Table verticalSpacing={6} fz="sm">
            <Table.Tbody>
              {items.map((c) => (
                <Table.Tr key={c.certificate_id}>
                  <Table.Td>
                    <Group gap={6}>
                      <Anchor
                        component={Link}
                        to={`/tax-certificates?certificate=${encodeURIComponent(c.certificate_id)}`}
                        size="sm"
                        fw={600}
                      >
                        {c.jurisdiction}
                      </Anchor>
                      <CertificateBadge certificate={c} />
                    </Group>
                    <Text size="xs" c="dimmed">
                      {c.certificate_number ?? c.certificate_id}
                      {c.effective_date
                        ? ` · ${formatDate(c.effective_date)} – ${c.expiry_date ? formatDate(c.expiry_date) : 'no expiry'}`
                        : ''}
                      {c.status === 'requested' && c.requested_on
                        ? ` · requested ${formatDate(c.requested_on)}`
                        : ''}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Stack>
      )}
      {requesting && (
        <RequestCertificateModal
          accountId={accountId}
          billingEmail={billingEmail}
          onClose={() => setRequesting(false)}
        />
      )}
      {uploading && <UploadCertificateModal accountId={accountId} onClose={() => setUploading(false)} />}
    </Card>
  );
}
