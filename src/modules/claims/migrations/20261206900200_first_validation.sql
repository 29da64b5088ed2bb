-- What a claim's first validation found (CONTROLS.md "Measures", first_pass_rate: claims whose first validation
-- found nothing on any line): later runs, corrections and resolutions change the findings, so the answer is kept
-- on the claim when it is validated for the first time, and never changed after. Null: not validated yet.
alter table claims add column first_validation_clean boolean;

-- The run writes a claim's results and findings, then moves it to `validated` (claims/validate.ts): at that
-- moment its findings are the first validation's.
create function claims_first_validation() returns trigger language plpgsql as $$
begin
  if new.first_validation_clean is null and new.validated_at is not null and old.validated_at is null then
    new.first_validation_clean := not exists (
      select 1 from claim_findings f where f.account_id = new.account_id and f.claim_id = new.claim_id);
  end if;
  return new;
end
$$;
create trigger claims_first_validation before update of validated_at on claims
  for each row execute function claims_first_validation();

-- Claims validated before: version 1 as kept in claim_versions when it was corrected, otherwise the findings
-- the claim has now (the best record there is).
update claims c set first_validation_clean = coalesce(
  (select not exists (select 1 from jsonb_array_elements(v.lines) l where jsonb_array_length(l -> 'findings') > 0)
   from claim_versions v
   where v.account_id = c.account_id and v.claim_id = c.claim_id and v.version = 1 and v.validated_at is not null),
  case when c.validated_at is not null or c.status in ('validated', 'in_review', 'approved', 'rejected', 'paid', 'closed')
    then not exists (select 1 from claim_findings f where f.account_id = c.account_id and f.claim_id = c.claim_id)
  end)
where c.status <> 'draft';

create index claims_submitted_first_validation on claims (submitted_date) where first_validation_clean is not null;
