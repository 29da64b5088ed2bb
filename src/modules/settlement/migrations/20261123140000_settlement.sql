-- Settlement: approved claims are paid in batches, one batch per payment method and currency per run.
-- A claim is paid at most once: settlement_payments holds one row per paid claim, and the partial unique
-- index below lets the database refuse a second payment that is not reversed (a re-run, a crash in the
-- middle of a run or two workers at once insert with ON CONFLICT DO NOTHING and pay nothing twice).
create sequence payment_batch_seq;

create table payment_batches (
  batch_id text primary key,
  method text not null check (method in ('credit_memo', 'ach', 'check', 'wire')),
  currency char(3) not null,
  status text not null check (status in ('draft', 'released', 'final', 'reversed')),
  as_of date not null,
  payment_count integer not null default 0,
  total_amount numeric(18, 2) not null default 0,
  -- the total was above CLEARHOUSE_SETTLEMENT_RELEASE_LIMIT: an approver releases the batch
  release_required boolean not null default false,
  files text[] not null default '{}',
  created_by text,
  created_at timestamptz not null default now(),
  released_by text,
  released_at timestamptz,
  reversed_by text,
  reversed_at timestamptz
);
create index payment_batches_created on payment_batches (created_at desc);

create table settlement_payments (
  account_id text not null,
  claim_id text not null,
  batch_id text not null references payment_batches (batch_id),
  method text not null check (method in ('credit_memo', 'ach', 'check', 'wire')),
  currency char(3) not null,
  amount numeric(18, 2) not null check (amount > 0),
  status text not null default 'created' check (status in ('created', 'paid', 'reversed')),
  document_id text,                        -- the credit memo posted to receivables
  as_of date not null,
  created_at timestamptz not null default now(),
  reversed_at timestamptz,
  primary key (account_id, claim_id, batch_id),
  foreign key (account_id, claim_id) references claims (account_id, claim_id)
);
-- The guarantee: at most one payment per claim that is not reversed.
create unique index settlement_payments_once on settlement_payments (account_id, claim_id)
  where status <> 'reversed';
create index settlement_payments_batch on settlement_payments (batch_id);

alter table settlement_payments enable row level security;
create policy settlement_payments_scope on settlement_payments using (clearhouse_visible(account_id));
alter table payment_batches enable row level security;
create policy payment_batches_scope on payment_batches using (clearhouse_internal());
