/**
 * A valid deduction settles the claims it covers: the claim is paid by deduction. The guard is the claim's
 * row in claim_settlements, which a settlement run upserts too: whichever comes second waits for the first,
 * sees what it did and takes only what is left (the run) or nothing (a deduction finds the claim paid and
 * its account is decided again). The row's check constraint refuses any settlement beyond the approved
 * amount, whatever the code above it does.
 */
import { AppError } from '../../core/errors.ts';
import type { Db } from '../../db/db.ts';
import { recordAuditMany } from '../platform/index.ts';

export interface Settlement {
  claim_id: string;
  /** What this deduction settles of the claim. */
  amount: string;
  /** The claim's approved amount. */
  approved: string;
  /** Nothing of the claim is left to pay after this settlement. */
  fully: boolean;
  /** The claim's payment date when it is settled in full. */
  paid_on: string;
}

/** A settlement run (or another deduction) took a claim between the read and the write. */
export class SettlementRace extends Error {
  constructor(claims: readonly string[]) {
    super(`claims ${claims.join(', ')} were paid or settled meanwhile`);
  }
}

export async function settleClaims(
  tx: Db,
  accountId: string,
  items: readonly (Settlement & { deduction_id: string; currency: string })[],
  asOf: string,
): Promise<void> {
  if (items.length === 0) return;
  const json = JSON.stringify(items);
  const { rows: won } = await tx.query<{ claim_id: string }>(
    `with s as (
       select x.claim_id, max(x.approved::numeric) as approved, sum(x.amount::numeric) as amount
       from jsonb_to_recordset($2::jsonb) as x(claim_id text, approved text, amount text)
       group by x.claim_id
     )
     insert into claim_settlements as c (account_id, claim_id, approved_amount, deducted_amount)
     select $1, s.claim_id, s.approved, s.amount from s order by s.claim_id
     on conflict (account_id, claim_id) do update
       set deducted_amount = c.deducted_amount + excluded.deducted_amount,
         approved_amount = excluded.approved_amount, updated_at = now()
       where c.paid_amount = 0 and c.deducted_amount + excluded.deducted_amount <= excluded.approved_amount
     returning c.claim_id`,
    [accountId, json],
  );
  const wanted = new Set(items.map((i) => i.claim_id));
  if (won.length !== wanted.size) {
    const got = new Set(won.map((r) => r.claim_id));
    throw new SettlementRace([...wanted].filter((c) => !got.has(c)));
  }

  // The rebate reaches the deduction item as a credit memo applied to it: the item closes by that much.
  await tx.query(
    `create temp table settle_rows on commit drop as
     select x.deduction_id, x.claim_id, x.amount::numeric as amount, x.currency, x.fully, x.paid_on::date,
       greatest($2::date, d.document_date) as booked_on, n.seq,
       'DS-' || x.deduction_id || '-' || x.claim_id || case when n.seq > 1 then '-' || n.seq else '' end
         as document_id
     from jsonb_to_recordset($1::jsonb) as x(deduction_id text, claim_id text, amount text, currency text,
       fully boolean, paid_on text)
     join ar_documents d on d.account_id = $3 and d.document_id = x.deduction_id
     cross join lateral (select count(*)::int + 1 as seq from deduction_claims p
       where p.account_id = $3 and p.deduction_id = x.deduction_id and p.claim_id = x.claim_id) n`,
    [json, asOf, accountId],
  );
  await tx.query(
    `insert into ar_documents (account_id, document_id, type, document_date, due_date, currency, amount, reference)
     select $1, s.document_id, 'credit_memo', s.booked_on, s.booked_on, s.currency, s.amount, s.claim_id
     from settle_rows s order by s.document_id`,
    [accountId],
  );
  await tx.query(
    `insert into ar_applications (account_id, payment_id, document_id, applied_date, amount)
     select $1, s.document_id, s.deduction_id, s.booked_on, s.amount from settle_rows s order by s.document_id`,
    [accountId],
  );
  await tx.query(
    `insert into deduction_claims (account_id, deduction_id, claim_id, seq, amount, settled_on, document_id)
     select $1, s.deduction_id, s.claim_id, s.seq, s.amount, s.booked_on, s.document_id from settle_rows s`,
    [accountId],
  );
  const { rows: claims } = await tx.query<{
    claim_id: string;
    before: string;
    status: string;
    deduction_id: string;
    amount: string;
    paid_on: string | null;
  }>(
    `with s as (
       select s.claim_id, bool_or(s.fully) as fully, max(s.paid_on) as paid_on,
         string_agg(s.deduction_id, ';' order by s.deduction_id) as deduction_id, sum(s.amount) as amount
       from settle_rows s group by s.claim_id
     ), b as (
       select c.claim_id, c.status as before from claims c join s on s.claim_id = c.claim_id
       where c.account_id = $1
     )
     update claims c set status = case when s.fully then 'paid' else c.status end,
       paid_on = case when s.fully then s.paid_on else c.paid_on end,
       paid_by = case when s.fully then 'deduction' else c.paid_by end, updated_at = now()
     from s, b
     where c.account_id = $1 and c.claim_id = s.claim_id and b.claim_id = s.claim_id
     returning c.claim_id, b.before, c.status, s.deduction_id, s.amount::text, c.paid_on::text`,
    [accountId],
  );
  await recordAuditMany(
    tx,
    claims.map((c) => ({
      entityType: 'claim',
      entityId: c.claim_id,
      accountId,
      action: c.status === 'paid' ? 'paid_by_deduction' : 'settled_in_part_by_deduction',
      before: { status: c.before },
      after: {
        status: c.status,
        deduction_id: c.deduction_id,
        amount: c.amount,
        paid_on: c.paid_on,
        method: 'deduction',
      },
    })),
  );
}

