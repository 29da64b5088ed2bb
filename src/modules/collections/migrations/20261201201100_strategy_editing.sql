-- Collection strategies become editable by administrators. A step gets a stable id (steps are renumbered
-- when a strategy is edited; what was done is remembered by step id), a kind (what it is for: the e-mail
-- kinds courtesy_reminder, past_due_notice and final_demand, the task kinds call, escalate_to_sales and
-- credit_hold_recommendation) and, for tasks, an SLA in business days.
alter table collection_strategies add column updated_at timestamptz not null default now();
alter table collection_strategies add column description text not null default '';

alter table strategy_steps add column step_id uuid not null default gen_random_uuid();
create unique index strategy_steps_step_id on strategy_steps (step_id);
alter table strategy_steps add column kind text;
update strategy_steps set kind = case
    when action = 'task' and task = 'call' then 'call'
    when action = 'task' and task like 'escalate%' then 'escalate_to_sales'
    when action = 'task' and task like '%credit hold%' then 'credit_hold_recommendation'
    when action = 'task' then 'call'
    when subject ilike 'final demand%' then 'final_demand'
    when subject ilike 'past-due notice%' then 'past_due_notice'
    when step_no = 1 then 'courtesy_reminder'
    else 'past_due_notice'
  end;
alter table strategy_steps alter column kind set not null;
alter table strategy_steps add constraint strategy_steps_kind check (
  (action = 'email' and kind in ('courtesy_reminder', 'past_due_notice', 'final_demand'))
  or (action = 'task' and kind in ('call', 'escalate_to_sales', 'credit_hold_recommendation')));
alter table strategy_steps add column sla_business_days integer check (sla_business_days between 1 and 60);
update strategy_steps set sla_business_days = case kind when 'call' then 2 when 'escalate_to_sales' then 5 else 3 end
  where action = 'task';
alter table strategy_steps add constraint strategy_steps_sla check ((action = 'task') = (sla_business_days is not null));

-- What was done stays as it was done: a run names its step by id and keeps the step's kind and a label, so
-- editing or deleting a strategy never rewrites history (and a deleted strategy's runs stay).
alter table strategy_runs add column step_id uuid;
alter table strategy_runs add column kind text;
alter table strategy_runs add column label text;
alter table strategy_runs add column task_id uuid;
update strategy_runs r set step_id = s.step_id, kind = s.kind
  from strategy_steps s where s.strategy_id = r.strategy_id and s.step_no = r.step_no;
update strategy_runs set step_id = gen_random_uuid() where step_id is null;
alter table strategy_runs alter column step_id set not null;
alter table strategy_runs drop constraint strategy_runs_pkey;
alter table strategy_runs add primary key (account_id, step_id, cycle);
alter table strategy_runs drop constraint strategy_runs_strategy_id_fkey;
-- At most one step a day per account, whoever runs the job.
create unique index strategy_runs_one_a_day on strategy_runs (account_id, run_date);
create index strategy_runs_cycle on strategy_runs (account_id, cycle, run_date);
