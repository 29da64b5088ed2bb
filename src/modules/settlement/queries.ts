/**
 * Reads for the settlement pages: the batches and one batch with its payments and files (the company's own
 * users), the payments and payment advices a partner received (row security keeps a partner to its own
 * organisation's), and a batch's stored files for download.
 */
import { AppError } from '../../core/errors.ts';
import { type Db, type PoolDb, systemActor } from '../../db/db.ts';
import { type GridColumn, type GridQueryInput, gridClauses } from '../../db/grid-query.ts';
import { keptRead, scopeKey } from '../../db/kept-answers.ts';
import { isPartner, requireInternal } from '../identity/index.ts';
import type { BatchSummary } from './settlement.ts';

export interface BatchPayment {
  account_id: string;
  partner_name: string | null;
  claim_id: string;
  method: string;
  currency: string;
  amount: string;
  status: string;
  document_id: string | null;
  reversal_document_id: string | null;
  as_of: string;
  paid_on: string | null;
  sla_priority: boolean;
  sla_state: string | null;
  sla_due_date: string | null;
}

export interface StoredFile {
  file_name: string;
  kind: string;
  account_id: string | null;
  media_type: string;
  size_bytes: number;
  sha256: string;
}

export interface BatchDetail extends Omit<BatchSummary, 'claim_ids'> {
  as_of: string;
  created_by: string | null;
  created_at: string;
  released_by: string | null;
  released_at: string | null;
  reversed_by: string | null;
  reversed_at: string | null;
  reversal_reason: string | null;
  /** The approver's comment when releasing it. */
  release_comment: string | null;
  /** The payment proposal whose submit made it, if any. */
  proposal_id: string | null;
  payments: BatchPayment[];
  /** What the run wrote, kept with the batch: NACHA, CSVs, PDFs and the partners' advices. */
  stored_files: StoredFile[];
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
  paid_on: string | null;
  sla_priority: boolean;
}

/** One partner's advice in one batch: what it covers, for the portal's list and the desk. */
export interface AdviceSummary {
  batch_id: string;
  account_id: string;
  partner_name: string | null;
  method: string;
  currency: string;
  payment_date: string;
  claim_count: number;
  amount: string;
  /** paid, awaiting_release or reversed */
  status: string;
}

export async function listBatches(db: Db): Promise<BatchSummary[]> {
  const { rows } = await db.query<BatchSummary>(
    `select b.batch_id, b.method, b.currency, b.status, b.payment_count, b.total_amount::text as total_amount,
       b.release_required, b.sla_priority, b.ach_format,
       array(select regexp_replace(f, '^.*[/\\\\]', '') from unnest(b.files) f) as files,
       coalesce((select array_agg(s.claim_id order by s.claim_id) from settlement_payments s
                 where s.batch_id = b.batch_id), '{}') as claim_ids
     from payment_batches b order by b.batch_id`,
  );
  return rows;
}

export async function getBatch(db: Db, batchId: string): Promise<BatchDetail> {
  requireInternal(db.actor);
  const { rows } = await db.query<Omit<BatchDetail, 'payments' | 'stored_files'>>(
    `select batch_id, method, currency, status, as_of, payment_count, total_amount::text as total_amount,
       release_required, sla_priority, ach_format,
       array(select regexp_replace(f, '^.*[/\\\\]', '') from unnest(files) f) as files, created_by, created_at, released_by, released_at,
       reversed_by, reversed_at, reversal_reason, release_comment, proposal_id
     from payment_batches where batch_id = $1`,
    [batchId],
  );
  const batch = rows[0];
  if (!batch) throw new AppError('not_found', `The payment batch ${batchId} does not exist.`);
  const { rows: payments } = await db.query<BatchPayment>(
    `select s.account_id, a.name as partner_name, s.claim_id, s.method, s.currency, s.amount::text as amount,
       s.status, s.document_id, s.reversal_document_id, s.as_of, s.paid_on, s.sla_priority, s.sla_state,
       s.sla_due_date
     from settlement_payments s left join accounts a on a.account_id = s.account_id
     where s.batch_id = $1 order by s.sla_priority desc, s.account_id, s.claim_id`,
    [batchId],
  );
  return { ...batch, payments, stored_files: await listBatchFiles(db, batchId) };
}

