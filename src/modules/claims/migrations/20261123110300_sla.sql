-- SLA alerts: the warning recorded when a claim enters "due soon" and the escalation recorded when it breaches
-- its SLA, each at most once per claim (the daily job inserts with on conflict do nothing). The desk reads them
-- until e-mail notifications arrive. Keyed by account_id first (sharding); row security as for claims.
create table claim_sla_alerts (
  account_id text not null,
  claim_id text not null,
  kind text not null check (kind in ('warning', 'escalation')),
  sla_state text not null,
  submitted_date date not null,
  due_date date not null,
  target_business_days integer not null,
  business_days_left integer not null,
  urgent boolean not null default false,
  as_of date not null,
  created_at timestamptz not null default now(),
  primary key (account_id, claim_id, kind),
  foreign key (account_id, claim_id) references claims (account_id, claim_id) on delete cascade
);
create index claim_sla_alerts_recent on claim_sla_alerts (created_at desc);

alter table claim_sla_alerts enable row level security;
create policy claim_sla_alerts_scope on claim_sla_alerts using (clearhouse_visible(account_id));
