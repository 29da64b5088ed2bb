import { Alert, Autocomplete, Button, Group, Modal, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertCircle } from '@tabler/icons-react';
import { useState } from 'react';
import { fieldErrors, formMessage } from '../../ui/api';
import { countryName } from '../accounts/account';
import { bodyOf, changesOf, type Draft, draftOf, type EndCustomer } from './catalog';
import { useSaveEndCustomer } from './use-catalog';

const fields = ['end_customer_id', 'name', 'country', 'segment'] as const;
type Field = (typeof fields)[number];

function check(draft: Draft<Field>, creating: boolean): Record<string, string> {
  const problems: Record<string, string> = {};
  if (creating && !draft.end_customer_id.trim())
    problems.end_customer_id = 'Enter the number partners use for this customer.';
  if (!draft.name.trim()) problems.name = 'Enter the customer name.';
  if (!/^[A-Za-z]{2}$/.test(draft.country.trim()))
    problems.country = 'Use the two-letter country code, e.g. DE.';
  return problems;
}

/** New end customer when `endCustomer` is absent, otherwise an edit of it. Mount it only while open. */
export function EndCustomerFormModal({
  endCustomer,
  segments,
  onClose,
}: {
  endCustomer?: EndCustomer;
  /** Segments already in use, as suggestions. */
  segments: string[];
  onClose: () => void;
}) {
  const creating = !endCustomer;
  const [draft, setDraft] = useState(() => draftOf(fields, endCustomer));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const save = useSaveEndCustomer(endCustomer?.end_customer_id);
  const changes = endCustomer ? changesOf(fields, endCustomer, draft, 'end_customer_id') : {};

  const submit = async () => {
    const found = check(draft, creating);
    setErrors(found);
    setMessage(null);
    if (Object.keys(found).length > 0) return;
    try {
      await save.mutateAsync(endCustomer ? changes : bodyOf(draft));
      notifications.show({
        color: 'teal',
        title: creating ? 'End customer added' : 'End customer saved',
        message: `${draft.name.trim()} (${endCustomer?.end_customer_id ?? draft.end_customer_id.trim()})`,
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
      title={creating ? 'New end customer' : `Edit ${endCustomer.name}`}
      size="lg"
      closeOnClickOutside={false}
    >
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
        data-testid="end-customer-form"
      >
        <Stack gap="md">
          {message && (
            <Alert color="red" icon={<IconAlertCircle size={18} />}>
              {message}
            </Alert>
          )}
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" verticalSpacing="sm">
            <TextInput
              label="End customer number"
              description={
                creating ? 'As partners report it on sell-out lines; it cannot change later.' : undefined
              }
              required={creating}
              disabled={!creating}
              value={draft.end_customer_id}
              error={errors.end_customer_id}
              onChange={(event) => set('end_customer_id', event.currentTarget.value)}
              data-autofocus={creating || undefined}
            />
            <TextInput
              label="Name"
              required
              value={draft.name}
              error={errors.name}
              onChange={(event) => set('name', event.currentTarget.value)}
            />
            <TextInput
              label="Country"
              required
              maxLength={2}
              description={countryName(draft.country) || 'Two-letter ISO code'}
              value={draft.country}
              error={errors.country}
              onChange={(event) => set('country', event.currentTarget.value.toUpperCase())}
            />
            <Autocomplete
              label="Segment"
              description="e.g. Education, Public sector, Enterprise."
              data={segments}
              value={draft.segment}
              error={errors.segment}
              onChange={(value) => set('segment', value)}
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
              {creating ? 'Add end customer' : 'Save changes'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
