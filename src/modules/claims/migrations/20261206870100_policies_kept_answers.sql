-- Policies are inputs of the claims' SLA (claim_policy_sla) and of the answers a server keeps for the claim
-- queue and the claim log (src/db/kept-answers.ts): a change of a policy, or of which policies a claim's
-- validation applied, makes the stored SLA states stale and the kept claim answers old. Disputes change what
-- the collector's worklist chases: they count as receivable changes.
create function claims_sla_policy_dates_changed() returns trigger language plpgsql as $$
begin
  new.sla_stale := true;
  return new;
end
$$;
create trigger claims_sla_policy_dates before update of policy_country_date, policy_account_date on claims
  for each row
  when ((new.policy_country_date, new.policy_account_date) is distinct from (old.policy_country_date, old.policy_account_date))
  execute function claims_sla_policy_dates_changed();

create function claims_sla_policies_changed() returns trigger language plpgsql as $$
begin
  update claims set sla_stale = true
  where (policy_country_date is not null or policy_account_date is not null) and not sla_stale;
  insert into claim_changes default values;
  return null;
end
$$;
create trigger policies_claims_sla after insert or update or delete or truncate on policies
  for each statement execute function claims_sla_policies_changed();

create trigger disputes_receivable_changes after insert or update or delete or truncate on disputes
  for each statement execute function receivable_inputs_changed();
