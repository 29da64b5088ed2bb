import { Button, FileInput, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconUpload } from '@tabler/icons-react';
import { useState } from 'react';
import { ApiError } from '../../ui/api';
import { DateInput } from '../../ui/date-input';
import { type CertificateUpload, useUploadCertificate } from './use-tax';

/**
 * Uploading a certificate: the file and what is written on it (number, dates, why exempt). Answers a
 * request (`certificateId`) or adds a new one (then the jurisdiction, and on the desk the account, are asked).
 */
export function UploadCertificateModal({
  onClose,
  certificateId,
  jurisdiction,
  accountId,
  askAccount,
}: {
  onClose: () => void;
  certificateId?: string;
  jurisdiction?: string;
  accountId?: string;
  askAccount?: boolean;
}) {
  const upload = useUploadCertificate();
  const [account, setAccount] = useState(accountId ?? '');
  const [where, setWhere] = useState(jurisdiction ?? '');
  const [number, setNumber] = useState('');
  const [reason, setReason] = useState('');
  const [effective, setEffective] = useState('');
  const [expiry, setExpiry] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const issues = upload.error instanceof ApiError ? upload.error.issues : [];
  const errorOf = (field: string) => issues.find((i) => i.field === field)?.message;

  const submit = () => {
    if (!file) return;
    const body: CertificateUpload = {
      certificate_number: number,
      exempt_reason: reason,
      effective_date: effective,
      expiry_date: expiry,
      file,
      ...(certificateId ? { certificate_id: certificateId } : { jurisdiction: where.trim().toUpperCase() }),
      ...(!certificateId && account ? { account_id: account } : {}),
    };
    upload.mutate(body, {
      onSuccess: (c) => {
        notifications.show({
          color: 'teal',
          title: `Certificate ${c.certificate_number} for ${c.jurisdiction} received`,
          message: 'The tax team checks it; you see here when it is validated.',
        });
        onClose();
      },
    });
  };

  return (
    <Modal
      opened
      onClose={onClose}
      title={certificateId ? `Upload the certificate for ${jurisdiction}` : 'Upload a certificate'}
      size="lg"
    >
      <Stack>
        {!certificateId && (
          <Group grow>
            {askAccount && (
              <TextInput
                label="Account"
                required
                value={account}
                onChange={(e) => setAccount(e.currentTarget.value)}
                error={errorOf('account_id')}
              />
            )}
            <TextInput
              label="Jurisdiction"
              description="A country (DE) or a state (US-TX)"
              required
              value={where}
              onChange={(e) => setWhere(e.currentTarget.value)}
              error={errorOf('jurisdiction')}
              data-testid="certificate-jurisdiction"
            />
          </Group>
        )}
        <TextInput
          label="Certificate number"
          required
          value={number}
          onChange={(e) => setNumber(e.currentTarget.value)}
          error={errorOf('certificate_number')}
          data-testid="certificate-number"
        />
        <TextInput
          label="Why you are exempt"
          placeholder="e.g. resale, non-profit"
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          error={errorOf('exempt_reason')}
        />
        <Group grow>
          <DateInput
            label="Valid from"
            required
            value={effective}
            onChange={(e) => setEffective(e.currentTarget.value)}
            error={errorOf('effective_date')}
            data-testid="certificate-effective"
          />
          <DateInput
            label="Valid until"
            description="Empty when it does not expire"
            value={expiry}
            onChange={(e) => setExpiry(e.currentTarget.value)}
            error={errorOf('expiry_date')}
            data-testid="certificate-expiry"
          />
        </Group>
        <FileInput
          label="The certificate"
          description="PDF or an image of the signed certificate"
          required
          clearable
          value={file}
          onChange={setFile}
          error={errorOf('file')}
          data-testid="certificate-file"
        />
        {upload.error && issues.length === 0 && (
          <Text c="red" size="sm">
            {upload.error.message}
          </Text>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button
            leftSection={<IconUpload size={16} />}
            onClick={submit}
            loading={upload.isPending}
            disabled={!file || !number.trim() || !effective || (!certificateId && !where.trim())}
            data-testid="certificate-upload-submit"
          >
            Upload
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
