import { Anchor, Badge, Card, Checkbox, Group, Stack, Table, Text, Title } from '@mantine/core';
import { IconFileText } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { formatDate, formatTimestamp } from '../../ui/dates';
import { formatAmount, formatMoney } from '../../ui/money';
import { adjustmentPath } from '../adjustments/adjustments';
import type { DeductionDetail, EvidenceClaim } from './deductions';

function Section({
  title,
  testId,
  children,
  extra,
}: {
  title: string;
  testId: string;
  children: ReactNode;
  extra?: ReactNode;
}) {
  return (
    <Card data-testid={testId}>
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={4} fw={600}>
            {title}
          </Title>
          {extra}
        </Group>
        {children}
      </Stack>
    </Card>
  );
}

const none = (text: string) => (
  <Text size="sm" c="dimmed">
    {text}
  </Text>
);

/** Claims with what was approved, deducted, paid and is left; optionally pickable for clearing. */
export function ClaimsTable({
  claims,
  currency,
  picked,
  onPick,
  partner = false,
}: {
  claims: EvidenceClaim[];
  currency: string;
  picked?: string[];
  onPick?: (claimId: string, on: boolean) => void;
  partner?: boolean;
}) {
  return (
    <Table striped withTableBorder fz="sm" data-testid="evidence-claims-table">
      <Table.Thead>
        <Table.Tr>
          {onPick && <Table.Th w={36} />}
          <Table.Th>Claim</Table.Th>
          <Table.Th>Status</Table.Th>
          <Table.Th ta="right">Approved</Table.Th>
          <Table.Th ta="right">Deducted</Table.Th>
          <Table.Th ta="right">Paid</Table.Th>
          <Table.Th ta="right">Unsettled</Table.Th>
          <Table.Th>This deduction</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {claims.map((c) => (
          <Table.Tr key={c.claim_id} data-testid={`evidence-claim-${c.claim_id}`}>
            {onPick && (
              <Table.Td>
                <Checkbox
                  size="xs"
                  aria-label={`Clear against ${c.claim_id}`}
                  checked={picked?.includes(c.claim_id) ?? false}
                  onChange={(e) => onPick(c.claim_id, e.currentTarget.checked)}
                  data-testid={`pick-claim-${c.claim_id}`}
                />
              </Table.Td>
            )}
            <Table.Td>
              <Anchor component={Link} to={`/claims/${encodeURIComponent(c.claim_id)}`} size="sm">
                {c.claim_id}
              </Anchor>
              {!partner && (
                <Text size="xs" c="dimmed">
                  {c.program_id} · {formatDate(c.submitted_date)}
                </Text>
              )}
            </Table.Td>
            <Table.Td>
              <Text
                size="sm"
                c={['approved', 'partially_approved'].includes(c.status) ? 'teal.8' : 'dimmed'}
                style={{ whiteSpace: 'nowrap' }}
              >
                {c.status.replaceAll('_', ' ')}
              </Text>
            </Table.Td>
            <Table.Td ta="right">{formatAmount(c.approved_amount)}</Table.Td>
            <Table.Td ta="right">{formatAmount(c.deducted_amount)}</Table.Td>
            <Table.Td ta="right">{formatAmount(c.paid_amount)}</Table.Td>
            <Table.Td ta="right" fw={600}>
              {formatMoney(c.unsettled_amount, currency)}
            </Table.Td>
            <Table.Td>
              {c.settled_by_this ? `settled ${formatAmount(c.settled_by_this)}` : c.named ? 'named' : ''}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** The claims the deduction names or settled, and the suggested claim sets when it matched none. */
export function ClaimsEvidence({
  detail,
  picked,
  onPick,
  onTakeSuggestion,
}: {
  detail: DeductionDetail;
  picked: string[];
  onPick?: (claimId: string, on: boolean) => void;
  onTakeSuggestion?: (claimIds: string[]) => void;
}) {
  const { deduction: d } = detail;
  return (
    <Section title="Claims" testId="evidence-claims">
      {detail.claims.length === 0 ? (
        none(
          d.category === 'rebate' || d.category === 'special_bid'
            ? 'The deduction names no claim of this account.'
            : 'Not a rebate deduction: no claims to check.',
        )
      ) : (
        <ClaimsTable
          claims={detail.claims}
          currency={d.currency}
          picked={picked}
          {...(onPick ? { onPick } : {})}
        />
      )}
      {detail.suggestions.length > 0 && (
        <Stack gap={6} data-testid="evidence-suggestions">
          <Text size="sm" fw={600}>
            Suggested claims
          </Text>
          {detail.suggestions.map((s, i) => (
            <Card key={s.claim_ids.join('+')} withBorder p="xs" data-testid={`suggestion-${i}`}>
              <Group justify="space-between" mb={4}>
                <Text size="sm">
                  {s.claim_ids.join(' + ')} · {formatMoney(s.amount, d.currency)}
                  {s.score !== null && (
                    <Text span c="dimmed" size="xs">
                      {' '}
                      · score {String(s.score)}
                    </Text>
                  )}
                </Text>
                {onTakeSuggestion && (
                  <Anchor component="button" size="sm" onClick={() => onTakeSuggestion(s.claim_ids)}>
                    Pick these claims
                  </Anchor>
                )}
              </Group>
              {s.claims.length > 0 && (
                <ClaimsTable
                  claims={s.claims}
                  currency={d.currency}
                  picked={picked}
                  {...(onPick ? { onPick } : {})}
                />
              )}
            </Card>
          ))}
        </Stack>
      )}
    </Section>
  );
}

/** The invoice it was taken from and the deduction item itself, each with what is still open. */
export function InvoiceEvidence({ detail }: { detail: DeductionDetail }) {
  const rows = [detail.invoice, detail.item].filter((x) => x !== null);
  return (
    <Section title="Invoice and deduction item" testId="evidence-invoice">
      {rows.length === 0 ? (
        none('No invoice recorded for this deduction.')
      ) : (
        <Table withTableBorder fz="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Document</Table.Th>
              <Table.Th>Dated</Table.Th>
              <Table.Th>Due</Table.Th>
              <Table.Th ta="right">Amount</Table.Th>
              <Table.Th ta="right">Open</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((doc) => (
              <Table.Tr key={doc.document_id}>
                <Table.Td>
                  <Anchor
                    component={Link}
                    to={`/aging/items/${encodeURIComponent(doc.document_id)}`}
                    size="sm"
                  >
                    {doc.document_id}
                  </Anchor>
                  <Text size="xs" c="dimmed">
                    {doc.type === 'deduction' ? 'deduction item' : doc.type.replaceAll('_', ' ')}
                    {doc.po_number ? ` · PO ${doc.po_number}` : ''}
                  </Text>
                </Table.Td>
                <Table.Td>{formatDate(doc.document_date)}</Table.Td>
                <Table.Td>{formatDate(doc.due_date)}</Table.Td>
                <Table.Td ta="right">{formatMoney(doc.amount, doc.currency)}</Table.Td>
                <Table.Td ta="right" fw={600}>
                  {formatMoney(doc.open_amount, doc.currency)}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Section>
  );
}

/** The bank credit the deduction came with, its remittance lines and what the payment was applied to. */
export function PaymentEvidence({ detail }: { detail: DeductionDetail }) {
  const p = detail.payment;
  const credit = p?.credit;
  return (
    <Section title="Payment and remittance" testId="evidence-payment">
      {!p || (!credit && p.remittance.length === 0) ? (
        none(
          detail.deduction.source === 'import'
            ? 'Imported from deductions.csv: no payment.'
            : 'No payment found.',
        )
      ) : (
        <>
          {credit && (
            <Text size="sm">
              <Anchor
                component={Link}
                to={`/cash-exceptions?credit=${encodeURIComponent(credit.payment_ref)}`}
              >
                {credit.payment_ref}
              </Anchor>{' '}
              · {formatMoney(credit.amount, credit.currency)} · value {formatDate(credit.value_date)} ·{' '}
              {credit.payer_name ?? 'unknown payer'}
              {credit.text && (
                <Text span size="xs" c="dimmed" display="block">
                  {credit.text}
                </Text>
              )}
            </Text>
          )}
          {p.remittance.length > 0 && (
            <Table withTableBorder fz="sm" data-testid="remittance-lines">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Remittance line</Table.Th>
                  <Table.Th ta="right">Paid</Table.Th>
                  <Table.Th ta="right">Deducted</Table.Th>
                  <Table.Th>Reason</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {p.remittance.map((r) => (
                  <Table.Tr
                    key={r.document_id}
                    fw={r.document_id === detail.deduction.document_id ? 600 : undefined}
                  >
                    <Table.Td>{r.document_id}</Table.Td>
                    <Table.Td ta="right">{formatAmount(r.amount_paid)}</Table.Td>
                    <Table.Td ta="right">{formatAmount(r.deduction_amount)}</Table.Td>
                    <Table.Td>{r.reason_code}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
          {p.applications.filter((a) => !a.reversed_at).length > 0 && (
            <Text size="xs" c="dimmed">
              Applied:{' '}
              {p.applications
                .filter((a) => !a.reversed_at)
                .map(
                  (a) =>
                    `${a.kind === 'on_account' ? 'on account' : (a.document_id ?? '')} ${formatAmount(a.amount)}${a.kind === 'deduction' ? ' (deduction)' : ''}`,
                )
                .join(' · ')}
            </Text>
          )}
        </>
      )}
    </Section>
  );
}

/** The documents filed with the deduction, the denial letter first; and the adjustments requested. */
export function DocumentsEvidence({ detail }: { detail: DeductionDetail }) {
  const docs = [...detail.documents].sort((a, b) => Number(b.denial_letter) - Number(a.denial_letter));
  return (
    <Section title="Documents" testId="evidence-documents">
      {docs.length === 0
        ? none('No documents filed yet.')
        : docs.map((doc) => (
            <Group key={doc.document_id} gap="xs" wrap="nowrap">
              <IconFileText size={16} />
              <Anchor href={doc.url} target="_blank" size="sm" truncate data-testid="evidence-document">
                {doc.file_name}
              </Anchor>
              {doc.denial_letter && (
                <Badge size="xs" color="red" variant="light">
                  denial letter
                </Badge>
              )}
              <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                {formatTimestamp(doc.uploaded_at)}
              </Text>
            </Group>
          ))}
      {detail.adjustments.length > 0 && (
        <Stack gap={4} data-testid="evidence-adjustments">
          <Text size="sm" fw={600}>
            Adjustments
          </Text>
          {detail.adjustments.map((a) => (
            <Text key={a.adjustment_id} size="sm">
              <Anchor component={Link} to={adjustmentPath(a.adjustment_id)}>
                {a.adjustment_id}
              </Anchor>{' '}
              · {a.kind.replaceAll('_', ' ')} · {formatMoney(a.amount, a.currency)} · {a.status}
              {a.posted_on ? ` · posted ${formatDate(a.posted_on)}` : ''}
            </Text>
          ))}
        </Stack>
      )}
    </Section>
  );
}
