-- The aging sums every open item of every account; a server keeps the aging it computed and gives it again
-- while nothing it was read from has changed (src/db/kept-answers.ts): every statement that changes one of
-- those tables leaves a row here, tagged with its transaction. One row per statement, not per row.
-- The tables read for the aging: ar_documents, ar_payments, ar_application_entries (and ar_applications,
-- written with them), accounts (names, collectors, countries).
create table receivable_changes (
  xid xid8 not null default pg_current_xact_id(),
  changed_at timestamptz not null default now()
);
create index receivable_changes_xid on receivable_changes (xid);

create function receivable_inputs_changed() returns trigger language plpgsql as $$
begin
  insert into receivable_changes default values;
  return null;
end
$$;

create trigger ar_documents_receivable_changes after insert or update or delete or truncate on ar_documents
  for each statement execute function receivable_inputs_changed();
create trigger ar_payments_receivable_changes after insert or update or delete or truncate on ar_payments
  for each statement execute function receivable_inputs_changed();
create trigger ar_applications_receivable_changes after insert or update or delete or truncate on ar_applications
  for each statement execute function receivable_inputs_changed();
create trigger ar_application_entries_receivable_changes after insert or update or delete or truncate
  on ar_application_entries for each statement execute function receivable_inputs_changed();
create trigger accounts_receivable_changes after insert or update or delete or truncate on accounts
  for each statement execute function receivable_inputs_changed();
