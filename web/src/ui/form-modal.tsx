import { Alert, Button, FileInput, Group, Modal, Stack } from '@mantine/core';
import { IconPaperclip } from '@tabler/icons-react';
import type { FormEvent, ReactNode } from 'react';

/**
 * The frame of every request form in a modal (amount, reason, comment, documents): the fields, the server's
 * message when it is not about one of them, Cancel and the submit button. Test ids derive from `testId`:
 * `<testId>-form`, `<testId>-error`, `<testId>-submit`.
 */
export function FormModal({
  title,
  testId,
  onClose,
  onSubmit,
  submitLabel,
  submitIcon,
  loading,
  message,
  messageTitle,
  submitDisabled,
  children,
}: {
  title: string;
  testId: string;
  onClose: () => void;
  onSubmit: () => void;
  submitLabel: string;
  submitIcon?: ReactNode;
  loading: boolean;
  /** The error not shown under a field (formMessage). */
  message: string | null;
  /** A heading over that error. */
  messageTitle?: string;
  /** True while the form cannot be sent yet. */
  submitDisabled?: boolean;
  children: ReactNode;
}) {
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit();
  };
  return (
    <Modal opened onClose={onClose} title={title} size="lg">
      <form onSubmit={submit} noValidate data-testid={`${testId}-form`}>
        <Stack gap="md">
          {children}
          {message && (
            <Alert color="red" variant="light" title={messageTitle} data-testid={`${testId}-error`}>
              {message}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button
              type="submit"
              loading={loading}
              disabled={submitDisabled}
              leftSection={submitIcon}
              data-testid={`${testId}-submit`}
            >
              {submitLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** Documents attached to a request (the customer's, or the support for an adjustment). */
export function DocumentsInput({
  label,
  value,
  onChange,
  testId,
}: {
  label: string;
  value: File[];
  onChange: (files: File[]) => void;
  testId?: string;
}) {
  return (
    <FileInput
      label={label}
      multiple
      clearable
      leftSection={<IconPaperclip size={16} />}
      value={value}
      onChange={onChange}
      data-testid={testId}
    />
  );
}
