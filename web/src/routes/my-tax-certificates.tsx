import { Alert, Anchor, Button, Group, Paper, Stack, Table, Text } from '@mantine/core';
import { IconFileCertificate, IconUpload } from '@tabler/icons-react';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { CertificateBadge } from '../features/tax/certificate-badge';
import { type Certificate, certificateFileUrl } from '../features/tax/tax';
import { UploadCertificateModal } from '../features/tax/upload-certificate-modal';
import { certificatesQuery, useCertificates } from '../features/tax/use-tax';
import { formatDate } from '../ui/dates';
import { PageHeader } from '../ui/page-header';
import { startQuery } from '../ui/query-client';
import { Empty, LoadError, Loading } from '../ui/states';

/** What the page shows first: the partner's certificates. */
export function prefetch(): void {
  startQuery(certificatesQuery({}));
}

/**
 * The partner's tax-exempt certificates: those we asked for (upload them here; the e-mail's link opens this
 * page), those being checked, valid, rejected with the reason, or expiring. Only their own organisation's.
 */
export default function MyTaxCertificatesPage() {
  const [params] = useSearchParams();
  const list = useCertificates({});
  const [uploading, setUploading] = useState<{ certificate?: Certificate } | null>(null);
  const linked = params.get('certificate');
  const items = list.data?.items ?? [];
  const asked = items.filter((c) => c.status === 'requested' || c.status === 'rejected');
  return (
    <>
      <PageHeader
        title="Tax certificates"
        description="Your tax-exempt certificates with us, per jurisdiction. We invoice you without tax where a valid certificate covers the invoice date; upload a new one before the old one expires."
        actions={
          <Button
            leftSection={<IconUpload size={16} />}
            onClick={() => setUploading({})}
            data-testid="upload-new-certificate"
          >
            Upload a certificate
          </Button>
        }
      />
      {list.isPending ? (
        <Loading label="Loading your certificates…" />
      ) : list.isError ? (
        <LoadError error={list.error} retry={() => void list.refetch()} what="your certificates" />
      ) : items.length === 0 ? (
        <Paper withBorder>
          <Empty
            icon={<IconFileCertificate size={22} stroke={1.5} />}
            title="No certificates"
            description="When you are exempt from tax somewhere, upload the certificate here."
          />
        </Paper>
      ) : (
        <Stack gap="md">
          {asked.length > 0 && (
            <Alert
              color="blue"
              title="We need a certificate from you"
              icon={<IconFileCertificate size={18} />}
            >
              {asked.map((c) => c.jurisdiction).join(', ')}: upload it with the button on its line.
            </Alert>
          )}
          <Paper withBorder>
            <Table striped highlightOnHover fz="sm" verticalSpacing="sm" data-testid="my-tax-certificates">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Jurisdiction</Table.Th>
                  <Table.Th>Certificate</Table.Th>
                  <Table.Th>Valid</Table.Th>
                  <Table.Th>Where it stands</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((c) => (
                  <Table.Tr
                    key={c.certificate_id}
                    bg={linked === c.certificate_id ? 'var(--mantine-color-blue-0)' : undefined}
                    data-testid={`my-certificate-${c.certificate_id}`}
                  >
                    <Table.Td fw={600}>{c.jurisdiction}</Table.Td>
                    <Table.Td>
                      {c.certificate_number ?? (
                        <Text span c="dimmed" size="sm">
                          asked for on {formatDate(c.requested_on)}
                        </Text>
                      )}
                      {c.document_id && (
                        <Text size="xs">
                          <Anchor href={certificateFileUrl(c.document_id)} target="_blank" size="xs">
                            {c.file_name}
                          </Anchor>
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      {c.effective_date
                        ? `${formatDate(c.effective_date)} – ${c.expiry_date ? formatDate(c.expiry_date) : 'no expiry'}`
                        : '—'}
                    </Table.Td>
                    <Table.Td>
                      <Stack gap={2}>
                        <CertificateBadge certificate={c} />
                        {c.status === 'rejected' && c.rejection_reason && (
                          <Text size="xs" c="red">
                            {c.rejection_reason}
                          </Text>
                        )}
                      </Stack>
                    </Table.Td>
                    <Table.Td ta="right">
                      {(c.status === 'requested' || c.status === 'rejected') && (
                        <Group justify="flex-end">
                          <Button
                            size="xs"
                            leftSection={<IconUpload size={14} />}
                            onClick={() => setUploading({ certificate: c })}
                            data-testid={`upload-${c.certificate_id}`}
                          >
                            Upload
                          </Button>
                        </Group>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Paper>
        </Stack>
      )}
      {uploading && (
        <UploadCertificateModal
          onClose={() => setUploading(null)}
          {...(uploading.certificate
            ? {
                certificateId: uploading.certificate.certificate_id,
                jurisdiction: uploading.certificate.jurisdiction,
              }
            : {})}
        />
      )}
    </>
  );
}
