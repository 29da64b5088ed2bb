import {
  Alert,
  Badge,
  Button,
  Card,
  Group,
  Modal,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { fieldErrors } from '../../ui/api';
import { formatMoney } from '../../ui/money';
import type { UserLimits } from './adjustments';
import { useApprovalLimits, useSetApprovalLimits } from './use-adjustments';

/** Approval limits per user and currency (none by default): who may approve how much. */
export function ApprovalLimitsCard() {
  const limits = useApprovalLimits();
  const [editing, setEditing] = useState<UserLimits | null>(null);
  if (!limits.data) return null;
  return (
    <Card mt="lg" data-testid="approval-limits">
      <Stack gap="sm">
        <Title order={4} fw={600}>
          Approval limits
        </Title>
        <Text size="sm" c="dimmed">
          A request needs approvers whose limit in its currency covers the amount (two above the second-level
          threshold, 25,000.00 by default), never the requester.
        </Text>
        <Table withTableBorder striped>
          <Table.Tbody>
            {limits.data.items
              .filter((u) => u.active)
              .map((u) => (
                <Table.Tr key={u.user_id}>
                  <Table.Td>{u.email}</Table.Td>
                  <Table.Td>{u.roles.join(', ')}</Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      {u.limits.length === 0 ? (
                        <Text size="xs" c="dimmed">
                          none
                        </Text>
                      ) : (
                        u.limits.map((l) => (
                          <Badge key={l.currency} variant="light">
                            {formatMoney(l.amount, l.currency)}
                          </Badge>
                        ))
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Button
                      size="xs"
                      variant="light"
                      onClick={() => setEditing(u)}
                      data-testid={`edit-limits-${u.email}`}
                    >
                      Edit
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
          </Table.Tbody>
        </Table>
      </Stack>
      {editing && <LimitsModal user={editing} onClose={() => setEditing(null)} />}
    </Card>
  );
}

function LimitsModal({ user, onClose }: { user: UserLimits; onClose: () => void }) {
  const save = useSetApprovalLimits();
  const [text, setText] = useState(user.limits.map((l) => `${l.currency}:${l.amount}`).join(', '));
  const [problem, setProblem] = useState<string | null>(null);
  const errors = fieldErrors(save.error);
  const submit = () => {
    const parts = text.split(/[,;\s]+/).filter(Boolean);
    const limits: { currency: string; amount: string }[] = [];
    for (const p of parts) {
      const m = /^([A-Za-z]{3}):(\d+(?:\.\d+)?)$/.exec(p);
      if (!m) return setProblem(`“${p}” is not CURRENCY:AMOUNT, e.g. USD:5000`);
      limits.push({ currency: m[1]!.toUpperCase(), amount: m[2]! });
    }
    setProblem(null);
    save.mutate(
      { userId: user.user_id, limits },
      {
        onSuccess: () => {
          notifications.show({ color: 'teal', title: 'Approval limits saved', message: user.email });
          onClose();
        },
      },
    );
  };
  return (
    <Modal opened onClose={onClose} title={`Approval limits of ${user.email}`}>
      <Stack>
        <TextInput
          label="Limits"
          description="One per currency, e.g. USD:5000, EUR:2500. Empty: approves nothing."
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
          error={problem ?? errors.limits}
          data-testid="limits-input"
        />
        {save.error && !problem && (
          <Alert color="red" variant="light">
            {save.error.message}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button onClick={submit} loading={save.isPending} data-testid="limits-save">
            Save
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
