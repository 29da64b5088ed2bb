/**
 * Settlement runs: every approved claim with an approved amount and no payment is paid by its program
 * version's payment method (credit memo by default), in one batch per method and currency. The payments are
 * inserted in one statement guarded by the database's unique index on (account_id, claim_id), so a re-run,
 * a crash in the middle or two runs at once never pay a claim twice; only what this run inserted gets files.
 */
import { Decimal } from 'decimal.js';
import { AppError } from '../../core/errors.ts';
import type { Db } from '../../db/db.ts';
import { isRoutingNumber } from '../accounts/index.ts';
import { requireRole } from '../identity/index.ts';
import { writeAdviceFiles } from './advice.ts';
import { type PaidClaim, writeBatchFile } from './files.ts';
import type { AchOriginator } from './nacha.ts';

export const paymentMethods = ['credit_memo', 'ach', 'check', 'wire'] as const;
export type PaymentMethod = (typeof paymentMethods)[number];

const settlers = ['approver', 'manager', 'rebate_analyst', 'administrator'] as const;
const releasers = ['approver', 'manager', 'administrator'] as const;

export interface SettlementOptions {
  outDir: string;
  /** YYYY-MM-DD: the payment date (credit memo date, ACH effective date); default today. */
  asOf?: string;
  /** Defaults from the environment (CLEARHOUSE_ACH_*). */
  originator?: AchOriginator;
  /** Batches above this total wait for a release; default CLEARHOUSE_SETTLEMENT_RELEASE_LIMIT or 100000.00. */
  releaseLimit?: string;
}

export interface BatchSummary {
  batch_id: string;
  method: PaymentMethod;
  currency: string;
  status: string;
  payment_count: number;
  total_amount: string;
  release_required: boolean;
  files: string[];
  claim_ids: string[];
}

export interface UnpaidClaim {
  account_id: string;
  claim_id: string;
  method: PaymentMethod;
  currency: string;
  amount: string;
  reason: string;
}

export interface SettlementRun {
  as_of: string;
  batches: BatchSummary[];
  paid_claims: number;
  unpaid: UnpaidClaim[];
}

/** The originator settings of ACH files, from the environment, with test defaults. */
export function achOriginatorFromEnv(env: NodeJS.ProcessEnv = process.env): AchOriginator {
  const destination = env.CLEARHOUSE_ACH_DESTINATION || '011000015';
  return {
    companyName: env.CLEARHOUSE_ACH_COMPANY_NAME || 'CLEARHOUSE',
    companyId: env.CLEARHOUSE_ACH_COMPANY_ID || '1234567890',
    immediateOrigin: env.CLEARHOUSE_ACH_ORIGIN || '1234567890',
    immediateDestination: destination,
    immediateDestinationName: env.CLEARHOUSE_ACH_DESTINATION_NAME || 'FEDERAL RESERVE BANK',
    odfi: env.CLEARHOUSE_ACH_ODFI || destination.slice(0, 8),
  };
}

export function releaseLimitFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  const limit = env.CLEARHOUSE_SETTLEMENT_RELEASE_LIMIT || '100000.00';
  if (!/^\d+(\.\d{1,2})?$/.test(limit))
    throw new AppError('bad_request', `CLEARHOUSE_SETTLEMENT_RELEASE_LIMIT ${limit} is not an amount.`);
  return limit;
}

interface Candidate {
  account_id: string;
  account_name: string;
  claim_id: string;
  currency: string;
  status: string;
  method: string;
  amount: string;
  bank_routing_number: string | null;
  bank_account_number: string | null;
}

const maxAchAmount = new Decimal('99999999.99');

