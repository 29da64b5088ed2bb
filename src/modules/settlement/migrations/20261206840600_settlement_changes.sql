-- The payments list is read far more often than payments change: a server keeps a page it read
-- (src/db/kept-answers.ts) while nothing it was read from has changed. Every statement that changes one of
-- those tables leaves a row here, tagged with its transaction; one row per statement, not per row.
create table settlement_changes (
  xid xid8 not null default pg_current_xact_id(),
  changed_at timestamptz not null default now()
);
create index settlement_changes_xid on settlement_changes (xid);

create function settlement_inputs_changed() returns trigger language plpgsql as $$
begin
  insert into settlement_changes default values;
  return null;
end
$$;

create trigger settlement_payments_settlement_changes after insert or update or delete or truncate
  on settlement_payments for each statement execute function settlement_inputs_changed();
create trigger payment_batches_settlement_changes after insert or update or delete or truncate
  on payment_batches for each statement execute function settlement_inputs_changed();
create trigger accounts_settlement_changes after insert or update or delete or truncate on accounts
  for each statement execute function settlement_inputs_changed();
