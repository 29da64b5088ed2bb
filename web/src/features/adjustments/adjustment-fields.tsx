import { NativeSelect, Textarea, TextInput } from '@mantine/core';
import { type ReactNode, useState } from 'react';
import { amountValue } from '../../ui/money';
import { type AdjustmentKind, kindLabels } from './adjustments';
import { useReasons } from './use-adjustments';

/**
 * The amount, reason and comment of an adjustment request, shared by the adjustment modal and the dispute's
 * proposal: the kind (from `kinds`), the amount (or the corrected amount of a rebill), a reason code valid for
 * the kind, and the comment the approver reads. `body` is what the request sends of them.
 */
export function useAdjustmentFields<K extends AdjustmentKind>({
  kinds,
  initialKind,
  initialAmount = '',
  initialReason = '',
  open,
  errors,
  testId,
  commentHint,
}: {
  kinds: readonly K[];
  initialKind: K;
  initialAmount?: string;
  initialReason?: string;
  /** The open amount, formatted, for the hints. */
  open: string | null;
  errors: Record<string, string>;
  testId: string;
  commentHint: string;
}): {
  kind: K;
  kindField: ReactNode;
  fields: ReactNode;
  body: { kind: K; amount?: string; corrected_amount?: string; reason_code: string; comment: string };
  /** The chosen reason requires supporting documents. */
  documentsRequired: boolean;
} {
  const reasons = useReasons();
  const [kind, setKind] = useState<K>(initialKind);
  const [amount, setAmount] = useState(initialAmount);
  const [corrected, setCorrected] = useState('');
  const [reason, setReason] = useState(initialReason);
  const [comment, setComment] = useState('');
  const choices = (reasons.data?.items ?? []).filter((r) => r.active && r.kinds.includes(kind));
  const reasonCode = choices.some((r) => r.reason_code === reason) ? reason : (choices[0]?.reason_code ?? '');

  const kindField = (
    <NativeSelect
      label="Kind"
      value={kind}
      onChange={(e) => setKind(e.currentTarget.value as K)}
      data={kinds.map((k) => ({ value: k, label: kindLabels[k] }))}
      data-testid={`${testId}-kind`}
    />
  );
  const fields = (
    <>
      {kind === 'rebill' ? (
        <TextInput
          label="Corrected invoice amount"
          description={`The open ${open ?? 'amount'} is credited and a new invoice issued for this amount.`}
          value={corrected}
          onChange={(e) => setCorrected(e.currentTarget.value)}
          error={errors.corrected_amount}
          data-testid={`${testId}-corrected`}
        />
      ) : (
        <TextInput
          label="Amount"
          description={
            kind === 'debit_adjustment' ? 'The debit memo’s amount.' : `At most the ${open ?? 'open amount'}.`
          }
          value={amount}
          onChange={(e) => setAmount(e.currentTarget.value)}
          error={errors.amount}
          data-testid={`${testId}-amount`}
        />
      )}
      <NativeSelect
        label="Reason"
        value={reasonCode}
        onChange={(e) => setReason(e.currentTarget.value)}
        data={choices.map((r) => ({ value: r.reason_code, label: `${r.reason_code} — ${r.description}` }))}
        error={errors.reason_code}
        data-testid={`${testId}-reason`}
      />
      <Textarea
        label="Comment"
        description={commentHint}
        autosize
        minRows={2}
        value={comment}
        onChange={(e) => setComment(e.currentTarget.value)}
        error={errors.comment}
        data-testid={`${testId}-comment`}
      />
    </>
  );
  return {
    kind,
    kindField,
    fields,
    body: {
      kind,
      ...(kind === 'rebill' ? { corrected_amount: amountValue(corrected) } : { amount: amountValue(amount) }),
      reason_code: reasonCode,
      comment: comment.trim(),
    },
    documentsRequired: choices.find((r) => r.reason_code === reasonCode)?.documents_required ?? false,
  };
}

/** The request fields whose errors show under them (the rest go to the form's message). */
export const adjustmentFieldNames = ['kind', 'amount', 'corrected_amount', 'reason_code', 'comment'] as const;
