/**
 * Fixtures for the deduction desk: deductions inserted as the cash module and validation leave them (the
 * deduction row, its deduction item in receivables, the invoice it was taken from), claims with approved
 * amounts, applications to a deduction item dated as given.
 */
import type { PoolDb } from '../../src/db/db.ts';

export interface DeductionSpec {
  account: string;
  id: string;
  amount: string;
  date: string;
  currency?: string;
  invoice?: string;
  paymentRef?: string;
  reasonCode?: string;
  reference?: string;
  category?: string;
  queue?: string;
  slaDue?: string;
  status?: string;
  validation?: string;
  finding?: string;
  claimIds?: string[];
  validAmount?: string;
  invalidAmount?: string;
  suggestions?: { claim_ids: string[]; amount: string; score: number }[];
  assignee?: string;
  deniedOn?: string;
  paybackDue?: string;
  denialDocumentId?: string;
}

/** An invoice (document date and due date as given) the deductions can be taken from. */
export async function addInvoice(
  db: PoolDb,
  account: string,
  id: string,
  amount: string,
  date = '2026-03-01',
  currency = 'EUR',
): Promise<void> {
  await db.query(
    `insert into ar_documents (account_id, document_id, type, document_date, due_date, currency, amount)
     values ($1, $2, 'invoice', $3, $3::date + 30, $4, $5)`,
    [account, id, date, currency, amount],
  );
}

export async function addDeduction(db: PoolDb, d: DeductionSpec): Promise<void> {
  const currency = d.currency ?? 'EUR';
  await db.query(
    `insert into ar_documents (account_id, document_id, type, document_date, due_date, currency, amount, reference)
     values ($1, $2, 'deduction', $3, $3, $4, $5, $6)`,
    [d.account, d.id, d.date, currency, d.amount, d.reasonCode ?? null],
  );
  if (d.invoice) {
    await db.query(
      `insert into ar_applications (account_id, payment_id, document_id, applied_date, amount)
       values ($1, $2, $3, $4, $5)`,
      [d.account, d.id, d.invoice, d.date, d.amount],
    );
  }
  await db.query(
    `insert into deductions (account_id, deduction_id, payment_ref, document_id, amount, currency, reason_code,
       deduction_date, reference, source, category, queue, queue_since, sla_due_date, status, validation, finding,
       claim_ids, valid_amount, invalid_amount, suggestions, assignee, denied_on, payback_due_date,
       denial_document_id)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $8, $13, $14, $15, $16, $17, $18, $19, $20, $21,
       $22, $23, $24)`,
    [
      d.account,
      d.id,
      d.paymentRef ?? null,
      d.invoice ?? null,
      d.amount,
      currency,
      d.reasonCode ?? null,
      d.date,
      d.reference ?? null,
      d.paymentRef ? 'cash' : 'import',
      d.category ?? 'rebate',
      d.queue ?? 'rebates',
      d.slaDue ?? null,
      d.status ?? 'open',
      d.validation ?? null,
      d.finding ?? null,
      d.claimIds ?? [],
      d.validAmount ?? '0',
      d.invalidAmount ?? '0',
      JSON.stringify(d.suggestions ?? []),
      d.assignee ?? null,
      d.deniedOn ?? null,
      d.paybackDue ?? null,
      d.denialDocumentId ?? null,
    ],
  );
}

/** A payment of the account applied to a document (a deduction item paid back, or cleared) on a date. */
export async function applyTo(
  db: PoolDb,
  account: string,
  paymentId: string,
  documentId: string,
  amount: string,
  date: string,
  currency = 'EUR',
): Promise<void> {
  await db.query(
    `insert into ar_payments (account_id, payment_id, received_date, amount, currency) values ($1, $2, $3, $4, $5)`,
    [account, paymentId, date, amount, currency],
  );
  await db.query(
    `insert into ar_applications (account_id, payment_id, document_id, applied_date, amount)
     values ($1, $2, $3, $4, $5)`,
    [account, paymentId, documentId, date, amount],
  );
}

/** A claim with one line whose approved amount is given, in a status (approved by default). */
export async function addClaim(
  db: PoolDb,
  account: string,
  claimId: string,
  approved: string,
  status = 'approved',
  opts: { deducted?: string; paid?: string; currency?: string; submitted?: string } = {},
): Promise<void> {
  await db.query(
    `insert into claims (account_id, claim_id, program_id, submitted_date, currency, status)
     values ($1, $2, 'PRG-1', $3, $4, $5)`,
    [account, claimId, opts.submitted ?? '2026-02-01', opts.currency ?? 'EUR', status],
  );
  await db.query(
    `insert into claim_lines (account_id, claim_id, line_no, claimed_amount, approved_amount, status)
     values ($1, $2, 1, $3, $3, 'approved')`,
    [account, claimId, approved],
  );
  if (opts.deducted || opts.paid) {
    await db.query(
      `insert into claim_settlements (account_id, claim_id, approved_amount, deducted_amount, paid_amount)
       values ($1, $2, $3, $4, $5)`,
      [account, claimId, approved, opts.deducted ?? '0', opts.paid ?? '0'],
    );
  }
}
