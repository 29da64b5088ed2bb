-- Collections: the activity trail of an account and its items (comments, calls, promises, status changes —
-- the ERP comment trail) and promises to pay. Keyed by account_id first like every table that grows with the
-- business; row security scopes both to the caller's accounts.
create table activities (
  account_id text not null,
  activity_id uuid not null default gen_random_uuid(),
  -- The item (ar_documents or ar_payments id) the activity is about; null = the account as a whole.
  document_id text,
  kind text not null check (kind in ('comment', 'call', 'email', 'promise', 'status', 'document', 'task')),
  body text not null default '',
  outcome text check (outcome in ('reached', 'no_answer', 'left_message', 'disputed', 'promised')),
  promise_id uuid,
  occurred_at timestamptz not null default clock_timestamp(),
  actor text not null,
  actor_id text,
  created_at timestamptz not null default now(),
  primary key (account_id, activity_id),
  check ((kind = 'call') = (outcome is not null))
);
create index activities_time on activities (account_id, occurred_at desc);
create index activities_document on activities (document_id, occurred_at desc) where document_id is not null;

-- A promise to pay: an amount by a date for some items (none listed = any payment from the account). The
-- collections.promises job decides it once: kept when applications (payments when no items) dated from
-- made_on to promised_date + grace cover the amount, broken when that day has passed without.
create table promises (
  account_id text not null,
  promise_id uuid not null default gen_random_uuid(),
  amount numeric(18, 2) not null check (amount > 0),
  currency char(3) not null,
  made_on date not null,
  promised_date date not null,
  document_ids text[] not null default '{}',
  status text not null default 'open' check (status in ('open', 'kept', 'broken', 'cancelled')),
  covered_amount numeric(18, 2),
  decided_at timestamptz,
  note text not null default '',
  created_at timestamptz not null default now(),
  created_by text default nullif(current_setting('clearhouse.actor', true), ''),
  primary key (account_id, promise_id),
  check (promised_date >= made_on)
);
create unique index promises_promise_id on promises (promise_id);
create index promises_open on promises (promised_date) where status = 'open';

-- The trail is append-only for the application.
revoke update, delete, truncate on activities from clearhouse_app;
alter table activities enable row level security;
create policy activities_scope on activities using (clearhouse_visible(account_id));
alter table promises enable row level security;
create policy promises_scope on promises using (clearhouse_visible(account_id));
