/**
 * Settlement runs: every approved claim with an approved amount and no payment is paid by its program
 * version's payment method (credit memo by default), in one batch per method, currency and SLA priority.
 * Claims due soon or past their SLA on the run's date are paid first: they get batches of their own (numbered
 * first, so a large batch held for release never holds them up), lead every file and are flagged. The
 * payments are inserted in one statement guarded by the database's unique index on (account_id, claim_id),
 * so a re-run, a crash in the middle or two runs at once never pay a claim twice; only what this run
 * inserted gets files. Files are stored with the batches in the run's transaction and reach the run's folder
 * only after it commits (export.ts).
 *
 * A claim moves approved → in_payment while its batch waits for an approver's release, → paid when the batch
 * is final (credit memos), released at once (within the limit) or released later; the payment date closes
 * the claim's SLA clock (`claims.paid_on`). Every method obeys the release limit: a credit memo batch above
 * it waits like the others, and its credit memos reach receivables only when it is released.
 *
 * The payment date is a business day of the company's calendar (payment-date.ts). A run may be narrowed to
 * some claims (a submitted payment proposal's): the guards below stay what keeps a claim from being paid
 * twice, the filter only narrows what this run may pay.
 */
import path from 'node:path';
import { Decimal } from 'decimal.js';
import { isBusinessDate } from '../../core/dates.ts';
import { AppError } from '../../core/errors.ts';
import type { Db } from '../../db/db.ts';
import { isRoutingNumber } from '../accounts/index.ts';
import { slaOf } from '../claims/index.ts';
import { requireRole } from '../identity/index.ts';
import { withRenderer } from '../platform/index.ts';
import { renderAdviceFiles } from './advice.ts';
import { type ExportedBatch, exportBatches, exportPending, pausePoint } from './export.ts';
import { type BatchFile, type PaidClaim, renderBatchFiles, storeBatchFiles } from './files.ts';
import {
  type AchFormat,
  type AchOriginator,
  achFormats,
  achIdProblem,
  achReferenceProblem,
  NachaFieldError,
} from './nacha.ts';
import { paymentDate } from './payment-date.ts';

export const paymentMethods = ['credit_memo', 'ach', 'check', 'wire'] as const;
export type PaymentMethod = (typeof paymentMethods)[number];

export const settlers = ['approver', 'manager', 'rebate_analyst', 'administrator'] as const;

export interface SettlementOptions {
  /**
   * The folder the files are written to once the run commits (the CLI's --out); without one the files are
   * kept with the batches only and downloaded from the batch page (a proposal submitted on the web).
   */
  outDir?: string;
  /**
   * YYYY-MM-DD: the payment date (credit memo date, ACH effective date), a business day of the company's
   * calendar; default the next business day from today.
   */
  asOf?: string;
  /** Pay only these claims (a payment proposal's included claims); default every payable claim. */
  claims?: readonly { account_id: string; claim_id: string }[];
  /** Claim ids not to pay in this run, whichever partner's (the CLI's --exclude). */
  exclude?: readonly string[];
  /** The payment proposal this run submits, kept on its batches. */
  proposalId?: string;
  /** Defaults from the environment (CLEARHOUSE_ACH_*). */
  originator?: AchOriginator;
  /** CCD+ (one entry per claim) or CTX (one entry per partner); default CLEARHOUSE_ACH_FORMAT or ccd. */
  achFormat?: AchFormat;
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
  /** The batch pays claims due soon or past their SLA. */
  sla_priority: boolean;
  ach_format: AchFormat | null;
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
  /** Claims of this run that were due soon or past their SLA, in the order they were paid. */
  sla_priority_claims: string[];
  unpaid: UnpaidClaim[];
  /**
   * Batches committed by an earlier run that was stopped before it wrote their files (killed, machine
   * down): their files, written now into the folder of that run.
   */
  recovered: ExportedBatch[];
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

/** CLEARHOUSE_ACH_FORMAT: `ccd` (CCD+, the default) or `ctx`. */
export function achFormatFromEnv(env: NodeJS.ProcessEnv = process.env): AchFormat {
  const value = (env.CLEARHOUSE_ACH_FORMAT || 'ccd').toLowerCase();
  if (!(achFormats as readonly string[]).includes(value))
    throw new AppError(
      'bad_request',
      `CLEARHOUSE_ACH_FORMAT ${env.CLEARHOUSE_ACH_FORMAT} is not an ACH format: use ccd (CCD+) or ctx.`,
    );
  return value as AchFormat;
}

export function releaseLimitFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  const limit = env.CLEARHOUSE_SETTLEMENT_RELEASE_LIMIT || '100000.00';
  if (!/^\d+(\.\d{1,2})?$/.test(limit))
    throw new AppError('bad_request', `CLEARHOUSE_SETTLEMENT_RELEASE_LIMIT ${limit} is not an amount.`);
  return limit;
}

