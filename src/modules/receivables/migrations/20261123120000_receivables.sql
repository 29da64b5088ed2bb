-- Receivables: the documents the company issues to its accounts (invoices, credit and debit memos,
-- non-compliance charges), the payments it receives, and the applications of payments and credit memos to
-- documents. Keyed by account_id first like every table that grows with the business; the loader checks
-- references set-based. Amounts are positive; a document's type gives its sign.
create table ar_documents (
  account_id text not null,
  document_id text not null,
  type text not null check (type in ('invoice', 'credit_memo', 'debit_memo', 'non_compliance_charge')),
  document_date date not null,
  due_date date not null,
  currency char(3) not null,
  amount numeric(18, 2) not null check (amount > 0),
  tax_amount numeric(18, 2),
  reference text,
  po_number text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (account_id, document_id),
  check (due_date >= document_date)
);
-- The template's key is document_id alone; on one node it is also enforced across accounts.
create unique index ar_documents_document_id on ar_documents (document_id);
create index ar_documents_dates on ar_documents (account_id, document_date);

create table ar_payments (
  account_id text not null,
  payment_id text not null,
  received_date date not null,
  amount numeric(18, 2) not null check (amount > 0),
  currency char(3) not null,
  method text,
  reference text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (account_id, payment_id)
);
create unique index ar_payments_payment_id on ar_payments (payment_id);
create index ar_payments_dates on ar_payments (account_id, received_date);

-- The current application of a payment (or a credit memo: payment_id then names the credit memo's
-- document_id) to a document, as the applications file states it. account_id is the document's account
-- (the loader requires the payment's to be the same). Every change is journalled in
-- ar_application_entries by the triggers below; aging reads the journal.
create table ar_applications (
  account_id text not null,
  payment_id text not null,
  document_id text not null,
  applied_date date not null,
  amount numeric(18, 2) not null check (amount > 0),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (account_id, payment_id, document_id)
);
create unique index ar_applications_key on ar_applications (payment_id, document_id);
create index ar_applications_document on ar_applications (document_id);

-- The application journal, append-only: an application is an entry; a changed application is a reversal
-- of the entry it replaces (dated as that entry, so it nets to zero on every date) plus a new entry; an
-- application removed is a reversal. Summing entries dated on or before a day gives what was applied then.
create table ar_application_entries (
  account_id text not null,
  entry_id bigint generated always as identity,
  payment_id text not null,
  document_id text not null,
  applied_date date not null,
  amount numeric(18, 2) not null check (amount <> 0),
  kind text not null check (kind in ('applied', 'reversal')),
  reverses_entry_id bigint,
  entered_at timestamptz not null default now(),
  entered_by text default nullif(current_setting('clearhouse.actor', true), ''),
  primary key (account_id, entry_id)
);
create index ar_application_entries_document on ar_application_entries (document_id, applied_date) include (amount);
create index ar_application_entries_payment on ar_application_entries (payment_id, applied_date) include (amount);
revoke update, delete, truncate on ar_application_entries from clearhouse_app;

-- What an application's payment_id may name: a payment, or a credit memo (the loader keeps the two sets of
-- ids apart, so one id never names both).
create view ar_application_sources with (security_invoker = true) as
  select account_id, payment_id as source_id, 'payment'::text as kind, received_date as source_date, amount,
    currency
  from ar_payments
  union all
  select account_id, document_id, 'credit_memo', document_date, amount, currency
  from ar_documents where type = 'credit_memo';

create function ar_applications_journal_insert() returns trigger
language plpgsql as $$
begin
  insert into ar_application_entries (account_id, payment_id, document_id, applied_date, amount, kind)
  select n.account_id, n.payment_id, n.document_id, n.applied_date, n.amount, 'applied'
  from new_rows n order by n.account_id, n.payment_id, n.document_id;
  return null;
end $$;

create function ar_applications_journal_update() returns trigger
language plpgsql as $$
begin
  insert into ar_application_entries
    (account_id, payment_id, document_id, applied_date, amount, kind, reverses_entry_id)
  select x.account_id, x.payment_id, x.document_id, x.applied_date, x.amount, x.kind, x.reverses
  from (
    select o.account_id, o.payment_id, o.document_id, o.applied_date, -o.amount as amount, 'reversal' as kind,
      (select max(e.entry_id) from ar_application_entries e
        where e.payment_id = o.payment_id and e.document_id = o.document_id and e.kind = 'applied') as reverses,
      1 as step
    from old_rows o join new_rows n on n.payment_id = o.payment_id and n.document_id = o.document_id
    where (o.applied_date, o.amount, o.account_id) is distinct from (n.applied_date, n.amount, n.account_id)
    union all
    select n.account_id, n.payment_id, n.document_id, n.applied_date, n.amount, 'applied', null, 2
    from old_rows o join new_rows n on n.payment_id = o.payment_id and n.document_id = o.document_id
    where (o.applied_date, o.amount, o.account_id) is distinct from (n.applied_date, n.amount, n.account_id)
  ) x
  order by x.payment_id, x.document_id, x.step;
  return null;
end $$;

create function ar_applications_journal_delete() returns trigger
language plpgsql as $$
begin
  insert into ar_application_entries
    (account_id, payment_id, document_id, applied_date, amount, kind, reverses_entry_id)
  select o.account_id, o.payment_id, o.document_id, o.applied_date, -o.amount, 'reversal',
    (select max(e.entry_id) from ar_application_entries e
      where e.payment_id = o.payment_id and e.document_id = o.document_id and e.kind = 'applied')
  from old_rows o order by o.payment_id, o.document_id;
  return null;
end $$;

create trigger ar_applications_journal_insert after insert on ar_applications
  referencing new table as new_rows for each statement execute function ar_applications_journal_insert();
create trigger ar_applications_journal_update after update on ar_applications
  referencing old table as old_rows new table as new_rows
  for each statement execute function ar_applications_journal_update();
create trigger ar_applications_journal_delete after delete on ar_applications
  referencing old table as old_rows for each statement execute function ar_applications_journal_delete();

alter table ar_documents enable row level security;
create policy ar_documents_scope on ar_documents using (clearhouse_visible(account_id));
alter table ar_payments enable row level security;
create policy ar_payments_scope on ar_payments using (clearhouse_visible(account_id));
alter table ar_applications enable row level security;
create policy ar_applications_scope on ar_applications using (clearhouse_visible(account_id));
alter table ar_application_entries enable row level security;
create policy ar_application_entries_scope on ar_application_entries using (clearhouse_visible(account_id));
