// Cash application's postings in the journal, beside receivables' `cash` (a payment applied to a document,
// which the cascade and manual decisions write as ordinary applications):
// - `on_account`: what a decision kept on the customer's account (1000 / 2410);
// - `deduction`: a deduction item made for a document (the invoice closes, the deductions receivable opens);
// - when on-account cash is later cleared against an invoice, receivables journals the application as cash
//   (1000 / 1200) and this source reverses the on-account posting for the amount cleared (2410 / 1000), so
//   the general ledger moves it from unapplied cash to receivables once.
// A reversed decision or clearing keeps its row (reversed_at) and is journalled as its posting plus a
// reversal on the same date, as the application journal dates its own reversals, so every day nets to what
// stands.
import { registerJournalSource } from '../journal/index.ts';

registerJournalSource({
  name: 'cash.on_account_and_deductions',
  kinds: ['on_account', 'deduction', 'reversal'],
  sql: `select 'CA-' || c.payment_ref || '-' || c.seq as entry_id, c.applied_date as entry_date, c.kind,
      c.kind as gl_kind, false as swap, c.account_id, c.document_id, c.amount, c.currency::text as currency,
      coalesce(c.deduction_id, c.payment_ref) as reference
    from cash_applications c
    where c.kind in ('on_account', 'deduction') and c.applied_date between $1::date and $2::date
    union all
    select 'CR-' || c.payment_ref || '-' || c.seq, c.applied_date, 'reversal', c.kind, true, c.account_id,
      c.document_id, c.amount, c.currency::text, coalesce(c.deduction_id, c.payment_ref)
    from cash_applications c
    where c.kind in ('on_account', 'deduction') and c.reversed_at is not null
      and c.applied_date between $1::date and $2::date
    union all
    select 'CC-' || k.clearing_id, k.applied_date, 'reversal', 'on_account', true, k.account_id, k.document_id,
      k.amount, p.currency::text, k.source_id
    from cash_clearings k
    join ar_payments p on p.account_id = k.account_id and p.payment_id = k.source_id
    where k.applied_date between $1::date and $2::date
      and exists (select from cash_applications o where o.account_id = k.account_id
        and o.payment_ref = k.source_id and o.kind = 'on_account' and o.reversed_at is null)
    union all
    select 'CK-' || k.clearing_id, k.applied_date, 'on_account', 'on_account', false, k.account_id,
      k.document_id, k.amount, p.currency::text, k.source_id
    from cash_clearings k
    join ar_payments p on p.account_id = k.account_id and p.payment_id = k.source_id
    where k.reversed_at is not null and k.applied_date between $1::date and $2::date
      and exists (select from cash_applications o where o.account_id = k.account_id
        and o.payment_ref = k.source_id and o.kind = 'on_account' and o.reversed_at is null)`,
});
