-- Working deductions (MATCHING.md "Resolution"): routing rules that send deductions to another team than
-- their category's, and what denial, payback and the teams' actions need.

-- A rule sends the deductions it covers to a queue: per account, category and customer reason code, each
-- optional (at least one given). When several rules cover a deduction the most specific wins: the account's
-- own before any account's, then a reason code before none, then a category before none (routeQueueSql).
create table deduction_routing_rules (
  rule_id bigint generated always as identity primary key,
  account_id text references accounts (account_id),
  category text check (category in ('rebate', 'price_discount', 'special_bid', 'marketing', 'returns',
    'freight', 'shortage', 'tax', 'unknown')),
  customer_code text check (customer_code <> ''),
  queue text not null references deduction_queues (queue),
  note text,
  created_at timestamptz not null default now(),
  created_by text default nullif(current_setting('clearhouse.actor', true), ''),
  updated_at timestamptz not null default now(),
  check (account_id is not null or category is not null or customer_code is not null)
);
-- One rule per combination, so that the most specific one is always a single rule.
create unique index deduction_routing_rules_key on deduction_routing_rules
  (coalesce(account_id, ''), coalesce(category, ''), coalesce(customer_code, ''));

alter table deduction_routing_rules enable row level security;
create policy deduction_routing_rules_desk on deduction_routing_rules using (clearhouse_internal());

-- The daily payback check reads the denied deductions by their due date.
create index deductions_payback on deductions (payback_due_date) where status = 'denied';

-- A deduction written off after all (not worth pursuing) goes through an approved write-off with this reason.
insert into adjustment_reasons (reason_code, description, kinds) values
  ('DEDUCTION_WRITTEN_OFF', 'Deduction written off: not worth pursuing', array['write_off'])
on conflict (reason_code) do nothing;
