/**
 * Reads for the settlement pages: one batch with its payments (the company's own users), and the payments a
 * partner received (row security keeps a partner to its own organisation's payments).
 */
import { AppError } from '../../core/errors.ts';
import { type Db, type PoolDb, systemActor } from '../../db/db.ts';
import { isPartner, requireInternal } from '../identity/index.ts';
import { type BatchSummary, listBatches } from './settlement.ts';

export interface BatchPayment {
  account_id: string;
  partner_name: string | null;
  claim_id: string;
  method: string;
  currency: string;
  amount: string;
  status: string;
  document_id: string | null;
  as_of: string;
}

export interface BatchDetail extends Omit<BatchSummary, 'claim_ids'> {
  as_of: string;
  created_by: string | null;
  created_at: string;
  released_by: string | null;
  released_at: string | null;
  payments: BatchPayment[];
}

export interface PartnerPayment {
  account_id: string;
  partner_name: string | null;
  claim_id: string;
  batch_id: string;
  method: string;
  currency: string;
  amount: string;
  status: string;
  batch_status: string | null;
  document_id: string | null;
  as_of: string;
}

export async function getBatch(db: Db, batchId: string): Promise<BatchDetail> {
  requireInternal(db.actor);
  const { rows } = await db.query<Omit<BatchDetail, 'payments'>>(
    `select batch_id, method, currency, status, as_of, payment_count, total_amount::text as total_amount,
       release_required, files, created_by, created_at, released_by, released_at
     from payment_batches where batch_id = $1`,
    [batchId],
  );
  const batch = rows[0];
  if (!batch) throw new AppError('not_found', `The payment batch ${batchId} does not exist.`);
  const { rows: payments } = await db.query<BatchPayment>(
    `select s.account_id, a.name as partner_name, s.claim_id, s.method, s.currency, s.amount::text as amount,
       s.status, s.document_id, s.as_of
     from settlement_payments s left join accounts a on a.account_id = s.account_id
     where s.batch_id = $1 order by s.account_id, s.claim_id`,
    [batchId],
  );
  return { ...batch, payments };
}

/**
 * Payments, newest first: a partner's own (row security), or every partner's for the company's users,
 * optionally one account's. Batches are visible to the company only, so a batch's status is read for the
 * batch ids of the payments the caller may already see, and nothing else of the batch.
 */
export async function listPayments(db: PoolDb, filter: { account_id?: string }): Promise<PartnerPayment[]> {
  const { rows } = await db.query<Omit<PartnerPayment, 'batch_status'>>(
    `select s.account_id, a.name as partner_name, s.claim_id, s.batch_id, s.method, s.currency,
       s.amount::text as amount, s.status, s.document_id, s.as_of
     from settlement_payments s left join accounts a on a.account_id = s.account_id
     where ($1::text is null or s.account_id = $1)
     order by s.as_of desc, s.batch_id desc, s.account_id, s.claim_id`,
    [filter.account_id ?? null],
  );
  const batchIds = [...new Set(rows.map((r) => r.batch_id))];
  const reader = isPartner(db.actor.roles) ? db.as(systemActor('settlement-payments')) : db;
  const { rows: batches } = batchIds.length
    ? await reader.query<{ batch_id: string; status: string }>(
        'select batch_id, status from payment_batches where batch_id = any($1)',
        [batchIds],
      )
    : { rows: [] };
  const statusOf = new Map(batches.map((b) => [b.batch_id, b.status]));
  return rows.map((r) => ({ ...r, batch_status: statusOf.get(r.batch_id) ?? null }));
}

/** The payment batches, for the company's own users only (a partner sees its payments, not batches). */
export async function listPaymentBatches(db: Db): Promise<BatchSummary[]> {
  requireInternal(db.actor);
  return listBatches(db);
}
