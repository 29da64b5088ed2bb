import { Badge, Box, Button, Card, Grid, Group, Kbd, Paper, Text, UnstyledButton } from '@mantine/core';
import { IconDownload, IconMoodCheck } from '@tabler/icons-react';
import { useEffect, useMemo, useRef } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { type BankCredit, reasonColors, reasonLabels } from '../features/cash/cash';
import { CreditWorkScreen } from '../features/cash/credit-work-screen';
import { type CreditFilters, creditQuery, creditsQuery, useCredits } from '../features/cash/use-cash';
import { formatDate } from '../ui/dates';
import { formatMoney } from '../ui/money';
import { PageHeader } from '../ui/page-header';
import { startQuery } from '../ui/query-client';
import { Segmented } from '../ui/segmented';
import { Empty, LoadError, Loading } from '../ui/states';

const reasons = ['UNKNOWN_PAYER', 'AMBIGUOUS', 'NO_MATCH', 'REMITTANCE_MISMATCH'] as const;

/** The credits waiting, of one reason or of all (then the same question as the counts, asked once). */
const exceptions = (reason: string | null): CreditFilters =>
  reason ? { status: 'exception', reason } : { status: 'exception' };

/**
 * What the page shows first: the queue of the address's reason, the counts of every reason, and the credit
 * `?credit=` opens beside them.
 */
export function prefetch(url: URL): void {
  const reason = url.searchParams.get('reason');
  const chosen = url.searchParams.get('credit');
  startQuery(creditsQuery(exceptions(reason)));
  if (reason) startQuery(creditsQuery(exceptions(null)));
  if (chosen) startQuery(creditQuery(chosen));
}

/**
 * The exception queue, worked like a bank reconciliation: the queue by reason on the left, the chosen credit
 * beside the payer's open items on the right. j/k (or ↑/↓) move, 1–9 take a suggestion, / searches, Enter
 * applies. `?credit=` opens any credit (an applied one shows what was applied, and can be un-applied).
 */
export default function CashExceptionsPage() {
  const [search, setSearch] = useSearchParams();
  const navigate = useNavigate();
  const reason = search.get('reason');
  const chosen = search.get('credit');
  const queue = useCredits(exceptions(reason));
  const all = useCredits(exceptions(null));
  // Credits decided here leave the queue at once, until the queue is read again after the decision.
  const decided = useRef(new Map<string, number>());
  const items = (queue.data?.items ?? []).filter(
    (c) => (decided.current.get(c.payment_ref) ?? 0) <= queue.dataUpdatedAt,
  );
  const index = items.findIndex((c) => c.payment_ref === chosen);

  const choose = (ref: string | null, replace = false) => {
    const next = new URLSearchParams(search);
    if (ref) next.set('credit', ref);
    else next.delete('credit');
    setSearch(next, { replace });
  };

  // Open the first credit when none is chosen (or the chosen one left the queue and is not opened directly).
  useEffect(() => {
    if (!queue.data || queue.isPlaceholderData) return;
    if (!chosen && items[0]) choose(items[0].payment_ref, true);
  });

  // j/k and the arrows move through the queue (outside inputs).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (target?.closest('input, textarea, select, [contenteditable], [role=listbox]')) return;
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      const down = e.key === 'j' || e.key === 'ArrowDown';
      const up = e.key === 'k' || e.key === 'ArrowUp';
      if (!down && !up) return;
      if (items.length === 0) return;
      e.preventDefault();
      const from = index < 0 ? (down ? -1 : items.length) : index;
      const to = Math.min(items.length - 1, Math.max(0, from + (down ? 1 : -1)));
      choose(items[to]!.payment_ref);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  const counts = all.data?.by_reason ?? {};
  const total = all.data?.total ?? 0;
  const segments = useMemo(
    () => [
      { value: '', label: `All (${total})` },
      ...reasons.map((r) => ({ value: r, label: `${reasonLabels[r]} (${counts[r] ?? 0})` })),
    ],
    [counts, total],
  );

  /** After a decision: the next credit of the queue (the one below, else the one above), or none. */
  const afterDecision = (ref: string) => {
    decided.current.set(ref, Date.now());
    const at = items.findIndex((c) => c.payment_ref === ref);
    const rest = items.filter((c) => c.payment_ref !== ref);
    const next = rest[Math.min(at < 0 ? 0 : at, rest.length - 1)];
    choose(next ? next.payment_ref : null);
  };

  return (
    <>
      <PageHeader
        title="Cash exceptions"
        description="Credits the matching cascade left for a person. Pick the documents a credit pays, in full or in part; the rest goes on account, or a short payment becomes a deduction with a reason. A match by hand teaches the payer’s bank account and reference pattern."
        actions={
          <Button
            component="a"
            href="/api/cash/export/cash_exceptions.csv"
            variant="default"
            leftSection={<IconDownload size={16} />}
          >
            cash_exceptions.csv
          </Button>
        }
      />
      <Group justify="space-between" mb="md" wrap="wrap">
        <Segmented
          data-testid="reason-filter"
          value={reason ?? ''}
          data={segments}
          onChange={(v) => {
            const next = new URLSearchParams(search);
            if (v) next.set('reason', v);
            else next.delete('reason');
            next.delete('credit');
            setSearch(next);
          }}
        />
        <Text size="xs" c="dimmed">
          <Kbd size="xs">j</Kbd>/<Kbd size="xs">k</Kbd> next/previous · <Kbd size="xs">1</Kbd>–
          <Kbd size="xs">9</Kbd> take a suggestion · <Kbd size="xs">/</Kbd> search ·{' '}
          <Kbd size="xs">Enter</Kbd> apply
        </Text>
      </Group>
      {queue.isPending ? (
        <Loading label="Loading the exception queue…" />
      ) : queue.isError ? (
        <LoadError error={queue.error} retry={() => void queue.refetch()} what="the exception queue" />
      ) : items.length === 0 && !chosen ? (
        <Paper withBorder data-testid="exception-queue-empty">
          <Empty
            icon={<IconMoodCheck size={22} stroke={1.5} />}
            title="The exception queue is clear"
            description={
              reason
                ? `No credits wait with the reason “${reasonLabels[reason] ?? reason}”.`
                : 'Every credit loaded is applied, on account or a deduction.'
            }
            action={
              <Button variant="light" onClick={() => navigate('/bank-statements')}>
                See the bank statements
              </Button>
            }
          />
        </Paper>
      ) : (
        <Grid gap="lg" columns={24}>
          <Grid.Col span={{ base: 24, lg: 5 }}>
            <Queue items={items} chosen={chosen} onChoose={(ref) => choose(ref)} />
          </Grid.Col>
          <Grid.Col span={{ base: 24, lg: 19 }}>
            {chosen ? (
              <CreditWorkScreen key={chosen} paymentRef={chosen} onDecided={afterDecision} />
            ) : (
              <Paper withBorder p="xl">
                <Text c="dimmed">Choose a credit on the left.</Text>
              </Paper>
            )}
          </Grid.Col>
        </Grid>
      )}
    </>
  );
}

