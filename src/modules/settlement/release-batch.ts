/**
 * An approver releases a batch held for its amount: its files are then final for the bank, its payments
 * are paid and its claims move in_payment → paid, the payment date (the release date, never before the
 * batch's own date) closing each claim's SLA clock. Audited for the batch and every claim.
 */
import { today } from '../../core/dates.ts';
import { AppError } from '../../core/errors.ts';
import type { Db } from '../../db/db.ts';
import { requireRole } from '../identity/index.ts';

export const releasers = ['approver', 'manager', 'administrator'] as const;

export interface ReleasedBatch {
  batch_id: string;
  status: string;
  paid_on: string;
  claim_ids: string[];
}

export async function releaseBatch(db: Db, batchId: string): Promise<ReleasedBatch> {
  requireRole(db.actor, releasers);
  return db.tx(async (tx) => {
    const { rows } = await tx.query<{ batch_id: string; status: string; paid_on: string }>(
      `update payment_batches set status = 'released', released_by = $2, released_at = now()
       where batch_id = $1 and status = 'draft'
       returning batch_id, status, greatest(as_of, $3::date) as paid_on`,
      [batchId, tx.actor.name, today()],
    );
    const released = rows[0];
    if (!released) {
      const { rows: found } = await tx.query<{ status: string }>(
        'select status from payment_batches where batch_id = $1',
        [batchId],
      );
      if (!found[0]) throw new AppError('not_found', `The payment batch ${batchId} does not exist.`);
      throw new AppError(
        'conflict',
        `Payment batch ${batchId} is ${found[0].status}; only drafts are released.`,
      );
    }
    const { rows: claims } = await tx.query<{ account_id: string; claim_id: string; before: string }>(
      `with paid as (
         update settlement_payments set status = 'paid', paid_on = $2
         where batch_id = $1 and status = 'created'
         returning account_id, claim_id
       )
       update claims c set status = 'paid', paid_on = $2, updated_at = now()
       from paid p where p.account_id = c.account_id and p.claim_id = c.claim_id and c.status = 'in_payment'
       returning c.account_id, c.claim_id, 'in_payment' as before`,
      [batchId, released.paid_on],
    );
    await tx.query(
      `insert into audit_events (account_id, entity_type, entity_id, action, actor_id, actor_name, before, after)
       values ('', 'payment_batch', $1, 'released', $2, $3, '{"status":"draft"}'::jsonb,
         jsonb_build_object('status', 'released', 'paid_on', $4::text))
       union all
       select r.account_id, 'claim', r.claim_id, 'paid', $2, $3, jsonb_build_object('status', r.before),
         jsonb_build_object('status', 'paid', 'paid_on', $4::text, 'batch_id', $1::text)
       from jsonb_to_recordset($5::jsonb) as r(account_id text, claim_id text, before text)`,
      [batchId, tx.actor.userId, tx.actor.name, released.paid_on, JSON.stringify(claims)],
    );
    return {
      batch_id: released.batch_id,
      status: released.status,
      paid_on: released.paid_on,
      claim_ids: claims.map((c) => c.claim_id).sort(),
    };
  });
}
