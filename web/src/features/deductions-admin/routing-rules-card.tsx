import {
  ActionIcon,
  Alert,
  Button,
  Card,
  Group,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconPencil, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { fieldErrors } from '../../ui/api';
import { Empty, LoadError, Loading } from '../../ui/states';
import {
  categoryLabels,
  categoryOptions,
  type DeductionCategory,
  type DeductionQueue,
  queueLabels,
  queueOptions,
  type RoutingRule,
} from './deductions-admin';
import { type RuleInput, useDeleteRule, useRoutingRules, useSaveRule } from './use-deductions-admin';

const blank: RuleInput = {
  account_id: null,
  category: null,
  customer_code: null,
  queue: 'collections',
  note: null,
};

/**
 * Rules that send deductions to another team than their category's: per account, category and customer
 * reason code. The most specific rule wins; a deduction a person moved stays where it was put.
 */
export function RoutingRulesCard({ editable }: { editable: boolean }) {
  const rules = useRoutingRules();
  const save = useSaveRule();
  const remove = useDeleteRule();
  const [editing, setEditing] = useState<string | null>(null);
  const [form, setForm] = useState<RuleInput>(blank);
  const errors = fieldErrors(save.error);
  const set = <K extends keyof RuleInput>(k: K, v: RuleInput[K]) => setForm((f) => ({ ...f, [k]: v }));
  const edit = (r: RoutingRule) => {
    setEditing(r.rule_id);
    setForm({
      account_id: r.account_id,
      category: r.category as DeductionCategory | null,
      customer_code: r.customer_code,
      queue: r.queue,
      note: r.note,
    });
  };

  return (
    <Card data-testid="deduction-routing-rules-card">
      <Stack gap="sm">
        <Title order={4} fw={600}>
          Routing rules
        </Title>
        <Text size="sm" c="dimmed">
          The account’s own rule wins over any account’s, one naming the reason code over one that does not,
          and one naming the category over one that does not. Without a rule a deduction goes to its
          category’s queue.
        </Text>
        {rules.isPending ? (
          <Loading label="Loading routing rules…" />
        ) : rules.isError ? (
          <LoadError error={rules.error} retry={() => void rules.refetch()} what="the routing rules" />
        ) : rules.data.items.length === 0 ? (
          <Empty title="No routing rules: every deduction goes to its category’s queue" />
        ) : (
          <Table withTableBorder striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Account</Table.Th>
                <Table.Th>Category</Table.Th>
                <Table.Th>Customer’s code</Table.Th>
                <Table.Th>Queue</Table.Th>
                <Table.Th>Note</Table.Th>
                {editable && <Table.Th />}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rules.data.items.map((r) => (
                <Table.Tr key={r.rule_id} data-testid="routing-rule">
                  <Table.Td>{r.account_id ?? 'any'}</Table.Td>
                  <Table.Td>{r.category ? categoryLabels[r.category as DeductionCategory] : 'any'}</Table.Td>
                  <Table.Td>{r.customer_code ?? 'any'}</Table.Td>
                  <Table.Td fw={500}>{queueLabels[r.queue]}</Table.Td>
                  <Table.Td>
                    <Text size="xs" c="dimmed">
                      {r.note}
                    </Text>
                  </Table.Td>
                  {editable && (
                    <Table.Td w={80}>
                      <Group gap={4} wrap="nowrap">
                        <ActionIcon
                          variant="subtle"
                          aria-label={`Change rule ${r.rule_id}`}
                          onClick={() => edit(r)}
                        >
                          <IconPencil size={16} />
                        </ActionIcon>
                        <ActionIcon
                          variant="subtle"
                          color="red"
                          aria-label={`Remove rule ${r.rule_id}`}
                          onClick={() => remove.mutate(r.rule_id)}
                        >
                          <IconTrash size={16} />
                        </ActionIcon>
                      </Group>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        {editable && (
          <Group align="flex-end">
            <TextInput
              label="Account"
              data-testid="rule-account"
              placeholder="any"
              value={form.account_id ?? ''}
              onChange={(e) => set('account_id', e.currentTarget.value.trim() || null)}
              error={errors.account_id}
              w={140}
            />
            <Select
              label="Category"
              data-testid="rule-category"
              placeholder="any"
              clearable
              data={categoryOptions}
              value={form.category}
              onChange={(v) => set('category', v as DeductionCategory | null)}
              w={160}
            />
            <TextInput
              label="Customer’s code"
              data-testid="rule-code"
              placeholder="any"
              value={form.customer_code ?? ''}
              onChange={(e) => set('customer_code', e.currentTarget.value.trim() || null)}
              error={errors.customer_code}
              w={140}
            />
            <Select
              label="Queue"
              data-testid="rule-queue"
              data={queueOptions}
              value={form.queue}
              onChange={(v) => v && set('queue', v as DeductionQueue)}
              allowDeselect={false}
              w={150}
            />
            <TextInput
              label="Note"
              value={form.note ?? ''}
              onChange={(e) => set('note', e.currentTarget.value || null)}
              w={200}
            />
            <Button
              loading={save.isPending}
              onClick={() =>
                save.mutate(
                  { ruleId: editing, input: form },
                  {
                    onSuccess: (r) => {
                      notifications.show({
                        color: 'teal',
                        title: editing ? 'Rule changed' : 'Rule added',
                        message: `to ${queueLabels[r.queue]}`,
                      });
                      setEditing(null);
                      setForm(blank);
                    },
                  },
                )
              }
            >
              {editing ? 'Save rule' : 'Add rule'}
            </Button>
            {editing && (
              <Button
                variant="subtle"
                onClick={() => {
                  setEditing(null);
                  setForm(blank);
                }}
              >
                Cancel
              </Button>
            )}
          </Group>
        )}
        {(save.error || remove.error) && !Object.keys(errors).length && (
          <Alert color="red" variant="light">
            {(save.error ?? remove.error)?.message}
          </Alert>
        )}
      </Stack>
    </Card>
  );
}
