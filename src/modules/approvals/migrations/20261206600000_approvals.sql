-- Approvals: requests that change money (adjustments today, credit limits later) wait for approvals from
-- users whose approval limit in the request's currency covers the amount (CONTROLS.md, the approval chain).
-- The company's own records: partners never see them (row security on the account like everything else).

-- Each user's approval limit per currency; none means the user approves nothing in that currency.
create table approval_limits (
  user_id uuid not null references users (user_id) on delete cascade,
  currency char(3) not null,
  amount numeric(18, 2) not null check (amount >= 0),
  updated_at timestamptz not null default now(),
  updated_by text,
  primary key (user_id, currency)
);

-- Above this amount (in the request's currency) a request needs two approvals; 25,000.00 when a currency has
-- no row of its own ('*' is every currency's default).
create table approval_thresholds (
  currency text primary key check (currency = '*' or currency ~ '^[A-Z]{3}$'),
  second_level numeric(18, 2) not null check (second_level >= 0)
);
insert into approval_thresholds (currency, second_level) values ('*', 25000.00);

create table approval_requests (
  request_id bigint generated always as identity primary key,
  subject_type text not null,
  subject_id text not null,
  -- The account the subject belongs to ('' for a request spanning several accounts), for row security.
  account_id text not null default '',
  title text not null,
  currency char(3) not null,
  amount numeric(18, 2) not null check (amount > 0),
  approvals_needed int not null check (approvals_needed between 1 and 2),
  status text not null default 'pending' check (status in ('pending', 'approved', 'refused')),
  requested_by uuid,
  requested_by_name text not null,
  requested_at timestamptz not null default now(),
  decided_at timestamptz,
  -- When the approvers were last reminded of it (the reminder job).
  reminded_at timestamptz,
  unique (subject_type, subject_id)
);
create index approval_requests_pending on approval_requests (requested_at) where status = 'pending';

-- One decision per user and request (a double click or a retry never counts twice); at most one refusal.
create table approval_decisions (
  request_id bigint not null references approval_requests (request_id),
  user_id uuid not null,
  user_name text not null,
  decision text not null check (decision in ('approve', 'refuse')),
  comment text,
  decided_at timestamptz not null default now(),
  primary key (request_id, user_id)
);
revoke update, delete, truncate on approval_decisions from clearhouse_app;

alter table approval_requests enable row level security;
create policy approval_requests_scope on approval_requests using (clearhouse_visible(account_id));
alter table approval_decisions enable row level security;
create policy approval_decisions_scope on approval_decisions using (
  exists (select 1 from approval_requests r where r.request_id = approval_decisions.request_id)
);
