/**
 * An analyst's resolution of a finding: accepted (the finding stands, reviewed) or overridden (kept on
 * record, its effect lifted), with a reason code and a comment. The claim moves to in review, the change is
 * audited, and validation runs again so the line's result reflects it. Rejecting a whole claim is here too.
 */
import { AppError } from '../../core/errors.ts';
import { minorUnits } from '../../core/money.ts';
import type { Db } from '../../db/db.ts';
import { requireRole } from '../identity/index.ts';
import { recordAudit } from '../platform/index.ts';
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
  'other',
] as const;
export type ResolutionReason = (typeof resolutionReasons)[number];

export interface ResolveInput {
  resolution: 'accepted' | 'overridden';
  reason_code: string;
  comment?: string | null | undefined;
}

export interface ResolvedFinding {
  claim_id: string;
  line_no: number;
  rule_code: string;
  resolution: string;
  resolution_reason: string;
  resolved_by: string;
  resolved_at: string;
  claim_status: string;
  line_status: string | null;
}

async function lockClaim(tx: Db, claimId: string) {
  const { rows } = await tx.query<{ account_id: string; status: string; currency: string }>(
    'select account_id, status, currency from claims where claim_id = $1 for update',
    [claimId],
  );
  const claim = rows[0];
  if (!claim) throw new AppError('not_found', `The claim ${claimId} does not exist.`);
  return claim;
}

export async function resolveFinding(
  db: Db,
  claimId: string,
  lineNo: number,
  ruleCode: string,
  input: ResolveInput,
): Promise<ResolvedFinding> {
  requireRole(db.actor, resolvers);
  const reason = input.reason_code.trim();
  if (!reason) {
    throw new AppError('validation_failed', 'A resolution needs a reason code.', {
      issues: [{ field: 'reason_code', message: 'required' }],
    });
  }
  const comment = input.comment?.trim() ?? '';
  if (input.resolution === 'overridden' && reason === 'other' && !comment) {
    throw new AppError('validation_failed', 'Overriding for another reason needs a comment saying why.', {
      issues: [{ field: 'comment', message: 'required with reason_code other' }],
    });
  }
  const resolutionReason = comment ? `${reason}: ${comment}` : reason;
  await db.tx(async (tx) => {
    const claim = await lockClaim(tx, claimId);
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
      effect: string;
    }>(
      `select resolution, resolution_reason, effect from claim_findings
       where account_id = $1 and claim_id = $2 and line_no = $3 and rule_code = $4 for update`,
      [claim.account_id, claimId, lineNo, ruleCode],
    );
    const before = found.rows[0];
    if (!before) {
      throw new AppError('not_found', `Line ${lineNo} of claim ${claimId} has no finding ${ruleCode}.`);
    }
    await tx.query(
      `update claim_findings set resolution = $5, resolution_reason = $6, resolved_by = $7, resolved_at = now()
       where account_id = $1 and claim_id = $2 and line_no = $3 and rule_code = $4`,
      [claim.account_id, claimId, lineNo, ruleCode, input.resolution, resolutionReason, tx.actor.name],
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
      },
      after: {
        status: claim.status === 'validated' ? 'in_review' : claim.status,
        line_no: lineNo,
        rule_code: ruleCode,
        resolution: input.resolution,
        resolution_reason: resolutionReason,
      },
    });
  });
  // The ledger lifts overridden findings' effects and clears review on resolved ones.
  await validateClaims(db);
  const { rows } = await db.query<ResolvedFinding>(
    `select f.claim_id, f.line_no, f.rule_code, f.resolution, f.resolution_reason, f.resolved_by,
       f.resolved_at, c.status as claim_status, l.status as line_status
     from claim_findings f
     join claims c on c.account_id = f.account_id and c.claim_id = f.claim_id
     left join claim_lines l on l.account_id = f.account_id and l.claim_id = f.claim_id and l.line_no = f.line_no
     where f.claim_id = $1 and f.line_no = $2 and f.rule_code = $3`,
    [claimId, lineNo, ruleCode],
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
  claimId: string,
  reason: string,
): Promise<{ claim_id: string; status: string }> {
  requireRole(db.actor, resolvers);
  const why = reason.trim();
  if (!why) {
    throw new AppError('validation_failed', 'Rejecting a claim needs a reason.', {
      issues: [{ field: 'reason', message: 'required' }],
    });
  }
  return db.tx(async (tx) => {
    const claim = await lockClaim(tx, claimId);
    if (claim.status === 'rejected') return { claim_id: claimId, status: 'rejected' };
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
      `update claim_lines set status = 'rejected', approved_amount = round(0, $3::int),
         approved_qty = case when qty is null then null else 0 end, updated_at = now()
       where account_id = $1 and claim_id = $2`,
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
}
