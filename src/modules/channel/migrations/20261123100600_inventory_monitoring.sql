-- Inventory positions and the account monitoring log for inventory balances.
--
-- A partner's position in a SKU on date d is the sum of its movements dated on or before d:
--   opening balances (inventory_reports of kind 'opening')  +
--   sell-in (by invoice date)                                +
--   sell-out (by sale date)                                  −
--   units credited by claims (by sale date)                  −
-- Partner snapshots (kind 'snapshot') are compared with it; differences go to inventory_differences.
--
-- Both views are security_invoker so that row-level security of the tables below applies to whoever
-- reads them (a plain view would run as its owner and see every account).

-- Units credited by claims: every consuming claim line's approved quantity, by the sale date it credits.
-- Nothing is credited until the claims capability exists; it redefines this view over its claim lines with
--   create or replace view credited_units with (security_invoker = true) as select …
-- keeping these four columns and types, and keeping security_invoker (a replace without it drops it).
create view credited_units with (security_invoker = true) as
  select null::text as account_id, null::text as sku, null::date as sale_date, null::bigint as qty
  where false;

-- Every change to a partner's position, signed: the one source of the position formula.
create view inventory_movements with (security_invoker = true) as
  select account_id, sku, as_of_date as movement_date, 'opening'::text as source, on_hand_qty::bigint as qty
    from inventory_reports where kind = 'opening'
  union all
  select account_id, sku, invoice_date, 'sell_in', qty::bigint from sell_in
  union all
  select account_id, sku, sale_date, 'sell_out', -qty::bigint from sell_out
  union all
  select account_id, sku, sale_date, 'credited', -qty from credited_units;

-- The account monitoring log: one row per difference found between a snapshot and the computed position.
-- A row stays open while later refreshes find the same figures; when the difference disappears or its
-- figures change, the row is resolved (and a changed difference opens a new row), so the history is kept.
create table inventory_differences (
  account_id text not null,
  difference_id bigint generated always as identity,
  sku text not null,
  snapshot_date date not null,
  reported_qty bigint not null,
  computed_qty bigint not null,
  difference bigint not null,               -- reported − computed
  status text not null check (status in ('open', 'resolved')),
  first_detected_at timestamptz not null default now(),
  last_checked_at timestamptz not null default now(),
  resolved_at timestamptz,
  -- matched: the snapshot now agrees; changed: the figures moved (a new open row has them);
  -- snapshot_removed: the partner's snapshot no longer exists.
  resolution text check (resolution in ('matched', 'changed', 'snapshot_removed')),
  primary key (account_id, difference_id),
  check ((status = 'open') = (resolved_at is null)),
  check ((status = 'open') = (resolution is null))
);
-- At most one open difference per snapshot.
create unique index inventory_differences_open on inventory_differences (account_id, sku, snapshot_date)
  where status = 'open';
create index inventory_differences_pair on inventory_differences (account_id, sku, snapshot_date);

alter table inventory_differences enable row level security;
create policy inventory_differences_scope on inventory_differences using (clearhouse_visible(account_id));
