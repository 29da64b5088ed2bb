-- Amounts decided by validation keep the currency's own minor unit: a yen amount is 101, not 101.00, and a
-- 3-decimal currency is not rounded a second time to cents. Unconstrained numeric keeps the scale it is
-- written with (validation writes approved amounts rounded to the minor unit; claimed amounts are kept as
-- the partner wrote them); entitled unit amounts (a percent of a sell-out price) keep every decimal.
alter table claim_lines
  alter column claimed_amount type numeric,
  alter column approved_amount type numeric,
  alter column calculated_amount type numeric,
  alter column approved_unit_amount type numeric;

-- An analyst's adjustment of a finding sets the line's amount down to this (never above what is claimed),
-- and an override or adjustment may cite the supporting document it rests on.
alter table claim_findings
  add column adjusted_amount numeric check (adjusted_amount >= 0),
  add column resolution_document_id uuid,
  add constraint claim_findings_adjusted check ((resolution = 'adjusted') = (adjusted_amount is not null));
