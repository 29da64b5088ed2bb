import { Alert, Button, Group, Modal, Stack, TagsInput, Text, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconMailForward } from '@tabler/icons-react';
import { type FormEvent, useState } from 'react';
import { fieldErrors, formMessage } from '../../ui/api';
import { useSendReminder } from './use-collections';

const looksLikeEmail = (s: string) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s);

/**
 * Sends a reminder (about one item, or everything past due on the account) or a copy of an item, with its
 * PDF, to the billing contact unless other recipients are typed in. The e-mail then shows in the timeline.
 */
export function SendEmailModal({
  opened,
  onClose,
  accountId,
  documentId,
  kind,
  billingEmail,
}: {
  opened: boolean;
  onClose: () => void;
  accountId: string;
  /** Absent: a reminder of everything past due on the account, with the statement attached. */
  documentId?: string;
  kind: 'reminder' | 'invoice_copy';
  billingEmail: string | null;
}) {
  const send = useSendReminder(accountId);
  const defaults = (billingEmail ?? '').split(/[;,]\s*/).filter(Boolean);
  const [to, setTo] = useState<string[]>(defaults);
  const [note, setNote] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const errors = fieldErrors(send.error);
  const title = documentId
    ? kind === 'reminder'
      ? `Send a reminder about ${documentId}`
      : `Send a copy of ${documentId}`
    : 'Send a reminder of everything past due';
  const attached = documentId
    ? `a copy of ${documentId} (PDF)`
    : 'the statement of account as of today (PDF)';

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const bad = to.find((address) => !looksLikeEmail(address));
    if (to.length === 0) return setProblem('Add at least one recipient.');
    if (bad) return setProblem(`“${bad}” is not an e-mail address.`);
    setProblem(null);
    send.mutate(
      { documentId, kind, to, note: note.trim() || undefined },
      {
        onSuccess: ({ email }) => {
          notifications.show({
            color: email.status === 'sent' ? 'teal' : email.status === 'queued' ? 'blue' : 'red',
            title: email.status === 'sent' ? 'E-mail sent' : `E-mail ${email.status}`,
            message: `${email.subject} — to ${email.to_addresses.join(', ')}`,
          });
          setNote('');
          onClose();
        },
      },
    );
  };

  const message = formMessage(send.error, ['to', 'note']);
  return (
    <Modal opened={opened} onClose={onClose} title={title} size="lg">
      <form onSubmit={submit} noValidate data-testid="send-email-form">
        <Stack gap="md">
          <TagsInput
            label="To"
            description={
              billingEmail
                ? 'The billing contact; add or remove recipients as needed.'
                : 'This account has no billing contact.'
            }
            value={to}
            onChange={setTo}
            splitChars={[',', ' ', ';']}
            error={problem ?? errors.to ?? errors['to.0']}
            data-testid="send-email-to"
            clearable
          />
          <Textarea
            label="A note of your own (optional)"
            description="Added to the standard text, e.g. what was agreed on the phone."
            autosize
            minRows={2}
            value={note}
            onChange={(e) => setNote(e.currentTarget.value)}
            error={errors.note}
            data-testid="send-email-note"
          />
          <Text size="sm" c="dimmed">
            Attached: {attached}. The e-mail is kept in the {documentId ? 'item’s and the ' : ''}account’s
            timeline.
          </Text>
          {message && (
            <Alert color="red" variant="light">
              {message}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button
              type="submit"
              loading={send.isPending}
              leftSection={<IconMailForward size={16} />}
              data-testid="send-email-submit"
            >
              Send
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
