/**
 * Reversal of a payment batch the bank rejected (or a credit memo batch posted in error): an approver or
 * manager reverses it with a reason. Its payments become reversed (the unique index then lets a later run pay
 * the claims again), its claims return to their decision (approved or partially approved) with their SLA
 * clock running again, and each credit memo it posted is reversed in receivables by a reversing entry — a
 * debit memo of the same amount with the credit memo's open amount applied to it — never by an edit.
 * Everything is audited. Reversing a reversed batch changes nothing and says so.
 */
import { today } from '../../core/dates.ts';
import { AppError, invalid } from '../../core/errors.ts';
import type { Db } from '../../db/db.ts';
import { requireRole } from '../identity/index.ts';

export const reversers = ['approver', 'manager', 'administrator'] as const;

export interface ReversalInput {
  reason: string;
}

export interface ReversedBatch {
  batch_id: string;
  status: 'reversed';
  /** False when the batch had been reversed before: nothing changed. */
  reversed_now: boolean;
  reversed_on: string | null;
  reason: string | null;
  claim_ids: string[];
  /** The debit memos that reverse the batch's credit memos. */
  reversal_documents: string[];
}

/** The debit memo that reverses a credit memo. */
export const reversalDocumentId = (creditMemoId: string) => `RV-${creditMemoId}`;