export async function listBatchFiles(db: Db, batchId: string): Promise<StoredFile[]> {
  const { rows } = await db.query<StoredFile>(
    `select file_name, kind, account_id, media_type, size_bytes, sha256 from payment_batch_files
     where batch_id = $1 order by kind = 'advice', file_name`,
    [batchId],
  );
  return rows;
}

/**
 * One stored file of a batch, for the company's own users, once the batch may be paid: the files of a batch
 * held for release (bank files and advices alike) answer 409 until an approver releases it.
 */
export async function getBatchFile(
  db: Db,
  batchId: string,
  fileName: string,
): Promise<{ fileName: string; mediaType: string; content: Buffer }> {
  requireInternal(db.actor);
  const { rows } = await db.query<{ file_name: string; media_type: string; content: Buffer }>(
    'select file_name, media_type, content from payment_batch_files where batch_id = $1 and file_name = $2',
    [batchId, fileName],
  );
  const file = rows[0];
  if (!file) throw new AppError('not_found', `Payment batch ${batchId} has no file ${fileName}.`);
  await requireReleased(db, batchId);
  return { fileName: file.file_name, mediaType: file.media_type, content: file.content };
}

/** A page of payments: `total` counts every payment the filter matches, not only the page's. */
export interface PaymentPage {
  items: PartnerPayment[];
  total: number;
}

/**
 * The columns a grid may sort (`order`) and filter (`filters`) the payments by (`s` the payment, `a` its
 * partner, `b` its batch); the list's own order (newest first) breaks ties. The batch status is the
 * company's: a partner may neither sort nor filter by it.
 */
export const paymentGridColumns: Readonly<Record<string, GridColumn>> = {
  date: { sort: 'coalesce(s.paid_on, s.as_of)' },
  as_of: { sort: 's.as_of' },
  paid_on: { sort: 's.paid_on' },
  claim_id: { sort: 's.claim_id' },
  account_id: { sort: 's.account_id' },
  partner: { sort: 'coalesce(a.name, s.account_id)' },
  batch_id: { sort: 's.batch_id' },
  method: { sort: 's.method' },
  amount: { sort: 's.amount', filter: null },
  currency: { sort: 's.currency' },
  status: { sort: 's.status' },
  document_id: { sort: 's.document_id' },
  batch_status: { sort: 'b.status' },
};

const paymentOrder = 's.as_of desc, s.batch_id desc, s.account_id, s.claim_id';

export interface PaymentQuery extends GridQueryInput {
  account_id?: string | undefined;
  limit?: number | undefined;
  offset?: number | undefined;
}

/**
 * Payments, newest first, a page at a time (200 by default): a partner's own (row security), or every
 * partner's for the company's users, optionally one account's. The page is chosen and counted on the
 * payments alone (indexes in the order of the list, account first for one account); only its rows meet the
 * partners' names. Batches are visible to the company only, so a batch's status is read for the batch ids of
 * the page, and nothing else of the batch.
 */
export async function listPayments(db: PoolDb, filter: PaymentQuery = {}): Promise<PaymentPage> {
  // A server keeps the page it read and gives it again while no payment or batch has changed.
  return keptRead(db, 'settlement_changes', [scopeKey(db.actor), 'payments', filter], (tx) =>
    readPayments(tx, db, filter),
  );
}

