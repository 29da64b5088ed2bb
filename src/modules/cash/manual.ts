/**
 * A person's decision on a credit: apply it to documents of an account (several, in full or in part, with a
 * deduction item for what the customer kept on purpose; the rest on account), or un-apply it. Un-applying
 * reverses the entries (the application journal records the reversals); changing an automatic decision
 * counts as a wrong match of the run that made it. A manual match teaches the payer's bank account and the
 * text pattern that named each document.
 */

import { z } from 'zod';
import { AppError, notFound } from '../../core/errors.ts';
import { Money as Decimal } from '../../core/money.ts';
import type { Db } from '../../db/db.ts';
import { recordAudit } from '../platform/index.ts';
import { postApplications } from './cascade.ts';
import { requireCashDesk } from './roles.ts';

const amount = z.string().regex(/^\d{1,15}(\.\d{1,2})?$/, 'an amount like 1234.50');

export const manualApplyInput = z.object({
  account_id: z.string().min(1),
  lines: z
    .array(
      z.object({
        document_id: z.string().min(1),
        amount: amount,
        deduction_amount: amount.optional(),
        reason_code: z.string().min(1).optional(),
      }),
    )
    .max(500),
});
export type ManualApplyInput = z.infer<typeof manualApplyInput>;

interface CreditRow {
  payment_ref: string;
  amount: string;
  currency: string;
  value_date: string;
  status: string;
  account_id: string | null;
  payer_source: string | null;
  payer_name: string | null;
  payer_bank_account: string | null;
  run_id: string | null;
  decided_by: string | null;
  overridden: boolean;
}

async function lockCredit(tx: Db, paymentRef: string): Promise<CreditRow> {
  const found = await tx.query<CreditRow>(
    `select payment_ref, amount::text, currency, value_date, status, account_id, payer_source, payer_name,
       payer_bank_account, run_id::text, decided_by, overridden
     from bank_credits where payment_ref = $1 for update`,
    [paymentRef],
  );
  const credit = found.rows[0];
  if (!credit) throw notFound(`The bank credit ${paymentRef}`);
  return credit;
}

/** Reverses what a credit's decision applied; the credit keeps its payment (on account) unless told. */
async function reverseDecision(tx: Db, credit: CreditRow): Promise<void> {
  if (credit.status === 'applied' && credit.decided_by === 'cascade' && credit.run_id && !credit.overridden) {
    await tx.query(`update cash_runs set wrong_matches = wrong_matches + 1 where run_id = $1`, [
      credit.run_id,
    ]);
    await tx.query(`update bank_credits set overridden = true where payment_ref = $1`, [credit.payment_ref]);
  }
  const deductions = await tx.query<{ deduction_id: string }>(
    `select deduction_id from cash_applications
     where payment_ref = $1 and kind = 'deduction' and reversed_at is null`,
    [credit.payment_ref],
  );
  const ids = deductions.rows.map((r) => r.deduction_id);
  if (ids.length > 0) {
    const settled = await tx.query<{ document_id: string }>(
      `select document_id from ar_applications where document_id = any($1::text[]) limit 1`,
      [ids],
    );
    if (settled.rows[0]) {
      throw new AppError(
        'conflict',
        `The deduction ${settled.rows[0].document_id} has been settled since; reverse that first.`,
      );
    }
  }
  await tx.query(`delete from ar_applications where payment_id = $1 or payment_id = any($2::text[])`, [
    credit.payment_ref,
    ids,
  ]);
  await tx.query(`delete from ar_documents where document_id = any($1::text[]) and type = 'deduction'`, [
    ids,
  ]);
  await tx.query(
    `update deductions set status = 'reversed', updated_at = now() where deduction_id = any($1::text[])`,
    [ids],
  );
  await tx.query(
    `update cash_applications set reversed_at = now() where payment_ref = $1 and reversed_at is null`,
    [credit.payment_ref],
  );
  await tx.query(
    `update cash_clearings set reversed_at = now() where source_id = $1 and reversed_at is null`,
    [credit.payment_ref],
  );
}

