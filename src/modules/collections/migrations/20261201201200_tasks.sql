-- Tasks routed to a team's queue (collections, sales, credit) or a person: calls to make, payment delays
-- escalated to the sales owner, credit-hold recommendations. Each has an SLA in business days (of the
-- account's country) from the day it was opened; an open task past its due date is overdue. Completing one
-- records its outcome, and the account's timeline shows both.
create table tasks (
  account_id text not null,
  task_id uuid not null default gen_random_uuid(),
  kind text not null check (kind in ('call', 'escalate_to_sales', 'credit_hold_recommendation')),
  queue text not null check (queue in ('collections', 'sales', 'credit')),
  -- The person it is for (a user's e-mail), when known: the collector, the sales owner.
  assignee text,
  title text not null,
  body text not null default '',
  document_ids text[] not null default '{}',
  opened_on date not null,
  sla_business_days integer not null check (sla_business_days between 1 and 60),
  due_date date not null,
  status text not null default 'open' check (status in ('open', 'done', 'cancelled')),
  outcome text,
  outcome_note text,
  completed_at timestamptz,
  completed_by text,
  -- Where it came from: a collection-strategy step (strategy, step, cycle) or a person.
  source text not null check (source in ('strategy', 'manual')),
  strategy_id text,
  step_id uuid,
  cycle date,
  created_at timestamptz not null default now(),
  created_by text default nullif(current_setting('clearhouse.actor', true), ''),
  primary key (account_id, task_id),
  check (due_date >= opened_on),
  check ((status = 'open') = (completed_at is null))
);
create unique index tasks_task_id on tasks (task_id);
create index tasks_open on tasks (queue, due_date) where status = 'open';
create index tasks_account on tasks (account_id, created_at desc);
alter table tasks enable row level security;
create policy tasks_scope on tasks using (clearhouse_visible(account_id));

alter table activities add column task_id uuid;
