-- Channel data: the company's invoice lines to partners (sell-in), the partners' sales to end customers
-- (sell-out) and their inventory reports. These are the large tables: each is keyed by account_id first so
-- that a distributed PostgreSQL can shard them by account. Referential checks happen set-based in the
-- loader, not through per-row foreign keys.
create table sell_in (
  account_id text not null,
  invoice_id text not null,
  line_no integer not null,
  invoice_date date not null,
  sku text not null,
  qty integer not null,
  unit_price numeric(18, 4) not null,
  currency char(3) not null,
  updated_at timestamptz not null default now(),
  primary key (account_id, invoice_id, line_no)
);
-- The template's key is (invoice_id, line_no); on one node it is also enforced across accounts.
create unique index sell_in_line on sell_in (invoice_id, line_no);
create index sell_in_sku on sell_in (account_id, sku, invoice_date);

create table sell_out (
  account_id text not null,
  sell_out_ref text not null,
  sale_date date not null,
  sku text not null,
  qty integer not null,
  unit_price numeric(18, 4),
  currency char(3),
  end_customer_id text,
  partner_invoice_no text,
  serial_numbers text[],
  updated_at timestamptz not null default now(),
  primary key (account_id, sell_out_ref)
);

create table inventory_reports (
  account_id text not null,
  sku text not null,
  as_of_date date not null,
  kind text not null check (kind in ('snapshot', 'opening')),
  on_hand_qty integer not null check (on_hand_qty >= 0),
  updated_at timestamptz not null default now(),
  primary key (account_id, sku, as_of_date, kind)
);

alter table sell_in enable row level security;
create policy sell_in_scope on sell_in using (clearhouse_visible(account_id));
alter table sell_out enable row level security;
create policy sell_out_scope on sell_out using (clearhouse_visible(account_id));
alter table inventory_reports enable row level security;
create policy inventory_reports_scope on inventory_reports using (clearhouse_visible(account_id));
