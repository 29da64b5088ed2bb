-- Reviews (CONTROLS.md, "Reviews"): the collectors' comments on the Top 40 accounts before a review, the WD8
-- packets generated per country and month, and the report packets managers schedule. The company's own records:
-- partners never see them (row security: the desk only).

-- The comment a collector writes on a Top 40 account for the review of an as-of date (the month end the WD8
-- review looks at, or any other date). One per account and date; changes are audited (before and after).
create table review_comments (
  account_id text not null references accounts (account_id),
  as_of date not null,
  comment text not null check (length(comment) between 1 and 4000),
  written_by text not null,
  written_by_id uuid,
  written_at timestamptz not null default clock_timestamp(),
  primary key (account_id, as_of)
);
create index review_comments_as_of on review_comments (as_of);

-- The WD8 packet of a country and month: generated once (the primary key), by the job on the country's 8th
-- working day or by hand, with its two files (documents) and the e-mail to the managers.
create table review_packets (
  country char(2) not null,
  month char(7) not null check (month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
  review_date date not null,
  xlsx_document_id uuid,
  pdf_document_id uuid,
  email_id uuid,
  generated_at timestamptz not null default clock_timestamp(),
  generated_by text not null default coalesce(nullif(current_setting('clearhouse.actor', true), ''), 'system'),
  primary key (country, month)
);

-- A report a manager has scheduled to be e-mailed (XLSX or PDF) daily, weekly (Mondays) or monthly (the 1st)
-- to chosen recipients.
create table report_schedules (
  schedule_id uuid primary key default gen_random_uuid(),
  report text not null check (report in ('aging', 'top40', 'measures', 'claim_log', 'deductions', 'credit_pend')),
  format text not null check (format in ('xlsx', 'pdf')),
  frequency text not null check (frequency in ('daily', 'weekly', 'monthly')),
  recipients text[] not null check (cardinality(recipients) between 1 and 50),
  active boolean not null default true,
  created_by text not null,
  created_by_id uuid,
  created_at timestamptz not null default clock_timestamp(),
  updated_at timestamptz not null default clock_timestamp()
);

-- One delivery per schedule and period (a day, an ISO week 'YYYY-Www', a month): the primary key is what makes
-- several workers send a period's packet once.
create table report_deliveries (
  schedule_id uuid not null references report_schedules (schedule_id) on delete cascade,
  period text not null,
  as_of date not null,
  document_id uuid,
  email_id uuid,
  sent_at timestamptz not null default clock_timestamp(),
  primary key (schedule_id, period)
);

alter table review_comments enable row level security;
create policy review_comments_desk on review_comments using (clearhouse_internal());
alter table review_packets enable row level security;
create policy review_packets_desk on review_packets using (clearhouse_internal());
alter table report_schedules enable row level security;
create policy report_schedules_desk on report_schedules using (clearhouse_internal());
alter table report_deliveries enable row level security;
create policy report_deliveries_desk on report_deliveries using (clearhouse_internal());