async function readPayments(tx: Db, pool: PoolDb, filter: PaymentQuery): Promise<PaymentPage> {
  const db = tx;
  const params: unknown[] = [filter.account_id ?? null, filter.limit ?? 200, filter.offset ?? 0];
  // The company's users see the batches: their status comes in the same statement.
  const partner = isPartner(db.actor.roles);
  // A grid's own sort and column filters, over every payment; the partner's name and the batch are joined
  // to choose the page only when a column reads them.
  const { batch_status: _company, ...partnerColumns } = paymentGridColumns;
  const grid = gridClauses(
    'payments list',
    filter,
    partner ? partnerColumns : paymentGridColumns,
    paymentOrder,
    (value) => {
      params.push(value);
      return `$${params.length}`;
    },
  );
  const order = grid.order ?? paymentOrder;
  const reads = [order, ...grid.where].join(' ');
  const matching = `from settlement_payments s
    ${/\ba\./.test(reads) ? 'left join accounts a on a.account_id = s.account_id' : ''}
    ${/\bb\./.test(reads) ? 'left join payment_batches b on b.batch_id = s.batch_id' : ''}
    where ($1::text is null or s.account_id = $1) ${grid.where.map((w) => `and ${w}`).join(' ')}`;
  // The count's own aliases (s, a, b) hide the page's within it.
  const { rows } = await db.query<PartnerPayment & { total_count: number | null }>(
    `with page as (
       select s.account_id, s.claim_id, s.batch_id ${matching}
       order by ${order}
       limit $2 offset $3
     )
     select s.account_id, a.name as partner_name, s.claim_id, s.batch_id, s.method, s.currency,
       s.amount::text as amount, s.status, s.document_id, s.as_of, s.paid_on, s.sla_priority,
       (select count(*)::int ${matching}) as total_count,
       ${partner ? 'null::text' : 'b.status'} as batch_status
     from page
     join settlement_payments s
       on s.account_id = page.account_id and s.claim_id = page.claim_id and s.batch_id = page.batch_id
     left join accounts a on a.account_id = s.account_id
     ${partner ? '' : 'left join payment_batches b on b.batch_id = s.batch_id'}
     order by ${order}`,
    params,
  );
  let total = rows[0]?.total_count ?? 0;
  if (rows.length === 0 && (filter.offset ?? 0) > 0) {
    // Past the last page: count what there is (the page's limit and offset are typed, not used).
    const counted = await db.query<{ n: number }>(
      `select count(*)::int as n, $2::bigint as page_limit, $3::bigint as page_offset ${matching}`,
      params,
    );
    total = counted.rows[0]?.n ?? 0;
  }
  const items = rows.map(({ total_count: _n, ...r }) => r);
  if (partner) {
    // A partner may not read batches: their status is read for the batch ids of the page, and nothing else.
    const batchIds = [...new Set(rows.map((r) => r.batch_id))];
    const { rows: batches } = batchIds.length
      ? await pool
          .as(systemActor('settlement-payments'))
          .query<{ batch_id: string; status: string }>(
            'select batch_id, status from payment_batches where batch_id = any($1)',
            [batchIds],
          )
      : { rows: [] };
    const statusOf = new Map(batches.map((b) => [b.batch_id, b.status]));
    for (const item of items) item.batch_status = statusOf.get(item.batch_id) ?? null;
  }
  return { items, total };
}

/**
 * The payment advices the caller may have, newest first: one per partner and batch. Row security keeps a
 * partner to its own organisation's payments, so another's advice is not listed (and not served).
 */
export async function listAdvices(db: Db, filter: { account_id?: string }): Promise<AdviceSummary[]> {
  const { rows } = await db.query<AdviceSummary>(
    `select s.batch_id, s.account_id, a.name as partner_name, s.method, s.currency,
       coalesce(max(s.paid_on), max(s.as_of)) as payment_date, count(*)::int as claim_count,
       sum(s.amount)::text as amount,
       case when bool_and(s.status = 'reversed') then 'reversed'
            when bool_or(s.status = 'created') then 'awaiting_release' else 'paid' end as status
     from settlement_payments s left join accounts a on a.account_id = s.account_id
     where ($1::text is null or s.account_id = $1)
     group by s.batch_id, s.account_id, a.name, s.method, s.currency
     order by payment_date desc, s.batch_id desc, s.account_id`,
    [filter.account_id ?? null],
  );
  return rows;
}

/** The payment batches, for the company's own users only (a partner sees its payments, not batches). */
export async function listPaymentBatches(db: Db): Promise<BatchSummary[]> {
  requireInternal(db.actor);
  return listBatches(db);
}

/** Refuses the files of a batch held for release that was not released (waiting, or reversed before it). */
async function requireReleased(db: Db, batchId: string): Promise<void> {
  const { rows } = await db.query<{ status: string; released_at: string | null; release_required: boolean }>(
    'select status, released_at, release_required from payment_batches where batch_id = $1',
    [batchId],
  );
  const b = rows[0];
  if (b?.status === 'draft')
    throw new AppError(
      'conflict',
      `Payment batch ${batchId} waits for release: its files can be downloaded once an approver releases it.`,
    );
  if (b?.status === 'reversed' && b.release_required && !b.released_at)
    throw new AppError(
      'conflict',
      `Payment batch ${batchId} was reversed before it was released: nothing to pay.`,
    );
}
