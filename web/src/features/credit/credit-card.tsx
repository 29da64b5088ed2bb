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
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAdjustmentsDollar } from '@tabler/icons-react';
import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { fieldErrors, formMessage } from '../../ui/api';
import { formatMoney } from '../../ui/money';
import { LoadError } from '../../ui/states';
import type { AccountCredit } from './credit';
import { useAccountCredit, useRequestLimit } from './use-credit';

const negative = (amount: string | null) => Boolean(amount?.startsWith('-'));

/**
 * An account's credit: per currency its limit (its own, or the parent's that covers it), open receivables,
 * orders on hold, exposure and available credit; pending limit requests; a limit change to request.
 */
export function CreditCard({
  accountId,
  currency,
  mayRequest,
}: {
  accountId: string;
  currency: string;
  mayRequest: boolean;
}) {
  const credit = useAccountCredit(accountId);
  const [requesting, setRequesting] = useState(false);
  if (credit.isError)
    return <LoadError error={credit.error} retry={() => void credit.refetch()} what="the account’s credit" />;
  const data = credit.data;
  const pending = data?.requests.filter((r) => r.status === 'pending') ?? [];
  return (
    <Card data-testid="account-credit">
      <Group justify="space-between" align="flex-start" mb="sm">
        <Title order={4}>Credit</Title>
        {mayRequest && (
          <Button
            size="xs"
            variant="light"
            leftSection={<IconAdjustmentsDollar size={14} />}
            onClick={() => setRequesting(true)}
            data-testid="request-credit-limit"
          >
            Change limit
          </Button>
        )}
      </Group>
      {!data ? (
        <Text size="sm" c="dimmed">
          Loading…
        </Text>
      ) : data.positions.length === 0 ? (
        <Text size="sm" c="dimmed">
          No credit limit, nothing open and no orders on hold.
        </Text>
      ) : (
        <Stack gap="sm">
          {data.positions.map((p) => (
            <Table key={p.currency} withRowBorders={false} verticalSpacing={2} data-testid="credit-position">
              <Table.Tbody>
                <Table.Tr>
                  <Table.Td c="dimmed">Credit limit</Table.Td>
                  <Table.Td ta="right" fw={600}>
                    {p.credit_limit === null ? 'none' : formatMoney(p.credit_limit, p.currency)}
                  </Table.Td>
                </Table.Tr>
                {p.credit_account_id !== accountId && (
                  <Table.Tr>
                    <Table.Td colSpan={2}>
                      <Text size="xs" c="dimmed">
                        Covered by the limit of{' '}
                        <Link to={`/accounts/${encodeURIComponent(p.credit_account_id)}`}>
                          {p.credit_account_id}
                        </Link>{' '}
                        (figures for every account it covers)
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                )}
                <Table.Tr>
                  <Table.Td c="dimmed">Open receivables</Table.Td>
                  <Table.Td ta="right">{formatMoney(p.open_ar, p.currency)}</Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Td c="dimmed">Orders on hold</Table.Td>
                  <Table.Td ta="right">{formatMoney(p.orders_on_hold, p.currency)}</Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Td c="dimmed">Exposure</Table.Td>
                  <Table.Td ta="right" fw={600} data-testid="credit-exposure">
                    {formatMoney(p.exposure, p.currency)}
                  </Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Td c="dimmed">Available credit</Table.Td>
                  <Table.Td
                    ta="right"
                    fw={600}
                    c={negative(p.available_credit) ? 'red.7' : 'teal.8'}
                    data-testid="credit-available"
                  >
                    {p.available_credit === null ? '—' : formatMoney(p.available_credit, p.currency)}
                  </Table.Td>
                </Table.Tr>
              </Table.Tbody>
            </Table>
          ))}
        </Stack>
      )}
      {pending.map((r) => (
        <Group key={r.request_id} gap={6} mt="xs">
          <Badge variant="light" color="yellow">
            pending
          </Badge>
          <Text size="xs">
            {r.request_id}: {r.currency} {formatMoney(r.new_amount, null)} asked by {r.requested_by_name}
          </Text>
        </Group>
      ))}
      {requesting && data && (
        <RequestLimitModal credit={data} currency={currency} onClose={() => setRequesting(false)} />
      )}
    </Card>
  );
}

function RequestLimitModal({
  credit,
  currency: accountCurrency,
  onClose,
}: {
  credit: AccountCredit;
  currency: string;
  onClose: () => void;
}) {
  const request = useRequestLimit();
  const [currency, setCurrency] = useState(accountCurrency);
  const current = credit.limits.find((l) => l.currency === currency.trim().toUpperCase());
  const [amount, setAmount] = useState(current?.amount ?? '');
  const [comment, setComment] = useState('');
  const errors = fieldErrors(request.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    request.mutate(
      {
        account_id: credit.account_id,
        currency: currency.trim(),
        credit_limit: amount.trim(),
        comment: comment.trim(),
      },
      {
        onSuccess: (r) => {
          notifications.show({ message: `${r.request_id} waits for an approver.` });
          onClose();
        },
      },
    );
  };
  return (
    <Modal opened onClose={onClose} title={`Change the credit limit of ${credit.account_id}`}>
      <form onSubmit={submit}>
        <Stack>
          <Text size="sm" c="dimmed">
            The new limit applies once an approver with a limit of at least that amount approves it; you
            cannot approve your own request. Current limit:{' '}
            {current ? formatMoney(current.amount, current.currency) : 'none'}.
          </Text>
          <Group grow>
            <TextInput
              label="Currency"
              value={currency}
              onChange={(e) => setCurrency(e.currentTarget.value)}
              error={errors.currency}
              maxLength={3}
            />
            <TextInput
              label="New limit"
              value={amount}
              onChange={(e) => setAmount(e.currentTarget.value)}
              error={errors.credit_limit}
              placeholder="250000.00"
              required
              data-testid="credit-limit-amount"
            />
          </Group>
          <Textarea
            label="Why"
            value={comment}
            onChange={(e) => setComment(e.currentTarget.value)}
            error={errors.comment}
            required
            autosize
            minRows={2}
          />
          {formMessage(request.error, ['currency', 'credit_limit', 'comment']) && (
            <Alert color="red">{formMessage(request.error, ['currency', 'credit_limit', 'comment'])}</Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={request.isPending}>
              Request
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
