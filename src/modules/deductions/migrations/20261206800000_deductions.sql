-- Deductions (MATCHING.md "Deductions"): the customer's reason code maps to a category, the category to the
-- team (queue) that owns it; rebate and special-bid deductions are validated against the customer's claims
-- and settle them. Deduction items themselves are the cash module's `deductions` rows (from short pays) or
-- come from deductions.csv; both are open receivables (ar_documents of type deduction).

-- The customer's own reason codes, mapped to ours (reason_codes.csv). A code with no mapping is unknown.
create table deduction_reason_codes (
  account_id text not null references accounts (account_id),
  customer_code text not null,
  category text not null check (category in ('rebate', 'price_discount', 'special_bid', 'marketing', 'returns',
    'freight', 'shortage', 'tax', 'unknown')),
  updated_at timestamptz not null default now(),
  updated_by text default nullif(current_setting('clearhouse.actor', true), ''),
  primary key (account_id, customer_code)
);

-- The teams that own deductions, with their SLA in business days (administered on the desk).
create table deduction_queues (
  queue text primary key check (queue in ('rebates', 'sales', 'marketing', 'returns', 'distribution', 'tax',
    'collections')),
  sla_business_days integer not null check (sla_business_days between 1 and 120),
  -- where the queue's mail goes (the team's shared mailbox); null: the users with the queue's role
  email text,
  updated_at timestamptz not null default now(),
  updated_by text
);
insert into deduction_queues (queue, sla_business_days) values
  ('rebates', 10), ('sales', 15), ('marketing', 15), ('returns', 10), ('distribution', 10), ('tax', 10),
  ('collections', 5);

alter table deductions
  -- import: deductions.csv; cash: a short pay of cash application
  add column source text not null default 'cash' check (source in ('cash', 'import')),
  add column category text not null default 'unknown' check (category in ('rebate', 'price_discount',
    'special_bid', 'marketing', 'returns', 'freight', 'shortage', 'tax', 'unknown')),
  add column queue text not null default 'collections' references deduction_queues (queue),
  -- who moved it to another queue than its category's (null: routed by its category)
  add column queue_set_by text,
  add column queue_set_at timestamptz,
  -- the SLA clock: starts when the deduction is taken (or moved to another queue)
  add column queue_since date,
  add column sla_due_date date,
  add column validation text check (validation in ('valid', 'partially_valid', 'invalid', 'unmatched',
    'not_applicable')),
  add column finding text check (finding in ('CLAIM_NOT_FOUND', 'CLAIM_NOT_APPROVED', 'CLAIM_ALREADY_PAID',
    'EXCEEDS_APPROVED')),
  add column finding_detail text,
  add column claim_ids text[] not null default '{}',
  add column valid_amount numeric(18, 2) not null default 0,
  add column invalid_amount numeric(18, 2) not null default 0,
  add column validated_at timestamptz,
  -- suggestions for an unmatched deduction: [{claim_ids: [...], amount, score}]
  add column suggestions jsonb not null default '[]',
  add column assignee text,
  -- denial: the letter, the payback expected by payback_due_date, escalated when not received in time
  add column denied_on date,
  add column denied_by text,
  add column denial_document_id uuid,
  add column payback_due_date date,
  add column escalated_on date,
  add column resolved_on date,
  add column resolution_note text,
  add column adjustment_id text;
-- reversed: the cash decision that made it was undone (the deduction no longer exists)
alter table deductions add constraint deductions_status_check
  check (status in ('open', 'cleared', 'denied', 'repaid', 'credited', 'written_off', 'reversed'));
alter table deductions add constraint deductions_split_check
  check (valid_amount >= 0 and invalid_amount >= 0 and valid_amount + invalid_amount <= amount);
update deductions set queue_since = deduction_date where queue_since is null;
create index deductions_queue on deductions (queue, status, sla_due_date);
create index deductions_pending on deductions (account_id, deduction_date, deduction_id) where validation is null
  or validation = 'unmatched';

-- Which claims a deduction settled, and for how much (paid by deduction). A reversed settlement keeps its row.
create table deduction_claims (
  account_id text not null,
  deduction_id text not null,
  claim_id text not null,
  -- a deduction reopened and cleared again against the same claim settles it anew
  seq integer not null default 1,
  amount numeric(18, 2) not null check (amount > 0),
  settled_on date not null,
  -- the credit memo that carries the rebate to the deduction item (applied to it)
  document_id text not null,
  created_at timestamptz not null default now(),
  created_by text default nullif(current_setting('clearhouse.actor', true), ''),
  reversed_at timestamptz,
  primary key (account_id, deduction_id, claim_id, seq),
  foreign key (account_id, claim_id) references claims (account_id, claim_id)
);
create index deduction_claims_claim on deduction_claims (account_id, claim_id);

-- The guard that a claim is never settled twice: what deductions settled and what a settlement run paid,
-- never more than the claim's approved amount. A deduction and a settlement run racing for one claim both
-- upsert this row; the row lock orders them, the second sees what the first did, and the check refuses
-- anything that would settle more than was approved.
create table claim_settlements (
  account_id text not null,
  claim_id text not null,
  approved_amount numeric not null check (approved_amount >= 0),
  deducted_amount numeric not null default 0 check (deducted_amount >= 0),
  paid_amount numeric not null default 0 check (paid_amount >= 0),
  updated_at timestamptz not null default now(),
  primary key (account_id, claim_id),
  foreign key (account_id, claim_id) references claims (account_id, claim_id),
  constraint claim_settlements_within_approved check (deducted_amount + paid_amount <= approved_amount)
);

-- A claim may now be paid by deduction.
alter table claims add column paid_by text check (paid_by in ('settlement', 'deduction', 'both'));

alter table deduction_reason_codes enable row level security;
create policy deduction_reason_codes_desk on deduction_reason_codes using (clearhouse_internal());
alter table deduction_queues enable row level security;
create policy deduction_queues_read on deduction_queues for select using (true);
create policy deduction_queues_desk on deduction_queues for update using (clearhouse_internal());
alter table deduction_claims enable row level security;
create policy deduction_claims_scope on deduction_claims using (clearhouse_visible(account_id));
alter table claim_settlements enable row level security;
create policy claim_settlements_scope on claim_settlements using (clearhouse_visible(account_id));

-- A deduction whose settlements a person reversed is left for a person: validation does not pick it again.
alter table deductions add column manual boolean not null default false;
