import {
  Alert,
  Autocomplete,
  Button,
  Group,
  Modal,
  Select,
  SimpleGrid,
  Stack,
  TextInput,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertCircle } from '@tabler/icons-react';
import { useState } from 'react';
import { fieldErrors, formMessage } from '../../ui/api';
import { bodyOf, changesOf, type Draft, draftOf, isPrice, type Product } from './catalog';
import { useProducts, useSaveProduct } from './use-catalog';

const fields = ['sku', 'name', 'family', 'category', 'list_price', 'currency'] as const;
type Field = (typeof fields)[number];
const currencies = Intl.supportedValuesOf('currency');

function check(draft: Draft<Field>, creating: boolean): Record<string, string> {
  const problems: Record<string, string> = {};
  if (creating && !draft.sku.trim()) problems.sku = 'Enter the SKU used on invoices.';
  if (!draft.name.trim()) problems.name = 'Enter the product name.';
  if (draft.list_price.trim() && !isPrice(draft.list_price))
    problems.list_price = 'Enter an amount like 499 or 499.90.';
  if (draft.list_price.trim() && !draft.currency.trim())
    problems.currency = 'Choose the currency of the list price.';
  return problems;
}

/** New product when `product` is absent, otherwise an edit of it. Mount it only while open. */
export function ProductFormModal({
  product,
  onClose,
  onSaved,
}: {
  product?: Product;
  onClose: () => void;
  onSaved?: (product: Product) => void;
}) {
  const creating = !product;
  const [draft, setDraft] = useState(() => draftOf(fields, product));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const save = useSaveProduct(product?.sku);
  const products = useProducts();
  const known = (field: 'family' | 'category') =>
    [
      ...new Set(
        (products.data ?? []).map((item) => item[field]).filter((value): value is string => !!value),
      ),
    ].sort();
  const changes = product ? changesOf(fields, product, draft, 'sku') : {};

  const submit = async () => {
    const found = check(draft, creating);
    setErrors(found);
    setMessage(null);
    if (Object.keys(found).length > 0) return;
    try {
      const saved = await save.mutateAsync(product ? changes : bodyOf(draft));
      notifications.show({
        color: 'teal',
        title: creating ? 'Product added' : 'Product saved',
        message: `${saved.name} (${saved.sku})`,
      });
      onSaved?.(saved);
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
      title={creating ? 'New product' : `Edit ${product.name}`}
      size="lg"
      closeOnClickOutside={false}
    >
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
        data-testid="product-form"
      >
        <Stack gap="md">
          {message && (
            <Alert color="red" icon={<IconAlertCircle size={18} />}>
              {message}
            </Alert>
          )}
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" verticalSpacing="sm">
            <TextInput
              label="SKU"
              description={
                creating ? 'As on invoices and partner reports; it cannot change later.' : undefined
              }
              required={creating}
              disabled={!creating}
              value={draft.sku}
              error={errors.sku}
              onChange={(event) => set('sku', event.currentTarget.value)}
              data-autofocus={creating || undefined}
            />
            <TextInput
              label="Name"
              required
              value={draft.name}
              error={errors.name}
              onChange={(event) => set('name', event.currentTarget.value)}
            />
            <Autocomplete
              label="Family"
              description="The product line, e.g. LaserJet Pro."
              data={known('family')}
              value={draft.family}
              error={errors.family}
              onChange={(value) => set('family', value)}
            />
            <Autocomplete
              label="Category"
              description="Programs can make a whole category eligible."
              data={known('category')}
              value={draft.category}
              error={errors.category}
              onChange={(value) => set('category', value)}
            />
            <TextInput
              label="List price"
              inputMode="decimal"
              placeholder="Not set"
              rightSection={draft.currency || undefined}
              rightSectionWidth={48}
              value={draft.list_price}
              error={errors.list_price}
              onChange={(event) => set('list_price', event.currentTarget.value)}
            />
            <Select
              label="Currency"
              data={currencies}
              value={draft.currency || null}
              error={errors.currency}
              onChange={(value) => set('currency', value ?? '')}
              searchable
              clearable
              limit={20}
            />
          </SimpleGrid>
          <Group justify="flex-end" mt="sm">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button
              type="submit"
              loading={save.isPending}
              disabled={!creating && Object.keys(changes).length === 0}
            >
              {creating ? 'Add product' : 'Save changes'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
