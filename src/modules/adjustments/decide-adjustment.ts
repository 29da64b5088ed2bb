/** Approving or refusing an adjustment: the approvals module decides, the adjustment posts or is closed. */

import { AppError } from '../../core/errors.ts';
import type { Db } from '../../db/db.ts';
import { type ApprovalSubject, decideApproval } from '../approvals/index.ts';
import { recordAuditMany } from '../platform/index.ts';
import { type AdjustmentDetail, getAdjustment } from './adjustment-queries.ts';
import { postAdjustment } from './post-adjustment.ts';
import { adjustmentSubject } from './request-adjustment.ts';
import { notifyAdjustmentSource } from './source-hooks.ts';

export const adjustmentApprovals: ApprovalSubject = {
  async beforeApprove(tx, request) {
    const { rows } = await tx.query<{ required: boolean; documents: number; reason_code: string }>(
      `select r.documents_required as required, r.reason_code,
         (select count(*)::int from document_links l where l.entity_type = 'adjustment'
            and l.entity_id = a.adjustment_id) as documents
       from adjustments a join adjustment_reasons r on r.reason_code = a.reason_code where a.adjustment_id = $1`,
      [request.subject_id],
    );
    const r = rows[0];
    if (r?.required && r.documents === 0)
      throw new AppError(
        'conflict',
        `The reason ${r.reason_code} requires supporting documents: attach them to ${request.subject_id} before it is approved.`,
      );
  },
  async onApproved(tx, request, on) {
    await postAdjustment(tx, request.subject_id, on);
    await notifyAdjustmentSource(tx, request.subject_id, { approved: true, on });
  },
  async onRefused(tx, request) {
    await tx.query(`update adjustments set status = 'refused' where adjustment_id = $1`, [
      request.subject_id,
    ]);
    const { rows } = await tx.query<{ account_id: string; document_id: string }>(
      'select account_id, document_id from adjustment_lines where adjustment_id = $1 order by line_no',
      [request.subject_id],
    );
    await recordAuditMany(
      tx,
      rows.map((l) => ({
        entityType: 'ar_document',
        entityId: l.document_id,
        accountId: l.account_id,
        action: 'adjustment_refused',
        after: { adjustment_id: request.subject_id },
      })),
    );
    await notifyAdjustmentSource(tx, request.subject_id, { approved: false });
  },
};

export async function approveAdjustment(
  db: Db,
  id: string,
  input: { comment?: string | undefined } = {},
): Promise<AdjustmentDetail> {
  return db.tx(async (tx) => {
    await decideApproval(tx, adjustmentSubject, id, { decision: 'approve', comment: input.comment });
    return getAdjustment(tx, id);
  });
}

export async function refuseAdjustment(
  db: Db,
  id: string,
  input: { comment?: string | undefined } = {},
): Promise<AdjustmentDetail> {
  return db.tx(async (tx) => {
    await decideApproval(tx, adjustmentSubject, id, { decision: 'refuse', comment: input.comment });
    return getAdjustment(tx, id);
  });
}
