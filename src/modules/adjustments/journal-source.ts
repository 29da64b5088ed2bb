// Adjustments' postings in the journal: credit adjustments, rebills (the credit of the original, and the new
// invoice with the rebill's accounts swapped), debit adjustments, write-offs and absorptions (month end's
// included), each naming the receivable document it changes.
import { registerJournalSource } from '../journal/index.ts';

registerJournalSource({
  name: 'adjustments.postings',
  kinds: ['credit_adjustment', 'rebill', 'debit_adjustment', 'write_off', 'absorption'],
  sql: `select p.posting_id as entry_id, p.entry_date, p.kind, p.kind as gl_kind, p.part = 'invoice' as swap,
      p.account_id, p.document_id, p.amount, p.currency::text as currency, p.adjustment_id as reference
    from adjustment_postings p
    where p.entry_date between $1::date and $2::date`,
});
