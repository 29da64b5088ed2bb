-- The product catalogue and end customers. Products and price changes are the company's published
-- catalogue (partners may read them); end customers are the company's own records.
create table products (
  sku text primary key,
  name text not null,
  family text,
  category text,
  list_price numeric(18, 4),
  currency char(3),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index products_category on products (category);

create table price_changes (
  sku text not null references products (sku),
  country char(2) not null,
  effective_date date not null,
  old_price numeric(18, 4) not null,
  new_price numeric(18, 4) not null,
  currency char(3) not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (sku, country, effective_date)
);

create table end_customers (
  end_customer_id text primary key,
  name text not null,
  country char(2) not null,
  segment text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

alter table end_customers enable row level security;
create policy end_customers_internal on end_customers using (clearhouse_internal());

-- Loads and claims check end-customer ids that partners send without letting partners read the list.
create function known_end_customers() returns table (end_customer_id text, country char(2))
language sql stable parallel safe security definer set search_path = public as $$
  select end_customer_id, country from end_customers
$$;
