import { Alert, Button, Card, Group, Select, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconDeviceFloppy, IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { ApiError } from '../../ui/api';
import { type ProgramType, typeLabels } from '../contracts/contract';
import { claimPath } from './claim';
import { ClaimDocumentsPicker, type PickedDocument } from './claim-documents-picker';
import { missingForSubmit, useClaimFormFacts } from './claim-form-lookups';
import { ClaimLineEditor } from './claim-line-editor';
import { type SubmitLine, useSendClaim } from './use-claims';

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
  /** The documents attached to it already (they count for the program's required ones). */
  documents?: { document_type: string; file_name: string }[];
  /** What validation found on each line (by position), with what would fix it. */
  notes: {
    line: number;
    status: string | null;
    findings: { rule_code: string; title: string; hint: string }[];
  }[];
}

/**
 * The portal's claim form: the header with a claim number made for the partner, one card per line with its
 * look-ups, the documents the program needs, and a submit button that says what is still missing before it
 * can be pressed. Submit it, or save it as a draft (the same checks, nothing validated) to finish later.
 */
export function SubmitClaimForm({
  accounts,
  programs,
  correcting,
}: {
  accounts: { value: string; label: string }[];
  programs: { value: string; label: string; currency: string; type: ProgramType }[];
  correcting?: CorrectedClaim;
}) {
  const navigate = useNavigate();
  const send = useSendClaim();
  // The number the partner typed; until it types one, the number made for it (below).
  const [typedClaimId, setTypedClaimId] = useState<string | undefined>(correcting?.claim_id);
  const [suggested, setSuggested] = useState<string | undefined>();
  const claimId = typedClaimId ?? suggested ?? '';
  const [accountId, setAccountId] = useState<string | null>(
    correcting?.account_id ?? accounts[0]?.value ?? null,
  );
  const [programId, setProgramId] = useState<string | null>(correcting?.program_id ?? null);
  const [currency, setCurrency] = useState(correcting?.currency ?? '');
  const [lines, setLines] = useState<DraftLine[]>(correcting?.lines ?? [emptyLine()]);
  const [documents, setDocuments] = useState<PickedDocument[]>([]);
  const [checkedId] = useDebouncedValue(claimId, 300);
  const facts = useClaimFormFacts(accountId, programId, correcting ? '' : checkedId);

  // The claim number made for the partner, until it types its own. It is derived, not copied into the typed
  // number by an effect: an effect that ran just after the partner typed overwrote what it typed.
  const madeForYou = facts.data?.suggested_claim_id;
  if (madeForYou && madeForYou !== suggested) setSuggested(madeForYou);

  const programType = programs.find((p) => p.value === programId)?.type ?? null;
  const required = facts.data?.program?.required_documents ?? [];
  const attached = correcting?.documents ?? [];
  const chosen = documents.filter((d): d is { document_type: string; file: File } =>
    Boolean(d.file && d.document_type.trim()),
  );
  const editingDraft = correcting?.draft === true;
  const resubmitting = correcting !== undefined && !editingDraft;
  const missing = missingForSubmit({
    claim_id: claimId,
    claim_id_taken: !correcting && facts.data?.claim_id_taken === true && checkedId.trim() === claimId.trim(),
    account_id: accountId,
    program_id: programId,
    program_type: programType,
    currency,
    lines,
    required_documents: required,
    attached_document_types: [...attached.map((a) => a.document_type), ...chosen.map((d) => d.document_type)],
  });
  const headerReady = claimId.trim() !== '' && accountId && programId && currency.trim().length === 3;

  const issues = send.error instanceof ApiError ? send.error.issues : [];
  const issueAt = (field: string) => issues.find((i) => i.field === field)?.message;

  const sendAs = (mode: 'submit' | 'draft' | 'resubmit') => {
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
    send.mutate(
      { body, mode, documents: chosen },
      {
        onSuccess: (r) => {
          if (mode !== 'draft') return navigate(claimPath(r.claim.claim_id, r.claim.account_id));
          notifications.show({
            color: 'green',
            message: `Draft ${r.claim.claim_id} saved${chosen.length > 0 ? ' with its documents' : ''}. It is not checked until you submit it.`,
          });
          navigate('/my-claims?view=drafts');
        },
      },
    );
  };

  return (
    <Stack data-testid="submit-claim-form">
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
              Change the lines below and submit: the claim is validated again and version {correcting.version}{' '}
              is kept in its history.
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
      <Card>
        <Group grow align="flex-start">
          <TextInput
            label="Claim number"
            required
            value={claimId}
            readOnly={correcting !== undefined}
            inputWrapperOrder={['label', 'input', 'description', 'error']}
            onChange={(e) => {
              setTypedClaimId(e.currentTarget.value);
            }}
            description={
              correcting
                ? undefined
                : claimId === suggested
                  ? 'Made for you; type your own if you number your claims.'
                  : suggested
                    ? `Your own number, unique among your claims (or use ${suggested}).`
                    : undefined
            }
            error={
              issueAt('claim_id') ??
              (!correcting && facts.data?.claim_id_taken && checkedId.trim() === claimId.trim()
                ? `${claimId.trim()} is one of your claims already`
                : undefined)
            }
            data-testid="claim-id-input"
          />
          <Select
            label="Account"
            required
            data={accounts}
            value={accountId}
            onChange={setAccountId}
            readOnly={correcting !== undefined}
            error={issueAt('account_id')}
          />
          <Select
            label="Program"
            required
            searchable
            data={programs}
            value={programId}
            readOnly={resubmitting}
            onChange={(v) => {
              setProgramId(v);
              const p = programs.find((x) => x.value === v);
              if (p) setCurrency(p.currency);
            }}
            description={programType ? typeLabels[programType] : undefined}
            inputWrapperOrder={['label', 'input', 'description', 'error']}
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
      </Card>
      {lines.map((line, i) => (
        <ClaimLineEditor
          // biome-ignore lint/suspicious/noArrayIndexKey: lines are numbered by position
          key={i}
          index={i}
          line={line}
          accountId={accountId}
          programId={programId}
          programType={programType}
          currency={currency.trim().toUpperCase()}
          onChange={(next) => setLines((now) => now.map((l, j) => (j === i ? next : l)))}
          onRemove={lines.length > 1 ? () => setLines((now) => now.filter((_, j) => j !== i)) : undefined}
          issueAt={issueAt}
        />
      ))}
      <Group>
        <Button
          variant="subtle"
          leftSection={<IconPlus size={16} />}
          onClick={() => setLines((now) => [...now, emptyLine()])}
        >
          Add a line
        </Button>
      </Group>
      <ClaimDocumentsPicker
        programChosen={programId !== null}
        required={required}
        attached={attached}
        picked={documents}
        onChange={setDocuments}
      />
      {send.isError && (
        <Alert
          color="red"
          variant="light"
          title={send.variables?.mode === 'draft' ? 'The draft was not saved' : 'The claim was not accepted'}
        >
          {send.error.message}
        </Alert>
      )}
      <Card>
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          {missing.length > 0 ? (
            <Stack gap={2} data-testid="claim-missing">
              <Text size="sm" fw={600}>
                To submit, the claim still needs:
              </Text>
              {missing.map((m) => (
                <Text size="sm" key={m} c="dimmed">
                  • {m}
                </Text>
              ))}
            </Stack>
          ) : (
            <Text size="sm" c="teal.8" data-testid="claim-complete">
              Everything the program needs is here
              {chosen.length > 0 ? `, with ${chosen.length} document${chosen.length === 1 ? '' : 's'}` : ''}.
            </Text>
          )}
          <Group gap="xs" wrap="nowrap">
            {!resubmitting && (
              <Button
                variant="default"
                leftSection={<IconDeviceFloppy size={16} />}
                onClick={() => sendAs('draft')}
                disabled={!headerReady}
                loading={send.isPending && send.variables?.mode === 'draft'}
                data-testid="save-draft"
              >
                {editingDraft ? 'Save draft' : 'Save as draft'}
              </Button>
            )}
            <Button
              onClick={() => sendAs(resubmitting ? 'resubmit' : 'submit')}
              disabled={missing.length > 0}
              loading={send.isPending && send.variables?.mode !== 'draft'}
              data-testid="submit-claim"
            >
              {resubmitting ? 'Resubmit claim' : 'Submit claim'}
            </Button>
          </Group>
        </Group>
      </Card>
    </Stack>
  );
}
