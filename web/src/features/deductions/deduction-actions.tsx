import { Alert, Button, Group, Modal, Select, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import {
  IconArrowsExchange,
  IconCheck,
  IconCircleCheck,
  IconMessage,
  IconReceiptOff,
  IconUser,
  IconX,
} from '@tabler/icons-react';
import { type FormEvent, useState } from 'react';
import { fieldErrors, formMessage } from '../../ui/api';
import { DateInput } from '../../ui/date-input';
import { formatMoney } from '../../ui/money';
import { type DeductionDetail, type DeductionQueue, queueLabels, queues } from './deductions';
import { type DeductionAction, useDeductionAction } from './use-deductions';

type Kind = 'clear' | 'accept' | 'deny' | 'write-off' | 'reassign' | 'assign' | 'comments';

const titles: Record<Kind, string> = {
  clear: 'Clear against claims',
  accept: 'Accept the deduction',
  deny: 'Deny the deduction',
  'write-off': 'Write the deduction off',
  reassign: 'Move to another queue',
  assign: 'Assign',
  comments: 'Add a comment',
};

const done: Record<Kind, string> = {
  clear: 'Cleared against the claims.',
  accept: 'Accepted: the credit waits for approval.',
  deny: 'Denied: the letter goes to the customer.',
  'write-off': 'The write-off waits for approval.',
  reassign: 'Moved to the other queue.',
  assign: 'Assigned.',
  comments: 'Comment added.',
};

/**
 * The desk's buttons on a deduction. Each opens a short form, posts to the action's route and shows the
 * server's answer: a notification when done, the server's message (and field errors) when refused.
 */
export function DeductionActions({
  detail,
  picked,
}: {
  detail: DeductionDetail;
  /** Claims picked in the evidence (pre-filled from the first suggestion). */
  picked: string[];
}) {
  const [open, setOpen] = useState<Kind | null>(null);
  const d = detail.deduction;
  const live = d.status === 'open' || d.status === 'denied';
  const button = (kind: Kind, label: string, icon: React.ReactNode, color?: string, disabled = false) => (
    <Button
      key={kind}
      size="xs"
      variant={kind === 'clear' ? 'filled' : 'light'}
      color={color}
      leftSection={icon}
      disabled={disabled}
      onClick={() => setOpen(kind)}
      data-testid={`action-${kind}`}
    >
      {label}
    </Button>
  );
  return (
    <>
      <Group gap="xs" data-testid="deduction-actions">
        {button(
          'clear',
          `Clear${picked.length ? ` (${picked.length})` : ''}`,
          <IconCheck size={14} />,
          'teal',
          d.status !== 'open' || picked.length === 0,
        )}
        {button('accept', 'Accept', <IconCircleCheck size={14} />, undefined, !live)}
        {button('deny', 'Deny', <IconX size={14} />, 'red', d.status !== 'open')}
        {button('write-off', 'Write off', <IconReceiptOff size={14} />, 'gray', !live)}
        {button('reassign', 'Reassign', <IconArrowsExchange size={14} />, undefined, !live)}
        {button('assign', 'Assign', <IconUser size={14} />)}
        {button('comments', 'Comment', <IconMessage size={14} />)}
      </Group>
      {open && <ActionModal kind={open} detail={detail} picked={picked} onClose={() => setOpen(null)} />}
    </>
  );
}

function ActionModal({
  kind,
  detail,
  picked,
  onClose,
}: {
  kind: Kind;
  detail: DeductionDetail;
  picked: string[];
  onClose: () => void;
}) {
  const d = detail.deduction;
  const action = useDeductionAction(d.deduction_id);
  const [comment, setComment] = useState('');
  const [payback, setPayback] = useState('');
  const [queue, setQueue] = useState<string | null>(null);
  const [assignee, setAssignee] = useState(d.assignee ?? '');
  const errors = fieldErrors(action.error);
  const message = formMessage(action.error, ['comment', 'text', 'payback_due_date', 'queue', 'assignee']);

  const body = (): Record<string, unknown> => {
    switch (kind) {
      case 'clear':
        return { claim_ids: picked };
      case 'deny':
        return { comment, ...(payback ? { payback_due_date: payback } : {}) };
      case 'reassign':
        return { queue, comment };
      case 'assign':
        return { assignee };
      case 'comments':
        return { text: comment };
      default:
        return { comment };
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    action.mutate(
      { action: kind as DeductionAction, body: body() },
      {
        onSuccess: () => {
          notifications.show({ color: 'teal', title: titles[kind], message: done[kind] });
          onClose();
        },
      },
    );
  };

  return (
    <Modal opened onClose={onClose} title={titles[kind]} size="md">
      <form onSubmit={submit} data-testid={`action-form-${kind}`}>
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            {d.deduction_id} · {formatMoney(d.amount, d.currency)} · {d.account_name ?? d.account_id}
          </Text>
          {message && (
            <Alert color="red" data-testid="action-error">
              {message}
            </Alert>
          )}
          {kind === 'clear' && (
            <Text size="sm">
              Settle claims <b>{picked.join(', ')}</b> with this deduction: each is paid by deduction, oldest
              first, up to the deduction’s amount, and no settlement run pays it again.
            </Text>
          )}
          {kind === 'reassign' && (
            <Select
              label="Queue"
              required
              data={queues
                .filter((q) => q !== d.queue)
                .map((q) => ({ value: q, label: queueLabels[q as DeductionQueue] }))}
              value={queue}
              onChange={setQueue}
              error={errors.queue}
              data-testid="reassign-queue"
            />
          )}
          {kind === 'assign' && (
            <TextInput
              label="Assignee (e-mail)"
              value={assignee}
              onChange={(e) => setAssignee(e.currentTarget.value)}
              error={errors.assignee}
            />
          )}
          {kind === 'deny' && (
            <DateInput
              label="Payback due"
              description="When the customer must pay the deduction back (the default applies when empty)"
              value={payback}
              onChange={(e) => setPayback(e.currentTarget.value)}
              error={errors.payback_due_date}
            />
          )}
          {kind !== 'clear' && kind !== 'assign' && (
            <Textarea
              label={kind === 'comments' ? 'Comment' : 'Reason'}
              required
              autosize
              minRows={3}
              value={comment}
              onChange={(e) => setComment(e.currentTarget.value)}
              error={errors.comment ?? errors.text}
              data-testid="action-comment"
            />
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button
              type="submit"
              loading={action.isPending}
              color={kind === 'deny' ? 'red' : undefined}
              data-testid="action-submit"
            >
              {titles[kind]}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
