/**
 * An analyst's resolution of a finding, with a reason code and a comment:
 * - accepted: the finding stands as found (a review finding is confirmed, so its line is not paid);
 * - adjusted: the analyst sets the line's amount (down, never above what was claimed) in place of the
 *   finding's own effect;
 * - overridden: kept on record, its effect lifted.
 * Overriding or adjusting a finding whose rule needs proof (`overrideDocumentRules`) cites a document attached
 * to the claim. The claim moves to in review, the change is audited, and validation runs again so the line's
 * status, amounts and the reconciliation reflect it. Rejecting a whole claim is here too.
 */

import { AppError } from '../../core/errors.ts';
import { isAmountString, Money, minorUnits } from '../../core/money.ts';
import { type Db, PoolDb, systemActor } from '../../db/db.ts';
import { hasAnyRole, requireRole } from '../identity/index.ts';
import { enqueue, recordAudit } from '../platform/index.ts';
import { type ClaimKey, claimIdOf, claimNotFound, findClaim } from './claim-ref.ts';
import { decidedStatuses } from './inputs.ts';
import { validateClaims } from './validate.ts';

const resolvers = ['rebate_analyst', 'approver', 'manager', 'administrator'] as const;

/** Reason codes an analyst picks from when resolving a finding. */
export const resolutionReasons = [
  'document_provided',
  'data_corrected',
  'contract_exception',
  'sales_approval',
  'data_timing',
  'finding_confirmed',
  'partial_entitlement',
  'other',
] as const;
export type ResolutionReason = (typeof resolutionReasons)[number];

export const resolutions = ['accepted', 'adjusted', 'overridden'] as const;
export type Resolution = (typeof resolutions)[number];

/**
 * Rule codes whose override or adjustment must cite a supporting document attached to the claim:
 * `CLEARHOUSE_OVERRIDE_DOCUMENT_RULES` (comma-separated), by default MISSING_DOCUMENT — the program itself
 * requires a document there, so waiving it needs the proof that stands in for it.
 */
export function overrideDocumentRules(env: NodeJS.ProcessEnv = process.env): string[] {
  const raw = env.CLEARHOUSE_OVERRIDE_DOCUMENT_RULES ?? 'MISSING_DOCUMENT';
  return raw
    .split(',')
    .map((c) => c.trim().toUpperCase())
    .filter(Boolean);
}

export interface ResolveInput {
  resolution: Resolution;
  reason_code: string;
  comment?: string | null | undefined;
  /** For `adjusted`: the line's amount, at most what was claimed. */
  adjusted_amount?: string | null | undefined;
  /** A document attached to the claim that supports the decision. */
  document_id?: string | null | undefined;
}

export interface ResolvedFinding {
  claim_id: string;
  line_no: number;
  rule_code: string;
  resolution: string;
  resolution_reason: string;
  adjusted_amount: string | null;
  resolution_document_id: string | null;
  resolved_by: string;
  resolved_at: string;
  claim_status: string;
  line_status: string | null;
  approved_amount: string | null;
}

/**
 * Validation runs again after a resolution. An approver may resolve without being allowed to start
 * validation runs: the run is then the system's, on the approver's behalf.
 */
async function revalidate(db: Db): Promise<void> {
  if (db instanceof PoolDb && !hasAnyRole(db.actor.roles, validators)) {
    await validateClaims(db.as(systemActor(`revalidation for ${db.actor.name}`)));
  } else {
    await validateClaims(db);
  }
}
const validators = ['administrator', 'rebate_analyst', 'manager'] as const;

const invalid = (field: string, message: string, text: string) =>
  new AppError('validation_failed', text, { issues: [{ field, message }] });

export async function lockClaim(tx: Db, key: ClaimKey) {
  const ref = await findClaim(tx, key);
  const { rows } = await tx.query<{ account_id: string; status: string; currency: string }>(
    'select account_id, status, currency from claims where account_id = $1 and claim_id = $2 for update',
    [ref.account_id, ref.claim_id],
  );
  const claim = rows[0];
  if (!claim) throw claimNotFound(ref.claim_id);
  return claim;
}

