import { NativeSelect, Textarea, TextInput } from '@mantine/core';
import { categories, type DisputeCategory } from './disputes';

export interface DisputeFieldValues {
  category: DisputeCategory;
  amount: string;
  description: string;
  reference: string;
}

/** The words of the fields: the desk speaks of the customer, the portal to it. */
export interface DisputeFieldWords {
  category: string;
  categoryLabels: Record<DisputeCategory, string>;
  amount: string;
  description: string;
  descriptionPlaceholder?: string;
  reference: string;
}

/**
 * What a dispute says — what is wrong, how much (at most what is open), in whose words and with what
 * reference — the same four fields where the collector opens one and where the customer raises one.
 */
export function DisputeFields({
  values,
  onChange,
  errors,
  words,
  open,
  currency,
  testId,
}: {
  values: DisputeFieldValues;
  onChange: (values: DisputeFieldValues) => void;
  errors: Record<string, string>;
  words: DisputeFieldWords;
  /** What is open on the document, in words ("500.00 EUR"), when known. */
  open: string | null;
  currency?: string;
  /** The prefix of the fields' test ids (`dispute` → `dispute-amount`). */
  testId: string;
}) {
  const set = (change: Partial<DisputeFieldValues>) => onChange({ ...values, ...change });
  return (
    <>
      <NativeSelect
        label={words.category}
        value={values.category}
        onChange={(e) => set({ category: e.currentTarget.value as DisputeCategory })}
        data={categories.map((c) => ({ value: c, label: words.categoryLabels[c] }))}
        error={errors.category}
        data-testid={`${testId}-category`}
      />
      <TextInput
        label={words.amount}
        description={`At most the ${open ?? 'open amount'}.`}
        value={values.amount}
        onChange={(e) => set({ amount: e.currentTarget.value })}
        rightSection={currency}
        error={errors.amount}
        required
        data-testid={`${testId}-amount`}
      />
      <Textarea
        label={words.description}
        placeholder={words.descriptionPlaceholder}
        autosize
        minRows={3}
        value={values.description}
        onChange={(e) => set({ description: e.currentTarget.value })}
        error={errors.description}
        required
        data-testid={`${testId}-description`}
      />
      <TextInput
        label={words.reference}
        value={values.reference}
        onChange={(e) => set({ reference: e.currentTarget.value })}
        error={errors.customer_reference}
      />
    </>
  );
}
