-- Policies (RULES.md "Policies"): effective-dated settings per country or per customer that change how claims
-- are validated, paid and timed. The policy of a claim is taken on its submitted date: the latest country
-- policy (the partner's country) and the latest account policy in force that day; a field filled in the
-- account's policy wins over the same field of the country's.
create table policies (
  scope text not null check (scope in ('country', 'account')),
  scope_id text not null,
  effective_date date not null,
  -- rule codes that do not run: no finding, and no limit of their own on the line
  disabled_rules text[],
  -- days added to the program's claim_window_days for LATE_SUBMISSION
  late_grace_days integer check (late_grace_days between 0 and 3650),
  -- document types required on top of the program's (MISSING_DOCUMENT)
  required_documents text[],
  -- the SLA target in business days, instead of the program's
  sla_business_days integer check (sla_business_days between 1 and 365),
  -- the payment methods claims may be paid by (a claim whose program pays otherwise waits, with the reason)
  payment_methods text[],
  -- rule codes whose override (or adjustment) needs an approver, instead of the administered country list
  override_approval_rules text[],
  note text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  updated_by text default nullif(current_setting('clearhouse.actor', true), ''),
  primary key (scope, scope_id, effective_date)
);

alter table policies enable row level security;
create policy policies_desk on policies using (clearhouse_internal());

-- The policy in force for an account on a day, merged: each field from the account's policy when it fills it,
-- else from its country's. The effective dates tell which policies applied.
create function clearhouse_policy(p_account_id text, p_on date)
returns table (
  country_date date,
  account_date date,
  country text,
  disabled_rules text[],
  late_grace_days integer,
  required_documents text[],
  sla_business_days integer,
  payment_methods text[],
  override_approval_rules text[]
)
language sql stable security definer set search_path = public as $$
  select cp.effective_date, ap.effective_date, a.country,
    coalesce(ap.disabled_rules, cp.disabled_rules),
    coalesce(ap.late_grace_days, cp.late_grace_days),
    coalesce(ap.required_documents, cp.required_documents),
    coalesce(ap.sla_business_days, cp.sla_business_days),
    coalesce(ap.payment_methods, cp.payment_methods),
    coalesce(ap.override_approval_rules, cp.override_approval_rules)
  from (select p_account_id as account_id) x
  left join accounts a on a.account_id = x.account_id
  left join lateral (
    select p.* from policies p
    where p.scope = 'country' and p.scope_id = a.country and p.effective_date <= p_on
    order by p.effective_date desc limit 1
  ) cp on true
  left join lateral (
    select p.* from policies p
    where p.scope = 'account' and p.scope_id = x.account_id and p.effective_date <= p_on
    order by p.effective_date desc limit 1
  ) ap on true
$$;

-- Which policies a claim's latest validation applied (their effective dates; the scope ids are the claim's
-- account and its country).
alter table claims
  add column policy_country_date date,
  add column policy_account_date date;

-- A policy's override_approval_rules, in force today for the account, win over the administered list.
create or replace function override_needs_approval(p_account_id text, p_rule_code text) returns boolean
language sql stable security definer set search_path = public as $$
  select coalesce(
    (select p_rule_code = any (pol.override_approval_rules) from public.clearhouse_policy(p_account_id, current_date) pol
     where pol.override_approval_rules is not null),
    (select p_rule_code = any (r.rule_codes) from override_approval_rules r
     where r.country = (select a.country from accounts a where a.account_id = p_account_id)),
    (select p_rule_code = any (r.rule_codes) from override_approval_rules r where r.country = '*'),
    false)
$$;

-- The SLA target a claim's policies set (the account's over the country's), or null: read by the SLA clock for
-- the desk and the partner alike (policies themselves are the company's own).
create function claim_policy_sla(p_account_id text, p_country text, p_country_date date, p_account_date date)
returns integer
language sql stable security definer set search_path = public as $$
  select coalesce(
    (select p.sla_business_days from policies p where p_account_date is not null and p.scope = 'account'
       and p.scope_id = p_account_id and p.effective_date = p_account_date),
    (select p.sla_business_days from policies p where p_country_date is not null and p.scope = 'country'
       and p.scope_id = p_country and p.effective_date = p_country_date))
$$;
