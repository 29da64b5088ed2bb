/**
 * The team settles a dispute with a billing adjustment (a credit adjustment, a rebill or a debit
 * adjustment on the disputed document). It is requested through the adjustments module, so it waits for
 * approvers within their limits and nobody approves their own; the dispute's documents go with it. When the
 * adjustment is approved and posted the dispute is resolved; when it is refused the dispute is back in
 * review (the adjustments module tells us through its source hook).
 */
import type { Db } from '../../db/db.ts';
import { type AdjustmentSourceHook, requestAdjustment } from '../adjustments/index.ts';
import { findApprovalRequest } from '../approvals/index.ts';
import { recordAudit, recordAuditMany } from '../platform/index.ts';
import { type DisputeDetail, getDispute } from './dispute-queries.ts';
import { requireDisputes } from './roles.ts';
import { defaultReason, type ProposeAdjustmentInput, proposeAdjustmentInput } from './schemas.ts';
import { lockDispute, requireActive, requireNoPendingAdjustment, requireWorker } from './work-dispute.ts';

export async function proposeAdjustment(
  db: Db,
  disputeId: string,
  raw: ProposeAdjustmentInput,
): Promise<DisputeDetail> {
  requireDisputes(db);
  const input = proposeAdjustmentInput.parse(raw);
  return db.tx(async (tx) => {
    const d = await lockDispute(tx, disputeId);
    requireActive(d, 'settled');
    requireWorker(tx, d);
    requireNoPendingAdjustment(d, 'settled again');
    const adjustment = await requestAdjustment(tx, {
      kind: input.kind,
      document_id: d.document_id,
      ...(input.amount === undefined ? {} : { amount: input.amount }),
      ...(input.corrected_amount === undefined ? {} : { corrected_amount: input.corrected_amount }),
      reason_code: input.reason_code ?? defaultReason[d.category],
      comment: `${input.comment} (dispute ${disputeId})`,
      source_type: 'dispute',
      source_id: disputeId,
    });
    // The dispute's supporting documents go with the request, for the approvers (and for reasons that
    // require documents).
    await tx.query(
      `insert into document_links (account_id, document_id, entity_type, entity_id, linked_by)
       select l.account_id, l.document_id, 'adjustment', $2, $3 from document_links l
       where l.entity_type = 'dispute' and l.entity_id = $1
       on conflict do nothing`,
      [disputeId, adjustment.adjustment_id, tx.actor.name],
    );
    const me = tx.actor.userId
      ? (await tx.query<{ email: string }>('select email from users where user_id = $1', [tx.actor.userId]))
          .rows[0]?.email
      : undefined;
    await tx.query(
      `update disputes set adjustment_id = $2, state = 'in_review', assignee = coalesce(assignee, $3),
         updated_at = now()
       where dispute_id = $1`,
      [disputeId, adjustment.adjustment_id, me ?? null],
    );
    await recordAudit(tx, {
      entityType: 'dispute',
      entityId: disputeId,
      accountId: d.account_id,
      action: 'adjustment_proposed',
      before: { state: d.state },
      after: {
        adjustment_id: adjustment.adjustment_id,
        kind: adjustment.kind,
        amount: adjustment.amount,
        corrected_amount: adjustment.corrected_amount,
        currency: adjustment.currency,
        reason_code: adjustment.reason_code,
        comment: input.comment,
      },
    });
    return getDispute(tx, disputeId);
  });
}

/** The adjustment was approved and posted: the dispute is resolved, dated the posting. */
async function onApproved(tx: Db, adjustmentId: string, disputeId: string, on: string): Promise<void> {
  const { rows } = await tx.query<{ account_id: string; document_id: string; state: string }>(
    `update disputes set state = 'resolved_adjusted', closed_on = $3, resolution = 'adjusted by ' || $2,
       updated_at = now()
     where dispute_id = $1 and adjustment_id = $2 and state in ('open', 'in_review')
     returning account_id, document_id`,
    [disputeId, adjustmentId, on],
  );
  const d = rows[0];
  if (!d) return; // an adjustment that names the dispute without having been proposed from it
  await recordAuditMany(tx, [
    {
      entityType: 'dispute',
      entityId: disputeId,
      accountId: d.account_id,
      action: 'resolved',
      before: { state: 'in_review' },
      after: { state: 'resolved_adjusted', adjustment_id: adjustmentId, closed_on: on },
    },
    {
      entityType: 'ar_document',
      entityId: d.document_id,
      accountId: d.account_id,
      action: 'dispute_resolved',
      after: {
        dispute_id: disputeId,
        adjustment_id: adjustmentId,
        text: `Dispute ${disputeId} resolved by ${adjustmentId}`,
      },
    },
  ]);
}

/** The adjustment was refused: the dispute is back in review, to be settled another way. */
async function onRefused(tx: Db, adjustmentId: string, disputeId: string): Promise<void> {
  const { rows } = await tx.query<{ account_id: string }>(
    `update disputes set state = 'in_review', adjustment_id = null, updated_at = now()
     where dispute_id = $1 and adjustment_id = $2 and state = 'in_review'
     returning account_id`,
    [disputeId, adjustmentId],
  );
  const d = rows[0];
  if (!d) return;
  const found = await findApprovalRequest(tx, 'adjustment', adjustmentId);
  const refusal = found?.decisions.find((x) => x.decision === 'refuse');
  await recordAudit(tx, {
    entityType: 'dispute',
    entityId: disputeId,
    accountId: d.account_id,
    action: 'adjustment_refused',
    before: { adjustment_id: adjustmentId },
    after: {
      adjustment_id: adjustmentId,
      refused_by: refusal?.user_name ?? tx.actor.name,
      comment: refusal?.comment ?? null,
    },
  });
}

/** Registered with the adjustments module for source_type 'dispute' (index.ts). */
export const disputeAdjustmentHook: AdjustmentSourceHook = {
  onApproved: (tx, d) => onApproved(tx, d.adjustmentId, d.sourceId, d.on!),
  onRefused: (tx, d) => onRefused(tx, d.adjustmentId, d.sourceId),
};
