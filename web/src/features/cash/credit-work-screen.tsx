import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Checkbox,
  Grid,
  Group,
  Kbd,
  NativeSelect,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconArrowBackUp, IconCheck, IconSearch } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Link } from 'react-router';
import { api } from '../../ui/api';
import { formatDate, formatTimestamp } from '../../ui/dates';
import { amountValue, formatAmount, formatMoney, fromCents, isAmount, toCents } from '../../ui/money';
import { LoadError, Loading } from '../../ui/states';
import { queryString } from '../receivables/receivables';
import {
  type BankCredit,
  bankFilePath,
  type CreditDetail,
  deductionReasons,
  type OpenDocument,
  reasonDescriptions,
  ruleLabels,
  type Suggestion,
} from './cash';
import { OutcomeBadge } from './outcome-badge';
import { useApplyCredit, useCredit, useOpenItemSearch, useUnapplyCredit } from './use-cash';

interface Pick {
  doc: OpenDocument;
  amount: string;
  deduction: string;
  reason: string;
}

/** One credit: decided by a person here (exception), or shown with what was applied (and un-applied). */
export function CreditWorkScreen({
  paymentRef,
  onDecided,
}: {
  paymentRef: string;
  onDecided: (paymentRef: string) => void;
}) {
  const detail = useCredit(paymentRef);
  if (detail.isPending) return <Loading label="Loading the credit…" />;
  if (detail.isError)
    return <LoadError error={detail.error} retry={() => void detail.refetch()} what="the credit" />;
  return detail.data.credit.status === 'applied' ? (
    <AppliedCredit detail={detail.data} />
  ) : (
    <Worker detail={detail.data} onDecided={onDecided} />
  );
}

function CreditCard({ credit }: { credit: BankCredit }) {
  const row = (label: string, value: React.ReactNode, testId?: string) => (
    <Group justify="space-between" wrap="nowrap" gap="sm" align="flex-start">
      <Text size="sm" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
        {label}
      </Text>
      <Text size="sm" ta="right" style={{ overflowWrap: 'anywhere' }} data-testid={testId}>
        {value || '—'}
      </Text>
    </Group>
  );
  return (
    <Card data-testid="credit-card">
      <Group justify="space-between" align="flex-start" mb="xs">
        <Stack gap={0}>
          <Text size="xs" c="dimmed">
            {credit.payment_ref}
          </Text>
          <Title order={3} fz={24} data-testid="credit-amount">
            {formatMoney(credit.amount, credit.currency)}
          </Title>
        </Stack>
        <OutcomeBadge credit={credit} />
      </Group>
      {credit.reason && (
        <Text size="xs" c="dimmed" mb="sm">
          {reasonDescriptions[credit.reason]}
        </Text>
      )}
      <Stack gap={6}>
        {row('Payer', credit.payer_name, 'credit-payer')}
        {row('Bank account', credit.payer_bank_account)}
        {row('Value date', formatDate(credit.value_date))}
        {row('Customer reference', credit.customer_reference)}
        {row(
          'Account',
          credit.account_id ? (
            <Anchor component={Link} to={`/accounts/${encodeURIComponent(credit.account_id)}`} size="sm">
              {credit.account_id}
            </Anchor>
          ) : (
            'unknown'
          ),
        )}
        {row(
          'File',
          <Anchor component={Link} to={bankFilePath(credit.file_id)} size="sm">
            statement {credit.statement_no}, item {credit.position}
          </Anchor>,
        )}
      </Stack>
      <Text size="xs" c="dimmed" mt="sm">
        Text
      </Text>
      <Text
        size="sm"
        ff="monospace"
        bg="gray.0"
        p={6}
        style={{ borderRadius: 4, overflowWrap: 'anywhere' }}
        data-testid="credit-text"
      >
        {credit.text || '—'}
      </Text>
    </Card>
  );
}