function Queue({
  items,
  chosen,
  onChoose,
}: {
  items: BankCredit[];
  chosen: string | null;
  onChoose: (ref: string) => void;
}) {
  return (
    <Card p={0} data-testid="exception-queue">
      <Box px="md" py="xs" style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }}>
        <Text size="sm" fw={600}>
          {items.length} credit{items.length === 1 ? '' : 's'} waiting
        </Text>
      </Box>
      <Box mah="calc(100vh - 280px)" style={{ overflowY: 'auto' }}>
        {items.map((c) => {
          const active = c.payment_ref === chosen;
          return (
            <UnstyledButton
              key={c.payment_ref}
              onClick={() => onChoose(c.payment_ref)}
              data-testid="queue-item"
              data-ref={c.payment_ref}
              data-active={active || undefined}
              w="100%"
              px="md"
              py={8}
              bg={active ? 'indigo.0' : undefined}
              style={{
                borderBottom: '1px solid var(--mantine-color-gray-2)',
                borderLeft: `3px solid ${active ? 'var(--mantine-color-indigo-6)' : 'transparent'}`,
              }}
            >
              <Group justify="space-between" wrap="nowrap" gap="xs">
                <Text size="sm" fw={600} truncate style={{ flex: 1, minWidth: 0 }}>
                  {c.payer_name ?? 'Unknown payer'}
                </Text>
                <Text size="sm" fw={600} style={{ whiteSpace: 'nowrap', flexShrink: 0 }}>
                  {formatMoney(c.amount, c.currency)}
                </Text>
              </Group>
              <Group justify="space-between" wrap="nowrap" gap="xs" mt={2}>
                <Text size="xs" c="dimmed" truncate style={{ flex: 1, minWidth: 0 }}>
                  {c.payment_ref} · {formatDate(c.value_date)}
                </Text>
                <Badge
                  size="xs"
                  variant="light"
                  color={reasonColors[c.reason ?? ''] ?? 'gray'}
                  style={{ flexShrink: 0 }}
                >
                  {reasonLabels[c.reason ?? ''] ?? c.reason}
                </Badge>
              </Group>
            </UnstyledButton>
          );
        })}
      </Box>
    </Card>
  );
}
