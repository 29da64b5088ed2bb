import { Alert, Button, Group, Modal, Select, Stack, Text, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { type FormEvent, useState } from 'react';
import { fieldErrors, formMessage } from '../../ui/api';
import { formatDate } from '../../ui/dates';
import { type Task, type TaskKind, type TaskOutcome, taskOutcomes } from './collections';
import { useCompleteTask, useCreateTask } from './use-collections';

const taskKinds: { value: TaskKind; label: string; description: string }[] = [
  {
    value: 'escalate_to_sales',
    label: 'Escalate to sales',
    description: 'The sales owner talks to the customer; 5 business days.',
  },
  { value: 'call', label: 'Call', description: 'A call for the collector; 2 business days.' },
  {
    value: 'credit_hold_recommendation',
    label: 'Recommend a credit hold',
    description: 'The credit team decides on a hold; 3 business days.',
  },
];

/** Opens a task by hand: escalate a payment delay to the sales owner, a call, a credit-hold recommendation. */
export function CreateTaskModal({
  opened,
  onClose,
  accountId,
  salesOwner,
  documentIds = [],
}: {
  opened: boolean;
  onClose: () => void;
  accountId: string;
  salesOwner: string | null;
  documentIds?: string[];
}) {
  const create = useCreateTask(accountId);
  const [kind, setKind] = useState<TaskKind>('escalate_to_sales');
  const [note, setNote] = useState('');
  const errors = fieldErrors(create.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(
      { kind, note: note.trim(), document_ids: documentIds },
      {
        onSuccess: ({ task }) => {
          notifications.show({
            color: 'teal',
            title: 'Task opened',
            message: `${task.title} — for ${task.assignee ?? `the ${task.queue} team`}, due ${formatDate(task.due_date)}`,
          });
          setNote('');
          onClose();
        },
      },
    );
  };
  const chosen = taskKinds.find((k) => k.value === kind)!;
  return (
    <Modal opened={opened} onClose={onClose} title="Open a task" size="lg">
      <form onSubmit={submit} noValidate data-testid="create-task-form">
        <Stack gap="md">
          <Select
            label="What"
            data={taskKinds.map((k) => ({ value: k.value, label: k.label }))}
            value={kind}
            onChange={(v) => v && setKind(v as TaskKind)}
            allowDeselect={false}
            description={chosen.description}
            data-testid="task-kind"
          />
          {kind === 'escalate_to_sales' && (
            <Text size="sm" c={salesOwner ? undefined : 'red'}>
              {salesOwner
                ? `Routed to the sales owner, ${salesOwner}.`
                : 'This account has no sales owner: set one on the account first.'}
            </Text>
          )}
          <Textarea
            label="Why, and what you need"
            autosize
            minRows={3}
            value={note}
            onChange={(e) => setNote(e.currentTarget.value)}
            error={errors.note}
            data-testid="task-note"
          />
          {formMessage(create.error, ['note']) && (
            <Alert color="red" variant="light">
              {formMessage(create.error, ['note'])}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending} data-testid="task-submit">
              Open task
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** Completes a task with its outcome; the outcome lands in the account's timeline. */
export function CompleteTaskModal({ task, onClose }: { task: Task | null; onClose: () => void }) {
  const complete = useCompleteTask();
  const [outcome, setOutcome] = useState<TaskOutcome | null>(null);
  const [note, setNote] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const errors = fieldErrors(complete.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!task) return;
    if (!outcome) return setProblem('Pick the outcome.');
    setProblem(null);
    complete.mutate(
      { taskId: task.task_id, outcome, note: note.trim() },
      {
        onSuccess: () => {
          notifications.show({ color: 'teal', title: 'Task done', message: task.title });
          setOutcome(null);
          setNote('');
          onClose();
        },
      },
    );
  };
  return (
    <Modal opened={task !== null} onClose={onClose} title={task ? `Complete: ${task.title}` : ''} size="lg">
      {task && (
        <form onSubmit={submit} noValidate data-testid="complete-task-form">
          <Stack gap="md">
            {task.body && (
              <Text size="sm" c="dimmed" style={{ whiteSpace: 'pre-wrap' }}>
                {task.body}
              </Text>
            )}
            <Select
              label="Outcome"
              placeholder="What came of it?"
              data={taskOutcomes.map((o) => ({ value: o.value, label: o.label }))}
              value={outcome}
              onChange={(v) => setOutcome(v as TaskOutcome | null)}
              error={problem ?? errors.outcome}
              data-testid="task-outcome"
              allowDeselect={false}
            />
            <Textarea
              label="Notes"
              autosize
              minRows={2}
              value={note}
              onChange={(e) => setNote(e.currentTarget.value)}
              error={errors.note}
              data-testid="task-outcome-note"
            />
            {formMessage(complete.error, ['outcome', 'note']) && (
              <Alert color="red" variant="light">
                {formMessage(complete.error, ['outcome', 'note'])}
              </Alert>
            )}
            <Group justify="flex-end">
              <Button variant="default" onClick={onClose}>
                Cancel
              </Button>
              <Button type="submit" loading={complete.isPending} data-testid="complete-task-submit">
                Complete task
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
