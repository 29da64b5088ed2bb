/**
 * A team accepts a deduction (the company absorbs it: an absorption with reason DEDUCTION_ACCEPTED) or writes
 * it off (a write-off with reason DEDUCTION_WRITTEN_OFF), each for the deduction's open amount through an
 * adjustment that waits for approval (CONTROLS.md: the requester never approves). The deduction notes the
 * adjustment; once approved it is credited or written off, and when refused it stays as it was. Also here:
 * who a deduction is assigned to, and comments on its timeline.
 */
import { AppError } from '../../core/errors.ts';
import { Money } from '../../core/money.ts';
import type { Db } from '../../db/db.ts';
import {
  type AdjustmentDetail,
  registerAdjustmentSourceHook,
  requestAdjustment,
} from '../adjustments/index.ts';
import { requireInternal } from '../identity/index.ts';
import { recordAudit } from '../platform/index.ts';
import {
  type AcceptInput,
  type AssignInput,
  acceptInput,
  assignInput,
  type CommentInput,
  commentInput,
  type WriteOffInput,
  writeOffInput,
} from './action-schemas.ts';
import { actingForTeam, deductionForAction, requireStatus } from './desk.ts';

export interface ResolutionRequest {
  deduction_id: string;
  adjustment: AdjustmentDetail;
}

const outcomes = {
  absorption: { status: 'credited', reason: 'DEDUCTION_ACCEPTED', action: 'accepted', verb: 'accepted' },
  write_off: {
    status: 'written_off',
    reason: 'DEDUCTION_WRITTEN_OFF',
    action: 'write_off_requested',
    verb: 'written off',
  },
} as const;

async function requestResolution(
  db: Db,
  deductionId: string,
  kind: keyof typeof outcomes,
  input: { comment: string; reason_code?: string | undefined },
): Promise<ResolutionRequest> {
  const o = outcomes[kind];
  return db.tx(async (tx) => {
    const d = await deductionForAction(tx, deductionId);
    // A denied deduction may still be accepted or written off (the customer convinced us, or it is not
    // worth pursuing); one repaid, cleared or already resolved may not.
    requireStatus(d, ['open', 'denied'], o.verb);
    if (!new Money(d.open_amount).gt(0)) throw new AppError('conflict', `Nothing is open on ${deductionId}.`);
    const adjustment = await requestAdjustment(actingForTeam(tx, 'collector'), {
      kind,
      document_id: deductionId,
      amount: d.open_amount,
      reason_code: input.reason_code ?? o.reason,
      comment: input.comment,
      source_type: 'deduction',
      source_id: deductionId,
    });
    await tx.query('update deductions set adjustment_id = $2, updated_at = now() where deduction_id = $1', [
      deductionId,
      adjustment.adjustment_id,
    ]);
    await recordAudit(tx, {
      entityType: 'deduction',
      entityId: deductionId,
      accountId: d.account_id,
      action: o.action,
      after: {
        adjustment_id: adjustment.adjustment_id,
        kind,
        amount: d.open_amount,
        reason_code: input.reason_code ?? o.reason,
        comment: input.comment,
      },
    });
    return { deduction_id: deductionId, adjustment };
  });
}

/** Accepts the deduction: an absorption of its open amount, pending approval. */
export async function acceptDeduction(
  db: Db,
  deductionId: string,
  raw: AcceptInput,
): Promise<ResolutionRequest> {
  requireInternal(db.actor);
  return requestResolution(db, deductionId, 'absorption', acceptInput.parse(raw));
}

/** Writes the deduction off: a write-off of its open amount, pending approval. */
export async function writeOffDeduction(
  db: Db,
  deductionId: string,
  raw: WriteOffInput,
): Promise<ResolutionRequest> {
  requireInternal(db.actor);
  return requestResolution(db, deductionId, 'write_off', writeOffInput.parse(raw));
}

registerAdjustmentSourceHook('deduction', {
  async onApproved(tx, decision) {
    const o = outcomes[decision.kind as keyof typeof outcomes];
    if (!o) return;
    const { rows } = await tx.query<{ account_id: string; status: string }>(
      `update deductions d set status = $3, resolved_on = $4::date, resolution_note = a.comment, updated_at = now()
       from adjustments a
       where d.deduction_id = $1 and d.adjustment_id = $2 and a.adjustment_id = $2
         and d.status in ('open', 'denied')
       returning d.account_id, d.status`,
      [decision.sourceId, decision.adjustmentId, o.status, decision.on],
    );
    if (!rows[0]) return;
    await recordAudit(tx, {
      entityType: 'deduction',
      entityId: decision.sourceId,
      accountId: rows[0].account_id,
      action: o.status,
      after: { status: o.status, adjustment_id: decision.adjustmentId, resolved_on: decision.on },
    });
  },
  async onRefused(tx, decision) {
    const { rows } = await tx.query<{ account_id: string }>(
      'select account_id from deductions where deduction_id = $1 and adjustment_id = $2',
      [decision.sourceId, decision.adjustmentId],
    );
    if (!rows[0]) return;
    await recordAudit(tx, {
      entityType: 'deduction',
      entityId: decision.sourceId,
      accountId: rows[0].account_id,
      action: 'adjustment_refused',
      after: { adjustment_id: decision.adjustmentId, kind: decision.kind },
    });
  },
});

/** Puts the deduction on a desk user's desk (null: nobody's), within its queue's team. */
export async function assignDeduction(
  db: Db,
  deductionId: string,
  raw: AssignInput,
): Promise<{ deduction_id: string; assignee: string | null }> {
  requireInternal(db.actor);
  const input = assignInput.parse(raw);
  return db.tx(async (tx) => {
    const d = await deductionForAction(tx, deductionId);
    if (input.assignee) {
      const { rows } = await tx.query<{ internal: boolean }>(
        `select account_id is null and not ('partner' = any(roles)) as internal from users
         where lower(email) = $1 and active`,
        [input.assignee],
      );
      if (!rows[0]?.internal)
        throw new AppError('validation_failed', `${input.assignee} is not an active user of the desk.`, {
          issues: [{ field: 'assignee', message: 'not an active desk user' }],
        });
    }
    const { rows } = await tx.query<{ before: string | null }>(
      `update deductions x set assignee = $2, updated_at = now()
       from (select assignee from deductions where deduction_id = $1) old
       where x.deduction_id = $1 returning old.assignee as before`,
      [deductionId, input.assignee],
    );
    await recordAudit(tx, {
      entityType: 'deduction',
      entityId: deductionId,
      accountId: d.account_id,
      action: 'assigned',
      before: { assignee: rows[0]?.before ?? null },
      after: { assignee: input.assignee },
    });
    return { deduction_id: deductionId, assignee: input.assignee };
  });
}

/** A comment on the deduction's timeline (its audit trail), by any of the company's own users. */
export async function commentOnDeduction(
  db: Db,
  deductionId: string,
  raw: CommentInput,
): Promise<{ deduction_id: string; text: string }> {
  requireInternal(db.actor);
  const input = commentInput.parse(raw);
  return db.tx(async (tx) => {
    const d = await deductionForAction(tx, deductionId, { anyDeskUser: true });
    await recordAudit(tx, {
      entityType: 'deduction',
      entityId: deductionId,
      accountId: d.account_id,
      action: 'commented',
      after: { text: input.text },
    });
    return { deduction_id: deductionId, text: input.text };
  });
}
