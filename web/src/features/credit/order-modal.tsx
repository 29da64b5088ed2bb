import {
  Alert,
  Badge,
  Button,
  Divider,
  Group,
  Modal,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconLock, IconLockOpen } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router';
import { formMessage } from '../../ui/api';
import { formatDate, formatTimestamp } from '../../ui/dates';
import { formatMoney } from '../../ui/money';
import type { CreditReport, PendOrder } from './credit';
import { reasonLabels, recommendationColors } from './credit';
import { useDecideOrder } from './use-credit';

function Figure({ label, value, color }: { label: string; value: string; color?: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" fw={600} c={color}>
        {value}
      </Text>
    </div>
  );
}

/**
 * One order on hold beside its account's status (recent payments, open promises, the collector's latest note)
 * and the recommendation; release it or keep it on hold, with a comment either way.
 */
export function OrderModal({
  order,
  report,
  mayDecide,
  onClose,
}: {
  order: PendOrder;
  report: CreditReport;
  mayDecide: boolean;
  onClose: () => void;
}) {
  const decide = useDecideOrder();
  const [comment, setComment] = useState('');
  const account = report.accounts.find((a) => a.account_id === order.account_id);
  const money = (v: string | null) => (v === null ? '—' : formatMoney(v, order.currency));
  const submit = (decision: 'release' | 'keep') =>
    decide.mutate(
      { orderId: order.order_id, decision, comment: comment.trim() },
      {
        onSuccess: () => {
          notifications.show({
            message:
              decision === 'release' ? `${order.order_id} released.` : `${order.order_id} kept on hold.`,
          });
          onClose();
        },
      },
    );
  return (
    <Modal
      opened
      onClose={onClose}
      size="lg"
      title={`Order ${order.order_id}`}
      data-testid="credit-order-modal"
    >
      <Stack gap="md">
        <Group justify="space-between">
          <Text size="sm">
            <Link to={`/accounts/${encodeURIComponent(order.account_id)}`}>{order.account_id}</Link>
            {account ? ` · ${account.name}` : ''} · ordered {formatDate(order.order_date)} ·{' '}
            <b>{formatMoney(order.amount, order.currency)}</b>
          </Text>
          <Badge
            color={recommendationColors[order.recommendation]}
            size="lg"
            data-testid="order-recommendation"
          >
            {order.recommendation}
          </Badge>
        </Group>
        {order.reasons.length > 0 && (
          <Text size="sm" c="dimmed">
            Because: {order.reasons.map((r) => reasonLabels[r] ?? r).join('; ')}
          </Text>
        )}
        <SimpleGrid cols={3} spacing="xs">
          <Figure
            label="Credit limit"
            value={order.credit_limit === null ? 'none' : money(order.credit_limit)}
          />
          <Figure label="Open receivables" value={money(order.open_ar)} />
          <Figure label="Exposure" value={money(order.exposure)} />
          <Figure
            label="Available credit"
            value={money(order.available_credit)}
            color={order.available_credit?.startsWith('-') ? 'red.7' : undefined}
          />
          <Figure label="Past due" value={money(order.past_due)} />
          <Figure label="Most days past due" value={String(order.max_days_past_due)} />
        </SimpleGrid>
        {order.credit_account_id !== order.account_id && (
          <Text size="xs" c="dimmed">
            The limit is {order.credit_account_id}’s, covering this account: the figures are of every account
            it covers.
          </Text>
        )}
        <Divider label="Account status" labelPosition="left" />
        <SimpleGrid cols={2} spacing="md">
          <Stack gap={4}>
            <Text size="xs" c="dimmed">
              Recent payments
            </Text>
            {account && account.recent_payments.length > 0 ? (
              account.recent_payments.map((p) => (
                <Text size="sm" key={p.payment_id}>
                  {formatDate(p.received_date)} · {formatMoney(p.amount, p.currency)}
                </Text>
              ))
            ) : (
              <Text size="sm" c="dimmed">
                None.
              </Text>
            )}
          </Stack>
          <Stack gap={4}>
            <Text size="xs" c="dimmed">
              Open promises to pay
            </Text>
            {account && account.open_promises.length > 0 ? (
              account.open_promises.map((p) => (
                <Text size="sm" key={`${p.promised_date}-${p.amount}`}>
                  {formatMoney(p.amount, p.currency)} by {formatDate(p.promised_date)}
                </Text>
              ))
            ) : (
              <Text size="sm" c="dimmed">
                None.
              </Text>
            )}
          </Stack>
        </SimpleGrid>
        <Stack gap={4}>
          <Text size="xs" c="dimmed">
            The collector’s latest note{account?.collector ? ` (${account.collector})` : ''}
          </Text>
          {account?.latest_note ? (
            <Text size="sm" data-testid="latest-note">
              “{account.latest_note.body}” — {account.latest_note.actor},{' '}
              {formatTimestamp(account.latest_note.occurred_at)}
            </Text>
          ) : (
            <Text size="sm" c="dimmed">
              No note yet.
            </Text>
          )}
        </Stack>
        {order.last_decision && (
          <Text size="sm" c="dimmed">
            Last decision: {order.last_decision.decision === 'keep' ? 'kept on hold' : 'released'} by{' '}
            {order.last_decision.decided_by}, {formatTimestamp(order.last_decision.decided_at)}: “
            {order.last_decision.comment}”
          </Text>
        )}
        {mayDecide && (
          <>
            <Textarea
              label="Comment"
              description="Recorded with the decision, in the audit trail and, for a release, in credit_releases.csv."
              value={comment}
              onChange={(e) => setComment(e.currentTarget.value)}
              autosize
              minRows={2}
              data-testid="credit-comment"
            />
            {decide.error && <Alert color="red">{formMessage(decide.error, [])}</Alert>}
            <Group justify="flex-end">
              <Button
                variant="default"
                leftSection={<IconLock size={16} />}
                disabled={!comment.trim()}
                loading={decide.isPending && decide.variables?.decision === 'keep'}
                onClick={() => submit('keep')}
                data-testid="credit-keep"
              >
                Keep on hold
              </Button>
              <Button
                color="teal"
                leftSection={<IconLockOpen size={16} />}
                disabled={!comment.trim()}
                loading={decide.isPending && decide.variables?.decision === 'release'}
                onClick={() => submit('release')}
                data-testid="credit-release"
              >
                Release
              </Button>
            </Group>
          </>
        )}
      </Stack>
    </Modal>
  );
}
