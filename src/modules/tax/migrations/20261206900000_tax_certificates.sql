-- Tax-exempt certificates (CONTROLS.md "Tax-exempt certificates", FORMATS.md "Credit and tax"): a customer's
-- certificate for one jurisdiction, requested by e-mail, received (uploaded in the portal or on the desk, or
-- loaded from tax_certificates.csv), then validated or rejected by the tax team. A validated certificate
-- covers an invoice dated within its effective and expiry dates (both included); "expired" is a date, not a
-- status. Invoices that name their tax jurisdiction are checked against them.

alter table ar_documents add column tax_jurisdiction text;
create index ar_documents_tax_jurisdiction on ar_documents (account_id, tax_jurisdiction)
  where tax_jurisdiction is not null;

create sequence tax_certificate_numbers;

create table tax_certificates (
  account_id text not null,
  -- Our own id (TC-000001): a requested certificate has no number of its own yet.
  certificate_id text not null default 'TC-' || lpad(nextval('tax_certificate_numbers')::text, 6, '0'),
  jurisdiction text not null check (jurisdiction ~ '^[A-Z]{2}(-[A-Z0-9]{1,3})?$'),
  certificate_number text,
  exempt_reason text,
  effective_date date,
  expiry_date date,
  status text not null default 'received' check (status in ('requested', 'received', 'validated', 'rejected')),
  -- The certificate's file as tax_certificates.csv names it, and the stored document once it is attached.
  file_name text,
  document_id uuid,
  -- The request: who asked, when, and the e-mail that asked the billing contact.
  requested_on date,
  requested_by text,
  request_email_id uuid,
  received_on date,
  received_by text,
  received_by_id uuid,
  -- The tax team's decision.
  decided_on date,
  decided_by text,
  decided_by_id uuid,
  rejection_reason text,
  -- The collector's task opened when it expired (once).
  expiry_task_id uuid,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (account_id, certificate_id),
  check (expiry_date is null or effective_date is null or expiry_date >= effective_date),
  check (status = 'requested' or certificate_number is not null),
  check (status <> 'validated' or effective_date is not null)
);
create unique index tax_certificates_certificate_id on tax_certificates (certificate_id);
-- The template's key (FORMATS.md): account, jurisdiction and the certificate's own number.
create unique index tax_certificates_key on tax_certificates (account_id, jurisdiction, certificate_number);
create index tax_certificates_queue on tax_certificates (status, updated_at) where status in ('requested', 'received');
create index tax_certificates_expiry on tax_certificates (expiry_date) where status = 'validated';
-- One open request at a time per account and jurisdiction.
create unique index tax_certificates_one_request on tax_certificates (account_id, jurisdiction)
  where status = 'requested';

-- Each expiry reminder (60 and 30 days before, and on the day) is sent once per certificate.
create table tax_certificate_reminders (
  account_id text not null,
  certificate_id text not null,
  days_before integer not null check (days_before in (60, 30, 0)),
  reminded_on date not null,
  email_ids uuid[] not null default '{}',
  created_at timestamptz not null default now(),
  primary key (account_id, certificate_id, days_before),
  foreign key (account_id, certificate_id) references tax_certificates (account_id, certificate_id)
);
revoke update, delete, truncate on tax_certificate_reminders from clearhouse_app;

-- A partner sees (and uploads) only its own certificates; the desk sees all. The restrictive policy gives
-- the planner the account_id condition for partners, like every account-keyed table.
alter table tax_certificates enable row level security;
create policy tax_certificates_scope on tax_certificates using (
  (select coalesce(current_setting('clearhouse.scope', true), '') = '*')
  or account_id = any ((select string_to_array(nullif(current_setting('clearhouse.scope', true), ''), ','))::text[]));
create policy tax_certificates_partner_accounts on tax_certificates as restrictive for select to clearhouse_partner
  using (account_id = any ((select string_to_array(nullif(current_setting('clearhouse.scope', true), ''), ','))::text[]));
alter table tax_certificate_reminders enable row level security;
create policy tax_certificate_reminders_scope on tax_certificate_reminders using (
  (select coalesce(current_setting('clearhouse.scope', true), '') = '*')
  or account_id = any ((select string_to_array(nullif(current_setting('clearhouse.scope', true), ''), ','))::text[]));
create policy tax_certificate_reminders_partner_accounts on tax_certificate_reminders as restrictive for select
  to clearhouse_partner
  using (account_id = any ((select string_to_array(nullif(current_setting('clearhouse.scope', true), ''), ','))::text[]));

-- The collector's task when a certificate expires.
alter table tasks drop constraint tasks_kind_check;
alter table tasks add constraint tasks_kind_check
  check (kind in ('call', 'escalate_to_sales', 'credit_hold_recommendation', 'renew_tax_certificate'));
alter table tasks drop constraint tasks_source_check;
alter table tasks add constraint tasks_source_check check (source in ('strategy', 'manual', 'tax_certificate'));
