import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Card,
  Code,
  Group,
  Modal,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { modals } from '@mantine/modals';
import { notifications } from '@mantine/notifications';
import { IconArrowDown, IconArrowUp, IconPlus, IconTrash } from '@tabler/icons-react';
import { type FormEvent, useState } from 'react';
import { fieldErrors, formMessage } from '../../ui/api';
import {
  isEmailStep,
  type StepKind,
  type Strategy,
  stepKinds,
  type TriggerKind,
  templatePlaceholders,
  triggerKinds,
} from './collections';
import { type StrategyBody, useDeleteStrategy, useSaveStrategy } from './use-collections';

interface StepDraft {
  key: string;
  step_id?: string;
  kind: StepKind;
  trigger: TriggerKind;
  days: number | '';
  subject: string;
  body: string;
  sla: number | '';
}

let counter = 0;
const newKey = () => `new-${++counter}`;

const templates: Partial<Record<StepKind, { subject: string; body: string }>> = {
  courtesy_reminder: {
    subject: 'Friendly reminder: {{currency}} {{amount_past_due}} past due',
    body: 'Dear {{account_name}},\n\nour records show {{currency}} {{amount_past_due}} past due, the oldest item since {{oldest_due_date}}. If you have already paid, please disregard this reminder.\n\nKind regards\n',
  },
  past_due_notice: {
    subject: 'Past-due notice: {{currency}} {{amount_past_due}}',
    body: 'Dear {{account_name}},\n\n{{currency}} {{amount_past_due}} is past due, the oldest item since {{oldest_due_date}}. Please arrange payment or let us know why it is held.\n\nKind regards\n',
  },
  final_demand: {
    subject: 'Final demand: {{currency}} {{amount_past_due}}',
    body: 'Dear {{account_name}},\n\ndespite our reminders {{currency}} {{amount_past_due}} remains past due, {{days_past_due}} days. Unless we receive payment within 7 days we will take further steps.\n\nKind regards\n',
  },
};

const draftOf = (s: Strategy | null): StepDraft[] =>
  (s?.steps ?? []).map((st) => ({
    key: st.step_id,
    step_id: st.step_id,
    kind: st.kind,
    trigger: st.trigger,
    days: st.days ?? '',
    subject: st.subject ?? '',
    body: st.body ?? '',
    sla: st.sla_business_days ?? '',
  }));

/**
 * Creates or edits a collection strategy: which accounts it is for (segment, country), and its steps in
 * order. Steps keep their id when moved or edited, so what was done for them stays done.
 */