/** Why a claim cannot be paid by its method now, or null. */
function blocker(c: Candidate): string | null {
  if (!(paymentMethods as readonly string[]).includes(c.method))
    return `unknown payment method ${c.method} on the claim's program`;
  if (c.method !== 'ach') return null;
  if (!c.bank_routing_number || !c.bank_account_number)
    return `partner ${c.account_id} has no bank details (bank_routing_number, bank_account_number) for ACH`;
  if (!isRoutingNumber(c.bank_routing_number))
    return `partner ${c.account_id} has an invalid routing number ${c.bank_routing_number} (check digit)`;
  if (!/^[0-9A-Za-z-]{1,17}$/.test(c.bank_account_number))
    return `partner ${c.account_id} has an invalid bank account number for ACH`;
  if (c.currency !== 'USD') return `ACH pays USD only; the claim is in ${c.currency}`;
  if (new Decimal(c.amount).greaterThan(maxAchAmount))
    return `the amount ${c.amount} is above the largest ACH entry (99999999.99)`;
  return null;
}

const today = (): string => new Date().toISOString().slice(0, 10);

export async function runSettlement(db: Db, opts: SettlementOptions): Promise<SettlementRun> {
  requireRole(db.actor, settlers);
  const asOf = opts.asOf ?? today();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf) || Number.isNaN(Date.parse(asOf)))
    throw new AppError('bad_request', `--as-of ${asOf} is not a date (YYYY-MM-DD).`);
  const originator = opts.originator ?? achOriginatorFromEnv();
  const limit = opts.releaseLimit ?? releaseLimitFromEnv();

  return db.tx(async (tx) => {
    const { rows: candidates } = await tx.query<Candidate>(
      `select c.account_id, a.name as account_name, c.claim_id, c.currency, c.status,
         coalesce(v.payment_method, 'credit_memo') as method,
         sum(l.approved_amount)::numeric(18, 2)::text as amount,
         a.bank_routing_number, a.bank_account_number
       from claims c
       join claim_lines l on l.account_id = c.account_id and l.claim_id = c.claim_id
       join accounts a on a.account_id = c.account_id
       left join programs p on p.program_id = c.program_id
       left join program_versions v on v.program_id = c.program_id
         and v.version = coalesce(c.program_version, p.active_version)
       where c.status in ('approved', 'partially_approved')
         and not exists (select 1 from settlement_payments s
           where s.account_id = c.account_id and s.claim_id = c.claim_id and s.status <> 'reversed')
       group by c.account_id, a.name, c.claim_id, c.currency, c.status, c.submitted_date, v.payment_method,
         a.bank_routing_number, a.bank_account_number
       having coalesce(sum(l.approved_amount), 0) > 0
       order by c.account_id, c.claim_id`,
    );

    const unpaid: UnpaidClaim[] = [];
    const payable: Candidate[] = [];
    for (const c of candidates) {
      const reason = blocker(c);
      if (reason)
        unpaid.push({
          account_id: c.account_id,
          claim_id: c.claim_id,
          method: c.method as PaymentMethod,
          currency: c.currency,
          amount: c.amount,
          reason,
        });
      else payable.push(c);
    }
    if (payable.length === 0) return { as_of: asOf, batches: [], paid_claims: 0, unpaid };

    // One batch per method and currency.
    const groups = [...new Set(payable.map((c) => `${c.method}|${c.currency}`))].sort();
    const { rows: created } = await tx.query<{ batch_id: string; method: string; currency: string }>(
      `insert into payment_batches (batch_id, method, currency, status, as_of, created_by)
       select 'PB-' || lpad(nextval('payment_batch_seq')::text, 6, '0'), g.method, g.currency, 'draft', $2, $3
       from jsonb_to_recordset($1::jsonb) as g(method text, currency text, n integer)
       order by g.n
       returning batch_id, method, currency`,
      [
        JSON.stringify(groups.map((g, n) => ({ method: g.split('|')[0], currency: g.split('|')[1], n }))),
        asOf,
        tx.actor.name,
      ],
    );
    const batchOf = new Map(created.map((b) => [`${b.method}|${b.currency}`, b.batch_id]));
    const batchIds = created.map((b) => b.batch_id);

    // The guarded insert: a claim with a payment (this run's competitor's, too) is skipped.
    const { rows: inserted } = await tx.query<{ account_id: string; claim_id: string }>(
      `insert into settlement_payments (account_id, claim_id, batch_id, method, currency, amount, status,
         document_id, as_of)
       select p.account_id, p.claim_id, p.batch_id, p.method, p.currency, p.amount::numeric,
         case when p.method = 'credit_memo' then 'paid' else 'created' end,
         case when p.method = 'credit_memo' then 'CM-' || p.batch_id || '-' || p.claim_id end, $2
       from jsonb_to_recordset($1::jsonb) as p(account_id text, claim_id text, batch_id text, method text,
         currency text, amount text)
       order by p.account_id, p.claim_id
       on conflict (account_id, claim_id) where status <> 'reversed' do nothing
       returning account_id, claim_id`,
      [
        JSON.stringify(
          payable.map((c) => ({
            account_id: c.account_id,
            claim_id: c.claim_id,
            batch_id: batchOf.get(`${c.method}|${c.currency}`),
            method: c.method,
            currency: c.currency,
            amount: c.amount,
          })),
        ),
        asOf,
      ],
    );

    const releaseRequired = (method: string, total: string) =>
      method !== 'credit_memo' && new Decimal(total).greaterThan(limit);
    const { rows: batches } = await tx.query<{
      batch_id: string;
      method: PaymentMethod;
      currency: string;
      status: string;
      payment_count: number;
      total_amount: string;
      release_required: boolean;
    }>(
      `with t as (
         select batch_id, count(*)::int as n, sum(amount) as total from settlement_payments
         where batch_id = any($1) group by batch_id
       )
       update payment_batches b set payment_count = t.n, total_amount = t.total,
         release_required = b.method <> 'credit_memo' and t.total > $2::numeric,
         status = case when b.method = 'credit_memo' then 'final'
                       when t.total > $2::numeric then 'draft' else 'released' end
       from t where t.batch_id = b.batch_id
       returning b.batch_id, b.method, b.currency, b.status, b.payment_count, b.total_amount::text,
         b.release_required`,
      [batchIds, limit],
    );
    // A competing run paid everything this batch was for: nothing to keep.
    await tx.query(
      `delete from payment_batches b where b.batch_id = any($1)
         and not exists (select 1 from settlement_payments s where s.batch_id = b.batch_id)`,
      [batchIds],
    );
    if (inserted.length === 0) return { as_of: asOf, batches: [], paid_claims: 0, unpaid };

    // Credit memos are posted to the partner's receivables account at once, as open credit items.
    await tx.query(
      `insert into ar_documents (account_id, document_id, type, document_date, due_date, currency, amount,
         reference)
       select account_id, document_id, 'credit_memo', as_of, as_of, currency, amount, claim_id
       from settlement_payments where batch_id = any($1) and method = 'credit_memo'`,
      [batchIds],
    );
    const { rows: changed } = await tx.query<{
      account_id: string;
      claim_id: string;
      status: string;
      before: string;
      batch_id: string;
      method: string;
      amount: string;
      document_id: string | null;
    }>(
      `with paid as (
         select s.account_id, s.claim_id, s.batch_id, s.method, s.amount, s.document_id, c.status as before
         from settlement_payments s join claims c on c.account_id = s.account_id and c.claim_id = s.claim_id
         where s.batch_id = any($1)
       )
       update claims c set status = case when p.method = 'credit_memo' then 'paid' else 'in_payment' end,
         updated_at = now()
       from paid p where p.account_id = c.account_id and p.claim_id = c.claim_id
       returning c.account_id, c.claim_id, c.status, p.before, p.batch_id, p.method, p.amount::text,
         p.document_id`,
      [batchIds],
    );
    await tx.query(
      `insert into audit_events (account_id, entity_type, entity_id, action, actor_id, actor_name, before, after)
       select r.account_id, 'claim', r.claim_id, 'payment_created', $2, $3, jsonb_build_object('status', r.before),
         jsonb_build_object('status', r.status, 'batch_id', r.batch_id, 'method', r.method, 'amount', r.amount,
           'document_id', r.document_id, 'as_of', $4::text)
       from jsonb_to_recordset($1::jsonb) as r(account_id text, claim_id text, status text, before text,
         batch_id text, method text, amount text, document_id text)
       union all
       select '', 'payment_batch', b.batch_id, 'created', $2, $3, null, to_jsonb(b)
       from payment_batches b where b.batch_id = any($5)`,
      [JSON.stringify(changed), tx.actor.userId, tx.actor.name, asOf, batchIds],
    );

    // Files for what this run inserted, written before the commit: no payment is recorded without its file.
    const byCandidate = new Map(payable.map((c) => [c.claim_id, c]));
    const paid: PaidClaim[] = changed.map((r) => {
      const c = byCandidate.get(r.claim_id)!;
      return {
        account_id: r.account_id,
        account_name: c.account_name,
        claim_id: r.claim_id,
        batch_id: r.batch_id,
        method: r.method,
        currency: c.currency,
        amount: r.amount,
        document_id: r.document_id,
        bank_routing_number: c.bank_routing_number,
        bank_account_number: c.bank_account_number,
      };
    });
    paid.sort((a, b) => a.account_id.localeCompare(b.account_id) || a.claim_id.localeCompare(b.claim_id));
    const summaries: BatchSummary[] = [];
    batches.sort((a, b) => a.batch_id.localeCompare(b.batch_id));
    for (const [i, b] of batches.entries()) {
      const payments = paid.filter((p) => p.batch_id === b.batch_id);
      const file = writeBatchFile(opts.outDir, { ...b, payments }, asOf, originator, i + 1);
      // One payment advice (PDF and XLSX) per partner paid in the batch.
      const batchFiles = [file, ...(await writeAdviceFiles(tx, opts.outDir, b.batch_id))];
      await tx.query('update payment_batches set files = $2 where batch_id = $1', [b.batch_id, batchFiles]);
      summaries.push({
        ...b,
        release_required: releaseRequired(b.method, b.total_amount),
        files: batchFiles,
        claim_ids: payments.map((p) => p.claim_id),
      });
    }
    return { as_of: asOf, batches: summaries, paid_claims: paid.length, unpaid };
  });
}

