-- Accounts are the company's customers and channel partners (sold-to / bill-to). A partner organisation is
-- an account together with its child accounts; partner users belong to one.
create table accounts (
  account_id text primary key,
  name text not null,
  country char(2) not null,
  currency char(3) not null,
  payment_terms_days integer not null default 30 check (payment_terms_days >= 0),
  credit_limit numeric(18, 2),
  parent_account_id text references accounts (account_id),
  collector text,
  rebate_analyst text,
  billing_email text,
  claims_email text,
  segment text,
  bank_routing_number text,
  bank_account_number text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (parent_account_id is distinct from account_id)
);
create index accounts_parent on accounts (parent_account_id);

alter table accounts enable row level security;
create policy accounts_scope on accounts using (clearhouse_visible(account_id));

-- The accounts a partner user may see: its own and every account below it.
create function account_subtree(root text) returns setof text
language sql stable as $$
  with recursive tree as (
    select account_id from accounts where account_id = root
    union
    select a.account_id from accounts a join tree t on a.parent_account_id = t.account_id
  )
  select account_id from tree
$$;
