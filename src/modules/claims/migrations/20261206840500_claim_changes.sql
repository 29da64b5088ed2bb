-- The claim queue and the claim log count and page every claim the caller may see: a server keeps their
-- answers (src/db/kept-answers.ts) while nothing they were read from has changed. Every statement that changes
-- one of those tables leaves a row here, tagged with its transaction; one row per statement, not per row.
-- The tables read: claims, their lines, results and findings, accounts, programs and program versions, and the
-- business holidays of the SLA.
create table claim_changes (
  xid xid8 not null default pg_current_xact_id(),
  changed_at timestamptz not null default now()
);
create index claim_changes_xid on claim_changes (xid);

create function claim_inputs_changed() returns trigger language plpgsql as $$
begin
  insert into claim_changes default values;
  return null;
end
$$;

create trigger claims_claim_changes after insert or update or delete or truncate on claims
  for each statement execute function claim_inputs_changed();
create trigger claim_line_inputs_claim_changes after insert or update or delete or truncate on claim_line_inputs
  for each statement execute function claim_inputs_changed();
create trigger claim_line_results_claim_changes after insert or update or delete or truncate on claim_line_results
  for each statement execute function claim_inputs_changed();
create trigger claim_findings_claim_changes after insert or update or delete or truncate on claim_findings
  for each statement execute function claim_inputs_changed();
create trigger accounts_claim_changes after insert or update or delete or truncate on accounts
  for each statement execute function claim_inputs_changed();
create trigger programs_claim_changes after insert or update or delete or truncate on programs
  for each statement execute function claim_inputs_changed();
create trigger program_versions_claim_changes after insert or update or delete or truncate on program_versions
  for each statement execute function claim_inputs_changed();
create trigger business_holidays_claim_changes after insert or update or delete or truncate on business_holidays
  for each statement execute function claim_inputs_changed();
