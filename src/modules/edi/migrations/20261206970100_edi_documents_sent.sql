-- Documents sent by EDI (credit memos as 812s): each once per set, unless sent again on purpose.
create table edi_documents_sent (
  account_id text not null,
  document_id text not null,
  set_code text not null,
  interchange_id uuid not null,
  sent_at timestamptz not null default now(),
  primary key (account_id, document_id, set_code)
);
alter table edi_documents_sent enable row level security;
create policy edi_documents_sent_scope on edi_documents_sent using (clearhouse_visible(account_id));
