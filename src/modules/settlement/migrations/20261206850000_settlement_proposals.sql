-- Payment proposals: the approved claims a settlement run would pay on a payment date, reviewed before they
-- are paid. A settler builds one, excludes claims with a reason (or takes them back), and submits it: the run
-- then pays exactly the claims still included. The database's guards on payments stay the only protection
-- against paying a claim twice; a proposal only narrows what a run may pay.
create sequence payment_proposal_seq;

create table payment_proposals (
  proposal_id text primary key,
  -- the payment date: a business day of the company's calendar
  as_of date not null,
  -- open until submitted; an open proposal whose payment date has passed is expired (read as such)
  status text not null default 'open' check (status in ('open', 'submitted')),
  created_by text,
  created_by_user_id text,
  created_at timestamptz not null default now(),
  submitted_by text,
  submitted_at timestamptz,
  -- what the submit did: the batches, the claims paid, and those not paid with the reason
  result jsonb
);
create index payment_proposals_created on payment_proposals (created_at desc);

-- One line per claim the proposal found: payable (blocker null) or held back by a blocker (no bank details,
-- an amount above the largest ACH entry …). Keyed by account first like every per-claim table.
create table payment_proposal_lines (
  account_id text not null,
  proposal_id text not null references payment_proposals (proposal_id) on delete cascade,
  claim_id text not null,
  method text not null,
  currency char(3) not null,
  -- approved − what deductions settled: what the run would pay
  amount numeric(18, 2) not null,
  submitted_date date,
  sla_priority boolean not null default false,
  sla_state text,
  sla_due_date date,
  blocker text,
  excluded boolean not null default false,
  exclusion_reason text,
  excluded_by text,
  excluded_at timestamptz,
  primary key (account_id, proposal_id, claim_id)
);
create index payment_proposal_lines_proposal on payment_proposal_lines (proposal_id);

alter table payment_proposals enable row level security;
create policy payment_proposals_scope on payment_proposals using (clearhouse_internal());
alter table payment_proposal_lines enable row level security;
create policy payment_proposal_lines_scope on payment_proposal_lines
  using (clearhouse_internal() and clearhouse_visible(account_id));

-- A release is a decision: who released it, with their comment (required), and who made the batch, so the
-- person who submitted a run cannot release its batches themselves.
alter table payment_batches add column release_comment text;
alter table payment_batches add column created_by_user_id text;
alter table payment_batches add column proposal_id text;
