// Settlement's postings in the journal: each credit memo a payment run issued (rebate liability against
// receivables), and the debit memo that reverses one when its batch is reversed.
import { registerJournalSource } from '../journal/index.ts';

registerJournalSource({
  name: 'settlement.credit_memos',
  kinds: ['credit_memo', 'reversal'],
  sql: `select 'SP-' || d.document_id as entry_id, d.document_date as entry_date, 'credit_memo' as kind,
      'credit_memo' as gl_kind, false as swap, d.account_id, d.document_id, d.amount, d.currency::text as currency,
      s.claim_id as reference
    from settlement_payments s join ar_documents d on d.document_id = s.document_id
    where s.method = 'credit_memo' and d.document_date between $1::date and $2::date
    union all
    select 'SR-' || r.document_id, r.document_date, 'reversal', 'credit_memo', true, r.account_id, s.document_id,
      r.amount, r.currency::text, r.document_id
    from settlement_payments s join ar_documents r on r.document_id = s.reversal_document_id
    where r.document_date between $1::date and $2::date`,
});
