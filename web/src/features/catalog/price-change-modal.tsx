import { Alert, Button, Group, Modal, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertCircle } from '@tabler/icons-react';
import { useState } from 'react';
import { fieldErrors, formMessage } from '../../ui/api';
import { DateInput } from '../../ui/date-input';
import { countryName } from '../accounts/account';
import { bodyOf, type Draft, draftOf, isPrice, type Product } from './catalog';
import { useAddPriceChange } from './use-catalog';

const fields = ['country', 'effective_date', 'old_price', 'new_price', 'currency'] as const;
type Field = (typeof fields)[number];
const currencies = Intl.supportedValuesOf('currency');

function check(draft: Draft<Field>): Record<string, string> {
  const problems: Record<string, string> = {};
  if (!/^[A-Za-z]{2}$/.test(draft.country.trim()))
    problems.country = 'Use the two-letter country code, e.g. DE.';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(draft.effective_date))
    problems.effective_date = 'Choose the first day of the new price.';
  if (!isPrice(draft.old_price)) problems.old_price = 'Enter an amount like 499 or 499.90.';
  if (!isPrice(draft.new_price)) problems.new_price = 'Enter an amount like 449 or 449.90.';
  if (!/^[A-Za-z]{3}$/.test(draft.currency.trim())) problems.currency = 'Choose the currency.';
  return problems;
}

/** One price change of this product in one country, as a price_changes.csv row would record it. */
export function PriceChangeModal({ product, onClose }: { product: Product; onClose: () => void }) {
  const [draft, setDraft] = useState(() =>
    draftOf(fields, { old_price: product.list_price ?? '', currency: product.currency ?? '' }),
  );
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const add = useAddPriceChange(product.sku);

  const submit = async () => {
    const found = check(draft);
    setErrors(found);
    setMessage(null);
    if (Object.keys(found).length > 0) return;
    try {
      await add.mutateAsync(bodyOf(draft));
      notifications.show({
        color: 'teal',
        title: 'Price change recorded',
        message: `${product.sku} in ${draft.country}`,
      });
      onClose();
    } catch (error) {
      setErrors(fieldErrors(error));
      setMessage(formMessage(error, fields));
    }
  };

  const set = (field: Field, value: string) => {
    setErrors(({ [field]: _gone, ...rest }) => rest);
    setDraft((current) => ({ ...current, [field]: value }));
  };

  return (
    <Modal
      opened
      onClose={onClose}
      title={`Price change for ${product.sku}`}
      size="lg"
      closeOnClickOutside={false}
    >
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <Stack gap="md">
          <Text size="sm" c="dimmed">
            Partners holding stock on the day a price drops may claim the difference under a price protection
            program.
          </Text>
          {message && (
            <Alert color="red" icon={<IconAlertCircle size={18} />}>
              {message}
            </Alert>
          )}
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" verticalSpacing="sm">
            <TextInput
              label="Country"
              required
              maxLength={2}
              description={countryName(draft.country) || 'Two-letter ISO code'}
              value={draft.country}
              error={errors.country}
              onChange={(event) => set('country', event.currentTarget.value.toUpperCase())}
              data-autofocus
            />
            <DateInput
              label="Effective from"
              required
              value={draft.effective_date}
              error={errors.effective_date}
              onChange={(event) => set('effective_date', event.currentTarget.value)}
            />
            <TextInput
              label="Old price"
              required
              inputMode="decimal"
              value={draft.old_price}
              error={errors.old_price}
              onChange={(event) => set('old_price', event.currentTarget.value)}
            />
            <TextInput
              label="New price"
              required
              inputMode="decimal"
              value={draft.new_price}
              error={errors.new_price}
              onChange={(event) => set('new_price', event.currentTarget.value)}
            />
            <Select
              label="Currency"
              required
              data={currencies}
              value={draft.currency || null}
              error={errors.currency}
              onChange={(value) => set('currency', value ?? '')}
              searchable
              limit={20}
            />
          </SimpleGrid>
          <Group justify="flex-end" mt="sm">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={add.isPending}>
              Record price change
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