export async function reverseBatch(db: Db, batchId: string, input: ReversalInput): Promise<ReversedBatch> {
  requireRole(db.actor, reversers);
  const reason = (input.reason ?? '').trim();
  if (reason.length === 0)
    throw invalid('reason', 'say why the batch is reversed (for example the bank’s return reason)');
  if (reason.length > 500) throw invalid('reason', 'at most 500 characters');

  return db.tx(async (tx) => {
    const { rows } = await tx.query<{
      status: string;
      as_of: string;
      reversed_on: string | null;
      reversal_reason: string | null;
    }>(
      `select status, as_of, reversal_reason,
         (select max(s.reversed_on) from settlement_payments s where s.batch_id = b.batch_id) as reversed_on
       from payment_batches b where batch_id = $1 for update`,
      [batchId],
    );
    const batch = rows[0];
    if (!batch) throw new AppError('not_found', `The payment batch ${batchId} does not exist.`);
    const { rows: members } = await tx.query<{ claim_id: string; reversal_document_id: string | null }>(
      'select claim_id, reversal_document_id from settlement_payments where batch_id = $1 order by claim_id',
      [batchId],
    );
    if (batch.status === 'reversed') {
      return {
        batch_id: batchId,
        status: 'reversed',
        reversed_now: false,
        reversed_on: batch.reversed_on,
        reason: batch.reversal_reason,
        claim_ids: members.map((m) => m.claim_id),
        reversal_documents: members.flatMap((m) => (m.reversal_document_id ? [m.reversal_document_id] : [])),
      };
    }
    // Never dated before the payments it reverses.
    const reversedOn = today() > batch.as_of ? today() : batch.as_of;
    const before = batch.status;

    await tx.query(
      `update payment_batches set status = 'reversed', reversed_by = $2, reversed_at = now(),
         reversal_reason = $3 where batch_id = $1`,
      [batchId, tx.actor.name, reason],
    );
    const { rows: payments } = await tx.query<{
      account_id: string;
      claim_id: string;
      method: string;
      amount: string;
      document_id: string | null;
      reversal_document_id: string | null;
      restore: string;
    }>(
      // A credit memo is reversed by a debit memo only if it was posted (paid): one of a batch held for
      // release and never released never reached receivables.
      `update settlement_payments s set status = 'reversed', reversed_at = now(), reversed_on = $2,
         reversal_document_id = case when s.method = 'credit_memo' and s.document_id is not null
           and s.status = 'paid' then 'RV-' || s.document_id end
       where s.batch_id = $1 and s.status <> 'reversed'
       returning s.account_id, s.claim_id, s.method, s.amount::text, s.document_id, s.reversal_document_id,
         coalesce(s.claim_status, 'approved') as restore`,
      [batchId, reversedOn],
    );

    // Credit memos: a debit memo of the same amount, and the credit memo's open amount applied to it, so both
    // close; what the partner already used of the credit stays owed on the debit memo.
    const memos = payments.filter((p) => p.reversal_document_id && p.document_id);
    if (memos.length > 0) {
      const { rows: docs } = await tx.query<{ account_id: string; document_id: string; reference: string }>(
        `insert into ar_documents (account_id, document_id, type, document_date, due_date, currency, amount,
           reference)
         select d.account_id, 'RV-' || d.document_id, 'debit_memo', $2, $2, d.currency, d.amount, d.reference
         from ar_documents d where d.document_id = any($1) and d.type = 'credit_memo'
         on conflict do nothing
         returning account_id, document_id, reference`,
        [memos.map((m) => m.document_id), reversedOn],
      );
      await tx.query(
        `insert into ar_applications (account_id, payment_id, document_id, applied_date, amount)
         select d.account_id, d.document_id, 'RV-' || d.document_id, $2, open.amount
         from ar_documents d
         cross join lateral (
           select d.amount - coalesce((select sum(a.amount) from ar_applications a
                                       where a.payment_id = d.document_id), 0) as amount
         ) open
         where d.document_id = any($1) and d.type = 'credit_memo' and open.amount > 0`,
        [memos.map((m) => m.document_id), reversedOn],
      );
      await tx.query(
        `insert into audit_events (account_id, entity_type, entity_id, action, actor_id, actor_name, before, after)
         select r.account_id, 'ar_document', r.document_id, 'created', $2, $3, null,
           jsonb_build_object('type', 'debit_memo', 'reverses', substr(r.document_id, 4), 'batch_id', $4::text,
             'claim_id', r.reference, 'document_date', $5::text, 'reason', $6::text)
         from jsonb_to_recordset($1::jsonb) as r(account_id text, document_id text, reference text)`,
        [JSON.stringify(docs), tx.actor.userId, tx.actor.name, batchId, reversedOn, reason],
      );
    }

    // The claims return to their decision and can be paid again.
    const { rows: claims } = await tx.query<{
      account_id: string;
      claim_id: string;
      before: string;
      status: string;
    }>(
      `with r as (
         select * from jsonb_to_recordset($1::jsonb) as r(account_id text, claim_id text, restore text)
       ), old as (
         select c.account_id, c.claim_id, c.status as before from claims c
         join r on r.account_id = c.account_id and r.claim_id = c.claim_id
         where c.status in ('in_payment', 'paid')
       )
       update claims c set status = r.restore, paid_on = null, updated_at = now(),
         paid_by = null
       from r join old o on o.account_id = r.account_id and o.claim_id = r.claim_id
       where c.account_id = r.account_id and c.claim_id = r.claim_id
       returning c.account_id, c.claim_id, o.before, c.status`,
      [JSON.stringify(payments)],
    );
    // The claims' guard rows: what the batch paid is no longer paid (a deduction may settle it, or a run).
    await tx.query(
      `update claim_settlements cs set paid_amount = 0, updated_at = now()
       from jsonb_to_recordset($1::jsonb) as r(account_id text, claim_id text)
       where cs.account_id = r.account_id and cs.claim_id = r.claim_id`,
      [JSON.stringify(payments)],
    );
    await tx.query(
      `insert into audit_events (account_id, entity_type, entity_id, action, actor_id, actor_name, before, after)
       values ('', 'payment_batch', $4, 'reversed', $1, $2, jsonb_build_object('status', $5::text),
         jsonb_build_object('status', 'reversed', 'reason', $6::text, 'reversed_on', $7::text))
       union all
       select r.account_id, 'claim', r.claim_id, 'payment_reversed', $1, $2,
         jsonb_build_object('status', r.before, 'batch_id', $4::text),
         jsonb_build_object('status', r.status, 'reason', $6::text, 'reversed_on', $7::text)
       from jsonb_to_recordset($3::jsonb) as r(account_id text, claim_id text, before text, status text)`,
      [tx.actor.userId, tx.actor.name, JSON.stringify(claims), batchId, before, reason, reversedOn],
    );
    return {
      batch_id: batchId,
      status: 'reversed',
      reversed_now: true,
      reversed_on: reversedOn,
      reason,
      claim_ids: payments.map((p) => p.claim_id).sort(),
      reversal_documents: memos.map((m) => reversalDocumentId(m.document_id!)).sort(),
    };
  });
}
