// Receivables' postings in the journal: cash applied to a document (an application of a payment), and the
// reversal of such an application (the journal's reversal entries). Applications of credit memos move
// nothing in the general ledger (both sides are receivables), and write-offs are the adjustments' postings.
import { registerJournalSource } from '../journal/index.ts';

registerJournalSource({
  name: 'receivables.cash',
  kinds: ['cash', 'reversal'],
  sql: `select 'AE-' || e.entry_id as entry_id, e.applied_date as entry_date,
      case when e.kind = 'reversal' then 'reversal' else 'cash' end as kind, 'cash' as gl_kind,
      e.kind = 'reversal' as swap, e.account_id, e.document_id, abs(e.amount) as amount, p.currency::text as currency,
      e.payment_id as reference
    from ar_application_entries e
    join ar_payments p on p.account_id = e.account_id and p.payment_id = e.payment_id
    where e.applied_date between $1::date and $2::date`,
});