export interface Candidate {
  account_id: string;
  account_name: string;
  claim_id: string;
  currency: string;
  status: string;
  method: string;
  amount: string;
  /** The claim's approved amount (amount is what is left of it to pay). */
  approved: string;
  bank_routing_number: string | null;
  bank_account_number: string | null;
  submitted_date: string;
  urgent: boolean;
  country: string | null;
  sla_business_days: number | null;
  /** The payment methods the claim's policy allows (null: any). */
  allowed_methods: string[] | null;
}

export interface Ranked extends Candidate {
  sla_state: string;
  sla_due_date: string;
  business_days_left: number;
  sla_priority: boolean;
}

const maxAchAmount = new Decimal('99999999.99');

/** Why a claim cannot be paid by its method now, or null. */
export function blocker(c: Candidate): string | null {
  if (!(paymentMethods as readonly string[]).includes(c.method))
    return `unknown payment method ${c.method} on the claim's program`;
  if (c.allowed_methods && !c.allowed_methods.includes(c.method))
    return `the claim's policy allows payment by ${c.allowed_methods.join(', ')} only; its program pays by ${c.method}`;
  if ((c.method === 'check' || c.method === 'wire') && c.claim_id.includes(';'))
    return `claim id ${c.claim_id} holds ";", the separator of a ${c.method}'s claim references`;
  if (c.method !== 'ach') return null;
  const reference = achReferenceProblem(c.claim_id) ?? achIdProblem(c.account_id);
  if (reference) return `cannot be written into a NACHA file: ${reference}`;
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

/** Each claim's SLA on the payment date; due soon or breached is a priority. Most urgent first. */
export function rank(candidates: readonly Candidate[], asOf: string): Ranked[] {
  return candidates
    .map((c) => {
      const sla = slaOf({ ...c, stopped_on: null }, asOf);
      return {
        ...c,
        sla_state: sla.sla_state,
        sla_due_date: sla.due_date,
        business_days_left: sla.business_days_left ?? 0,
        sla_priority: sla.sla_state === 'due_soon' || sla.sla_state === 'breached',
      };
    })
    .sort(
      (a, b) =>
        Number(b.sla_priority) - Number(a.sla_priority) ||
        a.business_days_left - b.business_days_left ||
        a.submitted_date.localeCompare(b.submitted_date) ||
        a.claim_id.localeCompare(b.claim_id),
    );
}

/**
 * The approved claims with something left to pay (approved − what deductions settled) and no payment that is
 * not reversed, optionally only some: what a run would pay, blocked or not.
 */
export async function readCandidates(
  db: Db,
  claims?: readonly { account_id: string; claim_id: string }[],
): Promise<Candidate[]> {
  const { rows } = await db.query<Candidate>(
    `select c.account_id, a.name as account_name, c.claim_id, c.currency, c.status,
       coalesce(v.payment_method, 'credit_memo') as method,
       (sum(l.approved_amount) - coalesce(max(cs.deducted_amount), 0))::numeric(18, 2)::text as amount,
       sum(l.approved_amount)::text as approved,
       a.bank_routing_number, a.bank_account_number, c.submitted_date, c.urgent, a.country,
       coalesce(case when c.policy_country_date is not null or c.policy_account_date is not null
         then claim_policy_sla(c.account_id, a.country, c.policy_country_date, c.policy_account_date) end,
         v.sla_business_days) as sla_business_days,
       pol.payment_methods as allowed_methods
     from claims c
     join claim_lines l on l.account_id = c.account_id and l.claim_id = c.claim_id
     join accounts a on a.account_id = c.account_id
     left join claim_settlements cs on cs.account_id = c.account_id and cs.claim_id = c.claim_id
     left join lateral (
       select coalesce(ap.payment_methods, cp.payment_methods) as payment_methods
       from (select 1) one
       left join policies cp on cp.scope = 'country' and cp.scope_id = a.country
         and cp.effective_date = c.policy_country_date
       left join policies ap on ap.scope = 'account' and ap.scope_id = c.account_id
         and ap.effective_date = c.policy_account_date
       where c.policy_country_date is not null or c.policy_account_date is not null
     ) pol on true
     left join programs p on p.program_id = c.program_id
     left join program_versions v on v.program_id = c.program_id
       and v.version = coalesce(c.program_version, p.active_version)
     where c.status in ('approved', 'partially_approved')
       and ($1::jsonb is null or (c.account_id, c.claim_id) in (
         select f.account_id, f.claim_id from jsonb_to_recordset($1::jsonb) as f(account_id text, claim_id text)))
       and not exists (select 1 from settlement_payments s
         where s.account_id = c.account_id and s.claim_id = c.claim_id and s.status <> 'reversed')
     group by c.account_id, a.name, c.claim_id, c.currency, c.status, c.submitted_date, c.urgent,
       v.payment_method, v.sla_business_days, a.bank_routing_number, a.bank_account_number, a.country,
       c.policy_country_date, c.policy_account_date, pol.payment_methods
     having coalesce(sum(l.approved_amount), 0) - coalesce(max(cs.deducted_amount), 0) > 0
       and coalesce(max(cs.paid_amount), 0) = 0
     order by c.account_id, c.claim_id`,
    [claims ? JSON.stringify(claims.map((c) => ({ account_id: c.account_id, claim_id: c.claim_id }))) : null],
  );
  return rows;
}

const groupKey = (c: { method: string; currency: string; sla_priority: boolean }) =>
  `${c.method}|${c.currency}|${c.sla_priority ? 1 : 0}`;

export async function runSettlement(db: Db, opts: SettlementOptions): Promise<SettlementRun> {
  requireRole(db.actor, settlers);
  if (opts.asOf !== undefined && !isBusinessDate(opts.asOf))
    throw new AppError('bad_request', `--as-of ${opts.asOf} is not a date (YYYY-MM-DD).`);
  const asOf = paymentDate(opts.asOf, '--as-of');
  const originator = opts.originator ?? achOriginatorFromEnv();
  const achFormat = opts.achFormat ?? achFormatFromEnv();
  if (!achFormats.includes(achFormat))
    throw new AppError('bad_request', `ach format ${achFormat} is not one of ccd, ctx.`);
  const limit = opts.releaseLimit ?? releaseLimitFromEnv();

  if (db.client)
    throw new Error(
      'A settlement run commits its payments before it writes their files: run it outside a transaction.',
    );
  const outDir = opts.outDir ? path.resolve(opts.outDir) : undefined;

  // Batches an earlier run committed but was stopped before exporting: their files first.
  const recovered = await exportPending(db);
  // The payments and their files (kept with the batches) in one transaction; nothing is written to the
  // folder before it commits, so a run that fails or is killed leaves no payment file behind.
  const run = await paymentRun(db, { ...opts, outDir }, asOf, originator, achFormat, limit);
  // Then the files, from what was stored, for exactly the batches that exist.
  const exported = new Map(
    (
      await exportBatches(
        db,
        run.batches.map((b) => b.batch_id),
      )
    ).map((e) => [e.batch_id, e.files]),
  );
  return {
    ...run,
    batches: run.batches.map((b) => ({ ...b, files: exported.get(b.batch_id) ?? [] })),
    recovered,
  };
}

async function paymentRun(
  db: Db,
  opts: SettlementOptions,
  asOf: string,
  originator: AchOriginator,
  achFormat: AchFormat,
  limit: string,
): Promise<Omit<SettlementRun, 'recovered'>> {
  return db.tx(async (tx) => {
    // The payments first, in a function of their own: what it reads and builds (every candidate claim, in
    // several copies) is garbage by the time the advices are made, and not held while they are.
    const recorded = await recordPayments(tx, opts, asOf, achFormat, limit);
    if (!('paid' in recorded)) return recorded;
    return writeFiles(tx, recorded, asOf, originator);
  });
}

interface Recorded {
  paid: PaidClaim[];
  batches: Omit<BatchSummary, 'files' | 'claim_ids'>[];
  unpaid: UnpaidClaim[];
}

async function recordPayments(
  tx: Db,
  opts: SettlementOptions,
  asOf: string,
  achFormat: AchFormat,
  limit: string,
): Promise<Recorded | Omit<SettlementRun, 'recovered'>> {
  const skipped = new Set(opts.exclude ?? []);
  const candidates = (await readCandidates(tx, opts.claims)).filter((c) => !skipped.has(c.claim_id));

  const unpaid: UnpaidClaim[] = [];
  const open: Candidate[] = [];
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
    else open.push(c);
  }
  const nothing = { as_of: asOf, batches: [], paid_claims: 0, sla_priority_claims: [], unpaid };
  if (open.length === 0) return nothing;
  // The claims' guard rows: a deduction that settled (part of) a claim meanwhile leaves only the rest to
  // pay; one that settled all of it leaves nothing. Whoever comes second waits for the first and sees it.
  const { rows: guarded } = await tx.query<{ account_id: string; claim_id: string; amount: string }>(
    `insert into claim_settlements as cs (account_id, claim_id, approved_amount, paid_amount)
       select p.account_id, p.claim_id, p.approved::numeric, p.approved::numeric
       from jsonb_to_recordset($1::jsonb) as p(account_id text, claim_id text, approved text)
       order by p.account_id, p.claim_id
       on conflict (account_id, claim_id) do update
         set paid_amount = greatest(excluded.approved_amount, cs.deducted_amount) - cs.deducted_amount,
           approved_amount = greatest(excluded.approved_amount, cs.deducted_amount), updated_at = now()
         where cs.paid_amount = 0 and cs.deducted_amount < excluded.approved_amount
       returning cs.account_id, cs.claim_id, cs.paid_amount::numeric(18, 2)::text as amount`,
    [
      JSON.stringify(
        open.map((c) => ({ account_id: c.account_id, claim_id: c.claim_id, approved: c.approved })),
      ),
    ],
  );
  const toPay = new Map(guarded.map((g) => [`${g.account_id}\u0000${g.claim_id}`, g.amount]));
  const payable = rank(
    open
      .filter((c) => toPay.has(`${c.account_id}\u0000${c.claim_id}`))
      .map((c) => ({ ...c, amount: toPay.get(`${c.account_id}\u0000${c.claim_id}`)! })),
    asOf,
  );
  if (payable.length === 0) return nothing;

  // One batch per method, currency and priority; priority batches first.
  const groups = [...new Set(payable.map(groupKey))].sort(
    (a, b) => Number(b.endsWith('|1')) - Number(a.endsWith('|1')) || a.localeCompare(b),
  );
  const { rows: created } = await tx.query<{
    batch_id: string;
    method: string;
    currency: string;
    sla_priority: boolean;
  }>(
    `insert into payment_batches (batch_id, method, currency, status, as_of, created_by, sla_priority, ach_format,
         export_dir, created_by_user_id, proposal_id)
       select 'PB-' || lpad(nextval('payment_batch_seq')::text, 6, '0'), g.method, g.currency, 'draft', $2, $3,
         g.priority, case when g.method = 'ach' then $4 end, $5, $6, $7
       from jsonb_to_recordset($1::jsonb) as g(method text, currency text, priority boolean, n integer)
       order by g.n
       returning batch_id, method, currency, sla_priority`,
    [
      JSON.stringify(
        groups.map((g, n) => {
          const [method, currency, priority] = g.split('|');
          return { method, currency, priority: priority === '1', n };
        }),
      ),
      asOf,
      tx.actor.name,
      achFormat,
      opts.outDir ?? null,
      tx.actor.userId,
      opts.proposalId ?? null,
    ],
  );
  const batchOf = new Map(created.map((b) => [groupKey({ ...b }), b.batch_id]));
  const batchIds = created.map((b) => b.batch_id);

  // The guarded insert: a claim with a payment (this run's competitor's, too) is skipped.
  await tx.query(
    `insert into settlement_payments (account_id, claim_id, batch_id, method, currency, amount, status,
         document_id, as_of, claim_status, sla_priority, sla_state, sla_due_date, business_days_left)
       select p.account_id, p.claim_id, p.batch_id, p.method, p.currency, p.amount::numeric, 'created',
         case when p.method = 'credit_memo' then 'CM-' || p.batch_id || '-' || p.claim_id end, $2,
         p.claim_status, p.sla_priority, p.sla_state, p.sla_due_date::date, p.business_days_left
       from jsonb_to_recordset($1::jsonb) as p(account_id text, claim_id text, batch_id text, method text,
         currency text, amount text, claim_status text, sla_priority boolean, sla_state text, sla_due_date text,
         business_days_left integer)
       order by p.account_id, p.claim_id
       on conflict (account_id, claim_id) where status <> 'reversed' do nothing`,
    [
      JSON.stringify(
        payable.map((c) => ({
          account_id: c.account_id,
          claim_id: c.claim_id,
          batch_id: batchOf.get(groupKey(c)),
          method: c.method,
          currency: c.currency,
          amount: c.amount,
          claim_status: c.status,
          sla_priority: c.sla_priority,
          sla_state: c.sla_state,
          sla_due_date: c.sla_due_date,
          business_days_left: c.business_days_left,
        })),
      ),
      asOf,
    ],
  );

  // Every batch above the limit waits for a release, credit memos too; within it a credit memo batch is
  // final (posted to receivables now) and the others are released at once.
  const { rows: batches } = await tx.query<Omit<BatchSummary, 'files' | 'claim_ids'>>(
    `with t as (
         select batch_id, count(*)::int as n, sum(amount) as total from settlement_payments
         where batch_id = any($1) group by batch_id
       )
       update payment_batches b set payment_count = t.n, total_amount = t.total,
         release_required = t.total > $2::numeric,
         status = case when t.total > $2::numeric then 'draft'
                       when b.method = 'credit_memo' then 'final' else 'released' end
       from t where t.batch_id = b.batch_id
       returning b.batch_id, b.method, b.currency, b.status, b.payment_count, b.total_amount::text,
         b.release_required, b.sla_priority, b.ach_format`,
    [batchIds, limit],
  );
  // A competing run paid everything this batch was for: nothing to keep.
  await tx.query(
    `delete from payment_batches b where b.batch_id = any($1)
         and not exists (select 1 from settlement_payments s where s.batch_id = b.batch_id)`,
    [batchIds],
  );
  if (batches.length === 0) return nothing;
  const kept = batches.map((b) => b.batch_id);

  // Payments of batches that need no release are paid on the run's date.
  await tx.query(
    `update settlement_payments s set status = 'paid', paid_on = $2
       from payment_batches b
       where b.batch_id = s.batch_id and s.batch_id = any($1) and b.status in ('final', 'released')`,
    [kept, asOf],
  );
  // Credit memos of a final batch are posted to the partner's receivables account at once, as open credit
  // items; those of a batch held for release when it is released (release-batch.ts).
  await postCreditMemos(tx, kept);
  const { rows: changed } = await tx.query<{
    account_id: string;
    claim_id: string;
    status: string;
    before: string;
    batch_id: string;
    method: string;
    amount: string;
    document_id: string | null;
    paid_on: string | null;
    sla_priority: boolean;
    sla_state: string;
    sla_due_date: string;
  }>(
    `with paid as (
         select s.account_id, s.claim_id, s.batch_id, s.method, s.amount, s.document_id, s.paid_on, s.status,
           s.sla_priority, s.sla_state, s.sla_due_date, c.status as before
         from settlement_payments s join claims c on c.account_id = s.account_id and c.claim_id = s.claim_id
         where s.batch_id = any($1)
       )
       update claims c set status = case when p.status = 'paid' then 'paid' else 'in_payment' end,
         paid_on = p.paid_on, updated_at = now(),
         paid_by = case when exists (select 1 from deduction_claims d where d.account_id = c.account_id
           and d.claim_id = c.claim_id and d.reversed_at is null) then 'both' else 'settlement' end
       from paid p where p.account_id = c.account_id and p.claim_id = c.claim_id
       returning c.account_id, c.claim_id, c.status, p.before, p.batch_id, p.method, p.amount::text,
         p.document_id, p.paid_on, p.sla_priority, p.sla_state, p.sla_due_date`,
    [kept],
  );
  await tx.query(
    `insert into audit_events (account_id, entity_type, entity_id, action, actor_id, actor_name, before, after)
       select r.account_id, 'claim', r.claim_id, 'payment_created', $2, $3, jsonb_build_object('status', r.before),
         jsonb_build_object('status', r.status, 'batch_id', r.batch_id, 'method', r.method, 'amount', r.amount,
           'document_id', r.document_id, 'as_of', $4::text, 'paid_on', r.paid_on,
           'sla_priority', r.sla_priority, 'sla_state', r.sla_state, 'sla_due_date', r.sla_due_date)
       from jsonb_to_recordset($1::jsonb) as r(account_id text, claim_id text, status text, before text,
         batch_id text, method text, amount text, document_id text, paid_on text, sla_priority boolean,
         sla_state text, sla_due_date text)
       union all
       select '', 'payment_batch', b.batch_id, 'created', $2, $3, null, to_jsonb(b)
       from payment_batches b where b.batch_id = any($5)`,
    [JSON.stringify(changed), tx.actor.userId, tx.actor.name, asOf, kept],
  );

  // Files for what this run inserted, stored with the batches before the commit: no payment is recorded
  // without its file, and no file reaches the folder before the payments are recorded.
  const byClaim = new Map(payable.map((c) => [c.claim_id, c]));
  const order = new Map(payable.map((c, i) => [c.claim_id, i]));
  const paid: PaidClaim[] = changed
    .map((r) => {
      const c = byClaim.get(r.claim_id)!;
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
        sla_priority: c.sla_priority,
        sla_due_date: c.sla_due_date,
      };
    })
    .sort((a, b) => order.get(a.claim_id)! - order.get(b.claim_id)!);
  return { paid, batches, unpaid };
}