/** An approver releases a batch held for its amount; its files are then final for the bank. */
export async function releaseBatch(db: Db, batchId: string): Promise<{ batch_id: string; status: string }> {
  requireRole(db.actor, releasers);
  return db.tx(async (tx) => {
    const { rows } = await tx.query<{ batch_id: string; status: string; created_by: string | null }>(
      `update payment_batches set status = 'released', released_by = $2, released_at = now()
       where batch_id = $1 and status = 'draft' returning batch_id, status, created_by`,
      [batchId, tx.actor.name],
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
    await tx.query(
      `insert into audit_events (account_id, entity_type, entity_id, action, actor_id, actor_name, before, after)
       values ('', 'payment_batch', $1, 'released', $2, $3, '{"status":"draft"}', '{"status":"released"}')`,
      [batchId, tx.actor.userId, tx.actor.name],
    );
    return { batch_id: released.batch_id, status: released.status };
  });
}

export async function listBatches(db: Db): Promise<BatchSummary[]> {
  const { rows } = await db.query<BatchSummary>(
    `select b.batch_id, b.method, b.currency, b.status, b.payment_count, b.total_amount::text as total_amount,
       b.release_required, b.files,
       coalesce((select array_agg(s.claim_id order by s.claim_id) from settlement_payments s
                 where s.batch_id = b.batch_id), '{}') as claim_ids
     from payment_batches b order by b.batch_id`,
  );
  return rows;
}
