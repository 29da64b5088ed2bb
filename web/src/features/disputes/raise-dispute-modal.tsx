import { Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconScale } from '@tabler/icons-react';
import { useState } from 'react';
import { fieldErrors, formMessage } from '../../ui/api';
import { formatDate } from '../../ui/dates';
import { FormModal } from '../../ui/form-modal';
import { amountValue, formatMoney } from '../../ui/money';
import { DisputeFields, type DisputeFieldValues } from './dispute-fields';
import { customerCategoryLabels } from './disputes';
import { useRaiseDispute } from './use-disputes';

/**
 * The portal's dispute button: the partner says what is wrong with an invoice and how much of it it disputes
 * (at most what is open). The company routes it to the team that answers for that kind of problem.
 */
export function RaiseDisputeModal({
  accountId,
  invoice,
  onClose,
}: {
  accountId: string;
  invoice: { id: string; open_amount: string; currency: string };
  onClose: () => void;
}) {
  const raise = useRaiseDispute(accountId);
  const [values, setValues] = useState<DisputeFieldValues>({
    category: 'pricing',
    amount: invoice.open_amount,
    description: '',
    reference: '',
  });
  const { category, amount, description, reference } = values;
  const errors = fieldErrors(raise.error);
  const message = formMessage(raise.error, ['category', 'amount', 'description', 'customer_reference']);

  const submit = () =>
    raise.mutate(
      {
        document_id: invoice.id,
        category,
        amount: amountValue(amount),
        description: description.trim(),
        ...(reference.trim() ? { customer_reference: reference.trim() } : {}),
      },
      {
        onSuccess: (dispute) => {
          notifications.show({
            color: 'blue',
            title: `Dispute ${dispute.dispute_id} sent`,
            message: `Our ${dispute.team_name.toLowerCase()} team answers by ${formatDate(dispute.due_date)}. We do not chase the disputed amount meanwhile.`,
          });
          onClose();
        },
      },
    );

  return (
    <FormModal
      title={`Dispute invoice ${invoice.id}`}
      testId="raise-dispute"
      onClose={onClose}
      onSubmit={submit}
      submitLabel="Send the dispute"
      submitIcon={<IconScale size={16} />}
      loading={raise.isPending}
      submitDisabled={description.trim() === '' || amount.trim() === ''}
      message={message}
      messageTitle="The dispute was not sent"
    >
      <Text size="sm">
        {formatMoney(invoice.open_amount, invoice.currency)} is open on invoice <b>{invoice.id}</b>. Tell us
        what is wrong: the team that answers for it reviews your dispute, and we do not ask you to pay the
        disputed amount while it does.
      </Text>
      <DisputeFields
        values={values}
        onChange={setValues}
        errors={errors}
        words={{
          category: 'What is wrong',
          categoryLabels: customerCategoryLabels,
          amount: 'Amount you dispute',
          description: 'What happened',
          descriptionPlaceholder: 'e.g. the price list of March says 95.00 per unit, not 110.00',
          reference: 'Your reference (optional)',
        }}
        open={formatMoney(invoice.open_amount, invoice.currency)}
        currency={invoice.currency}
        testId="raise-dispute"
      />
    </FormModal>
  );
}
