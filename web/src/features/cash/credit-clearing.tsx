import { Alert, Button, Card, Grid, Group, Switch, Table, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconArrowBackUp, IconCheck } from '@tabler/icons-react';
import { useState } from 'react';
import { formatDate } from '../../ui/dates';
import { GridBadge } from '../../ui/grid-badge';
import { formatAmount, formatMoney, fromCents, isAmount, toCents } from '../../ui/money';
import { plainCell, plainFigureCell, plainRow } from '../../ui/plain-table';
import { LoadError, Loading } from '../../ui/states';
import type { OpenCredit } from './cash';
import { useClearCredit, useClearing, useReverseClearing, useSetClearingPolicy } from './use-cash';

/**
 * Clearing credits against invoices on Account 360: the account's open credit memos and unapplied cash
 * beside its open invoices of the same currency; the collector picks one credit and the invoices it reduces.
 */
export function CreditClearing({ accountId }: { accountId: string }) {
  const view = useClearing(accountId);
  const clear = useClearCredit(accountId);
  const reverse = useReverseClearing(accountId);
  const policy = useSetClearingPolicy(accountId);
  const [sourceId, setSourceId] = useState<string | null>(null);
  const [lines, setLines] = useState<Record<string, string>>({});

  if (view.isPending) return <Loading label="Loading credits to clear…" />;
  if (view.isError)
    return <LoadError error={view.error} retry={() => void view.refetch()} what="the credits" />;
  const v = view.data;
  const source: OpenCredit | undefined = v.credits.find((c) => c.source_id === sourceId);
  const invoices = source ? v.invoices.filter((i) => i.currency === source.currency) : v.invoices;
  const picked = Object.entries(lines);
  const total = picked.reduce((s, [, a]) => s + toCents(a), 0n);
  const left = source ? toCents(source.open_amount) - total : 0n;
  const problem = !source
    ? 'Choose a credit.'
    : picked.length === 0
      ? 'Pick the invoices it reduces.'
      : picked.some(([, a]) => !isAmount(a.trim()) || toCents(a) <= 0n)
        ? 'Every amount must be above zero.'
        : left < 0n
          ? `${formatAmount(fromCents(-left))} more than the credit.`
          : null;

  const pick = (documentId: string, open: string) => {
    if (lines[documentId] !== undefined) {
      const { [documentId]: _, ...rest } = lines;
      setLines(rest);
      return;
    }
    const room = left > 0n ? left : 0n;
    const take = toCents(open) < room ? toCents(open) : room;
    setLines({ ...lines, [documentId]: fromCents(take) });
  };

  const apply = () => {
    if (!source || problem) return;
    clear.mutate(
      {
        source_id: source.source_id,
        lines: picked.map(([document_id, amount]) => ({ document_id, amount })),
      },
      {
        onSuccess: () => {
          notifications.show({
            color: 'teal',
            message: `${source.source_id}: ${formatMoney(fromCents(total), source.currency)} cleared against ${picked.length} invoice(s).`,
          });
          setLines({});
          setSourceId(null);
        },
      },
    );
  };

  return (
    <Card data-testid="credit-clearing">
      <Group justify="space-between" mb="xs">
        <Title order={4}>Clear credits against invoices</Title>
        <Switch
          size="sm"
          label="Clear oldest-first every day"
          checked={v.auto_clear_credits}
          disabled={policy.isPending}
          onChange={(e) => policy.mutate(e.currentTarget.checked)}
          data-testid="auto-clear"
        />
      </Group>
      {v.credits.length === 0 ? (
        <Text size="sm" c="dimmed">
          No open credit memos or unapplied cash on this account.
        </Text>
      ) : (
        <Grid gap="md">
          {/* Plain elements, native choices and the browser's own scrolling (ui/plain-table.ts): an account may
              hold a hundred credits. */}
          <Grid.Col span={{ base: 12, md: 4 }}>
            <Text size="sm" fw={600} mb={4}>
              Open credits ({v.credits.length})
            </Text>
            <div className="choice-list" role="radiogroup" aria-label="Open credits">
              {v.credits.map((c) => (
                <label key={c.source_id} className="choice-row">
                  <input
                    type="radio"
                    className="plain-choice"
                    name="clear-source"
                    value={c.source_id}
                    checked={sourceId === c.source_id}
                    onChange={() => {
                      setSourceId(c.source_id);
                      setLines({});
                    }}
                    data-testid={`clear-source-${c.source_id}`}
                  />
                  <span>
                    <span className="choice-title">{formatMoney(c.open_amount, c.currency)}</span>{' '}
                    <GridBadge size="xs" color={c.kind === 'payment' ? 'blue' : 'grape'}>
                      {c.kind === 'payment' ? 'cash' : 'credit memo'}
                    </GridBadge>
                    <span className="dimmed-xs choice-detail">
                      {c.source_id} · <span className="nowrap">{formatDate(c.source_date)}</span>
                    </span>
                  </span>
                </label>
              ))}
            </div>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 8 }}>
            <Text size="sm" fw={600} mb={4}>
              Open invoices{source ? ` in ${source.currency}` : ''} ({invoices.length})
            </Text>
            {invoices.length === 0 ? (
              <Text size="sm" c="dimmed">
                No open invoice{source ? ` in ${source.currency}` : ''}.
              </Text>
            ) : (
              <Table.ScrollContainer type="native" minWidth={340} maxHeight={320}>
                <Table fz="sm" verticalSpacing={4} data-testid="clear-invoices">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th w={32} />
                      <Table.Th>Invoice</Table.Th>
                      <Table.Th>Due</Table.Th>
                      <Table.Th ta="right">Open</Table.Th>
                      <Table.Th ta="right">Clear</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {invoices.map((i) => (
                      <tr key={i.document_id} {...plainRow()}>
                        <td className={plainCell}>
                          <input
                            type="checkbox"
                            className="plain-choice"
                            disabled={!source}
                            checked={lines[i.document_id] !== undefined}
                            onChange={() => pick(i.document_id, i.open_amount)}
                            aria-label={`Clear against ${i.document_id}`}
                            data-testid={`clear-pick-${i.document_id}`}
                          />
                        </td>
                        <td className={`${plainCell} nowrap`}>{i.document_id}</td>
                        <td className={`${plainCell} nowrap`}>{formatDate(i.due_date)}</td>
                        <td className={`${plainFigureCell} nowrap`}>{formatAmount(i.open_amount)}</td>
                        <td className={plainCell} style={{ width: 104 }}>
                          {lines[i.document_id] !== undefined && (
                            <TextInput
                              size="xs"
                              value={lines[i.document_id]}
                              w={92}
                              onChange={(e) => setLines({ ...lines, [i.document_id]: e.currentTarget.value })}
                              styles={{ input: { textAlign: 'right' } }}
                              aria-label={`Amount cleared against ${i.document_id}`}
                            />
                          )}
                        </td>
                      </tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            )}
          </Grid.Col>
        </Grid>
      )}
      {v.credits.length > 0 && (
        <Group justify="flex-end" mt="sm" gap="sm">
          <Text size="xs" c={problem && source && picked.length ? 'red' : 'dimmed'}>
            {problem ??
              `${formatMoney(fromCents(total), source?.currency)} cleared; ${formatMoney(fromCents(left), source?.currency)} of ${source?.source_id} stays open.`}
          </Text>
          <Button
            size="sm"
            leftSection={<IconCheck size={14} />}
            disabled={Boolean(problem)}
            loading={clear.isPending}
            onClick={apply}
            data-testid="clear-apply"
          >
            Apply
          </Button>
        </Group>
      )}
      {clear.isError && (
        <Alert color="red" mt="sm">
          {clear.error.message}
        </Alert>
      )}
      {v.clearings.length > 0 && (
        <>
          <Text size="sm" fw={600} mt="md" mb={4}>
            Clearings
          </Text>
          <Table fz="sm" verticalSpacing={2} data-testid="clearings">
            <Table.Tbody>
              {v.clearings.slice(0, 10).map((c) => (
                <Table.Tr key={c.clearing_id} c={c.reversed_at ? 'dimmed' : undefined}>
                  <Table.Td>
                    {c.source_id} → {c.document_id}
                  </Table.Td>
                  <Table.Td ta="right">{formatAmount(c.amount)}</Table.Td>
                  <Table.Td>{formatDate(c.applied_date)}</Table.Td>
                  <Table.Td>{c.mode === 'auto' ? 'daily job' : 'by hand'}</Table.Td>
                  <Table.Td ta="right">
                    {c.reversed_at ? (
                      'reversed'
                    ) : (
                      <Button
                        size="compact-xs"
                        variant="subtle"
                        color="red"
                        leftSection={<IconArrowBackUp size={12} />}
                        loading={reverse.isPending && reverse.variables === c.clearing_id}
                        onClick={() => reverse.mutate(c.clearing_id)}
                      >
                        Reverse
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </>
      )}
    </Card>
  );
}
