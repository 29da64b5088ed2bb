import { Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconSend } from '@tabler/icons-react';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { fieldErrors, formMessage } from '../../ui/api';
import { DocumentsInput, FormModal } from '../../ui/form-modal';
import { formatMoney } from '../../ui/money';
import { OpenDocumentSelect, useOpenDocuments } from '../receivables/open-document-select';
import type { OpenItem } from '../receivables/receivables';
import { adjustmentFieldNames, useAdjustmentFields } from './adjustment-fields';
import { type AdjustmentKind, adjustmentPath, kindLabels } from './adjustments';
import { useRequestAdjustment } from './use-adjustments';

const kinds = Object.keys(kindLabels) as AdjustmentKind[];
const adjustable = (i: OpenItem) => i.kind !== 'payment' && i.kind !== 'credit_memo';

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
  const { documents, loading } = useOpenDocuments(document ? null : accountId, adjustable);
  const request = useRequestAdjustment();
  const [documentId, setDocumentId] = useState(document?.id ?? '');
  const [files, setFiles] = useState<File[]>([]);
  const errors = fieldErrors(request.error);
  const chosen = document ?? documents.find((d) => d.item_id === documentId);
  const open = chosen ? formatMoney(chosen.open_amount, chosen.currency) : null;
  const form = useAdjustmentFields({
    kinds,
    initialKind: 'write_off',
    open,
    errors,
    testId: 'adjustment',
    commentHint: 'Why: what the approver needs to know.',
  });

  const submit = () =>
    request.mutate(
      {
        input: { ...form.body, document_id: documentId, source_type: source.type, source_id: source.id },
        files,
      },
      {
        onSuccess: (created) => {
          notifications.show({
            color: 'blue',
            title: `${kindLabels[form.kind]} requested`,
            message: `${created.adjustment_id} waits for an approver.`,
          });
          onClose();
          navigate(adjustmentPath(created.adjustment_id));
        },
      },
    );

  return (
    <FormModal
      title="Request an adjustment or write-off"
      testId="adjustment"
      onClose={onClose}
      onSubmit={submit}
      submitLabel="Request approval"
      submitIcon={<IconSend size={16} />}
      loading={request.isPending}
      message={formMessage(request.error, [...adjustmentFieldNames, 'document_id'])}
    >
      {form.kindField}
      {document ? (
        <Text size="sm">
          Document <b>{document.id}</b>, {open} open.
        </Text>
      ) : (
        <OpenDocumentSelect
          label="Document"
          documents={documents}
          loading={loading}
          value={documentId}
          onChange={(id) => setDocumentId(id)}
          error={errors.document_id}
          testId="adjustment-document"
        />
      )}
      {form.fields}
      <DocumentsInput
        label={
          form.documentsRequired
            ? 'Supporting documents (required for this reason)'
            : 'Supporting documents (optional)'
        }
        value={files}
        onChange={setFiles}
        testId="adjustment-files"
      />
    </FormModal>
  );
}
