-- Credit (CONTROLS.md, "Credit"): credit limits per account and currency, changed only by approved requests;
-- orders on hold (orders_on_hold.csv) and the credit team's decisions on them (release or keep). The company's
-- own records: partners never see them (row security: the desk only).

-- The credit limit an account has in a currency. A child account without a limit of its own in the currency is
-- covered by its nearest ancestor's (the bill-to hierarchy; credit-queries.ts).
create table credit_limits (
  account_id text not null references accounts (account_id),
  currency char(3) not null,
  amount numeric(18, 2) not null check (amount >= 0),
  -- The approved request that set it; null for the limit the account was created with.
  request_id text,
  set_at timestamptz not null default now(),
  set_by text not null default coalesce(nullif(current_setting('clearhouse.actor', true), ''), 'system'),
  primary key (account_id, currency)
);

-- The limits accounts carry from their master data become their first credit limits.
insert into credit_limits (account_id, currency, amount, set_by)
select account_id, currency, credit_limit, 'accounts' from accounts where credit_limit is not null;

-- A request to set an account's limit in a currency: approved through the approvals module like an adjustment.
create sequence credit_limit_request_numbers;
create table credit_limit_requests (
  account_id text not null references accounts (account_id),
  request_id text not null,
  currency char(3) not null,
  current_amount numeric(18, 2),
  new_amount numeric(18, 2) not null check (new_amount >= 0),
  comment text not null check (length(comment) between 1 and 2000),
  status text not null default 'pending' check (status in ('pending', 'approved', 'refused')),
  requested_by uuid,
  requested_by_name text not null,
  requested_at timestamptz not null default now(),
  decided_at timestamptz,
  primary key (account_id, request_id)
);
create unique index credit_limit_requests_id on credit_limit_requests (request_id);
-- One open request per account and currency: a second would race the first.
create unique index credit_limit_requests_pending on credit_limit_requests (account_id, currency)
  where status = 'pending';

-- Orders the ERP holds for credit (orders_on_hold.csv, key order_id). Released here, they leave the report.
create table credit_orders (
  account_id text not null references accounts (account_id),
  order_id text not null,
  order_date date not null,
  amount numeric(18, 2) not null check (amount >= 0),
  currency char(3) not null,
  hold_reason text,
  status text not null default 'on_hold' check (status in ('on_hold', 'released')),
  released_at timestamptz,
  released_on date,
  released_by text,
  release_comment text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (account_id, order_id),
  check ((status = 'released') = (released_at is not null))
);
create unique index credit_orders_order_id on credit_orders (order_id);
create index credit_orders_on_hold on credit_orders (account_id, currency, order_date) where status = 'on_hold';

-- Every decision the credit team takes on an order (release once; keep with a comment any number of times),
-- with the recommendation the report gave at that moment.
create table credit_decisions (
  account_id text not null,
  decision_id uuid not null default gen_random_uuid(),
  order_id text not null,
  decision text not null check (decision in ('release', 'keep')),
  comment text not null check (length(comment) between 1 and 2000),
  recommendation text check (recommendation in ('hold', 'release', 'review')),
  reasons text[] not null default '{}',
  decided_on date not null,
  decided_at timestamptz not null default clock_timestamp(),
  decided_by text not null,
  decided_by_id uuid,
  primary key (account_id, decision_id)
);
create index credit_decisions_order on credit_decisions (order_id, decided_at desc);
create unique index credit_decisions_one_release on credit_decisions (order_id) where decision = 'release';
revoke update, delete, truncate on credit_decisions from clearhouse_app;

alter table credit_limits enable row level security;
create policy credit_limits_desk on credit_limits using (clearhouse_internal());
alter table credit_limit_requests enable row level security;
create policy credit_limit_requests_desk on credit_limit_requests using (clearhouse_internal());
alter table credit_orders enable row level security;
create policy credit_orders_desk on credit_orders using (clearhouse_internal());
alter table credit_decisions enable row level security;
create policy credit_decisions_desk on credit_decisions using (clearhouse_internal());

-- accounts.credit_limit mirrors the limit in the account's own currency. An account created with a limit
-- (accounts.csv, the API) starts with it; after that only an approved request changes it (the approval sets
-- clearhouse.credit_limit_change for its transaction). An empty cell leaves the limit as it is.
create function credit_limit_from_account() returns trigger
language plpgsql as $$
begin
  if tg_op = 'INSERT' then
    if new.credit_limit is not null then
      insert into credit_limits (account_id, currency, amount, set_by)
      values (new.account_id, new.currency, new.credit_limit, 'accounts')
      on conflict (account_id, currency) do nothing;
    end if;
    return new;
  end if;
  if new.credit_limit is null then
    new.credit_limit := old.credit_limit;
  elsif new.credit_limit is distinct from old.credit_limit
      and coalesce(current_setting('clearhouse.credit_limit_change', true), '') <> 'approved' then
    raise exception 'the credit limit of % changes only through an approved credit-limit request', new.account_id
      using errcode = 'check_violation';
  end if;
  return new;
end
$$;
create trigger accounts_credit_limit_insert after insert on accounts
  for each row execute function credit_limit_from_account();
create trigger accounts_credit_limit_update before update of credit_limit on accounts
  for each row execute function credit_limit_from_account();
