import { Anchor, Badge, Button, Group, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconCheck, IconFileText, IconX } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router';
import { formatDate } from '../../ui/dates';
import { LoadError, Loading } from '../../ui/states';
import { AuditTrail } from '../platform/audit/audit-trail';
import { CertificateBadge } from './certificate-badge';
import { certificateFileUrl } from './tax';
import { useCertificate, useDecideCertificate } from './use-tax';

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <Table.Tr>
      <Table.Th w={150} fw={500} c="dimmed">
        {label}
      </Table.Th>
      <Table.Td>{children}</Table.Td>
    </Table.Tr>
  );
}

/** One certificate for the tax team: what the customer sent, the file, and validate or reject it. */
export function CertificatePanel({ certificateId }: { certificateId: string }) {
  const one = useCertificate(certificateId);
  const decide = useDecideCertificate();
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  if (one.isPending) return <Loading label="Loading the certificate…" />;
  if (one.isError)
    return <LoadError error={one.error} retry={() => void one.refetch()} what="the certificate" />;
  const c = one.data;
  const done = (what: string) => () =>
    notifications.show({
      color: 'teal',
      title: `${c.certificate_number ?? c.certificate_id} ${what}`,
      message: `${c.account_name ?? c.account_id}, ${c.jurisdiction}`,
    });
  const failed = (e: Error) => notifications.show({ color: 'red', title: 'Not done', message: e.message });
  return (
    <Stack gap="md" data-testid="certificate-panel">
      <Group justify="space-between">
        <Title order={4}>
          {c.jurisdiction} · {c.certificate_number ?? 'not received yet'}
        </Title>
        <CertificateBadge certificate={c} />
      </Group>
      <Table fz="sm" verticalSpacing={4}>
        <Table.Tbody>
          <Row label="Customer">
            <Anchor component={Link} to={`/accounts/${encodeURIComponent(c.account_id)}`} size="sm">
              {c.account_name ?? c.account_id}
            </Anchor>{' '}
            <Text span size="xs" c="dimmed">
              {c.account_id}
            </Text>
          </Row>
          <Row label="Our reference">{c.certificate_id}</Row>
          <Row label="Exempt because">{c.exempt_reason ?? '—'}</Row>
          <Row label="Valid">
            {c.effective_date
              ? `${formatDate(c.effective_date)} – ${c.expiry_date ? formatDate(c.expiry_date) : 'no expiry'}`
              : '—'}
          </Row>
          {c.requested_on && (
            <Row label="Requested">
              {formatDate(c.requested_on)} by {c.requested_by}
            </Row>
          )}
          {c.received_on && (
            <Row label="Received">
              {formatDate(c.received_on)} from {c.received_by}
            </Row>
          )}
          {c.decided_on && (
            <Row label={c.status === 'rejected' ? 'Rejected' : 'Validated'}>
              {formatDate(c.decided_on)} by {c.decided_by}
              {c.rejection_reason ? `: ${c.rejection_reason}` : ''}
            </Row>
          )}
          {c.reminders.length > 0 && (
            <Row label="Reminded">
              <Group gap={4}>
                {c.reminders.map((r) => (
                  <Badge key={r.days_before} variant="outline" size="sm">
                    {r.days_before === 0 ? 'on the day' : `${r.days_before} days before`} ·{' '}
                    {formatDate(r.reminded_on)}
                  </Badge>
                ))}
              </Group>
            </Row>
          )}
          <Row label="File">
            {c.document_id ? (
              <Anchor
                href={certificateFileUrl(c.document_id)}
                target="_blank"
                size="sm"
                data-testid="certificate-file-link"
              >
                <IconFileText size={14} style={{ verticalAlign: 'middle' }} /> {c.file_name}
              </Anchor>
            ) : (
              '—'
            )}
          </Row>
        </Table.Tbody>
      </Table>
      {(c.may.validate || c.may.reject) && (
        <Stack gap="xs">
          {rejecting ? (
            <>
              <Textarea
                label="Why it cannot be accepted (the customer reads this)"
                required
                autosize
                minRows={2}
                value={reason}
                onChange={(e) => setReason(e.currentTarget.value)}
                data-testid="certificate-reject-reason"
              />
              <Group justify="flex-end">
                <Button variant="default" onClick={() => setRejecting(false)}>
                  Cancel
                </Button>
                <Button
                  color="red"
                  leftSection={<IconX size={16} />}
                  disabled={!reason.trim()}
                  loading={decide.isPending}
                  onClick={() =>
                    decide.mutate(
                      { id: c.certificate_id, decision: 'reject', reason },
                      { onSuccess: done('rejected'), onError: failed },
                    )
                  }
                  data-testid="certificate-reject-confirm"
                >
                  Reject and tell the customer
                </Button>
              </Group>
            </>
          ) : (
            <Group justify="flex-end">
              <Button
                variant="light"
                color="red"
                leftSection={<IconX size={16} />}
                onClick={() => setRejecting(true)}
                data-testid="certificate-reject"
              >
                Reject
              </Button>
              <Button
                leftSection={<IconCheck size={16} />}
                loading={decide.isPending}
                onClick={() =>
                  decide.mutate(
                    { id: c.certificate_id, decision: 'validate' },
                    { onSuccess: done('validated'), onError: failed },
                  )
                }
                data-testid="certificate-validate"
              >
                Validate
              </Button>
            </Group>
          )}
        </Stack>
      )}
      <AuditTrail entityType="tax_certificate" entityId={c.certificate_id} />
    </Stack>
  );
}