/** Un-applies a credit: its entries are reversed and it waits in the exception queue again. */
export async function unapplyCredit(
  db: Db,
  paymentRef: string,
): Promise<{ payment_ref: string; status: string }> {
  requireCashDesk(db);
  return db.tx(async (tx) => {
    const credit = await lockCredit(tx, paymentRef);
    if (credit.status !== 'applied') {
      throw new AppError('conflict', `The bank credit ${paymentRef} is not applied (${credit.status}).`);
    }
    await reverseDecision(tx, credit);
    let account = credit.account_id;
    if (credit.payer_source === 'manual') {
      await tx.query(`delete from ar_payments where payment_id = $1`, [paymentRef]);
      account = null;
    }
    await tx.query(
      `update bank_credits set status = 'exception', reason = $2, rule = null, decided_by = null,
         decided_at = now(), account_id = $3, payer_source = case when $3::text is null then null
           else payer_source end
       where payment_ref = $1`,
      [paymentRef, account ? 'NO_MATCH' : 'UNKNOWN_PAYER', account],
    );
    await recordAudit(tx, {
      entityType: 'bank_credit',
      entityId: paymentRef,
      accountId: credit.account_id ?? '',
      action: 'unapplied',
      before: { status: credit.status, account_id: credit.account_id },
    });
    return { payment_ref: paymentRef, status: 'exception' };
  });
}

export interface ManualApplyResult {
  payment_ref: string;
  account_id: string;
  applied: string;
  deductions: string;
  on_account: string;
  learned_bank_account: boolean;
  learned_patterns: number;
}

/** Applies a credit as a person decided (replacing any earlier decision). */
export async function applyCreditManually(
  db: Db,
  paymentRef: string,
  raw: ManualApplyInput,
): Promise<ManualApplyResult> {
  requireCashDesk(db);
  const input = manualApplyInput.parse(raw);
  return db.tx(async (tx) => {
    const credit = await lockCredit(tx, paymentRef);
    const account = await tx.query(`select 1 from accounts where account_id = $1`, [input.account_id]);
    if (!account.rows[0]) throw notFound(`The account ${input.account_id}`);
    const docs = new Set<string>();
    let paid = new Decimal(0);
    let kept = new Decimal(0);
    for (const l of input.lines) {
      if (docs.has(l.document_id)) {
        throw new AppError('validation_failed', `${l.document_id} is named twice.`);
      }
      docs.add(l.document_id);
      const ded = new Decimal(l.deduction_amount ?? 0);
      if (ded.gt(0) && !l.reason_code) {
        throw new AppError('validation_failed', `The deduction on ${l.document_id} needs a reason code.`);
      }
      if (new Decimal(l.amount).plus(ded).lte(0)) {
        throw new AppError('validation_failed', `Nothing is applied to ${l.document_id}.`);
      }
      paid = paid.plus(l.amount);
      kept = kept.plus(ded);
    }
    if (paid.gt(credit.amount)) {
      throw new AppError(
        'validation_failed',
        `${paid.toFixed(2)} is more than the credit's ${credit.amount} ${credit.currency}.`,
      );
    }
    if (credit.status === 'applied') await reverseDecision(tx, credit);
    if (credit.account_id && credit.account_id !== input.account_id) {
      await tx.query(`delete from ar_applications where payment_id = $1`, [paymentRef]);
      await tx.query(`delete from ar_payments where payment_id = $1`, [paymentRef]);
    }
    // Each document: the account's, in the credit's currency, with enough open (checked after reversal).
    const check = await tx.query<{ document_id: string; problem: string | null }>(
      `select l.document_id,
         case when d.document_id is null then 'is not a document of account ' || $2
           when d.type = 'credit_memo' then 'is a credit memo'
           when d.currency <> $3 then 'is in ' || d.currency || ', the credit in ' || $3
           when d.amount - coalesce((select sum(e.amount) from ar_application_entries e
             where e.document_id = d.document_id), 0) < l.amount + coalesce(l.deduction_amount, 0)
             then 'has only ' || (d.amount - coalesce((select sum(e.amount) from ar_application_entries e
               where e.document_id = d.document_id), 0)) || ' open'
         end as problem
       from json_to_recordset($1::json) as l(document_id text, amount numeric, deduction_amount numeric)
       left join ar_documents d on d.document_id = l.document_id and d.account_id = $2`,
      [JSON.stringify(input.lines), input.account_id, credit.currency],
    );
    const bad = check.rows.filter((r) => r.problem);
    if (bad.length > 0) {
      throw new AppError('validation_failed', bad.map((r) => `${r.document_id} ${r.problem}`).join('; '), {
        issues: bad.map((r) => ({ field: r.document_id, message: r.problem! })),
      });
    }
    await tx.query(
      `insert into ar_payments (account_id, payment_id, received_date, amount, currency, method, reference)
       values ($1, $2, $3, $4, $5, 'bank', left($6, 200)) on conflict do nothing`,
      [input.account_id, paymentRef, credit.value_date, credit.amount, credit.currency, credit.payer_name],
    );
    const rest = new Decimal(credit.amount).minus(paid);
    const rows = [
      ...input.lines.flatMap((l, i) => [
        ...(new Decimal(l.amount).gt(0)
          ? [{ seq: i + 1, document_id: l.document_id, amount: l.amount, kind: 'invoice', reason_code: null }]
          : []),
        ...(new Decimal(l.deduction_amount ?? 0).gt(0)
          ? [
              {
                seq: i + 1,
                document_id: l.document_id,
                amount: l.deduction_amount,
                kind: 'deduction',
                reason_code: l.reason_code,
              },
            ]
          : []),
      ]),
      ...(rest.gt(0)
        ? [{ seq: 10000, document_id: null, amount: rest.toFixed(2), kind: 'on_account', reason_code: null }]
        : []),
    ];
    const written = await tx.query<{ n: number }>(
      `select coalesce(max(seq), 0)::int as n from cash_applications where payment_ref = $1`,
      [paymentRef],
    );
    await postApplications(
      tx,
      null,
      `select r.*, 'manual'::text as rule, 1.00::numeric as conf, $2::text as account_id,
         $3::date as value_date, $4::text as currency, $5::text as payment_ref
       from json_to_recordset($1::json) as r(seq int, document_id text, amount numeric, kind text,
         reason_code text)`,
      [JSON.stringify(rows), input.account_id, credit.value_date, credit.currency, paymentRef],
      written.rows[0]!.n,
    );
    const sameAccount = credit.account_id === input.account_id;
    await tx.query(
      `update bank_credits set status = 'applied', reason = null, rule = 'manual', account_id = $2,
         payer_source = case when $3 then payer_source else 'manual' end, decided_by = 'manual',
         decided_at = now(), suggestions = '[]'
       where payment_ref = $1`,
      [paymentRef, input.account_id, sameAccount && credit.payer_source !== null],
    );
    await tx.query(
      `insert into activities (account_id, document_id, kind, body, actor, actor_id)
       values ($1, $2, 'status', 'Paid by ' || $2 || ' on ' || $3 || ': ' || $4 || ' ' || $5
         || ' applied by ' || $6, $6, $7)`,
      [
        input.account_id,
        paymentRef,
        credit.value_date,
        credit.amount,
        credit.currency,
        db.actor.name,
        db.actor.userId,
      ],
    );
    const learned = await learn(tx, paymentRef, input.account_id, [...docs]);
    await recordAudit(tx, {
      entityType: 'bank_credit',
      entityId: paymentRef,
      accountId: input.account_id,
      action: 'applied',
      before: { status: credit.status, account_id: credit.account_id },
      after: { account_id: input.account_id, lines: input.lines, on_account: rest.toFixed(2) },
    });
    return {
      payment_ref: paymentRef,
      account_id: input.account_id,
      applied: paid.toFixed(2),
      deductions: kept.toFixed(2),
      on_account: rest.toFixed(2),
      ...learned,
    };
  });
}

