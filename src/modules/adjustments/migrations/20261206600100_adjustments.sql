-- Adjustments (CONTROLS.md "Money is changed only by approved requests"): billing adjustment requests
-- (credit, rebill, debit) and AR transaction worksheets (write-off, absorption), each approved through an
-- approval request, and what each posted once approved.

-- The administered reason codes: which kinds each may be used for, and whether documents are required.
create table adjustment_reasons (
  reason_code text primary key check (reason_code ~ '^[A-Z][A-Z0-9_]{1,39}$'),
  description text not null,
  kinds text[] not null check (kinds <@ array['credit_adjustment', 'rebill', 'debit_adjustment', 'write_off',
    'absorption']::text[] and cardinality(kinds) > 0),
  documents_required boolean not null default false,
  active boolean not null default true,
  updated_at timestamptz not null default now()
);
insert into adjustment_reasons (reason_code, description, kinds) values
  ('BAD_DEBT', 'Bad debt: the customer will not pay', array['write_off']),
  ('SMALL_BALANCE', 'Small balance not worth collecting', array['write_off']),
  ('NCC_MONTH_END', 'Non-compliance charge written off at month end', array['write_off']),
  ('DEDUCTION_ACCEPTED', 'Deduction or short pay accepted', array['absorption']),
  ('PRICING_ERROR', 'Pricing error on the invoice', array['credit_adjustment', 'rebill', 'debit_adjustment']),
  ('QUANTITY_ERROR', 'Quantity error on the invoice', array['credit_adjustment', 'rebill', 'debit_adjustment']),
  ('DISPUTE', 'Dispute settled with the customer', array['credit_adjustment', 'rebill', 'debit_adjustment']);

create sequence adjustment_numbers;

-- A request (one document) or a worksheet (several lines: bulk write-offs, the month end). account_id is ''
-- for a worksheet spanning several accounts (only the company's own users see those).
create table adjustments (
  adjustment_id text primary key,
  kind text not null check (kind in ('credit_adjustment', 'rebill', 'debit_adjustment', 'write_off',
    'absorption')),
  account_id text not null,
  currency char(3) not null,
  amount numeric(18, 2) not null check (amount > 0),
  -- rebill: the amount of the corrected invoice.
  corrected_amount numeric(18, 2) check (corrected_amount > 0),
  reason_code text not null references adjustment_reasons (reason_code),
  comment text not null,
  -- Where it was requested from: item, account, dispute, deduction, worksheet, month_end.
  source_type text not null default 'item',
  source_id text,
  status text not null default 'pending' check (status in ('pending', 'approved', 'refused')),
  request_id bigint references approval_requests (request_id),
  requested_by uuid,
  requested_by_name text not null,
  requested_at timestamptz not null default now(),
  posted_on date,
  posted_at timestamptz
);
create index adjustments_account on adjustments (account_id, requested_at);
create index adjustments_pending on adjustments (requested_at) where status = 'pending';

create table adjustment_lines (
  account_id text not null,
  adjustment_id text not null references adjustments (adjustment_id),
  line_no int not null check (line_no > 0),
  document_id text not null,
  amount numeric(18, 2) not null check (amount > 0),
  primary key (adjustment_id, line_no)
);
create index adjustment_lines_document on adjustment_lines (document_id);

-- What an approved adjustment posted, one row per line and part, never twice (the primary key and the
-- document ids it creates are unique). The journal reads it.
create table adjustment_postings (
  account_id text not null,
  posting_id text not null,
  adjustment_id text not null references adjustments (adjustment_id),
  line_no int not null,
  part text not null check (part in ('credit_memo', 'invoice', 'debit_memo', 'write_off', 'absorption')),
  kind text not null,
  entry_date date not null,
  -- The document the posting changes, and the one it created (credit memo, invoice, debit memo) if any.
  document_id text not null,
  created_document_id text,
  amount numeric(18, 2) not null check (amount > 0),
  currency char(3) not null,
  posted_at timestamptz not null default now(),
  primary key (account_id, posting_id),
  unique (adjustment_id, line_no, part)
);
create unique index adjustment_postings_id on adjustment_postings (posting_id);
create index adjustment_postings_date on adjustment_postings (entry_date);
revoke update, delete, truncate on adjustment_postings from clearhouse_app;

-- Each month-end run: the day it ran for and the write-offs it made (none when nothing was left open).
create table month_end_runs (
  run_id bigint generated always as identity primary key,
  as_of date not null,
  ran_at timestamptz not null default now(),
  ran_by text not null,
  last_day boolean not null,
  charges int not null,
  adjustment_ids text[] not null default '{}'
);
create index month_end_runs_as_of on month_end_runs (as_of);

alter table adjustments enable row level security;
create policy adjustments_scope on adjustments using (clearhouse_visible(account_id));
alter table adjustment_lines enable row level security;
create policy adjustment_lines_scope on adjustment_lines using (clearhouse_visible(account_id));
alter table adjustment_postings enable row level security;
create policy adjustment_postings_scope on adjustment_postings using (clearhouse_visible(account_id));
alter table month_end_runs enable row level security;
create policy month_end_runs_scope on month_end_runs using (clearhouse_visible(''));
