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
import { IconDeviceFloppy, IconPlus, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { ApiError } from '../../ui/api';
import { isAmount } from '../../ui/money';
import { claimPath } from './claim';
import { type SubmitLine, useSubmitClaim } from './use-claims';

export interface DraftLine {
  sku: string;
  qty: string;
  claimed_unit_amount: string;
  claimed_amount: string;
  sale_date: string;
  end_customer_id: string;
  deal_id: string;
  sell_out_ref: string;
  serial_numbers: string;
  period_start: string;
  period_end: string;
}

export const emptyLine = (): DraftLine => ({
  sku: '',
  qty: '',
  claimed_unit_amount: '',
  claimed_amount: '',
  sale_date: '',
  end_customer_id: '',
  deal_id: '',
  sell_out_ref: '',
  serial_numbers: '',
  period_start: '',
  period_end: '',
});

const lineColumns: { key: keyof DraftLine; label: string; width: number }[] = [
  { key: 'sku', label: 'SKU', width: 110 },
  { key: 'qty', label: 'Qty', width: 70 },
  { key: 'claimed_unit_amount', label: 'Per unit', width: 100 },
  { key: 'claimed_amount', label: 'Amount', width: 110 },
  { key: 'sale_date', label: 'Sale date', width: 130 },
  { key: 'end_customer_id', label: 'End customer', width: 120 },
  { key: 'deal_id', label: 'Deal', width: 110 },
  { key: 'sell_out_ref', label: 'Sell-out ref', width: 110 },
  { key: 'serial_numbers', label: 'Serials (;)', width: 130 },
  { key: 'period_start', label: 'Period from', width: 130 },
  { key: 'period_end', label: 'Period to', width: 130 },
];

const orNull = (s: string) => (s.trim() === '' ? null : s.trim());

/**
 * A claim brought back into the form: a submitted one being corrected (its header stays, its lines come in as
 * they were sent, with what validation found), or a draft being finished (`draft`).
 */
export interface CorrectedClaim {
  claim_id: string;
  account_id: string;
  program_id: string;
  currency: string;
  version: number;
  /** A draft being edited: saved again as a draft, or submitted for the first time. */
  draft?: boolean;
  lines: DraftLine[];
  /** What validation found on each line (by position), with what would fix it. */
  notes: {
    line: number;
    status: string | null;
    findings: { rule_code: string; title: string; hint: string }[];
  }[];
}

/**
 * The portal's claim form: the header and an editable table of lines, checked as a claims.csv would be.
 * Submit it, or save it as a draft (the same checks, nothing validated) to finish later.
 */
export function SubmitClaimForm({
  accounts,
  programs,
  correcting,
}: {
  accounts: { value: string; label: string }[];
  programs: { value: string; label: string; currency: string }[];
  correcting?: CorrectedClaim;
}) {
  const navigate = useNavigate();
  const submit = useSubmitClaim();
  const [claimId, setClaimId] = useState(correcting?.claim_id ?? '');
  const [accountId, setAccountId] = useState<string | null>(
    correcting?.account_id ?? accounts[0]?.value ?? null,
  );
  const [programId, setProgramId] = useState<string | null>(correcting?.program_id ?? null);
  const [currency, setCurrency] = useState(correcting?.currency ?? '');
  const [lines, setLines] = useState<DraftLine[]>(correcting?.lines ?? [emptyLine()]);

  const issues = submit.error instanceof ApiError ? submit.error.issues : [];
  const issueAt = (field: string) => issues.find((i) => i.field === field)?.message;

  const setCell = (index: number, key: keyof DraftLine, value: string) =>
    setLines((now) => now.map((l, i) => (i === index ? { ...l, [key]: value } : l)));

  const send = (draft: boolean) => {
    if (!accountId || !programId) return;
    const body = {
      claim_id: claimId.trim(),
      account_id: accountId,
      program_id: programId,
      currency: currency.trim().toUpperCase(),
      lines: lines.map(
        (l, i): SubmitLine => ({
          line_no: i + 1,
          sku: orNull(l.sku),
          qty: l.qty.trim() === '' ? null : Number(l.qty),
          claimed_unit_amount: orNull(l.claimed_unit_amount),
          claimed_amount: l.claimed_amount.trim(),
          sale_date: orNull(l.sale_date),
          end_customer_id: orNull(l.end_customer_id),
          deal_id: orNull(l.deal_id),
          sell_out_ref: orNull(l.sell_out_ref),
          serial_numbers: l.serial_numbers.trim() ? l.serial_numbers.split(';').map((s) => s.trim()) : null,
          period_start: orNull(l.period_start),
          period_end: orNull(l.period_end),
        }),
      ),
    };
    submit.mutate(
      { ...body, draft },
      {
        onSuccess: (r) => {
          if (!draft) return navigate(claimPath(r.claim.claim_id, r.claim.account_id));
          notifications.show({
            color: 'green',
            message: `Draft ${r.claim.claim_id} saved. It is not checked until you submit it.`,
          });
          navigate('/my-claims?view=drafts');
        },
      },
    );
  };
  const editingDraft = correcting?.draft === true;
  const resubmitting = correcting !== undefined && !editingDraft;

  const ready =
    claimId.trim() !== '' &&
    accountId &&
    programId &&
    currency.trim().length === 3 &&
    lines.every((l) => isAmount(l.claimed_amount.trim()));

  return (
    <Card data-testid="submit-claim-form">
      <Stack>
        <Title order={3} fz="md" fw={600}>
          {editingDraft
            ? `Draft ${correcting.claim_id}`
            : correcting
              ? `Correct claim ${correcting.claim_id}`
              : 'Submit a claim'}
        </Title>
        {editingDraft && (
          <Alert variant="light" color="gray" title="A draft" data-testid="draft-notes">
            Not submitted yet: save your changes as a draft, or submit the claim when it is complete. It is
            checked against your contract and channel data once submitted.
          </Alert>
        )}
        {resubmitting && (
          <Alert
            variant="light"
            color="indigo"
            title={`Sent again as version ${correcting.version + 1}`}
            data-testid="correction-notes"
          >
            <Stack gap={4}>
              <Text size="sm">
                Change the lines below and submit: the claim is validated again and version{' '}
                {correcting.version} is kept in its history.
              </Text>
              {correcting.notes
                .filter((n) => n.findings.length > 0)
                .map((n) => (
                  <Text size="sm" key={n.line}>
                    <b>Line {n.line}</b>
                    {n.status ? ` (${n.status})` : ''}:{' '}
                    {n.findings.map((f) => `${f.title} — ${f.hint}`).join(' · ')}
                  </Text>
                ))}
            </Stack>
          </Alert>
        )}
        <Group grow align="flex-start">
          <TextInput
            label="Claim number"
            required
            value={claimId}
            readOnly={correcting !== undefined}
            onChange={(e) => setClaimId(e.currentTarget.value)}
            error={issueAt('claim_id')}
            data-testid="claim-id-input"
          />
          <Select
            label="Account"
            required
            data={accounts}
            value={accountId}
            onChange={setAccountId}
            error={issueAt('account_id')}
          />
          <Select
            label="Program"
            required
            searchable
            data={programs}
            value={programId}
            onChange={(v) => {
              setProgramId(v);
              const p = programs.find((x) => x.value === v);
              if (p) setCurrency(p.currency);
            }}
            error={issueAt('program_id')}
            data-testid="claim-program-input"
          />
          <TextInput
            label="Currency"
            required
            maxLength={3}
            value={currency}
            onChange={(e) => setCurrency(e.currentTarget.value)}
            error={issueAt('currency')}
          />
        </Group>
        <Table.ScrollContainer minWidth={1400}>
          <Table fz="sm" verticalSpacing={4}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={40}>#</Table.Th>
                {lineColumns.map((c) => (
                  <Table.Th key={c.key} w={c.width}>
                    {c.label}
                  </Table.Th>
                ))}
                <Table.Th w={40} />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {lines.map((line, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: lines are numbered by position
                <Table.Tr key={i}>
                  <Table.Td>{i + 1}</Table.Td>
                  {lineColumns.map((c) => (
                    <Table.Td key={c.key}>
                      <TextInput
                        size="xs"
                        aria-label={`Line ${i + 1} ${c.label}`}
                        type={c.key.endsWith('date') || c.key.startsWith('period') ? 'date' : 'text'}
                        value={line[c.key]}
                        onChange={(e) => setCell(i, c.key, e.currentTarget.value)}
                        error={issueAt(`lines.${i}.${c.key}`)}
                        data-testid={`line-${i + 1}-${c.key}`}
                      />
                    </Table.Td>
                  ))}
                  <Table.Td>
                    <ActionIcon
                      variant="subtle"
                      color="gray"
                      aria-label={`Remove line ${i + 1}`}
                      disabled={lines.length === 1}
                      onClick={() => setLines((now) => now.filter((_, j) => j !== i))}
                    >
                      <IconTrash size={16} />
                    </ActionIcon>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        {submit.isError && (
          <Alert
            color="red"
            variant="light"
            title={submit.variables?.draft ? 'The draft was not saved' : 'The claim was not accepted'}
          >
            {submit.error.message}
          </Alert>
        )}
        <Group justify="space-between">
          <Button
            variant="subtle"
            leftSection={<IconPlus size={16} />}
            onClick={() => setLines((now) => [...now, emptyLine()])}
          >
            Add a line
          </Button>
          <Group gap="xs">
            {!resubmitting && (
              <Button
                variant="default"
                leftSection={<IconDeviceFloppy size={16} />}
                onClick={() => send(true)}
                disabled={!ready}
                loading={submit.isPending && submit.variables?.draft === true}
                data-testid="save-draft"
              >
                {editingDraft ? 'Save draft' : 'Save as draft'}
              </Button>
            )}
            <Button
              onClick={() => send(false)}
              disabled={!ready}
              loading={submit.isPending && submit.variables?.draft !== true}
              data-testid="submit-claim"
            >
              {resubmitting ? 'Resubmit claim' : 'Submit claim'}
            </Button>
          </Group>
        </Group>
      </Stack>
    </Card>
  );
}