/**
 * What a manual match teaches: the payer's bank account joins the account's known payers, and for each
 * document a token of the payer's text that holds the document's number with something around it (for
 * `RG/7-10043-X` naming INV-10043: prefix `7`, suffix `X` after normalising) is kept as a pattern.
 */
async function learn(
  tx: Db,
  paymentRef: string,
  accountId: string,
  documents: string[],
): Promise<{ learned_bank_account: boolean; learned_patterns: number }> {
  const payer = await tx.query(
    `insert into cash_payers (account_id, payer_bank_account, payer_name, source, learned_from)
     select $2, c.payer_bank_account, c.payer_name, 'learned', c.payment_ref
     from bank_credits c where c.payment_ref = $1 and cash_norm_account(c.payer_bank_account) is not null
       and not exists (select 1 from cash_payers p where p.account_id = $2
         and cash_norm_account(p.payer_bank_account) = cash_norm_account(c.payer_bank_account))
     on conflict do nothing`,
    [paymentRef, accountId],
  );
  const patterns = await tx.query(
    `insert into cash_reference_patterns (account_id, prefix, suffix, learned_from)
     select distinct $2, left(t.key, strpos(t.key, n.num) - 1), substr(t.key, strpos(t.key, n.num) + length(n.num)),
       $1
     from bank_credits c
     cross join lateral regexp_split_to_table(coalesce(c.text, '') || ' ' || coalesce(c.customer_reference, ''),
       '[[:space:],;:()]+') w(tok)
     cross join lateral (select cash_ref_key(w.tok) as key) t
     cross join lateral (
       select coalesce(cash_ref_number(d), cash_ref_key(d)) as num from unnest($3::text[]) d
     ) n
     where c.payment_ref = $1 and t.key is not null and n.num is not null and t.key <> n.num
       and strpos(t.key, n.num) > 0 and t.key ~ '^[A-Z0-9]+$'
     on conflict do nothing`,
    [paymentRef, accountId, documents],
  );
  return { learned_bank_account: (payer.rowCount ?? 0) > 0, learned_patterns: patterns.rowCount ?? 0 };
}
