-- Collection strategies: ordered steps (an e-mail template or a task) triggered by days past due, days after
-- the previous step, or the end of the month. The most specific strategy for an account's segment and
-- country wins; the one with neither is the default. The collections.strategies job runs the steps.
create table collection_strategies (
  strategy_id text primary key,
  name text not null,
  segment text,
  country char(2),
  created_at timestamptz not null default now()
);
-- One strategy per (segment, country) combination; the one with neither is the default.
create unique index collection_strategies_match
  on collection_strategies (coalesce(segment, ''), coalesce(country, ''));

create table strategy_steps (
  strategy_id text not null references collection_strategies (strategy_id) on delete cascade,
  step_no integer not null check (step_no > 0),
  trigger_kind text not null check (trigger_kind in ('days_past_due', 'days_after_previous', 'end_of_month')),
  trigger_days integer check (trigger_days >= 0),
  action text not null check (action in ('email', 'task')),
  -- E-mail templates: {{account_name}}, {{amount_past_due}}, {{currency}}, {{oldest_due_date}}.
  subject text,
  body text,
  -- The task to do ('call', 'escalate to sales', 'recommend credit hold', …).
  task text,
  primary key (strategy_id, step_no),
  check ((trigger_kind = 'end_of_month') = (trigger_days is null)),
  check ((action = 'email') = (subject is not null and body is not null)),
  check ((action = 'task') = (task is not null))
);

-- A step done for an account in a past-due cycle (keyed by the due date of the item whose falling past due
-- started it; a cycle goes on while the account stays past due):
-- never twice for the same cycle.
create table strategy_runs (
  account_id text not null,
  strategy_id text not null references collection_strategies (strategy_id),
  step_no integer not null,
  cycle date not null,
  run_date date not null,
  activity_id uuid,
  email_id uuid,
  created_at timestamptz not null default now(),
  primary key (account_id, strategy_id, step_no, cycle)
);
create index strategy_runs_latest on strategy_runs (account_id, cycle desc, run_date desc);

alter table strategy_runs enable row level security;
create policy strategy_runs_scope on strategy_runs using (clearhouse_visible(account_id));

insert into collection_strategies (strategy_id, name) values ('default', 'Default collection strategy');
insert into strategy_steps (strategy_id, step_no, trigger_kind, trigger_days, action, subject, body, task) values
  ('default', 1, 'days_past_due', 1, 'email', 'Friendly reminder: {{currency}} {{amount_past_due}} past due',
   E'Dear {{account_name}},\n\nour records show {{currency}} {{amount_past_due}} past due, the oldest item since {{oldest_due_date}}. If you have already paid, please disregard this reminder.\n\nKind regards\n', null),
  ('default', 2, 'days_past_due', 15, 'email', 'Past-due notice: {{currency}} {{amount_past_due}}',
   E'Dear {{account_name}},\n\n{{currency}} {{amount_past_due}} is past due, the oldest item since {{oldest_due_date}}. Please arrange payment or let us know why it is held.\n\nKind regards\n', null),
  ('default', 3, 'days_past_due', 30, 'task', null, null, 'call'),
  ('default', 4, 'days_past_due', 60, 'task', null, null, 'escalate to sales'),
  ('default', 5, 'days_past_due', 90, 'task', null, null, 'recommend credit hold'),
  ('default', 6, 'days_past_due', 120, 'email', 'Final demand: {{currency}} {{amount_past_due}}',
   E'Dear {{account_name}},\n\ndespite our reminders {{currency}} {{amount_past_due}} remains past due, the oldest item since {{oldest_due_date}}. Unless we receive payment within 7 days we will take further steps.\n\nKind regards\n', null);
