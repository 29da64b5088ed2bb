-- Claims: a partner's request for rebate money, one row per claim and one per line (claims.csv), with the
-- result of the latest validation on each line and its findings. Keyed by account_id first (sharding).
create table claims (
  account_id text not null,
  claim_id text not null,
  program_id text not null,               -- as submitted; the program may not exist (PROGRAM_UNKNOWN)
  submitted_date date not null,
  currency char(3) not null,
  status text not null default 'submitted' check (status in (
    'draft', 'submitted', 'validated', 'in_review', 'approved', 'partially_approved', 'rejected',
    'in_payment', 'paid', 'closed')),
  version integer not null default 1,      -- a corrected resubmission is a new version
  urgent boolean not null default false,
  source text not null default 'import',
  program_version integer,                 -- the program version the latest validation used
  validated_at timestamptz,
  decided_at timestamptz,
  decided_by text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (account_id, claim_id)
);
create unique index claims_id on claims (claim_id);
create index claims_order on claims (submitted_date, claim_id);
create index claims_program on claims (program_id);

create table claim_lines (
  account_id text not null,
  claim_id text not null,
  line_no integer not null,
  sku text,
  qty integer,
  claimed_unit_amount numeric(18, 4),
  claimed_amount numeric(18, 2) not null,
  sale_date date,
  end_customer_id text,
  deal_id text,
  sell_out_ref text,
  serial_numbers text[],
  period_start date,
  period_end date,
  -- The latest validation's result (null until validated).
  status text check (status in ('approved', 'adjusted', 'review', 'rejected')),
  approved_qty integer,
  approved_unit_amount numeric(18, 4),
  approved_amount numeric(18, 2),
  calculated_amount numeric(18, 2),        -- the company's own figure for the line
  matched_sell_out_ref text,               -- the sell-out line the validation matched
  updated_at timestamptz not null default now(),
  primary key (account_id, claim_id, line_no),
  foreign key (account_id, claim_id) references claims (account_id, claim_id) on delete cascade
);

-- Every finding of the latest validation: code, effect, the evidence and the figures compared.
create table claim_findings (
  account_id text not null,
  claim_id text not null,
  line_no integer not null,
  rule_code text not null,
  effect text not null check (effect in ('reject', 'adjust', 'review', 'report')),
  detail text not null,
  evidence jsonb not null default '{}',
  -- an analyst's resolution of a finding that waits for one
  resolution text check (resolution in ('accepted', 'adjusted', 'overridden')),
  resolution_reason text,
  resolved_by text,
  resolved_at timestamptz,
  primary key (account_id, claim_id, line_no, rule_code)
);

-- Supporting documents named by claim_documents.csv or attached through the API.
create table claim_documents (
  account_id text not null,
  claim_id text not null,
  document_type text not null,
  file_name text not null,
  document_id uuid,
  created_at timestamptz not null default now(),
  primary key (account_id, claim_id, document_type, file_name)
);

alter table claims enable row level security;
create policy claims_scope on claims using (clearhouse_visible(account_id));
alter table claim_lines enable row level security;
create policy claim_lines_scope on claim_lines using (clearhouse_visible(account_id));
alter table claim_findings enable row level security;
create policy claim_findings_scope on claim_findings using (clearhouse_visible(account_id));
alter table claim_documents enable row level security;
create policy claim_documents_scope on claim_documents using (clearhouse_visible(account_id));

-- Who owns each claim id, for loads by partners who may not see other partners' claims.
create function claim_owners() returns table (claim_id text, account_id text, status text, program_id text,
  submitted_date date, currency char(3))
language sql stable security definer set search_path = public as $$
  select claim_id, account_id, status, program_id, submitted_date, currency from claims
$$;