function AppliedCredit({ detail }: { detail: CreditDetail }) {
  const unapply = useUnapplyCredit();
  const { credit } = detail;
  return (
    <Grid gap="lg" data-testid="credit-applied">
      <Grid.Col span={{ base: 12, md: 4 }}>
        <CreditCard credit={credit} />
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 8 }}>
        <Card>
          <Group justify="space-between" mb="sm">
            <Title order={4}>Applications</Title>
            <Button
              variant="light"
              color="red"
              leftSection={<IconArrowBackUp size={16} />}
              loading={unapply.isPending}
              data-testid="unapply"
              onClick={() =>
                unapply.mutate(credit.payment_ref, {
                  onSuccess: () =>
                    notifications.show({ message: `${credit.payment_ref} is back in the exception queue.` }),
                  onError: (e) => notifications.show({ color: 'red', message: e.message }),
                })
              }
            >
              Un-apply
            </Button>
          </Group>
          <Table fz="sm" data-testid="credit-applications">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>What</Table.Th>
                <Table.Th>Document</Table.Th>
                <Table.Th ta="right">Amount</Table.Th>
                <Table.Th>How</Table.Th>
                <Table.Th>When</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {detail.applications.map((a) => (
                <Table.Tr key={`${a.seq}-${a.created_at}`} c={a.reversed_at ? 'dimmed' : undefined}>
                  <Table.Td>
                    {a.kind === 'invoice' ? 'Applied' : a.kind === 'deduction' ? 'Deduction' : 'On account'}
                    {a.reason_code ? ` (${a.reason_code})` : ''}
                    {a.reversed_at ? ' · reversed' : ''}
                  </Table.Td>
                  <Table.Td>{a.deduction_id ?? a.document_id ?? ''}</Table.Td>
                  <Table.Td ta="right">{formatAmount(a.amount)}</Table.Td>
                  <Table.Td>
                    {ruleLabels[a.rule] ?? a.rule}
                    {a.run_id ? ` · run ${a.run_id}` : ''}
                  </Table.Td>
                  <Table.Td>{formatTimestamp(a.created_at)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Card>
      </Grid.Col>
    </Grid>
  );
}

const zero = (s: string) => toCents(s) === 0n;

function Worker({ detail, onDecided }: { detail: CreditDetail; onDecided: (ref: string) => void }) {
  const { credit } = detail;
  const queryClient = useQueryClient();
  const apply = useApplyCredit();
  const [accountId, setAccountId] = useState<string | null>(credit.account_id);
  const [picks, setPicks] = useState<Record<string, Pick>>({});
  const [q, setQ] = useState('');
  const [amountQ, setAmountQ] = useState('');
  const searchRef = useRef<HTMLInputElement>(null);
  const formRef = useRef<HTMLFormElement>(null);

  const accountItems = useOpenItemSearch({ account_id: accountId ?? undefined, currency: credit.currency });
  const found = useOpenItemSearch({
    q: q.trim() || undefined,
    amount: isAmount(amountQ) ? amountValue(amountQ) : undefined,
    currency: credit.currency,
  });

  const picked = Object.values(picks);
  const applied = picked.reduce((s, p) => s + toCents(p.amount), 0n);
  const deducted = picked.reduce((s, p) => s + toCents(p.deduction), 0n);
  const rest = toCents(credit.amount) - applied;
  const lineErrors = picked.flatMap((p) => {
    const errors: string[] = [];
    if (!isAmount(p.amount.trim())) errors.push(`${p.doc.document_id}: the amount is not an amount`);
    if (p.deduction.trim() && !isAmount(p.deduction.trim()))
      errors.push(`${p.doc.document_id}: the deduction is not an amount`);
    if (toCents(p.amount) + toCents(p.deduction) > toCents(p.doc.open_amount))
      errors.push(`${p.doc.document_id}: more than its ${formatAmount(p.doc.open_amount)} open`);
    if (toCents(p.amount) + toCents(p.deduction) <= 0n) errors.push(`${p.doc.document_id}: nothing applied`);
    if (toCents(p.deduction) > 0n && !p.reason)
      errors.push(`${p.doc.document_id}: the deduction needs a reason`);
    return errors;
  });
  const problems = [
    ...(!accountId ? ['Pick a document (or search for the customer) to say who paid.'] : []),
    ...(rest < 0n ? [`${fromCents(-rest)} more than the credit is applied.`] : []),
    ...lineErrors,
  ];
  const ready = problems.length === 0 && !apply.isPending;

  const allocate = (docs: OpenDocument[], start: Record<string, Pick>): Record<string, Pick> => {
    const next = { ...start };
    let left = toCents(credit.amount) - Object.values(next).reduce((s, p) => s + toCents(p.amount), 0n);
    for (const doc of docs) {
      const open = toCents(doc.open_amount);
      const take = left > 0n ? (open < left ? open : left) : open;
      left -= take;
      next[doc.document_id] = { doc, amount: fromCents(take), deduction: '', reason: '' };
    }
    return next;
  };

  const toggle = (doc: OpenDocument) => {
    if (picks[doc.document_id]) {
      const { [doc.document_id]: _, ...others } = picks;
      setPicks(others);
      return;
    }
    if (accountId && doc.account_id !== accountId) {
      setAccountId(doc.account_id);
      setPicks(allocate([doc], {}));
      return;
    }
    setAccountId(doc.account_id);
    setPicks(allocate([doc], picks));
  };

  const update = (documentId: string, change: Partial<Pick>) =>
    setPicks((p) => (p[documentId] ? { ...p, [documentId]: { ...p[documentId], ...change } } : p));

  const takeSuggestion = async (s: Suggestion) => {
    const account = s.account_id ?? credit.account_id;
    if (!account) return;
    const { items } = await queryClient.fetchQuery({
      queryKey: ['cash', 'open-items', { account_id: account, currency: credit.currency }],
      queryFn: ({ signal }) =>
        api<{ items: OpenDocument[] }>(
          `/api/cash/open-items${queryString({ account_id: account, currency: credit.currency, limit: 200 })}`,
          { signal },
        ),
    });
    const docs = s.documents
      .map((d) => items.find((i) => i.document_id === d))
      .filter((d): d is OpenDocument => Boolean(d));
    setAccountId(account);
    setPicks(allocate(docs, {}));
  };

  const submit = () => {
    if (!ready || !accountId) return;
    apply.mutate(
      {
        paymentRef: credit.payment_ref,
        input: {
          account_id: accountId,
          lines: picked.map((p) => ({
            document_id: p.doc.document_id,
            amount: fromCents(toCents(p.amount)),
            ...(toCents(p.deduction) > 0n
              ? { deduction_amount: fromCents(toCents(p.deduction)), reason_code: p.reason }
              : {}),
          })),
        },
      },
      {
        onSuccess: (r) => {
          const learned = [
            r.learned_bank_account ? 'the payer’s bank account' : '',
            r.learned_patterns
              ? `${r.learned_patterns} reference pattern${r.learned_patterns === 1 ? '' : 's'}`
              : '',
          ].filter(Boolean);
          notifications.show({
            color: 'teal',
            title: `${r.payment_ref} applied to ${r.account_id}`,
            message: `${formatMoney(r.applied, credit.currency)} to documents${zero(r.deductions) ? '' : `, ${formatMoney(r.deductions, credit.currency)} deductions`}${zero(r.on_account) ? '' : `, ${formatMoney(r.on_account, credit.currency)} on account`}.${learned.length ? ` Learned ${learned.join(' and ')}.` : ''}`,
          });
          onDecided(r.payment_ref);
        },
      },
    );
  };

  // Keys outside inputs: 1–9 take a suggestion, / searches, Enter applies.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (target?.closest('input, textarea, select, [contenteditable]')) return;
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      if (e.key === '/') {
        e.preventDefault();
        searchRef.current?.focus();
      } else if (e.key === 'Enter') {
        // Enter on a link or button is theirs (it follows or presses them).
        if (target?.closest('button, a')) return;
        e.preventDefault();
        submit();
      } else if (/^[1-9]$/.test(e.key)) {
        const s = credit.suggestions[Number(e.key) - 1];
        if (s) {
          e.preventDefault();
          void takeSuggestion(s);
        }
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  const accountRows = useMemo(() => {
    const rows = [...(accountItems.data?.items ?? [])];
    for (const p of picked) if (!rows.some((r) => r.document_id === p.doc.document_id)) rows.push(p.doc);
    return rows;
  }, [accountItems.data, picked]);

  return (
    <form
      ref={formRef}
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
      data-testid="credit-work-screen"
    >
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Stack gap="lg">
            <CreditCard credit={credit} />
            <Suggestions credit={credit} onTake={(s) => void takeSuggestion(s)} />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Stack gap="lg">
            <Card data-testid="payer-open-items">
              <Group justify="space-between" mb="xs">
                <Title order={4}>{accountId ? `Open items of ${accountId}` : 'Open items'}</Title>
                {accountId && (
                  <Text size="xs" c="dimmed">
                    {credit.currency} only
                  </Text>
                )}
              </Group>
              {!accountId ? (
                <Text size="sm" c="dimmed">
                  The payer is unknown: take a suggestion or search below; picking a document says who paid.
                </Text>
              ) : accountItems.isPending ? (
                <Loading label="Loading open items…" />
              ) : accountRows.length === 0 ? (
                <Text size="sm" c="dimmed">
                  Nothing open in {credit.currency}: apply puts the whole credit on account.
                </Text>
              ) : (
                <ItemsTable rows={accountRows} picks={picks} onToggle={toggle} onChange={update} />
              )}
            </Card>
            <Card data-testid="open-item-search">
              <Title order={5} mb="xs">
                Search any customer’s open items
              </Title>
              <Group gap="sm" grow mb="sm">
                <TextInput
                  ref={searchRef}
                  leftSection={<IconSearch size={14} />}
                  placeholder="Document, reference or customer name"
                  value={q}
                  onChange={(e) => setQ(e.currentTarget.value)}
                  data-testid="open-item-search-text"
                  onKeyDown={(e) => {
                    if (e.key === 'Enter') e.preventDefault();
                    if (e.key === 'Escape') e.currentTarget.blur();
                  }}
                />
                <TextInput
                  placeholder="Open amount, e.g. 1200.00"
                  value={amountQ}
                  onChange={(e) => setAmountQ(e.currentTarget.value)}
                  data-testid="open-item-search-amount"
                  onKeyDown={(e) => {
                    if (e.key === 'Enter') e.preventDefault();
                    if (e.key === 'Escape') e.currentTarget.blur();
                  }}
                />
              </Group>
              {found.isFetching && !found.data ? (
                <Loading label="Searching…" />
              ) : found.data && (q.trim() || amountQ.trim()) ? (
                found.data.items.length === 0 ? (
                  <Text size="sm" c="dimmed">
                    Nothing open in {credit.currency} matches.
                  </Text>
                ) : (
                  <ItemsTable
                    rows={found.data.items}
                    picks={picks}
                    onToggle={toggle}
                    onChange={update}
                    showAccount
                    editable={false}
                    testId="search-results"
                  />
                )
              ) : null}
            </Card>
          </Stack>
        </Grid.Col>
      </Grid>
      <Card mt="lg" data-testid="apply-bar" style={{ position: 'sticky', bottom: 8, zIndex: 2 }} shadow="sm">
        <Group justify="space-between" align="center" wrap="nowrap" gap="md">
          <Group gap="xl" wrap="nowrap">
            <Figure label="Credit" value={formatMoney(credit.amount, credit.currency)} />
            <Figure
              label={`Applied (${picked.length})`}
              value={formatAmount(fromCents(applied))}
              testId="total-applied"
            />
            <Figure label="Deductions" value={formatAmount(fromCents(deducted))} testId="total-deductions" />
            <Figure
              label={rest < 0n ? 'Over-applied' : 'Rest on account'}
              value={formatAmount(fromCents(rest < 0n ? -rest : rest))}
              color={rest < 0n ? 'red' : rest > 0n ? 'blue.7' : undefined}
              testId="total-on-account"
            />
          </Group>
          <Button
            type="submit"
            leftSection={<IconCheck size={16} />}
            disabled={!ready}
            loading={apply.isPending}
            data-testid="apply-credit"
            rightSection={<Kbd size="xs">Enter</Kbd>}
            style={{ flexShrink: 0 }}
          >
            {picked.length === 0 && accountId ? 'Put all on account' : 'Apply'}
          </Button>
        </Group>
        {problems[0] && (
          <Text size="xs" c={accountId ? 'red' : 'dimmed'} mt={6} data-testid="apply-problem">
            {problems[0]}
          </Text>
        )}
        {apply.isError && (
          <Alert color="red" mt="sm" data-testid="apply-error">
            {apply.error.message}
          </Alert>
        )}
      </Card>
    </form>
  );
}

function Figure({
  label,
  value,
  color,
  testId,
}: {
  label: string;
  value: string;
  color?: string;
  testId?: string;
}) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={600} c={color} data-testid={testId}>
        {value}
      </Text>
    </div>
  );
}

function Suggestions({ credit, onTake }: { credit: BankCredit; onTake: (s: Suggestion) => void }) {
  return (
    <Card data-testid="suggestions">
      <Title order={5} mb="xs">
        Suggestions
      </Title>
      {credit.suggestions.length === 0 ? (
        <Text size="sm" c="dimmed">
          None: the cascade found nothing close. Search the open items.
        </Text>
      ) : (
        <Stack gap={6}>
          {credit.suggestions.map((s, i) => (
            <UnstyledButton
              key={`${s.account_id}-${s.documents.join('+')}`}
              onClick={() => onTake(s)}
              data-testid="suggestion"
              p={8}
              style={{ border: '1px solid var(--mantine-color-gray-3)', borderRadius: 6 }}
            >
              <Group justify="space-between" wrap="nowrap" gap="xs">
                <Group gap={6} wrap="nowrap" miw={0}>
                  <Kbd size="xs">{i + 1}</Kbd>
                  <Text size="sm" fw={600} truncate>
                    {s.documents.join(' + ')}
                  </Text>
                </Group>
                <Badge
                  variant="light"
                  color={Number(s.score) >= 0.8 ? 'teal' : Number(s.score) >= 0.5 ? 'yellow' : 'gray'}
                >
                  {Math.round(Number(s.score) * 100)}%
                </Badge>
              </Group>
              <Text size="xs" c="dimmed" mt={2}>
                {s.account_id ? `${s.account_id} · ` : ''}
                {s.why}
              </Text>
            </UnstyledButton>
          ))}
        </Stack>
      )}
    </Card>
  );
}

function ItemsTable({
  rows,
  picks,
  onToggle,
  onChange,
  showAccount = false,
  editable = true,
  testId = 'open-items-table',
}: {
  rows: OpenDocument[];
  picks: Record<string, Pick>;
  onToggle: (doc: OpenDocument) => void;
  onChange: (documentId: string, change: Partial<Pick>) => void;
  showAccount?: boolean;
  /** False for search results: picking there adds the item above, where its amounts are edited. */
  editable?: boolean;
  testId?: string;
}) {
  return (
    <Table.ScrollContainer minWidth={editable ? 540 : 420} maxHeight={420}>
      <Table fz="sm" verticalSpacing={4} data-testid={testId} stickyHeader>
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={32} />
            <Table.Th>Document</Table.Th>
            {showAccount && <Table.Th>Customer</Table.Th>}
            <Table.Th>Due</Table.Th>
            <Table.Th ta="right">Open</Table.Th>
            {editable && <Table.Th ta="right">Apply</Table.Th>}
            {editable && <Table.Th>Deduction, reason</Table.Th>}
            {!editable && <Table.Th />}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((doc) => {
            const p = picks[doc.document_id];
            const short = p ? toCents(doc.open_amount) - toCents(p.amount) - toCents(p.deduction) : 0n;
            return (
              <Table.Tr
                key={doc.document_id}
                data-testid="open-item"
                data-doc={doc.document_id}
                bg={p ? 'indigo.0' : undefined}
              >
                <Table.Td>
                  <Checkbox
                    checked={Boolean(p)}
                    onChange={() => onToggle(doc)}
                    aria-label={`Pick ${doc.document_id}`}
                    data-testid={`pick-${doc.document_id}`}
                  />
                </Table.Td>
                <Table.Td>
                  <Text size="sm" fw={500}>
                    {doc.document_id}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {doc.type.replaceAll('_', ' ')}
                    {doc.reference ? ` · ${doc.reference}` : ''}
                  </Text>
                </Table.Td>
                {showAccount && (
                  <Table.Td>
                    <Text size="sm">{doc.account_id}</Text>
                    <Text size="xs" c="dimmed" truncate maw={160}>
                      {doc.account_name}
                    </Text>
                  </Table.Td>
                )}
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDate(doc.due_date)}</Table.Td>
                <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                  {formatAmount(doc.open_amount)}
                </Table.Td>
                {editable && (
                  <Table.Td w={104}>
                    {p && (
                      <TextInput
                        size="xs"
                        w={96}
                        value={p.amount}
                        onChange={(e) => onChange(doc.document_id, { amount: e.currentTarget.value })}
                        aria-label={`Amount applied to ${doc.document_id}`}
                        data-testid={`amount-${doc.document_id}`}
                        styles={{ input: { textAlign: 'right' } }}
                      />
                    )}
                  </Table.Td>
                )}
                {editable && (
                  <Table.Td w={160}>
                    {p && (
                      <Group gap={4} wrap="nowrap">
                        <TextInput
                          size="xs"
                          w={92}
                          value={p.deduction}
                          placeholder="0.00"
                          onChange={(e) => onChange(doc.document_id, { deduction: e.currentTarget.value })}
                          aria-label={`Deduction on ${doc.document_id}`}
                          data-testid={`deduction-${doc.document_id}`}
                          styles={{ input: { textAlign: 'right' } }}
                        />
                        {short > 0n && (
                          <Button
                            size="compact-xs"
                            variant="subtle"
                            px={4}
                            title={`The ${formatAmount(fromCents(short))} short becomes a deduction`}
                            data-testid={`short-${doc.document_id}`}
                            onClick={() =>
                              onChange(doc.document_id, {
                                deduction: fromCents(toCents(p.deduction) + short),
                              })
                            }
                          >
                            +{formatAmount(fromCents(short))}
                          </Button>
                        )}
                      </Group>
                    )}
                    {p && toCents(p.deduction) > 0n && (
                      <NativeSelect
                        size="xs"
                        mt={4}
                        w={150}
                        value={p.reason}
                        onChange={(e) => onChange(doc.document_id, { reason: e.currentTarget.value })}
                        data={[{ value: '', label: 'Reason…' }, ...deductionReasons]}
                        aria-label={`Deduction reason on ${doc.document_id}`}
                        data-testid={`reason-${doc.document_id}`}
                        error={!p.reason}
                      />
                    )}
                  </Table.Td>
                )}
                {!editable && (
                  <Table.Td>
                    {p && (
                      <Badge size="xs" variant="light">
                        picked
                      </Badge>
                    )}
                  </Table.Td>
                )}
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
