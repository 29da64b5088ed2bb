/**
 * An approver releases a batch held for its amount, with a comment (kept with the batch and in the audit
 * trail): its files are then final for the bank, its payments are paid and its claims move in_payment → paid,
 * the payment date (the release date, never before the batch's own date, on a business day of the company's
 * calendar) closing each claim's SLA clock. A credit memo batch's credit memos reach receivables now. Whoever
 * made the batch (ran the settlement or submitted its proposal) cannot release it: a second person decides.
 * After the commit the batch's files are written to its run's folder, if it has one.
 */
import { today } from '../../core/dates.ts';
import { AppError, invalid } from '../../core/errors.ts';
import type { Db } from '../../db/db.ts';
import { requireRole } from '../identity/index.ts';
import { exportBatches } from './export.ts';
import { nextPaymentDate } from './payment-date.ts';
import { postCreditMemos } from './settlement.ts';

export const releasers = ['approver', 'manager', 'administrator'] as const;

export interface ReleaseInput {
  /** Why it may go: what the approver checked. Required. */
  comment: string;
}

export interface ReleasedBatch {
  batch_id: string;
  status: string;
  paid_on: string;
  comment: string;
  claim_ids: string[];
  /** The files written to the run's folder now (none for a batch without a folder). */
  files: string[];
  /** Why the files could not be written to the run's folder (they stay downloadable from the batch page). */
  export_error?: string;
}

export async function releaseBatch(db: Db, batchId: string, input: ReleaseInput): Promise<ReleasedBatch> {
  requireRole(db.actor, releasers);
  const comment = (input?.comment ?? '').trim();
  if (comment.length === 0) throw invalid('comment', 'say why the batch may be paid (what you checked)');
  if (comment.length > 500) throw invalid('comment', 'at most 500 characters');
  const released = await db.tx(async (tx) => {
    const { rows: found } = await tx.query<{
      status: string;
      as_of: string;
      created_by_user_id: string | null;
    }>('select status, as_of, created_by_user_id from payment_batches where batch_id = $1 for update', [
      batchId,
    ]);
    const batch = found[0];
    if (!batch) throw new AppError('not_found', `The payment batch ${batchId} does not exist.`);
    if (batch.status !== 'draft')
      throw new AppError(
        'conflict',
        `Payment batch ${batchId} is ${batch.status}; only drafts are released.`,
      );
    if (tx.actor.userId && batch.created_by_user_id === tx.actor.userId)
      throw new AppError(
        'forbidden',
        `You made payment batch ${batchId}; another approver, manager or administrator releases it.`,
      );
    const paidOn = nextPaymentDate(today() > batch.as_of ? today() : batch.as_of);
    const { rows } = await tx.query<{ batch_id: string; status: string; method: string }>(
      `update payment_batches set status = 'released', released_by = $2, released_at = now(),
         release_comment = $3
       where batch_id = $1 and status = 'draft'
       returning batch_id, status, method`,
      [batchId, tx.actor.name, comment],
    );
    const row = rows[0]!;
    const { rows: claims } = await tx.query<{ account_id: string; claim_id: string; before: string }>(
      `with paid as (
         update settlement_payments set status = 'paid', paid_on = $2
         where batch_id = $1 and status = 'created'
         returning account_id, claim_id
       )
       update claims c set status = 'paid', paid_on = $2, updated_at = now()
       from paid p where p.account_id = c.account_id and p.claim_id = c.claim_id and c.status = 'in_payment'
       returning c.account_id, c.claim_id, 'in_payment' as before`,
      [batchId, paidOn],
    );
    if (row.method === 'credit_memo') await postCreditMemos(tx, [batchId]);
    await tx.query(
      `insert into audit_events (account_id, entity_type, entity_id, action, actor_id, actor_name, before, after)
       values ('', 'payment_batch', $1, 'released', $2, $3, '{"status":"draft"}'::jsonb,
         jsonb_build_object('status', 'released', 'paid_on', $4::text, 'comment', $6::text))
       union all
       select r.account_id, 'claim', r.claim_id, 'paid', $2, $3, jsonb_build_object('status', r.before),
         jsonb_build_object('status', 'paid', 'paid_on', $4::text, 'batch_id', $1::text)
       from jsonb_to_recordset($5::jsonb) as r(account_id text, claim_id text, before text)`,
      [batchId, tx.actor.userId, tx.actor.name, paidOn, JSON.stringify(claims), comment],
    );
    return {
      batch_id: row.batch_id,
      status: row.status,
      paid_on: paidOn,
      comment,
      claim_ids: claims.map((c) => c.claim_id).sort(),
    };
  });
  // The bank files reach the run's folder only now; a folder this machine cannot write is reported, and the
  // next run writes them.
  try {
    const [exported] = await exportBatches(db, [batchId]);
    return { ...released, files: exported?.files ?? [] };
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (!e.syscall) throw err;
    return { ...released, files: [], export_error: e.message };
  }
}