export async function resolveFinding(
  db: Db,
  key: ClaimKey,
  lineNo: number,
  ruleCode: string,
  input: ResolveInput,
): Promise<ResolvedFinding> {
  requireRole(db.actor, resolvers);
  if (!(resolutions as readonly string[]).includes(input.resolution)) {
    throw invalid('resolution', `one of ${resolutions.join(', ')}`, 'Unknown resolution.');
  }
  const reason = input.reason_code.trim();
  if (!reason) throw invalid('reason_code', 'required', 'A resolution needs a reason code.');
  const comment = input.comment?.trim() ?? '';
  if (input.resolution !== 'accepted' && reason === 'other' && !comment) {
    throw invalid(
      'comment',
      'required with reason_code other',
      'Overriding or adjusting for another reason needs a comment saying why.',
    );
  }
  const adjusting = input.resolution === 'adjusted';
  const amountText = input.adjusted_amount?.trim() || null;
  if (adjusting && !amountText) {
    throw invalid('adjusted_amount', 'required', 'An adjustment needs the amount the line is adjusted to.');
  }
  if (!adjusting && amountText) {
    throw invalid('adjusted_amount', 'only with resolution adjusted', 'Only an adjustment takes an amount.');
  }
  if (amountText && !isAmountString(amountText)) {
    throw invalid('adjusted_amount', 'a decimal amount like 120.50', 'The adjusted amount is not an amount.');
  }
  const documentId = input.document_id?.trim() || null;
  const resolutionReason = comment ? `${reason}: ${comment}` : reason;
  const claimId = claimIdOf(key);
  const accountId = await db.tx(async (tx) => {
    const claim = await lockClaim(tx, key);
    if (decidedStatuses.includes(claim.status)) {
      throw new AppError(
        'conflict',
        `Claim ${claimId} is ${claim.status.replace('_', ' ')}; its findings can no longer be resolved.`,
      );
    }
    if (claim.status === 'submitted' || claim.status === 'draft') {
      throw new AppError('conflict', `Claim ${claimId} has not been validated yet.`);
    }
    const found = await tx.query<{
      resolution: string | null;
      resolution_reason: string | null;
      adjusted_amount: string | null;
      effect: string;
      claimed_amount: string;
    }>(
      `select f.resolution, f.resolution_reason, f.adjusted_amount::text, f.effect, l.claimed_amount::text
       from claim_findings f
       join claim_lines l on l.account_id = f.account_id and l.claim_id = f.claim_id and l.line_no = f.line_no
       where f.account_id = $1 and f.claim_id = $2 and f.line_no = $3 and f.rule_code = $4 for update of f`,
      [claim.account_id, claimId, lineNo, ruleCode],
    );
    const before = found.rows[0];
    if (!before) {
      throw new AppError('not_found', `Line ${lineNo} of claim ${claimId} has no finding ${ruleCode}.`);
    }
    if (before.effect === 'report' && input.resolution !== 'accepted') {
      throw new AppError('conflict', `${ruleCode} is only reported; it has no effect to override or adjust.`);
    }
    if (amountText) {
      const amount = new Money(amountText);
      const places = minorUnits(claim.currency);
      if (amount.decimalPlaces() > places) {
        throw invalid(
          'adjusted_amount',
          `at most ${places} decimals`,
          `${claim.currency} amounts have ${places} decimals.`,
        );
      }
      if (amount.gt(before.claimed_amount)) {
        throw invalid(
          'adjusted_amount',
          `at most the claimed ${before.claimed_amount}`,
          `A line is never adjusted above what was claimed (${before.claimed_amount} ${claim.currency}).`,
        );
      }
    }
    if (input.resolution !== 'accepted' && overrideDocumentRules().includes(ruleCode) && !documentId) {
      throw invalid(
        'document_id',
        'required for this rule',
        `Overriding or adjusting ${ruleCode} needs a supporting document: attach it to the claim and name it.`,
      );
    }
    if (documentId) {
      const linked = await tx.query(
        `select 1 from document_links where account_id = $1 and entity_type = 'claim' and entity_id = $2
           and document_id::text = $3`,
        [claim.account_id, claimId, documentId],
      );
      if (linked.rows.length === 0) {
        throw invalid(
          'document_id',
          'not a document of this claim',
          'The document is not attached to this claim; attach it first.',
        );
      }
    }
    await tx.query(
      `update claim_findings set resolution = $5, resolution_reason = $6, resolved_by = $7, resolved_at = now(),
         adjusted_amount = $8::numeric, resolution_document_id = $9::uuid, resolved_by_id = $10,
         -- a new resolution is a new decision: an approval of the one it replaces does not carry over
         override_approved_by = null, override_approved_by_id = null, override_approved_at = null
       where account_id = $1 and claim_id = $2 and line_no = $3 and rule_code = $4`,
      [
        claim.account_id,
        claimId,
        lineNo,
        ruleCode,
        input.resolution,
        resolutionReason,
        tx.actor.name,
        amountText,
        documentId,
        tx.actor.userId,
      ],
    );
    if (claim.status === 'validated') {
      await tx.query(
        `update claims set status = 'in_review', updated_at = now() where account_id = $1 and claim_id = $2`,
        [claim.account_id, claimId],
      );
    }
    await recordAudit(tx, {
      entityType: 'claim',
      entityId: claimId,
      accountId: claim.account_id,
      action: `finding_${input.resolution}`,
      before: {
        status: claim.status,
        line_no: lineNo,
        rule_code: ruleCode,
        effect: before.effect,
        resolution: before.resolution,
        resolution_reason: before.resolution_reason,
        adjusted_amount: before.adjusted_amount,
      },
      after: {
        status: claim.status === 'validated' ? 'in_review' : claim.status,
        line_no: lineNo,
        rule_code: ruleCode,
        resolution: input.resolution,
        resolution_reason: resolutionReason,
        adjusted_amount: amountText,
        document_id: documentId,
      },
    });
    return claim.account_id;
  });
  // The ledger lifts overridden findings' effects, applies adjustments, clears review on resolved ones.
  await revalidate(db);
  const { rows } = await db.query<ResolvedFinding>(
    `select f.claim_id, f.line_no, f.rule_code, f.resolution, f.resolution_reason, f.adjusted_amount::text,
       f.resolution_document_id::text, f.resolved_by, f.resolved_at, c.status as claim_status,
       l.status as line_status, l.approved_amount::text
     from claim_findings f
     join claims c on c.account_id = f.account_id and c.claim_id = f.claim_id
     left join claim_lines l on l.account_id = f.account_id and l.claim_id = f.claim_id and l.line_no = f.line_no
     where f.account_id = $4 and f.claim_id = $1 and f.line_no = $2 and f.rule_code = $3`,
    [claimId, lineNo, ruleCode, accountId],
  );
  const row = rows[0];
  if (!row) {
    // Validation no longer finds it (the data changed meanwhile): report the line as it now stands.
    throw new AppError('conflict', `The finding ${ruleCode} on line ${lineNo} no longer applies.`);
  }
  const at: unknown = row.resolved_at;
  return { ...row, resolved_at: at instanceof Date ? at.toISOString() : String(at) };
}

