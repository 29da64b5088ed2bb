import { Alert, Anchor, Breadcrumbs, Button, Stack, Text } from '@mantine/core';
import { Link, useSearchParams } from 'react-router';
import { useAccounts } from '../features/accounts/use-accounts';
import {
  type ClaimDetail,
  claimPath,
  lineStatusLabels,
  ruleTexts,
  ruleTitle,
} from '../features/claims/claim';
import { type CorrectedClaim, type DraftLine, SubmitClaimForm } from '../features/claims/submit-claim-form';
import { useClaim } from '../features/claims/use-claims';
import { usePrograms } from '../features/contracts/use-contracts';
import { PageHeader } from '../ui/page-header';
import { LoadError, Loading } from '../ui/states';

const text = (v: string | number | null | undefined) => (v === null || v === undefined ? '' : String(v));

/** A claim as the form's lines, with what validation found on each. */
function correctionOf(detail: ClaimDetail): CorrectedClaim {
  const c = detail.claim;
  return {
    claim_id: c.claim_id,
    account_id: c.account_id,
    program_id: c.program_id,
    currency: c.currency,
    version: c.version,
    draft: c.status === 'draft',
    documents: detail.documents,
    lines: detail.lines.map(
      (l): DraftLine => ({
        sku: text(l.sku),
        qty: text(l.qty),
        claimed_unit_amount: text(l.claimed_unit_amount),
        claimed_amount: text(l.claimed_amount),
        sale_date: text(l.sale_date),
        end_customer_id: text(l.end_customer_id),
        deal_id: text(l.deal_id),
        sell_out_ref: text(l.sell_out_ref),
        serial_numbers: l.serial_numbers.join(';'),
        period_start: text(l.period_start),
        period_end: text(l.period_end),
      }),
    ),
    notes: detail.lines.map((l, i) => ({
      line: i + 1,
      status: l.status ? lineStatusLabels[l.status] : null,
      findings: l.findings.map((f) => ({
        rule_code: f.rule_code,
        title: ruleTitle(f.rule_code),
        hint: ruleTexts[f.rule_code]?.hint ?? '',
      })),
    })),
  };
}

/**
 * The portal's claim form: a new claim, a correction of one sent before (`?from=CLAIM`), or a draft to finish
 * (`?draft=CLAIM`).
 */
export default function NewClaimPage() {
  const [params] = useSearchParams();
  const draftId = params.get('draft') ?? '';
  const from = params.get('from') || draftId;
  const accounts = useAccounts();
  const programs = usePrograms();
  const original = useClaim(from);
  const correcting = from !== '';
  const notADraft = draftId !== '' && original.data !== undefined && original.data.claim.status !== 'draft';
  return (
    <Stack>
      <PageHeader
        above={
          <Breadcrumbs>
            <Anchor component={Link} to="/my-claims" size="sm">
              Claims
            </Anchor>
            {correcting && (
              <Anchor component={Link} to={claimPath(from)} size="sm">
                {from}
              </Anchor>
            )}
            <Text size="sm">{draftId ? 'Draft' : correcting ? 'Correct' : 'New'}</Text>
          </Breadcrumbs>
        }
        title={
          draftId ? `Finish draft ${draftId}` : correcting ? `Correct and resubmit ${from}` : 'Submit a claim'
        }
        description={`One line per sale (unit programs) or per period (volume, growth, MDF). Amounts like 12.50; ${
          draftId
            ? 'the claim is checked once you submit it.'
            : correcting
              ? 'the claim is checked again at once.'
              : 'the claim is checked at once, or save it as a draft to finish later.'
        }`}
      />
      {accounts.isPending || programs.isPending || (correcting && original.isPending) ? (
        <Loading />
      ) : accounts.isError ? (
        <LoadError error={accounts.error} what="your accounts" />
      ) : programs.isError ? (
        <LoadError error={programs.error} what="your programs" />
      ) : correcting && original.isError ? (
        <LoadError error={original.error} what={`claim ${from}`} />
      ) : notADraft ? (
        <Alert color="blue" variant="light" title={`Claim ${draftId} was submitted already`}>
          <Stack gap="xs" align="flex-start">
            <Text size="sm">It is no longer a draft; its findings and status are on the claim page.</Text>
            <Button component={Link} to={claimPath(draftId)} size="xs" variant="light">
              Open claim {draftId}
            </Button>
          </Stack>
        </Alert>
      ) : (
        <SubmitClaimForm
          key={from}
          accounts={accounts.data.map((a) => ({ value: a.account_id, label: `${a.name} (${a.account_id})` }))}
          programs={programs.data.map((p) => ({
            value: p.program_id,
            label: `${p.name} (${p.program_id})`,
            currency: p.currency,
            type: p.type,
          }))}
          correcting={correcting && original.data ? correctionOf(original.data) : undefined}
        />
      )}
    </Stack>
  );
}