/**
 * The files of the run's batches, kept with them before the commit. The payments are let go of once the
 * batches' own files and summaries are made (`recorded.paid` is emptied): they are not needed by the
 * advices, which are read from the database a few partners at a time.
 */
async function writeFiles(
  tx: Db,
  recorded: Recorded,
  asOf: string,
  originator: AchOriginator,
): Promise<Omit<SettlementRun, 'recovered'>> {
  const { batches, unpaid } = recorded;
  const paid = recorded.paid;
  recorded.paid = [];
  batches.sort((a, b) => a.batch_id.localeCompare(b.batch_id));
  const made: { files: BatchFile[]; summary: BatchSummary }[] = [];
  for (const [i, b] of batches.entries()) {
    const payments = paid.filter((p) => p.batch_id === b.batch_id);
    try {
      made.push({
        files: await renderBatchFiles({ ...b, payments }, asOf, originator, i + 1),
        summary: { ...b, files: [], claim_ids: payments.map((p) => p.claim_id) },
      });
    } catch (err) {
      if (err instanceof NachaFieldError)
        throw new AppError('bad_request', `Batch ${b.batch_id}: ${err.message}. Nothing was paid.`);
      throw err;
    }
  }
  const paidClaims = paid.length;
  const slaPriorityClaims = paid.filter((p) => p.sla_priority).map((p) => p.claim_id);
  // An advice per partner and batch: rendered on every core when there are many (platform's withRenderer).
  const advices = new Set(paid.map((p) => `${p.batch_id}|${p.account_id}`)).size;
  paid.length = 0;
  await withRenderer(advices, async (renderer) => {
    for (const m of made) {
      const batchId = m.summary.batch_id;
      let batchFiles: BatchFile[] | undefined = m.files;
      m.files = [];
      async function* files() {
        yield* batchFiles!;
        batchFiles = undefined;
        // One payment advice (PDF and XLSX) per partner paid in the batch, stored as each is made.
        yield* renderAdviceFiles(tx, batchId, renderer);
      }
      await storeBatchFiles(tx, batchId, files());
    }
  });
  await pausePoint('before-commit');
  return {
    as_of: asOf,
    batches: made.map((m) => m.summary),
    paid_claims: paidClaims,
    sla_priority_claims: slaPriorityClaims,
    unpaid,
  };
}

/** Posts the credit memos of the batches' paid payments to receivables, dated their payment date; once. */
export async function postCreditMemos(tx: Db, batchIds: readonly string[]): Promise<void> {
  await tx.query(
    `insert into ar_documents (account_id, document_id, type, document_date, due_date, currency, amount,
       reference)
     select account_id, document_id, 'credit_memo', paid_on, paid_on, currency, amount, claim_id
     from settlement_payments
     where batch_id = any($1) and method = 'credit_memo' and status = 'paid' and document_id is not null
     on conflict do nothing`,
    [batchIds],
  );
}