export async function rejectClaim(
  db: Db,
  key: ClaimKey,
  reason: string,
): Promise<{ claim_id: string; status: string }> {
  requireRole(db.actor, resolvers);
  const why = reason.trim();
  if (!why) {
    throw new AppError('validation_failed', 'Rejecting a claim needs a reason.', {
      issues: [{ field: 'reason', message: 'required' }],
    });
  }
  const claimId = claimIdOf(key);
  const result = await db.tx(async (tx) => {
    const claim = await lockClaim(tx, key);
    if (claim.status === 'rejected') return { claim_id: claimId, status: 'rejected' };
    if (claim.status === 'draft') {
      throw new AppError('conflict', `Claim ${claimId} is a draft; it is decided once it is submitted.`);
    }
    if (decidedStatuses.includes(claim.status)) {
      throw new AppError(
        'conflict',
        `Claim ${claimId} is ${claim.status.replace('_', ' ')}; it can no longer be rejected.`,
      );
    }
    await tx.query(
      `update claims set status = 'rejected', decided_at = now(), decided_by = $3, updated_at = now()
       where account_id = $1 and claim_id = $2`,
      [claim.account_id, claimId, tx.actor.name],
    );
    // A rejected claim pays nothing and consumes nothing: its lines are rejected with it.
    await tx.query(
      `insert into claim_line_results (account_id, claim_id, line_no, status, approved_qty, approved_amount)
       select account_id, claim_id, line_no, 'rejected', case when qty is null then null else 0 end, round(0, $3::int)
       from claim_line_inputs where account_id = $1 and claim_id = $2
       on conflict (account_id, claim_id, line_no) do update set status = excluded.status,
         approved_qty = excluded.approved_qty, approved_amount = excluded.approved_amount, updated_at = now()`,
      [claim.account_id, claimId, minorUnits(claim.currency)],
    );
    await recordAudit(tx, {
      entityType: 'claim',
      entityId: claimId,
      accountId: claim.account_id,
      action: 'rejected',
      before: { status: claim.status },
      after: { status: 'rejected', reason: why },
    });
    return { claim_id: claimId, status: 'rejected' };
  });
  // The partner's answer changed: trading partners get a new 849 (the EDI module's job, by name).
  await enqueue('edi.respond', {}, { singletonKey: 'edi.respond' });
  return result;
}
