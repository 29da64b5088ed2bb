import {
  Alert,
  Button,
  FileInput,
  Group,
  Modal,
  NativeSelect,
  Stack,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconPaperclip, IconSend } from '@tabler/icons-react';
import { type FormEvent, useState } from 'react';
import { api, fieldErrors, formMessage } from '../../ui/api';
import { amountValue, formatMoney } from '../../ui/money';
import { kindLabels } from '../adjustments/adjustments';
import { useReasons } from '../adjustments/use-adjustments';
import type { DisputeDetail } from './disputes';
import { useDisputeAction } from './use-disputes';

const kinds = ['credit_adjustment', 'rebill', 'debit_adjustment'] as const;
type Kind = (typeof kinds)[number];

/**
 * The team settles the dispute with a billing adjustment. Files added here are filed with the dispute and go
 * with the request to its approvers; nothing changes on the invoice until someone else approves it.
 */
export function ProposeAdjustmentModal({
  dispute,
  onClose,
}: {
  dispute: DisputeDetail;
  onClose: () => void;
}) {
  const reasons = useReasons();
  const action = useDisputeAction(dispute.dispute_id);
  const [kind, setKind] = useState<Kind>('credit_adjustment');
  const [amount, setAmount] = useState(dispute.amount);
  const [corrected, setCorrected] = useState('');
  const [reason, setReason] = useState(dispute.default_reason_code);
  const [comment, setComment] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [uploading, setUploading] = useState(false);
  const errors = fieldErrors(action.error);
  const open = dispute.document ? formatMoney(dispute.document.open_amount, dispute.currency) : null;
  const choices = (reasons.data?.items ?? []).filter((r) => r.active && r.kinds.includes(kind));
  const reasonCode = choices.some((r) => r.reason_code === reason) ? reason : (choices[0]?.reason_code ?? '');

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setUploading(true);
    try {
      for (const file of files) {
        const form = new FormData();
        form.set('entity_type', 'dispute');
        form.set('entity_id', dispute.dispute_id);
        form.set('file', file, file.name);
        await api('/api/documents', { method: 'POST', body: form });
      }
      setFiles([]);
    } catch (error) {
      notifications.show({
        color: 'red',
        title: 'A document was not filed',
        message: error instanceof Error ? error.message : 'The upload failed.',
      });
      return;
    } finally {
      setUploading(false);
    }
    action.mutate(
      {
        action: 'adjustment',
        body: {
          kind,
          ...(kind === 'rebill'
            ? { corrected_amount: amountValue(corrected) }
            : { amount: amountValue(amount) }),
          reason_code: reasonCode,
          comment: comment.trim(),
        },
      },
      {
        onSuccess: (d) => {
          notifications.show({
            color: 'blue',
            title: `${kindLabels[kind]} ${d.adjustment_id} proposed`,
            message: 'It waits for an approver; the dispute is resolved once it is approved.',
          });
          onClose();
        },
      },
    );
  };
  const message = formMessage(action.error, ['kind', 'amount', 'corrected_amount', 'reason_code', 'comment']);

  return (
    <Modal opened onClose={onClose} title="Propose a billing adjustment" size="lg">
      <form onSubmit={submit} noValidate data-testid="propose-form">
        <Stack gap="md">
          <Text size="sm">
            On <b>{dispute.document_id}</b>: {formatMoney(dispute.amount, dispute.currency)} disputed
            {open ? `, ${open} open` : ''}.
          </Text>
          <NativeSelect
            label="Kind"
            value={kind}
            onChange={(e) => setKind(e.currentTarget.value as Kind)}
            data={kinds.map((k) => ({ value: k, label: kindLabels[k] }))}
            data-testid="propose-kind"
          />
          {kind === 'rebill' ? (
            <TextInput
              label="Corrected invoice amount"
              description={`The open ${open ?? 'amount'} is credited and a new invoice issued for this amount.`}
              value={corrected}
              onChange={(e) => setCorrected(e.currentTarget.value)}
              error={errors.corrected_amount}
              data-testid="propose-corrected"
            />
          ) : (
            <TextInput
              label="Amount"
              description={
                kind === 'debit_adjustment'
                  ? 'The debit memo’s amount.'
                  : `At most the ${open ?? 'open amount'}.`
              }
              value={amount}
              onChange={(e) => setAmount(e.currentTarget.value)}
              error={errors.amount}
              data-testid="propose-amount"
            />
          )}
          <NativeSelect
            label="Reason"
            value={reasonCode}
            onChange={(e) => setReason(e.currentTarget.value)}
            data={choices.map((r) => ({
              value: r.reason_code,
              label: `${r.reason_code} — ${r.description}`,
            }))}
            error={errors.reason_code}
            data-testid="propose-reason"
          />
          <Textarea
            label="Comment"
            description="What was wrong and what the adjustment corrects: the approver reads it."
            autosize
            minRows={2}
            value={comment}
            onChange={(e) => setComment(e.currentTarget.value)}
            error={errors.comment}
            data-testid="propose-comment"
          />
          <FileInput
            label="Supporting documents (filed with the dispute; the dispute’s documents go with the request)"
            multiple
            clearable
            leftSection={<IconPaperclip size={16} />}
            value={files}
            onChange={setFiles}
          />
          {message && (
            <Alert color="red" variant="light" data-testid="propose-error">
              {message}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button
              type="submit"
              loading={uploading || action.isPending}
              leftSection={<IconSend size={16} />}
              data-testid="propose-submit"
            >
              Request approval
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
