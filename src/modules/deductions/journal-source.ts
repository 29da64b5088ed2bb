// Deductions' postings in the journal: each claim settled by a deduction (rebate liability against the
// deduction item) is a settlement credit memo (journal kind credit_memo) posted to its own GL accounts
// (deduction_settlement: 2150 against 1250), and its reversal when a settlement is reversed.
import { registerJournalSource } from '../journal/index.ts';

registerJournalSource({
  name: 'deductions.claim_settlements',
  kinds: ['credit_memo', 'reversal'],
  sql: `select d.document_id as entry_id, d.settled_on as entry_date,
      'credit_memo' as kind, 'deduction_settlement' as gl_kind, false as swap, d.account_id,
      d.deduction_id as document_id, d.amount, x.currency::text as currency, d.claim_id as reference
    from deduction_claims d join deductions x on x.account_id = d.account_id and x.deduction_id = d.deduction_id
    where d.settled_on between $1::date and $2::date
    union all
    select 'DR-' || d.document_id, (d.reversed_at at time zone 'UTC')::date, 'reversal',
      'deduction_settlement', true, d.account_id, d.deduction_id, d.amount, x.currency::text, d.claim_id
    from deduction_claims d join deductions x on x.account_id = d.account_id and x.deduction_id = d.deduction_id
    where d.reversed_at is not null and (d.reversed_at at time zone 'UTC')::date between $1::date and $2::date`,
});