export function StrategyEditor({
  strategy,
  onClose,
}: {
  /** null: a new strategy. */
  strategy: Strategy | null;
  onClose: () => void;
}) {
  const save = useSaveStrategy();
  const remove = useDeleteStrategy();
  const creating = strategy === null;
  const [id, setId] = useState('');
  const [name, setName] = useState(strategy?.name ?? '');
  const [description, setDescription] = useState(strategy?.description ?? '');
  const [segment, setSegment] = useState(strategy?.segment ?? '');
  const [country, setCountry] = useState(strategy?.country ?? '');
  const [steps, setSteps] = useState<StepDraft[]>(() =>
    creating
      ? [
          {
            key: newKey(),
            kind: 'courtesy_reminder',
            trigger: 'days_past_due',
            days: 1,
            sla: '',
            ...templates.courtesy_reminder!,
          },
        ]
      : draftOf(strategy),
  );
  const errors = fieldErrors(save.error);
  const isDefault = strategy?.is_default ?? false;

  const update = (i: number, patch: Partial<StepDraft>) =>
    setSteps((list) => list.map((s, j) => (j === i ? { ...s, ...patch } : s)));
  const move = (i: number, by: number) =>
    setSteps((list) => {
      const next = [...list];
      const [s] = next.splice(i, 1);
      next.splice(i + by, 0, s!);
      return next;
    });

  const body = (): StrategyBody => ({
    ...(creating ? { strategy_id: id.trim() } : {}),
    name: name.trim(),
    description: description.trim(),
    segment: segment.trim() || null,
    country: country.trim().toUpperCase() || null,
    steps: steps.map((s) => {
      const email = isEmailStep(s.kind);
      return {
        ...(s.step_id ? { step_id: s.step_id } : {}),
        kind: s.kind,
        trigger: s.trigger,
        days: s.trigger === 'end_of_month' || s.days === '' ? null : s.days,
        subject: email ? s.subject : null,
        body: email ? s.body : null,
        sla_business_days: email || s.sla === '' ? null : s.sla,
      };
    }),
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate(
      { id: strategy?.strategy_id ?? null, body: body() },
      {
        onSuccess: ({ strategy: saved }) => {
          notifications.show({
            color: 'teal',
            title: 'Strategy saved',
            message: `${saved.name}: ${saved.steps.length} steps`,
          });
          onClose();
        },
      },
    );
  };

  const confirmDelete = () =>
    strategy &&
    modals.openConfirmModal({
      title: `Delete ${strategy.name}?`,
      children: (
        <Text size="sm">
          Its {strategy.accounts} account{strategy.accounts === 1 ? '' : 's'} follow the next most specific
          strategy from now on; a cycle under way goes on with that strategy’s steps from its first one. What
          was done stays in their timelines.
        </Text>
      ),
      labels: { confirm: 'Delete', cancel: 'Keep it' },
      confirmProps: { color: 'red' },
      onConfirm: () => remove.mutate(strategy.strategy_id, { onSuccess: onClose }),
    });

  const message = formMessage(save.error, [
    'strategy_id',
    'name',
    'segment',
    'country',
    ...steps.flatMap((_, i) =>
      ['kind', 'trigger', 'days', 'subject', 'body', 'sla_business_days'].map((f) => `steps.${i}.${f}`),
    ),
  ]);

  return (
    <Modal
      opened
      onClose={onClose}
      size="xl"
      title={creating ? 'New collection strategy' : `Edit ${strategy.name}`}
    >
      <form onSubmit={submit} noValidate data-testid="strategy-editor">
        <Stack gap="md">
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            {creating && (
              <TextInput
                label="Strategy id"
                description="Lower-case, e.g. key-accounts-de"
                value={id}
                onChange={(e) => setId(e.currentTarget.value)}
                error={errors.strategy_id}
                required
                data-testid="strategy-id"
              />
            )}
            <TextInput
              label="Name"
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              error={errors.name}
              required
              data-testid="strategy-name"
            />
            <TextInput
              label="Segment"
              description={isDefault ? 'The default is for every account' : 'Empty: every segment'}
              value={segment}
              onChange={(e) => setSegment(e.currentTarget.value)}
              error={errors.segment}
              disabled={isDefault}
              data-testid="strategy-segment"
            />
            <TextInput
              label="Country"
              description={
                isDefault ? 'The default is for every account' : 'Two letters; empty: every country'
              }
              value={country}
              maxLength={2}
              onChange={(e) => setCountry(e.currentTarget.value.toUpperCase())}
              error={errors.country}
              disabled={isDefault}
              data-testid="strategy-country"
            />
          </SimpleGrid>
          <Textarea
            label="Description"
            autosize
            minRows={1}
            value={description}
            onChange={(e) => setDescription(e.currentTarget.value)}
          />
          <Text size="sm" c="dimmed">
            Steps run in order, at most one a day per account, each once per past-due cycle. E-mail texts may
            use{' '}
            {templatePlaceholders.map((p, i) => (
              <span key={p}>
                {i > 0 ? ' ' : ''}
                <Code>{`{{${p}}}`}</Code>
              </span>
            ))}
            .
          </Text>
          {errors.steps && (
            <Alert color="red" variant="light">
              {errors.steps}
            </Alert>
          )}
          {steps.map((s, i) => {
            const e = (f: string) => errors[`steps.${i}.${f}`];
            const email = isEmailStep(s.kind);
            return (
              <Card key={s.key} withBorder padding="sm" data-testid="strategy-step">
                <Group justify="space-between" mb="xs">
                  <Group gap="xs">
                    <Badge variant="light">Step {i + 1}</Badge>
                    <Badge variant="outline" color="gray">
                      {email ? 'e-mail' : 'task'}
                    </Badge>
                  </Group>
                  <Group gap={4}>
                    <Tooltip label="Earlier">
                      <ActionIcon
                        variant="subtle"
                        disabled={i === 0}
                        onClick={() => move(i, -1)}
                        aria-label="Move up"
                      >
                        <IconArrowUp size={16} />
                      </ActionIcon>
                    </Tooltip>
                    <Tooltip label="Later">
                      <ActionIcon
                        variant="subtle"
                        disabled={i === steps.length - 1}
                        onClick={() => move(i, 1)}
                        aria-label="Move down"
                      >
                        <IconArrowDown size={16} />
                      </ActionIcon>
                    </Tooltip>
                    <Tooltip label="Remove the step">
                      <ActionIcon
                        variant="subtle"
                        color="red"
                        disabled={steps.length === 1}
                        onClick={() => setSteps((list) => list.filter((_, j) => j !== i))}
                        aria-label="Remove"
                      >
                        <IconTrash size={16} />
                      </ActionIcon>
                    </Tooltip>
                  </Group>
                </Group>
                <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
                  <Select
                    label="What"
                    data={stepKinds.map((k) => ({ value: k.value, label: k.label }))}
                    value={s.kind}
                    allowDeselect={false}
                    onChange={(v) => {
                      const kind = v as StepKind;
                      const t = templates[kind];
                      update(i, {
                        kind,
                        ...(t && !s.subject && !s.body ? t : {}),
                      });
                    }}
                    error={e('kind')}
                    data-testid="step-kind"
                  />
                  <Select
                    label="When"
                    data={triggerKinds.map((k) => ({ value: k.value, label: k.label }))}
                    value={s.trigger}
                    allowDeselect={false}
                    onChange={(v) =>
                      update(i, { trigger: v as TriggerKind, ...(v === 'end_of_month' ? { days: '' } : {}) })
                    }
                    error={e('trigger')}
                    data-testid="step-trigger"
                  />
                  <NumberInput
                    label={
                      s.trigger === 'days_after_previous' ? 'Days after the previous step' : 'Days past due'
                    }
                    min={0}
                    max={3650}
                    allowDecimal={false}
                    disabled={s.trigger === 'end_of_month'}
                    value={s.days}
                    onChange={(v) => update(i, { days: typeof v === 'number' ? v : '' })}
                    error={e('days')}
                    data-testid="step-days"
                  />
                </SimpleGrid>
                {email ? (
                  <Stack gap="xs" mt="xs">
                    <TextInput
                      label="Subject"
                      value={s.subject}
                      onChange={(ev) => update(i, { subject: ev.currentTarget.value })}
                      error={e('subject')}
                      data-testid="step-subject"
                    />
                    <Textarea
                      label="Text"
                      autosize
                      minRows={3}
                      value={s.body}
                      onChange={(ev) => update(i, { body: ev.currentTarget.value })}
                      error={e('body')}
                      data-testid="step-body"
                    />
                  </Stack>
                ) : (
                  <NumberInput
                    mt="xs"
                    w={260}
                    label="SLA (business days)"
                    description="Empty: the usual for this kind of task"
                    min={1}
                    max={60}
                    allowDecimal={false}
                    value={s.sla}
                    onChange={(v) => update(i, { sla: typeof v === 'number' ? v : '' })}
                    error={e('sla_business_days')}
                  />
                )}
              </Card>
            );
          })}
          <Group justify="space-between">
            <Button
              variant="light"
              leftSection={<IconPlus size={16} />}
              onClick={() =>
                setSteps((list) => [
                  ...list,
                  {
                    key: newKey(),
                    kind: 'call',
                    trigger: 'days_after_previous',
                    days: 7,
                    subject: '',
                    body: '',
                    sla: '',
                  },
                ])
              }
              disabled={steps.length >= 20}
              data-testid="add-step"
            >
              Add a step
            </Button>
          </Group>
          {message && (
            <Alert color="red" variant="light">
              {message}
            </Alert>
          )}
          <Group justify="space-between">
            <div>
              {!creating && !isDefault && (
                <Button color="red" variant="subtle" onClick={confirmDelete} loading={remove.isPending}>
                  Delete strategy
                </Button>
              )}
            </div>
            <Group>
              <Button variant="default" onClick={onClose}>
                Cancel
              </Button>
              <Button type="submit" loading={save.isPending} data-testid="strategy-save">
                Save
              </Button>
            </Group>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
