import { Button, Group, Modal, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconMailForward } from '@tabler/icons-react';
import { useState } from 'react';
import { ApiError } from '../../ui/api';
import { useRequestCertificate } from './use-tax';

/** Asks the customer's billing contact for a certificate: an e-mail with the link to upload it in the portal. */
export function RequestCertificateModal({
  accountId,
  billingEmail,
  onClose,
}: {
  accountId: string;
  billingEmail: string | null;
  onClose: () => void;
}) {
  const request = useRequestCertificate();
  const [jurisdiction, setJurisdiction] = useState('');
  const [note, setNote] = useState('');
  const issues = request.error instanceof ApiError ? request.error.issues : [];
  return (
    <Modal opened onClose={onClose} title="Request a tax-exempt certificate">
      <Stack>
        <Text size="sm" c="dimmed">
          {billingEmail
            ? `An e-mail goes to ${billingEmail} asking for the certificate, with a link to upload it in the partner portal.`
            : 'The account has no billing contact: set its billing e-mail first.'}
        </Text>
        <TextInput
          label="Jurisdiction"
          description="A country (DE) or a state (US-TX)"
          required
          value={jurisdiction}
          onChange={(e) => setJurisdiction(e.currentTarget.value)}
          error={issues.find((i) => i.field === 'jurisdiction')?.message}
          data-testid="request-jurisdiction"
        />
        <Textarea
          label="A line for the customer"
          placeholder="Optional: what it is needed for"
          autosize
          minRows={2}
          value={note}
          onChange={(e) => setNote(e.currentTarget.value)}
        />
        {request.error && issues.length === 0 && (
          <Text c="red" size="sm">
            {request.error.message}
          </Text>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button
            leftSection={<IconMailForward size={16} />}
            loading={request.isPending}
            disabled={!billingEmail || !jurisdiction.trim()}
            onClick={() =>
              request.mutate(
                { account_id: accountId, jurisdiction: jurisdiction.trim().toUpperCase(), note },
                {
                  onSuccess: (r) => {
                    notifications.show({
                      color: 'teal',
                      title: `Requested: ${r.certificate.certificate_id}`,
                      message: `The e-mail to ${billingEmail} is on its way.`,
                    });
                    onClose();
                  },
                },
              )
            }
            data-testid="request-certificate-submit"
          >
            Send the request
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
