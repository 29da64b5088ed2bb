import { NativeSelect, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconScale } from '@tabler/icons-react';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { fieldErrors, formMessage } from '../../ui/api';
import { DocumentsInput, FormModal } from '../../ui/form-modal';
import { amountValue, formatMoney } from '../../ui/money';
import { OpenDocumentSelect, useOpenDocuments } from '../receivables/open-document-select';
import type { OpenItem } from '../receivables/receivables';
import { DisputeFields } from './dispute-fields';
import {
  categoryLabels,
  type DisputeCategory,
  type DisputeTeam,
  defaultTeam,
  disputePath,
  teamLabels,
  teams,
} from './disputes';
import { useOpenDispute } from './use-disputes';

const disputable = (i: OpenItem) => i.kind === 'invoice' || i.kind === 'debit_memo';

/**
 * Opens a dispute on an invoice or debit memo: from the item's page (the document given) or from the
 * account's page (one of its open invoices chosen). It goes to the team that owns the category unless
 * another is chosen; the customer's documents are filed with it.
 */
export function OpenDisputeModal({
  onClose,
  accountId,
  document,
}: {
  onClose: () => void;
  accountId: string;
  document?: { id: string; open_amount: string; currency: string };
}) {
  const navigate = useNavigate();
  const { documents, loading } = useOpenDocuments(document ? null : accountId, disputable);
  const openDispute = useOpenDispute();
  const [documentId, setDocumentId] = useState(document?.id ?? '');
  const [category, setCategory] = useState<DisputeCategory>('pricing');
  const [team, setTeam] = useState<DisputeTeam | ''>('');
  const [amount, setAmount] = useState(document?.open_amount ?? '');
  const [description, setDescription] = useState('');
  const [reference, setReference] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const errors = fieldErrors(openDispute.error);

  const chosen = document ?? documents.find((d) => d.item_id === documentId);
  const open = chosen ? formatMoney(chosen.open_amount, chosen.currency) : null;
  const routedTo = team || defaultTeam[category];

  const submit = () =>
    openDispute.mutate(
      {
        input: {
          document_id: documentId,
          category,
          amount: amountValue(amount),
          description: description.trim(),
          ...(reference.trim() ? { customer_reference: reference.trim() } : {}),
          ...(team ? { team } : {}),
        },
        files,
      },
      {
        onSuccess: (created) => {
          notifications.show({
            color: 'blue',
            title: `Dispute ${created.dispute_id} opened`,
            message: `Routed to ${teamLabels[created.team]}, due ${created.due_date}.`,
          });
          onClose();
          navigate(disputePath(created.dispute_id));
        },
      },
    );
  const message = formMessage(openDispute.error, [
    'document_id',
    'category',
    'amount',
    'description',
    'customer_reference',
    'team',
  ]);

  return (
    <FormModal
      title="Open a dispute"
      testId="dispute"
      onClose={onClose}
      onSubmit={submit}
      submitLabel="Open dispute"
      submitIcon={<IconScale size={16} />}
      loading={openDispute.isPending}
      message={message}
    >
      {document ? (
        <Text size="sm">
          Invoice <b>{document.id}</b>, {open} open.
        </Text>
      ) : (
        <OpenDocumentSelect
          label="Invoice"
          documents={documents}
          loading={loading}
          value={documentId}
          onChange={(id, d) => {
            setDocumentId(id);
            if (d) setAmount(d.open_amount);
          }}
          error={errors.document_id}
          testId="dispute-document"
        />
      )}
      <DisputeFields
        values={{ category, amount, description, reference }}
        onChange={(v) => {
          setCategory(v.category);
          setAmount(v.amount);
          setDescription(v.description);
          setReference(v.reference);
        }}
        errors={errors}
        words={{
          category: 'What the customer disputes',
          categoryLabels,
          amount: 'Disputed amount',
          description: 'What the customer says',
          reference: 'Customer’s reference (optional)',
        }}
        open={open}
        testId="dispute"
      />
      <NativeSelect
        label="Route to"
        description={`${teamLabels[routedTo]} works it, within its SLA in business days.`}
        value={team}
        onChange={(e) => setTeam(e.currentTarget.value as DisputeTeam | '')}
        data={[
          {
            value: '',
            label: `${teamLabels[defaultTeam[category]]} (for ${categoryLabels[category].toLowerCase()})`,
          },
          ...teams.map((t) => ({ value: t, label: teamLabels[t] })),
        ]}
        error={errors.team}
        data-testid="dispute-team"
      />
      <DocumentsInput label="The customer’s documents (optional)" value={files} onChange={setFiles} />
    </FormModal>
  );
}
