import { Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconSend } from '@tabler/icons-react';
import { useState } from 'react';
import { api, fieldErrors, formMessage } from '../../ui/api';
import { DocumentsInput, FormModal } from '../../ui/form-modal';
import { formatMoney } from '../../ui/money';
import { adjustmentFieldNames, useAdjustmentFields } from '../adjustments/adjustment-fields';
import { kindLabels } from '../adjustments/adjustments';
import type { DisputeDetail } from './disputes';
import { useDisputeAction } from './use-disputes';

const kinds = ['credit_adjustment', 'rebill', 'debit_adjustment'] as const;

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
  const action = useDisputeAction(dispute.dispute_id);
  const [files, setFiles] = useState<File[]>([]);
  const [uploading, setUploading] = useState(false);
  const errors = fieldErrors(action.error);
  const open = dispute.document ? formatMoney(dispute.document.open_amount, dispute.currency) : null;
  const form = useAdjustmentFields({
    kinds,
    initialKind: 'credit_adjustment',
    initialAmount: dispute.amount,
    initialReason: dispute.default_reason_code,
    open,
    errors,
    testId: 'propose',
    commentHint: 'What was wrong and what the adjustment corrects: the approver reads it.',
  });

  const submit = async () => {
    setUploading(true);
    try {
      for (const file of files) {
        const data = new FormData();
        data.set('entity_type', 'dispute');
        data.set('entity_id', dispute.dispute_id);
        data.set('file', file, file.name);
        await api('/api/documents', { method: 'POST', body: data });
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
      { action: 'adjustment', body: form.body },
      {
        onSuccess: (d) => {
          notifications.show({
            color: 'blue',
            title: `${kindLabels[form.kind]} ${d.adjustment_id} proposed`,
            message: 'It waits for an approver; the dispute is resolved once it is approved.',
          });
          onClose();
        },
      },
    );
  };

  return (
    <FormModal
      title="Propose a billing adjustment"
      testId="propose"
      onClose={onClose}
      onSubmit={() => void submit()}
      submitLabel="Request approval"
      submitIcon={<IconSend size={16} />}
      loading={uploading || action.isPending}
      message={formMessage(action.error, adjustmentFieldNames)}
    >
      <Text size="sm">
        On <b>{dispute.document_id}</b>: {formatMoney(dispute.amount, dispute.currency)} disputed
        {open ? `, ${open} open` : ''}.
      </Text>
      {form.kindField}
      {form.fields}
      <DocumentsInput
        label="Supporting documents (filed with the dispute; the dispute’s documents go with the request)"
        value={files}
        onChange={setFiles}
      />
    </FormModal>
  );
}
