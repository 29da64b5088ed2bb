import { Alert, Button, Group, Modal, Select, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { type FormEvent, useState } from 'react';
import { fieldErrors, formMessage } from '../../ui/api';
import { type DeductionQueue, queueLabels, queueOptions } from '../deductions-admin/deductions-admin';
import { type DeductionAction, useDeductionAction } from './use-deduction-actions';

type ModalAction = Exclude<DeductionAction, 'assign' | 'comments'>;

const titles: Record<ModalAction, string> = {
  deny: 'Deny the deduction',
  accept: 'Accept the deduction',
  'write-off': 'Write the deduction off',
  reassign: 'Move to another team',
};

const explanations: Record<ModalAction, string> = {
  deny: 'A denial letter (PDF) is kept with the deduction, e-mailed to the billing contact and shown in the partner’s portal. The amount stays owed until the payback due date; the comment is printed in the letter.',
  accept:
    'An absorption of what is open on it is requested; the deduction is credited once an approver approves it.',
  'write-off':
    'A write-off of what is open on it is requested; the deduction is written off once an approver approves it.',
  reassign: 'The new team’s SLA clock starts today.',
};

/**
 * Deny, accept, write off or move one deduction: the form for the action, sent to the server, which checks the
 * roles (the queue's team, managers, administrators) and answers with what happened.
 */
export function DeductionActionModal({
  deductionId,
  queue,
  action,
  onClose,
}: {
  deductionId: string;
  queue: DeductionQueue;
  action: ModalAction;
  onClose: () => void;
}) {
  const mutation = useDeductionAction(deductionId, action);
  const [comment, setComment] = useState('');
  const [due, setDue] = useState('');
  const [target, setTarget] = useState<DeductionQueue | null>(null);
  const errors = fieldErrors(mutation.error);
  const message = formMessage(mutation.error, ['comment', 'payback_due_date', 'queue']);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const body =
      action === 'deny'
        ? { comment, ...(due.trim() ? { payback_due_date: due.trim() } : {}) }
        : action === 'reassign'
          ? { queue: target as DeductionQueue, comment }
          : { comment };
    mutation.mutate(body, {
      onSuccess: () => {
        notifications.show({ color: 'teal', title: titles[action], message: `${deductionId}: done` });
        onClose();
      },
    });
  };

  return (
    <Modal opened onClose={onClose} title={`${titles[action]}: ${deductionId}`} size="lg">
      <form onSubmit={submit} data-testid={`deduction-${action}-form`}>
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            {explanations[action]}
          </Text>
          {action === 'reassign' && (
            <Select
              label="To the queue"
              data-testid="reassign-queue"
              data={queueOptions.filter((q) => q.value !== queue)}
              value={target}
              onChange={(v) => setTarget(v as DeductionQueue | null)}
              error={errors.queue}
              required
            />
          )}
          {action === 'deny' && (
            <TextInput
              label="Payback due date"
              description="Empty: today plus the account’s payment terms"
              placeholder="YYYY-MM-DD"
              value={due}
              onChange={(e) => setDue(e.currentTarget.value)}
              error={errors.payback_due_date}
            />
          )}
          <Textarea
            label={action === 'deny' ? 'Why (printed in the letter)' : 'Why'}
            value={comment}
            onChange={(e) => setComment(e.currentTarget.value)}
            error={errors.comment}
            autosize
            minRows={3}
            required
          />
          {message && (
            <Alert color="red" variant="light">
              {message}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button
              type="submit"
              loading={mutation.isPending}
              disabled={!comment.trim() || (action === 'reassign' && !target)}
              color={action === 'deny' ? 'red' : undefined}
            >
              {action === 'reassign' && target ? `Move to ${queueLabels[target]}` : titles[action]}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
