-- Cash application (MATCHING.md): bank files and their statements, bank credits (every credit, whether its
-- payer is known or not), known payers, remittance advice lines, the cascade's runs with their measures,
-- what each credit's decision applied (cash_applications), deduction items, credit clearing and the
-- account's clearing policy. Bank files, statements and credits are company-internal (desk only); the
-- account-keyed tables follow the receivables' row security.

-- Normalised text of names: case, accents, punctuation and white space folded, legal-form words dropped.
create function cash_norm_name(t text) returns text
language sql immutable parallel safe as $$
  select nullif(btrim(regexp_replace(
    ' ' || regexp_replace(
      regexp_replace(lower(normalize(coalesce(t, ''), NFD)), '[\u0300-\u036f]', '', 'g'),
      '[^a-z0-9]+', ' ', 'g') || ' ',
    '( (inc|llc|ltd|corp|co|gmbh|ag|sa|sarl|bv|nv|sl|srl|spa|plc))+ ', ' ', 'g')), '')
$$;

-- A document reference after normalising (MATCHING.md step 3): upper case; spaces, #, ., -, / dropped; a
-- prefix INVOICE, INV, NO dropped; O read as 0 and I/L as 1 next to digits. Null when no digit is left.
create function cash_ref_fix(s text) returns text
language plpgsql immutable parallel safe as $$
declare
  t text := s;
  before text;
begin
  -- O read as 0 and I/L as 1 next to a digit, until nothing changes (OOO32 is 00032).
  loop
    before := t;
    t := regexp_replace(regexp_replace(regexp_replace(regexp_replace(t,
      '([0-9])O', '\10', 'g'), 'O([0-9])', '0\1', 'g'), '([0-9])[IL]', '\11', 'g'), '[IL]([0-9])', '1\1', 'g');
    exit when t = before;
  end loop;
  return t;
end $$;

create function cash_ref_key(t text) returns text
language sql immutable parallel safe as $$
  select case when k ~ '[0-9]' and length(k) >= 3 then k end from (
    select cash_ref_fix(
      regexp_replace(regexp_replace(upper(t), '[[:space:]#./-]', '', 'g'), '^(INVOICE|INV|NO)+', '')) as k
  ) x
$$;

-- The number without its letter prefix (10043 for INV-10043, 20260042 for RG2026-0042); null when the
-- document has no letter prefix (then cash_ref_key is already the number).
create function cash_ref_number(t text) returns text
language sql immutable parallel safe as $$
  select case when n <> k and length(n) >= 3 then n end
  from (select k, regexp_replace(k, '^[A-Z]+', '') as n from (select cash_ref_key(t) as k) a) b
$$;

-- A bank account number as compared: upper case, letters and digits only.
create function cash_norm_account(t text) returns text
language sql immutable parallel safe as $$
  select nullif(regexp_replace(upper(coalesce(t, '')), '[^A-Z0-9]', '', 'g'), '')
$$;

create index ar_documents_cash_key on ar_documents (cash_ref_key(document_id));
create index ar_documents_cash_number on ar_documents (cash_ref_number(document_id));

-- Deduction items are open receivables of their own (MATCHING.md): a document of type deduction, to which
-- the invoice's kept amount is transferred (an application from the deduction to the invoice).
alter table ar_documents drop constraint ar_documents_type_check;
alter table ar_documents add constraint ar_documents_type_check
  check (type in ('invoice', 'credit_memo', 'debit_memo', 'non_compliance_charge', 'deduction'));

create table bank_files (
  file_id text primary key,                 -- the file's SHA-256: loading the same file again creates nothing
  file_name text not null,
  format text not null,
  version text,
  bank_file_ref text,
  created_date date,
  import_id uuid,
  credit_count integer not null default 0,
  credit_total numeric(18, 2) not null default 0,
  debit_count integer not null default 0,
  debit_total numeric(18, 2) not null default 0,
  loaded_at timestamptz not null default now(),
  loaded_by text default nullif(current_setting('clearhouse.actor', true), '')
);

create table bank_statements (
  file_id text not null,
  statement_no integer not null,
  account_number text,
  currency char(3),
  statement_date date,
  declared_credit_total numeric(18, 2),
  declared_debit_total numeric(18, 2),
  declared_count integer,
  primary key (file_id, statement_no)
);