/**
 * Reverses what a deduction settled (its cash decision was wrong, or it was matched to the wrong claims): the
 * claims are no longer paid by it, the credit memos that closed the deduction item are reversed by debit memos
 * (entries, nothing edited), and the deduction is open again for a person to decide — validation does not
 * pick it up by itself. Refused when a settlement run has paid one of its claims since (reverse that batch
 * first). Returns the claims it released.
 */
export async function reverseDeductionSettlements(
  tx: Db,
  deductionId: string,
  reason: string,
  on: string,
): Promise<string[]> {
  const { rows: settled } = await tx.query<{
    account_id: string;
    claim_id: string;
    amount: string;
    document_id: string;
    paid: string;
  }>(
    `select d.account_id, d.claim_id, d.amount::text, d.document_id, coalesce(s.paid_amount, 0)::text as paid
     from deduction_claims d
     left join claim_settlements s on s.account_id = d.account_id and s.claim_id = d.claim_id
     where d.deduction_id = $1 and d.reversed_at is null
     order by d.claim_id
     for update of d`,
    [deductionId],
  );
  if (settled.length === 0) return [];
  const paidSince = settled.filter((s) => Number(s.paid) > 0).map((s) => s.claim_id);
  if (paidSince.length > 0)
    throw new AppError(
      'conflict',
      `A settlement run has paid ${paidSince.join(', ')} since this deduction settled part of it: reverse that batch first.`,
    );
  const accountId = settled[0]!.account_id;
  const json = JSON.stringify(settled);
  await tx.query(
    `update deduction_claims set reversed_at = now() where deduction_id = $1 and reversed_at is null`,
    [deductionId],
  );
  await tx.query(
    `update claim_settlements c set deducted_amount = c.deducted_amount - x.amount::numeric, updated_at = now()
     from jsonb_to_recordset($2::jsonb) as x(claim_id text, amount text)
     where c.account_id = $1 and c.claim_id = x.claim_id`,
    [accountId, json],
  );
  // The credit memo no longer closes the deduction item; a debit memo of the same amount takes it back.
  await tx.query(
    `delete from ar_applications a using jsonb_to_recordset($2::jsonb) as x(document_id text)
     where a.account_id = $1 and a.payment_id = x.document_id and a.document_id = $3`,
    [accountId, json, deductionId],
  );
  await tx.query(
    `insert into ar_documents (account_id, document_id, type, document_date, due_date, currency, amount, reference)
     select $1, 'RV-' || d.document_id, 'debit_memo', greatest($3::date, d.document_date),
       greatest($3::date, d.document_date), d.currency, d.amount, d.document_id
     from ar_documents d join jsonb_to_recordset($2::jsonb) as x(document_id text) on x.document_id = d.document_id
     where d.account_id = $1`,
    [accountId, json, on],
  );
  await tx.query(
    `insert into ar_applications (account_id, payment_id, document_id, applied_date, amount)
     select $1, d.document_id, 'RV-' || d.document_id, greatest($3::date, d.document_date), d.amount
     from ar_documents d join jsonb_to_recordset($2::jsonb) as x(document_id text) on x.document_id = d.document_id
     where d.account_id = $1`,
    [accountId, json, on],
  );
  // Claims paid by this deduction alone go back to their decision.
  const { rows: claims } = await tx.query<{ claim_id: string; status: string }>(
    `update claims c set status = coalesce((select e.before->>'status' from audit_events e
         where e.entity_type = 'claim' and e.entity_id = c.claim_id and e.account_id = c.account_id
           and e.action = 'paid_by_deduction' order by e.occurred_at desc limit 1), 'approved'),
       paid_on = null, paid_by = null, updated_at = now()
     from jsonb_to_recordset($2::jsonb) as x(claim_id text)
     where c.account_id = $1 and c.claim_id = x.claim_id and c.status = 'paid' and c.paid_by = 'deduction'
     returning c.claim_id, c.status`,
    [accountId, json],
  );
  await tx.query(
    `update deductions set validation = null, finding = null, finding_detail = null, claim_ids = '{}',
       valid_amount = 0, invalid_amount = 0, suggestions = '[]', status = 'open', resolved_on = null,
       manual = true, updated_at = now()
     where deduction_id = $1`,
    [deductionId],
  );
  await recordAuditMany(tx, [
    {
      entityType: 'deduction',
      entityId: deductionId,
      accountId,
      action: 'settlements_reversed',
      after: { reason, claims: settled.map((s) => ({ claim_id: s.claim_id, amount: s.amount })) },
    },
    ...settled.map((s) => ({
      entityType: 'claim',
      entityId: s.claim_id,
      accountId,
      action: 'deduction_settlement_reversed',
      after: {
        deduction_id: deductionId,
        amount: s.amount,
        reason,
        status: claims.find((c) => c.claim_id === s.claim_id)?.status,
      },
    })),
  ]);
  return settled.map((s) => s.claim_id);
}
