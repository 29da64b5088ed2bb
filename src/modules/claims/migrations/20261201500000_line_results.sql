-- A claim line's validation result lives in a narrow table of its own, beside the line as the partner claimed
-- it: a validation run rewrites results by the million, and inserting narrow rows costs a fraction of
-- updating wide ones. `claim_lines` stays what every reader knows: a view of the line with its result, under
-- the caller's row security (security_invoker). Keyed by account_id first (sharding).
alter table claim_lines rename to claim_line_inputs;
alter policy claim_lines_scope on claim_line_inputs rename to claim_line_inputs_scope;
alter table claim_line_inputs set (fillfactor = 100);

create table claim_line_results (
  account_id text not null,
  claim_id text not null,
  line_no integer not null,
  status text not null check (status in ('approved', 'adjusted', 'review', 'rejected')),
  approved_qty integer,
  approved_unit_amount numeric,
  approved_amount numeric,
  calculated_amount numeric,               -- the company's own figure for the line
  matched_sell_out_ref text,               -- the sell-out line the validation matched
  updated_at timestamptz not null default now(),
  primary key (account_id, claim_id, line_no)
);
alter table claim_line_results enable row level security;
create policy claim_line_results_scope on claim_line_results using (clearhouse_visible(account_id));

insert into claim_line_results (account_id, claim_id, line_no, status, approved_qty, approved_unit_amount,
  approved_amount, calculated_amount, matched_sell_out_ref, updated_at)
select account_id, claim_id, line_no, status, approved_qty, approved_unit_amount, approved_amount,
  calculated_amount, matched_sell_out_ref, updated_at
from claim_line_inputs where status is not null;

alter table claim_line_inputs
  drop column status,
  drop column approved_qty,
  drop column approved_unit_amount,
  drop column approved_amount,
  drop column calculated_amount,
  drop column matched_sell_out_ref;

create view claim_lines with (security_invoker = true) as
select i.account_id, i.claim_id, i.line_no, i.sku, i.qty, i.claimed_unit_amount, i.claimed_amount, i.sale_date,
  i.end_customer_id, i.deal_id, i.sell_out_ref, i.serial_numbers, i.period_start, i.period_end,
  r.status, r.approved_qty, r.approved_unit_amount, r.approved_amount, r.calculated_amount, r.matched_sell_out_ref,
  greatest(i.updated_at, r.updated_at) as updated_at
from claim_line_inputs i
left join claim_line_results r on r.account_id = i.account_id and r.claim_id = i.claim_id and r.line_no = i.line_no;
grant select on claim_lines to clearhouse_app;

-- Writing through the view still works for the odd single line (fixtures, one-off corrections): the line
-- goes to its table and the result to its own. Bulk work writes the tables directly.
create function claim_lines_write() returns trigger language plpgsql as $$
begin
  if tg_op in ('UPDATE', 'DELETE') then
    delete from claim_line_results
    where account_id = old.account_id and claim_id = old.claim_id and line_no = old.line_no;
  end if;
  if tg_op = 'DELETE' then
    delete from claim_line_inputs
    where account_id = old.account_id and claim_id = old.claim_id and line_no = old.line_no;
    return old;
  elsif tg_op = 'INSERT' then
    insert into claim_line_inputs (account_id, claim_id, line_no, sku, qty, claimed_unit_amount, claimed_amount,
      sale_date, end_customer_id, deal_id, sell_out_ref, serial_numbers, period_start, period_end, updated_at)
    values (new.account_id, new.claim_id, new.line_no, new.sku, new.qty, new.claimed_unit_amount, new.claimed_amount,
      new.sale_date, new.end_customer_id, new.deal_id, new.sell_out_ref, new.serial_numbers, new.period_start,
      new.period_end, coalesce(new.updated_at, now()));
  else
    update claim_line_inputs set account_id = new.account_id, claim_id = new.claim_id, line_no = new.line_no,
      sku = new.sku, qty = new.qty, claimed_unit_amount = new.claimed_unit_amount, claimed_amount = new.claimed_amount,
      sale_date = new.sale_date, end_customer_id = new.end_customer_id, deal_id = new.deal_id,
      sell_out_ref = new.sell_out_ref, serial_numbers = new.serial_numbers, period_start = new.period_start,
      period_end = new.period_end, updated_at = now()
    where account_id = old.account_id and claim_id = old.claim_id and line_no = old.line_no;
  end if;
  if new.status is not null then
    insert into claim_line_results (account_id, claim_id, line_no, status, approved_qty, approved_unit_amount,
      approved_amount, calculated_amount, matched_sell_out_ref)
    values (new.account_id, new.claim_id, new.line_no, new.status, new.approved_qty, new.approved_unit_amount,
      new.approved_amount, new.calculated_amount, new.matched_sell_out_ref);
  end if;
  return new;
end $$;
create trigger claim_lines_write instead of insert or update or delete on claim_lines
  for each row execute function claim_lines_write();
grant insert, update, delete on claim_lines to clearhouse_app;
