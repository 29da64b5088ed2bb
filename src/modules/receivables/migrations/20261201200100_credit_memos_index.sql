-- Credit memos (a few percent of the documents) are aged from their own date and applied from, not to; the
-- aging reads them apart from the other documents, through this index, so that each document meets only
-- the one journal sum that concerns it.
create index ar_documents_credit_memos on ar_documents (account_id, document_id) where type = 'credit_memo';
