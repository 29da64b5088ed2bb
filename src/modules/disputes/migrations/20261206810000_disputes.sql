-- Disputes on invoices (SPEC.md H): a collector opens one on an invoice or debit memo of an account; it is
-- routed to the team that owns its category, with an SLA in business days, and ends in a billing adjustment
-- approved through the approvals (resolved_adjusted), a rejection (the invoice stays owed) or a withdrawal.

-- The teams disputes are routed to, each worked by the users with the role of the same name, and its SLA.
create table dispute_teams (
  team text primary key check (team in ('order_management', 'billing', 'distribution')),
  name text not null,
  sla_business_days integer not null check (sla_business_days between 1 and 60),
  updated_at timestamptz not null default now(),
  updated_by text
);
insert into dispute_teams (team, name, sla_business_days) values
  ('order_management', 'Order management', 5),
  ('billing', 'Billing', 5),
  ('distribution', 'Distribution', 10);

create sequence dispute_numbers;

create table disputes (
  account_id text not null,
  dispute_id text not null,
  -- The disputed invoice or debit memo (ar_documents.document_id, unique across accounts).
  document_id text not null,
  category text not null check (category in ('pricing', 'quantity', 'billing_error', 'missing_pod')),
  currency char(3) not null,
  amount numeric(18, 2) not null check (amount > 0),
  -- What the customer says, and its own reference for the dispute when it gave one.
  description text not null,
  customer_reference text,
  team text not null references dispute_teams (team),
  -- The person working it (a user's e-mail), once someone has taken it.
  assignee text,
  state text not null default 'open'
    check (state in ('open', 'in_review', 'resolved_adjusted', 'rejected', 'withdrawn')),
  opened_on date not null,
  -- The SLA runs from the day it reached its current team, in that team's business days (the account's
  -- country calendar); the days are copied at routing, so a changed team SLA applies to later routings.
  routed_on date not null,
  sla_business_days integer not null check (sla_business_days between 1 and 60),
  due_date date not null,
  closed_on date,
  -- Why it was rejected or withdrawn; for a resolution, the adjustment that settled it.
  resolution text,
  -- The billing adjustment proposed for it: pending while the dispute waits for approval, approved once
  -- resolved; cleared when refused (the dispute's timeline keeps every proposal).
  adjustment_id text,
  opened_by text not null,
  opened_by_id uuid,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (account_id, dispute_id),
  check (due_date >= routed_on and routed_on >= opened_on),
  check ((state in ('open', 'in_review')) = (closed_on is null)),
  check (state <> 'resolved_adjusted' or adjustment_id is not null)
);
create unique index disputes_dispute_id on disputes (dispute_id);
-- One dispute at a time per document: a second one (or a double click) names the first.
create unique index disputes_one_active on disputes (account_id, document_id) where state in ('open', 'in_review');
create index disputes_document on disputes (document_id);
create index disputes_queue on disputes (team, due_date) where state in ('open', 'in_review');
create index disputes_opened on disputes (opened_on, dispute_id);
create unique index disputes_adjustment on disputes (adjustment_id) where adjustment_id is not null;

create table dispute_comments (
  account_id text not null,
  dispute_id text not null,
  comment_id bigint generated always as identity,
  body text not null,
  author text not null,
  author_id uuid,
  created_at timestamptz not null default now(),
  primary key (account_id, dispute_id, comment_id),
  foreign key (account_id, dispute_id) references disputes (account_id, dispute_id)
);
revoke update, delete, truncate on dispute_comments from clearhouse_app;

alter table disputes enable row level security;
create policy disputes_scope on disputes using (clearhouse_visible(account_id));
alter table dispute_comments enable row level security;
create policy dispute_comments_scope on dispute_comments using (clearhouse_visible(account_id));
