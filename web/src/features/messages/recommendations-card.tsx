import {
  Alert,
  Badge,
  Button,
  Group,
  Modal,
  Paper,
  Stack,
  Table,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconSend } from '@tabler/icons-react';
import { useState } from 'react';
import { formatDate } from '../../ui/dates';
import { formatCount } from '../../ui/money';
import { LoadError, Loading } from '../../ui/states';
import { ruleTitle } from '../claims/claim';
import { useUser } from '../identity/session';
import { hasAnyRole, isPartner } from '../identity/user';
import {
  type RecurringError,
  recommendationStatusColors,
  recommendationStatusLabels,
  recommenders,
} from './messages';
import { useMoveRecommendation, useRecommendations, useSendRecommendation } from './use-messages';

/**
 * On the scorecard: a partner's recurring errors per program, each with the advice worded for it and, for
 * the analyst, "Send as recommendation"; and the recommendations sent with their status — the partner
 * acknowledges them, the desk resolves them once the errors stop.
 */
export function RecommendationsCard({ accountId }: { accountId: string | null }) {
  const user = useUser();
  const partner = isPartner(user);
  const canSend = hasAnyRole(user, recommenders);
  const recs = useRecommendations(accountId);
  const move = useMoveRecommendation();
  const [sending, setSending] = useState<RecurringError | null>(null);

  if (recs.isPending) return <Loading label="Loading recommendations…" />;
  if (recs.isError)
    return <LoadError error={recs.error} retry={() => void recs.refetch()} what="the recommendations" />;
  const { items, recurring_errors: errors } = recs.data;
  const open = (e: RecurringError) =>
    items.some(
      (r) =>
        r.status !== 'resolved' && r.rule_code === e.rule_code && (r.program_id ?? null) === e.program_id,
    );
  const moveTo = (id: string, to: 'acknowledge' | 'resolve') =>
    move.mutate(
      { id, to },
      { onError: (err) => notifications.show({ color: 'red', message: (err as Error).message }) },
    );

  return (
    <Stack gap="lg">
      {errors && (
        <Paper withBorder p="md" data-testid="recurring-errors">
          <Title order={4} mb="sm">
            Recurring errors by program
          </Title>
          {errors.length === 0 ? (
            <Text c="dimmed">No findings on this partner’s claims.</Text>
          ) : (
            <Table verticalSpacing="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Program</Table.Th>
                  <Table.Th>Rule code</Table.Th>
                  <Table.Th ta="right">Lines</Table.Th>
                  <Table.Th ta="right">Claims</Table.Th>
                  <Table.Th>Recommendation</Table.Th>
                  {canSend && !partner && <Table.Th />}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {errors.slice(0, 15).map((e) => (
                  <Table.Tr key={`${e.program_id}:${e.rule_code}`} data-testid="recurring-error">
                    <Table.Td>
                      <Text size="sm">{e.program_name ?? e.program_id}</Text>
                      <Text size="xs" c="dimmed" ff="monospace">
                        {e.program_id}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      {/* Partners read their errors in words; the desk reads the rule code with them. */}
                      {!partner && (
                        <Text ff="monospace" size="sm">
                          {e.rule_code}
                        </Text>
                      )}
                      <Text size={partner ? 'sm' : 'xs'} c={partner ? undefined : 'dimmed'}>
                        {ruleTitle(e.rule_code)}
                      </Text>
                    </Table.Td>
                    <Table.Td ta="right">{formatCount(e.lines)}</Table.Td>
                    <Table.Td ta="right">{formatCount(e.claims)}</Table.Td>
                    <Table.Td>
                      <Text size="sm">{e.recommendation}</Text>
                    </Table.Td>
                    {canSend && !partner && (
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>
                        {open(e) ? (
                          <Badge variant="light" color="blue" style={{ overflow: 'visible' }}>
                            Sent
                          </Badge>
                        ) : (
                          <Button
                            size="xs"
                            variant="light"
                            leftSection={<IconSend size={14} />}
                            onClick={() => setSending(e)}
                            data-testid="send-recommendation"
                          >
                            Send as recommendation
                          </Button>
                        )}
                      </Table.Td>
                    )}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Paper>
      )}

      <Paper withBorder p="md" data-testid="recommendations-sent">
        <Title order={4} mb="sm">
          {partner ? 'Recommendations from your analyst' : 'Recommendations sent'}
        </Title>
        {items.length === 0 ? (
          <Text c="dimmed">None yet.</Text>
        ) : (
          <Table verticalSpacing="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Sent</Table.Th>
                {!partner && <Table.Th>Partner</Table.Th>}
                <Table.Th>About</Table.Th>
                <Table.Th>Recommendation</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((r) => (
                <Table.Tr key={r.recommendation_id} data-testid="recommendation">
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    <Text size="sm">{formatDate(r.sent_at.slice(0, 10))}</Text>
                    <Text size="xs" c="dimmed">
                      by {r.sent_by}
                    </Text>
                  </Table.Td>
                  {!partner && <Table.Td>{r.partner_name ?? r.account_id}</Table.Td>}
                  <Table.Td>
                    <Text ff={partner ? undefined : 'monospace'} size="sm">
                      {partner ? ruleTitle(r.rule_code) : r.rule_code}
                    </Text>
                    {r.program_id && (
                      <Text size="xs" c="dimmed">
                        {r.program_name ?? r.program_id}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{r.text}</Text>
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    <Badge
                      variant="light"
                      color={recommendationStatusColors[r.status]}
                      style={{ overflow: 'visible' }}
                      data-testid="recommendation-status"
                    >
                      {recommendationStatusLabels[r.status]}
                    </Badge>
                    {r.acknowledged_at && (
                      <Text size="xs" c="dimmed">
                        acknowledged {formatDate(r.acknowledged_at.slice(0, 10))}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    {partner && r.status === 'sent' && (
                      <Button
                        size="xs"
                        variant="light"
                        onClick={() => moveTo(r.recommendation_id, 'acknowledge')}
                        data-testid="acknowledge-recommendation"
                      >
                        Acknowledge
                      </Button>
                    )}
                    {!partner && canSend && r.status !== 'resolved' && (
                      <Button
                        size="xs"
                        variant="subtle"
                        onClick={() => moveTo(r.recommendation_id, 'resolve')}
                        data-testid="resolve-recommendation"
                      >
                        Resolved
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Paper>
      {accountId && sending && (
        <SendModal accountId={accountId} error={sending} onClose={() => setSending(null)} />
      )}
    </Stack>
  );
}

function SendModal({
  accountId,
  error,
  onClose,
}: {
  accountId: string;
  error: RecurringError;
  onClose: () => void;
}) {
  const send = useSendRecommendation();
  const [text, setText] = useState(error.recommendation);
  const submit = () =>
    send.mutate(
      { account_id: accountId, rule_code: error.rule_code, program_id: error.program_id, text },
      {
        onSuccess: () => {
          notifications.show({ color: 'green', message: 'Recommendation sent to the partner.' });
          onClose();
        },
      },
    );
  return (
    <Modal opened onClose={onClose} title={`Send a recommendation on ${error.rule_code}`} size="lg">
      <Stack>
        <Text size="sm" c="dimmed">
          It goes to the partner’s conversation and is e-mailed to its claims contact; you see when they
          acknowledge it.
        </Text>
        <Textarea
          label="Recommendation"
          autosize
          minRows={3}
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
          data-testid="recommendation-text"
        />
        {send.isError && (
          <Alert color="red" variant="light">
            {(send.error as Error).message}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="subtle" onClick={onClose}>
            Cancel
          </Button>
          <Button
            onClick={submit}
            loading={send.isPending}
            disabled={!text.trim()}
            leftSection={<IconSend size={16} />}
            data-testid="recommendation-send"
          >
            Send
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