-- Every bank credit, keyed by its payment_ref (the bank's reference, or SHA-256/position when it has none).
-- status: new (not yet through the cascade), applied (decided: documents, on account, deductions),
-- exception (waits for a person, with reason and suggestions).
create table bank_credits (
  payment_ref text primary key,
  file_id text not null,
  statement_no integer not null,
  position integer not null,
  record_no integer not null,
  amount numeric(18, 2) not null check (amount > 0),
  currency char(3) not null,
  value_date date not null,
  type_code text,
  payer_name text,
  payer_bank_account text,
  customer_reference text,
  text text not null default '',
  account_id text,                          -- the payer once known (then ar_payments has the payment)
  payer_source text,                        -- bank_account, reference, name, manual
  status text not null default 'new' check (status in ('new', 'applied', 'exception')),
  reason text check (reason in ('UNKNOWN_PAYER', 'AMBIGUOUS', 'NO_MATCH', 'REMITTANCE_MISMATCH')),
  suggestions jsonb not null default '[]',
  rule text,
  run_id bigint,                            -- the run that decided it (null: a person did)
  decided_by text,
  decided_at timestamptz,
  overridden boolean not null default false -- a person changed the run's decision (a wrong match)
);
create index bank_credits_file on bank_credits (file_id, position);
create index bank_credits_status on bank_credits (status, value_date, payment_ref);
create index bank_credits_account on bank_credits (account_id, value_date);

-- Debits, returns and fees: kept with their statement, applied to nothing.
create table bank_debits (
  file_id text not null,
  position integer not null,
  statement_no integer not null,
  bank_reference text,
  amount numeric(18, 2) not null,
  currency char(3) not null,
  value_date date not null,
  type_code text,
  text text not null default '',
  primary key (file_id, position)
);

-- Known payers: payers.csv and what people teach (source learned).
create table cash_payers (
  account_id text not null,
  payer_bank_account text not null,
  payer_name text,
  source text not null default 'file' check (source in ('file', 'learned')),
  learned_from text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (account_id, payer_bank_account)
);
create index cash_payers_account on cash_payers (cash_norm_account(payer_bank_account));

-- Reference patterns learned from a person's match: in the payer's text, prefix || number || suffix names
-- the document whose number (without its letter prefix) is the number.
create table cash_reference_patterns (
  account_id text not null,
  prefix text not null,
  suffix text not null,
  learned_from text,
  created_at timestamptz not null default now(),
  primary key (account_id, prefix, suffix)
);

-- Remittance advice lines: remittances.csv (source file) and the bank files' own (source bank).
create table cash_remittances (
  payment_ref text not null,
  document_id text not null,                -- as the remitter wrote it (matched exactly, then normalised)
  account_id text,
  amount_paid numeric(18, 2),
  deduction_amount numeric(18, 2),
  reason_code text,
  source text not null default 'file',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (payment_ref, document_id)
);

create table cash_runs (
  run_id bigint generated always as identity primary key,
  started_at timestamptz not null default clock_timestamp(),
  finished_at timestamptz,
  actor_name text,
  credits integer not null default 0,
  amount numeric(18, 2) not null default 0,
  auto_applied integer not null default 0,
  auto_applied_amount numeric(18, 2) not null default 0,
  on_account_count integer not null default 0,
  on_account_amount numeric(18, 2) not null default 0,
  deductions integer not null default 0,
  deductions_amount numeric(18, 2) not null default 0,
  exceptions jsonb not null default '{}',
  waves integer not null default 0,
  wrong_matches integer not null default 0
);

-- What each decision applied: cash to a document (invoice), a deduction item made for a document
-- (deduction), the remainder kept on the account (on_account). Reversed lines keep their row (reversed_at).
create table cash_applications (
  account_id text not null,
  payment_ref text not null,
  seq integer not null,
  document_id text,
  amount numeric(18, 2) not null check (amount > 0),
  currency char(3) not null,
  kind text not null check (kind in ('invoice', 'deduction', 'on_account')),
  reason_code text,
  deduction_id text,
  rule text not null check (rule in ('remittance', 'reference', 'amount', 'combination', 'manual')),
  confidence numeric(3, 2) not null,
  run_id bigint,
  applied_date date not null,
  created_at timestamptz not null default now(),
  created_by text default nullif(current_setting('clearhouse.actor', true), ''),
  reversed_at timestamptz,
  primary key (account_id, payment_ref, seq)
);
create index cash_applications_ref on cash_applications (payment_ref);

-- Deduction items (deductions.csv columns): the deductions capability validates and queues them.
create table deductions (
  account_id text not null,
  deduction_id text not null,
  payment_ref text,
  document_id text,
  amount numeric(18, 2) not null check (amount > 0),
  currency char(3) not null,
  reason_code text,
  deduction_date date not null,
  reference text,
  status text not null default 'open',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (account_id, deduction_id)
);
create unique index deductions_id on deductions (deduction_id);

-- Credits cleared against invoices (credit memos, unapplied cash, on-account amounts), by a person or by
-- the daily job; the application itself is in ar_applications (and its journal).
create table cash_clearings (
  account_id text not null,
  clearing_id bigint generated always as identity,
  source_id text not null,
  document_id text not null,
  amount numeric(18, 2) not null check (amount > 0),
  applied_date date not null,
  mode text not null check (mode in ('manual', 'auto')),
  created_at timestamptz not null default now(),
  created_by text default nullif(current_setting('clearhouse.actor', true), ''),
  reversed_at timestamptz,
  primary key (account_id, clearing_id)
);
create index cash_clearings_pair on cash_clearings (source_id, document_id);

create table cash_account_policies (
  account_id text primary key,
  auto_clear_credits boolean not null default false,
  updated_at timestamptz not null default now()
);

alter table bank_files enable row level security;
create policy bank_files_desk on bank_files using (clearhouse_internal());
alter table bank_statements enable row level security;
create policy bank_statements_desk on bank_statements using (clearhouse_internal());
alter table bank_credits enable row level security;
create policy bank_credits_desk on bank_credits using (clearhouse_internal());
alter table bank_debits enable row level security;
create policy bank_debits_desk on bank_debits using (clearhouse_internal());
alter table cash_runs enable row level security;
create policy cash_runs_desk on cash_runs using (clearhouse_internal());
alter table cash_remittances enable row level security;
create policy cash_remittances_desk on cash_remittances using (clearhouse_internal());
alter table cash_reference_patterns enable row level security;
create policy cash_reference_patterns_desk on cash_reference_patterns using (clearhouse_internal());
alter table cash_payers enable row level security;
create policy cash_payers_scope on cash_payers using (clearhouse_visible(account_id));
alter table cash_applications enable row level security;
create policy cash_applications_scope on cash_applications using (clearhouse_visible(account_id));
alter table deductions enable row level security;
create policy deductions_scope on deductions using (clearhouse_visible(account_id));
alter table cash_clearings enable row level security;
create policy cash_clearings_scope on cash_clearings using (clearhouse_visible(account_id));
alter table cash_account_policies enable row level security;
create policy cash_account_policies_scope on cash_account_policies using (clearhouse_visible(account_id));
