-- Settlement, second step: the payment date closes the claim's SLA clock, claims about to breach are paid
-- first and flagged, a batch the bank rejected is reversed (its claims go back to their decision and can be
-- paid again), ACH files may be CTX, and every file a run writes is kept with its batch for download.

-- When the claim was paid (the payment date of its payment; cleared again when the payment is reversed).
-- The claims SLA stops its clock on this date.
alter table claims add column paid_on date;

alter table payment_batches
  add column ach_format text check (ach_format in ('ccd', 'ctx')),
  -- the batch holds claims that were due soon or past their SLA on the run's date
  add column sla_priority boolean not null default false,
  add column reversal_reason text;

alter table settlement_payments
  -- the claim's decision before it was paid (approved or partially_approved), restored by a reversal
  add column claim_status text,
  -- the claim's SLA on the run's date; priority = due soon or breached, paid first
  add column sla_priority boolean not null default false,
  add column sla_state text,
  add column sla_due_date date,
  add column business_days_left integer,
  -- the payment date: the run's date, or the release date of a held batch
  add column paid_on date,
  add column reversed_on date,
  -- the debit memo that reverses a credit memo in receivables
  add column reversal_document_id text;

-- Every file of a batch (NACHA, CSVs, PDFs, advices), kept in the database with the payments it belongs to,
-- so the batch page serves exactly what the run wrote, from any machine, however the run's folder fares.
create table payment_batch_files (
  batch_id text not null references payment_batches (batch_id),
  file_name text not null,
  -- nacha, credit_memos, check_register, wire_instructions, advice
  kind text not null,
  -- an advice belongs to one partner
  account_id text,
  media_type text not null,
  size_bytes integer not null,
  sha256 text not null,
  content bytea not null,
  created_at timestamptz not null default now(),
  primary key (batch_id, file_name)
);

alter table payment_batch_files enable row level security;
create policy payment_batch_files_scope on payment_batch_files using (clearhouse_internal());

-- Batches released (or final) before this step paid their claims: record them as paid on the run's date.
update settlement_payments s set status = 'paid', paid_on = s.as_of
from payment_batches b
where b.batch_id = s.batch_id and b.status in ('released', 'final') and s.status <> 'reversed';
update settlement_payments set paid_on = as_of where status = 'paid' and paid_on is null;
update claims c set status = 'paid', paid_on = s.paid_on
from settlement_payments s
where s.account_id = c.account_id and s.claim_id = c.claim_id and s.status = 'paid'
  and c.status in ('in_payment', 'paid');
-- The decision each earlier payment replaced, from its audit event.
update settlement_payments s set claim_status = coalesce(
  (select e.before->>'status' from audit_events e
   where e.entity_type = 'claim' and e.entity_id = s.claim_id and e.action = 'payment_created'
     and e.after->>'batch_id' = s.batch_id
   order by e.occurred_at desc limit 1),
  'approved')
where claim_status is null;
