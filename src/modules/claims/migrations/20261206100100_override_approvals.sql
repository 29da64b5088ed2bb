-- Approvers approve overrides (SPEC.md roles): an analyst's override (or adjustment) of a finding whose rule
-- needs approval in the partner's country waits for an approver or manager other than the one who resolved
-- it, and the claim cannot be approved until then. Who resolved a finding is kept by user id as well as by
-- name, so "not the same person" is decided on the id.
alter table claim_findings
  add column resolved_by_id text,
  add column override_approved_by text,
  add column override_approved_by_id text,
  add column override_approved_at timestamptz;

-- Which rules' overrides need an approver, per country of the claiming partner; the row '*' holds the
-- default for every country without a row of its own (an empty list: no approval needed there). Company
-- configuration, administered by administrators; not partner data.
create table override_approval_rules (
  country text primary key check (country = '*' or country ~ '^[A-Z]{2}$'),
  rule_codes text[] not null default '{}',
  updated_by text,
  updated_at timestamptz not null default now()
);
insert into override_approval_rules (country, rule_codes, updated_by) values ('*', array[
  'PROGRAM_UNKNOWN', 'PARTNER_NOT_ENROLLED', 'CURRENCY_MISMATCH', 'SALE_OUTSIDE_PERIOD', 'LATE_SUBMISSION',
  'PRODUCT_NOT_ELIGIBLE', 'DEAL_UNKNOWN', 'END_CUSTOMER_MISMATCH', 'NO_SELL_OUT_MATCH', 'DUPLICATE_CLAIM',
  'NO_SELL_IN', 'PRICE_DROP_NOT_FOUND'], 'migration');

-- Whether overriding a rule on a claim of this account needs an approver: the list of the account's
-- country, or the default. Security definer: a partner reading its claim is told an override waits for
-- approval without reading the company's configuration or other accounts.
create function override_needs_approval(p_account_id text, p_rule_code text) returns boolean
language sql stable security definer set search_path = public as $$
  select coalesce(
    (select p_rule_code = any (r.rule_codes) from override_approval_rules r
     where r.country = (select a.country from accounts a where a.account_id = p_account_id)),
    (select p_rule_code = any (r.rule_codes) from override_approval_rules r where r.country = '*'),
    false)
$$;
