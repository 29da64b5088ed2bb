/**
 * Submitting a draft (SPEC D: draft → submitted): the claim as it was saved, with the submitted date of the
 * submission (today, or as given), audited and queued for validation exactly as a claim sent straight away.
 * Submitting a claim that is no longer a draft changes nothing. Saving and editing drafts goes through
 * `submitClaim` with `draft` (the import engine's checks, claims/intake.ts).
 */

import { isBusinessDate, today } from '../../core/dates.ts';
import { AppError } from '../../core/errors.ts';
import type { Db } from '../../db/db.ts';
import { isPartner, requireRole } from '../identity/index.ts';
import { recordAudit } from '../platform/index.ts';
import { type ClaimKey, claimNotFound, findClaim } from './claim-ref.ts';
import { requestValidation } from './jobs.ts';
import { type ClaimListItem, getClaim } from './queries.ts';

/** Who sends claims besides the partner itself: the desk roles that may load claims.csv. */
const submitters = ['administrator', 'rebate_analyst', 'manager'] as const;

export interface DraftSubmission {
  outcome: 'submitted' | 'unchanged';
  claim: ClaimListItem;
}

export async function submitDraft(
  db: Db,
  key: ClaimKey,
  opts: { submittedDate?: string | null | undefined } = {},
): Promise<DraftSubmission> {
  if (!isPartner(db.actor.roles)) requireRole(db.actor, submitters);
  const date = opts.submittedDate?.trim() || today();
  if (!isBusinessDate(date)) {
    throw new AppError('validation_failed', 'The submitted date must be a date written YYYY-MM-DD.', {
      issues: [{ field: 'submitted_date', message: 'must be a date written YYYY-MM-DD' }],
    });
  }
  const ref = await findClaim(db, key);
  const claimId = ref.claim_id;
  const submitted = await db.tx(async (tx) => {
    const { rows } = await tx.query<{
      account_id: string;
      status: string;
      version: number;
      program_id: string;
      submitted_date: string;
      currency: string;
    }>(
      `select account_id, status, version, program_id, submitted_date, currency from claims
       where account_id = $1 and claim_id = $2 for update`,
      [ref.account_id, claimId],
    );
    const claim = rows[0];
    if (!claim) throw claimNotFound(claimId);
    if (claim.status !== 'draft') return false;
    await tx.query(
      `update claims set status = 'submitted', submitted_date = $3, updated_at = now()
       where account_id = $1 and claim_id = $2`,
      [claim.account_id, claimId, date],
    );
    await recordAudit(tx, {
      entityType: 'claim',
      entityId: claimId,
      accountId: claim.account_id,
      action: 'submitted',
      before: { status: 'draft', submitted_date: claim.submitted_date },
      after: {
        status: 'submitted',
        version: claim.version,
        program_id: claim.program_id,
        submitted_date: date,
        currency: claim.currency,
      },
    });
    return true;
  });
  if (submitted) await requestValidation(db);
  const { program_version: _v, created_at: _c, updated_at: _u, ...header } = (await getClaim(db, ref)).claim;
  return { outcome: submitted ? 'submitted' : 'unchanged', claim: header };
}
