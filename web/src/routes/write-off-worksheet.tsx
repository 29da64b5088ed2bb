import {
  Alert,
  Button,
  Card,
  Checkbox,
  Group,
  NativeSelect,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconSend } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useMemo, useState } from 'react';
import { useNavigate } from 'react-router';
import { adjustmentPath, kindLabels } from '../features/adjustments/adjustments';
import { useReasons, useRequestAdjustment } from '../features/adjustments/use-adjustments';
import type { OpenItem } from '../features/receivables/receivables';
import { todayDate } from '../features/receivables/receivables';
import { api, formMessage } from '../ui/api';
import { compareAmounts, formatMoney } from '../ui/money';
import { PageHeader } from '../ui/page-header';
import { LoadError, Loading } from '../ui/states';

/**
 * The AR transaction worksheet: open documents of one currency whose open amount is at most a threshold,
 * written off (or absorbed) together on one request, each line at its open amount.
 */
export default function WriteOffWorksheetPage() {
  const navigate = useNavigate();
  const reasons = useReasons();
  const request = useRequestAdjustment();
  const [kind, setKind] = useState<'write_off' | 'absorption'>('write_off');
  const [currency, setCurrency] = useState('USD');
  const [threshold, setThreshold] = useState('25.00');
  const [reason, setReason] = useState('');
  const [comment, setComment] = useState('');
  const [unchecked, setUnchecked] = useState<Set<string>>(new Set());
  const items = useQuery({
    queryKey: ['receivables', 'items', 'worksheet'],
    queryFn: ({ signal }) =>
      api<{ items: OpenItem[] }>(`/api/ar/items?as_of=${todayDate()}&limit=10000`, { signal }),
  });
  const currencies = useMemo(
    () => [...new Set((items.data?.items ?? []).map((i) => i.currency))].sort(),
    [items.data],
  );
  const lines = useMemo(
    () =>
      (items.data?.items ?? []).filter(
        (i) =>
          i.kind !== 'payment' &&
          i.kind !== 'credit_memo' &&
          i.currency === currency &&
          compareAmounts(i.open_amount, '0') > 0 &&
          /^\d+(\.\d+)?$/.test(threshold) &&
          compareAmounts(i.open_amount, threshold) <= 0,
      ),
    [items.data, currency, threshold],
  );
  const chosen = lines.filter((l) => !unchecked.has(l.item_id));
  const choices = (reasons.data?.items ?? []).filter((r) => r.active && r.kinds.includes(kind));
  const reasonCode = choices.some((r) => r.reason_code === reason) ? reason : (choices[0]?.reason_code ?? '');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    request.mutate(
      {
        input: {
          kind,
          reason_code: reasonCode,
          comment: comment.trim(),
          source_type: 'worksheet',
          lines: chosen.map((l) => ({ document_id: l.item_id, amount: l.open_amount })),
        },
        files: [],
      },
      {
        onSuccess: (created) => {
          notifications.show({
            color: 'blue',
            title: 'Worksheet requested',
            message: `${created.adjustment_id} waits for an approver.`,
          });
          navigate(adjustmentPath(created.adjustment_id));
        },
      },
    );
  };
  const message = formMessage(request.error, []);
  return (
    <>
      <PageHeader
        title="Write-off worksheet"
        description="Small balances written off (or deductions absorbed) together: one request, one approval, each document at its open amount."
      />
      <form onSubmit={submit} noValidate>
        <Stack gap="lg">
          <Card>
            <Group align="flex-end">
              <NativeSelect
                label="Kind"
                value={kind}
                onChange={(e) => setKind(e.currentTarget.value as 'write_off')}
                data={[
                  { value: 'write_off', label: kindLabels.write_off },
                  { value: 'absorption', label: kindLabels.absorption },
                ]}
              />
              <NativeSelect
                label="Currency"
                value={currency}
                onChange={(e) => setCurrency(e.currentTarget.value)}
                data={currencies.length ? currencies : ['USD']}
              />
              <TextInput
                label="Open amount at most"
                value={threshold}
                onChange={(e) => setThreshold(e.currentTarget.value)}
                w={160}
                data-testid="worksheet-threshold"
              />
              <NativeSelect
                label="Reason"
                value={reasonCode}
                onChange={(e) => setReason(e.currentTarget.value)}
                data={choices.map((r) => ({ value: r.reason_code, label: r.reason_code }))}
              />
            </Group>
            <Textarea
              mt="md"
              label="Comment"
              autosize
              minRows={2}
              value={comment}
              onChange={(e) => setComment(e.currentTarget.value)}
              data-testid="worksheet-comment"
            />
          </Card>
          {items.isPending ? (
            <Loading label="Loading open documents…" />
          ) : items.isError ? (
            <LoadError error={items.error} retry={() => void items.refetch()} what="the open documents" />
          ) : (
            <Card>
              <Table striped withTableBorder data-testid="worksheet-lines">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th />
                    <Table.Th>Document</Table.Th>
                    <Table.Th>Account</Table.Th>
                    <Table.Th>Kind</Table.Th>
                    <Table.Th ta="right">Open</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {lines.map((l) => (
                    <Table.Tr key={l.item_id}>
                      <Table.Td>
                        <Checkbox
                          checked={!unchecked.has(l.item_id)}
                          onChange={(e) => {
                            const next = new Set(unchecked);
                            if (e.currentTarget.checked) next.delete(l.item_id);
                            else next.add(l.item_id);
                            setUnchecked(next);
                          }}
                        />
                      </Table.Td>
                      <Table.Td>{l.item_id}</Table.Td>
                      <Table.Td>{l.account_id}</Table.Td>
                      <Table.Td>{l.kind.replaceAll('_', ' ')}</Table.Td>
                      <Table.Td ta="right">{formatMoney(l.open_amount, l.currency)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
              <Text size="sm" mt="sm">
                {chosen.length} document(s) chosen.
              </Text>
            </Card>
          )}
          {message && (
            <Alert color="red" variant="light">
              {message}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button
              type="submit"
              disabled={chosen.length === 0}
              loading={request.isPending}
              leftSection={<IconSend size={16} />}
              data-testid="worksheet-submit"
            >
              Request approval
            </Button>
          </Group>
        </Stack>
      </form>
    </>
  );
}
