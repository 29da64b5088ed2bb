-- Positions are summed from every movement of an account (inventory_movements), which is too much work to
-- repeat on every request of the positions pages. A server keeps the positions it computed with the snapshot
-- they were computed in (channel/positions.ts) and answers from them while nothing they were read from has
-- changed since: every statement that changes one of those tables leaves a row here, tagged with its
-- transaction, and an answer is current while no row is visible that its snapshot did not see. One row per
-- statement (not per row), so bulk loads pay nothing per row.
--
-- The tables read for positions: sell_in, sell_out, inventory_reports (openings and snapshots),
-- inventory_differences (open differences) and products (names). credited_units is an empty view; whoever
-- redefines it over claim tables adds the same trigger to them.
create table position_changes (
  xid xid8 not null default pg_current_xact_id(),
  changed_at timestamptz not null default now()
);
create index position_changes_xid on position_changes (xid);

create function position_inputs_changed() returns trigger language plpgsql as $$
begin
  insert into position_changes default values;
  return null;
end
$$;

create trigger sell_in_position_changes after insert or update or delete or truncate on sell_in
  for each statement execute function position_inputs_changed();
create trigger sell_out_position_changes after insert or update or delete or truncate on sell_out
  for each statement execute function position_inputs_changed();
create trigger inventory_reports_position_changes after insert or update or delete or truncate on inventory_reports
  for each statement execute function position_inputs_changed();
create trigger inventory_differences_position_changes after insert or update or delete or truncate
  on inventory_differences for each statement execute function position_inputs_changed();
create trigger products_position_changes after insert or update or delete or truncate on products
  for each statement execute function position_inputs_changed();
