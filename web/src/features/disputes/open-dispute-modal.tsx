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
import { IconPaperclip, IconScale } from '@tabler/icons-react';
import { type FormEvent, useMemo, useState } from 'react';
import { useNavigate } from 'react-router';
import { fieldErrors, formMessage } from '../../ui/api';
import { amountValue, formatMoney } from '../../ui/money';
import { todayDate } from '../receivables/receivables';
import { useOpenItems } from '../receivables/use-receivables';
import {
  categories,
  categoryLabels,
  type DisputeCategory,
  type DisputeTeam,
  defaultTeam,
  disputePath,
  teamLabels,
  teams,
} from './disputes';
import { useOpenDispute } from './use-disputes';

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
  const items = useOpenItems(document ? null : accountId, {
    asOf: todayDate(),
    basis: 'due_date',
    buckets: '30,60,90,120',
  });
  const openDispute = useOpenDispute();
  const [documentId, setDocumentId] = useState(document?.id ?? '');
  const [category, setCategory] = useState<DisputeCategory>('pricing');
  const [team, setTeam] = useState<DisputeTeam | ''>('');
  const [amount, setAmount] = useState(document?.open_amount ?? '');
  const [description, setDescription] = useState('');
  const [reference, setReference] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const errors = fieldErrors(openDispute.error);

  const documents = useMemo(
    () =>
      (items.data?.items ?? []).filter(
        (i) => (i.kind === 'invoice' || i.kind === 'debit_memo') && Number(i.open_amount) > 0,
      ),
    [items.data],
  );
  const chosen = document ?? documents.find((d) => d.item_id === documentId);
  const open = chosen ? formatMoney(chosen.open_amount, chosen.currency) : null;
  const routedTo = team || defaultTeam[category];

  const submit = (event: FormEvent) => {
    event.preventDefault();
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
  };
  const message = formMessage(openDispute.error, [
    'document_id',
    'category',
    'amount',
    'description',
    'customer_reference',
    'team',
  ]);

  return (
    <Modal opened onClose={onClose} title="Open a dispute" size="lg">
      <form onSubmit={submit} noValidate data-testid="dispute-form">
        <Stack gap="md">
          {document ? (
            <Text size="sm">
              Invoice <b>{document.id}</b>, {open} open.
            </Text>
          ) : (
            <NativeSelect
              label="Invoice"
              value={documentId}
              onChange={(e) => {
                setDocumentId(e.currentTarget.value);
                const d = documents.find((x) => x.item_id === e.currentTarget.value);
                if (d) setAmount(d.open_amount);
              }}
              data={[
                { value: '', label: items.isPending ? 'Loading the open invoices…' : 'Choose an invoice' },
                ...documents.map((d) => ({
                  value: d.item_id,
                  label: `${d.item_id} — ${formatMoney(d.open_amount, d.currency)} open`,
                })),
              ]}
              error={errors.document_id}
              data-testid="dispute-document"
            />
          )}
          <NativeSelect
            label="What the customer disputes"
            value={category}
            onChange={(e) => setCategory(e.currentTarget.value as DisputeCategory)}
            data={categories.map((c) => ({ value: c, label: categoryLabels[c] }))}
            error={errors.category}
            data-testid="dispute-category"
          />
          <TextInput
            label="Disputed amount"
            description={`At most the ${open ?? 'open amount'}.`}
            value={amount}
            onChange={(e) => setAmount(e.currentTarget.value)}
            error={errors.amount}
            data-testid="dispute-amount"
          />
          <Textarea
            label="What the customer says"
            autosize
            minRows={2}
            value={description}
            onChange={(e) => setDescription(e.currentTarget.value)}
            error={errors.description}
            data-testid="dispute-description"
          />
          <TextInput
            label="Customer’s reference (optional)"
            value={reference}
            onChange={(e) => setReference(e.currentTarget.value)}
            error={errors.customer_reference}
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
          <FileInput
            label="The customer’s documents (optional)"
            multiple
            clearable
            leftSection={<IconPaperclip size={16} />}
            value={files}
            onChange={setFiles}
          />
          {message && (
            <Alert color="red" variant="light" data-testid="dispute-error">
              {message}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button
              type="submit"
              loading={openDispute.isPending}
              leftSection={<IconScale size={16} />}
              data-testid="dispute-submit"
            >
              Open dispute
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
