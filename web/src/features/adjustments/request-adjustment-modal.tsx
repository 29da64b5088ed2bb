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
import { type FormEvent, useMemo, useState } from 'react';
import { useNavigate } from 'react-router';
import { fieldErrors, formMessage } from '../../ui/api';
import { amountValue, formatMoney } from '../../ui/money';
import { todayDate } from '../receivables/receivables';
import { useOpenItems } from '../receivables/use-receivables';
import { type AdjustmentKind, adjustmentPath, kindLabels } from './adjustments';
import { useReasons, useRequestAdjustment } from './use-adjustments';

const kinds = Object.keys(kindLabels) as AdjustmentKind[];

/**
 * Requests an adjustment or write-off on one document: from the item's page (the document given) or from the
 * account's page (a document of the account chosen). It waits for an approver; nothing changes until then.
 */
export function RequestAdjustmentModal({
  onClose,
  accountId,
  document,
  source,
}: {
  onClose: () => void;
  accountId: string;
  /** The document, when requested from its page. */
  document?: { id: string; open_amount: string; currency: string };
  source: { type: 'item' | 'account' | 'dispute' | 'deduction'; id: string };
}) {
  const navigate = useNavigate();
  const reasons = useReasons();
  const items = useOpenItems(document ? null : accountId, {
    asOf: todayDate(),
    basis: 'due_date',
    buckets: '30,60,90,120',
  });
  const request = useRequestAdjustment();
  const [kind, setKind] = useState<AdjustmentKind>('write_off');
  const [documentId, setDocumentId] = useState(document?.id ?? '');
  const [amount, setAmount] = useState('');
  const [corrected, setCorrected] = useState('');
  const [reason, setReason] = useState('');
  const [comment, setComment] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const errors = fieldErrors(request.error);

  const documents = useMemo(
    () =>
      (items.data?.items ?? []).filter(
        (i) => i.kind !== 'payment' && i.kind !== 'credit_memo' && Number(i.open_amount) > 0,
      ),
    [items.data],
  );
  const chosen = document ?? documents.find((d) => d.item_id === documentId);
  const open = chosen ? formatMoney(chosen.open_amount, chosen.currency) : null;
  const choices = (reasons.data?.items ?? []).filter((r) => r.active && r.kinds.includes(kind));
  const reasonCode = choices.some((r) => r.reason_code === reason) ? reason : (choices[0]?.reason_code ?? '');
  const required = choices.find((r) => r.reason_code === reasonCode)?.documents_required ?? false;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    request.mutate(
      {
        input: {
          kind,
          document_id: documentId,
          ...(kind === 'rebill'
            ? { corrected_amount: amountValue(corrected) }
            : { amount: amountValue(amount) }),
          reason_code: reasonCode,
          comment: comment.trim(),
          source_type: source.type,
          source_id: source.id,
        },
        files,
      },
      {
        onSuccess: (created) => {
          notifications.show({
            color: 'blue',
            title: `${kindLabels[kind]} requested`,
            message: `${created.adjustment_id} waits for an approver.`,
          });
          onClose();
          navigate(adjustmentPath(created.adjustment_id));
        },
      },
    );
  };
  const message = formMessage(request.error, [
    'kind',
    'document_id',
    'amount',
    'corrected_amount',
    'reason_code',
    'comment',
  ]);

  return (
    <Modal opened onClose={onClose} title="Request an adjustment or write-off" size="lg">
      <form onSubmit={submit} noValidate data-testid="adjustment-form">
        <Stack gap="md">
          <NativeSelect
            label="Kind"
            value={kind}
            onChange={(e) => setKind(e.currentTarget.value as AdjustmentKind)}
            data={kinds.map((k) => ({ value: k, label: kindLabels[k] }))}
            data-testid="adjustment-kind"
          />
          {document ? (
            <Text size="sm">
              Document <b>{document.id}</b>, {open} open.
            </Text>
          ) : (
            <NativeSelect
              label="Document"
              value={documentId}
              onChange={(e) => setDocumentId(e.currentTarget.value)}
              data={[
                { value: '', label: items.isPending ? 'Loading the open documents…' : 'Choose a document' },
                ...documents.map((d) => ({
                  value: d.item_id,
                  label: `${d.item_id} — ${formatMoney(d.open_amount, d.currency)} open`,
                })),
              ]}
              error={errors.document_id}
              data-testid="adjustment-document"
            />
          )}
          {kind === 'rebill' ? (
            <TextInput
              label="Corrected invoice amount"
              description={`The open ${open ?? 'amount'} is credited and a new invoice issued for this amount.`}
              value={corrected}
              onChange={(e) => setCorrected(e.currentTarget.value)}
              error={errors.corrected_amount}
              data-testid="adjustment-corrected"
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
              data-testid="adjustment-amount"
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
            data-testid="adjustment-reason"
          />
          <Textarea
            label="Comment"
            description="Why: what the approver needs to know."
            autosize
            minRows={2}
            value={comment}
            onChange={(e) => setComment(e.currentTarget.value)}
            error={errors.comment}
            data-testid="adjustment-comment"
          />
          <FileInput
            label={
              required ? 'Supporting documents (required for this reason)' : 'Supporting documents (optional)'
            }
            multiple
            clearable
            leftSection={<IconPaperclip size={16} />}
            value={files}
            onChange={setFiles}
            data-testid="adjustment-files"
          />
          {message && (
            <Alert color="red" variant="light" data-testid="adjustment-error">
              {message}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button
              type="submit"
              loading={request.isPending}
              leftSection={<IconSend size={16} />}
              data-testid="adjustment-submit"
            >
              Request approval
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
