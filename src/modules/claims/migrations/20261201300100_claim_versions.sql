-- Earlier versions of a claim: when a partner corrects and resubmits, the version being replaced is kept
-- here as it stood (header, lines with their results and findings, resolutions), so the history of a claim
-- can be read in the portal and on the desk. Keyed by account_id first (sharding); row security as claims.
create table claim_versions (
  account_id text not null,
  claim_id text not null,
  version integer not null,
  program_id text not null,
  submitted_date date not null,
  currency char(3) not null,
  status text not null,
  validated_at timestamptz,
  decided_at timestamptz,
  decided_by text,
  claimed_amount numeric not null,
  approved_amount numeric,
  lines jsonb not null,
  superseded_at timestamptz not null default now(),
  superseded_by text,
  primary key (account_id, claim_id, version),
  foreign key (account_id, claim_id) references claims (account_id, claim_id) on delete cascade
);

alter table claim_versions enable row level security;
create policy claim_versions_scope on claim_versions using (clearhouse_visible(account_id));
