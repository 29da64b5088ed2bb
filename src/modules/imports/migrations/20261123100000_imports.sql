-- Bulk loads stage their rows in unlogged tables of their own in this schema (created and dropped inside
-- the load's transaction), so the application role may create tables here and nowhere else.
create schema if not exists staging;
grant usage, create on schema staging to clearhouse_app;

-- True for the company's own users and system work (scope '*'); false for partner users.
create function clearhouse_internal() returns boolean
language sql stable parallel safe as $$
  select coalesce(current_setting('clearhouse.scope', true), '') = '*'
$$;

-- A real calendar date written YYYY-MM-DD (years 1900-2199). Plain SQL so that it inlines into bulk checks;
-- days up to 28 need no calendar arithmetic.
create function is_calendar_date(t text) returns boolean
language sql immutable parallel safe as $$
  select case
    when t !~ '^(19|20|21)[0-9][0-9]-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$' then false
    when substr(t, 9, 2) <= '28' then true
    else substr(t, 9, 2)::int <= extract(day from
      make_date(substr(t, 1, 4)::int, substr(t, 6, 2)::int, 1) + interval '1 month' - interval '1 day')::int
  end
$$;

-- Every load, accepted or refused: who, when, which file (by SHA-256), and what it did.
create table imports (
  account_id text not null default '',      -- '' for the company's own loads; a partner's upload carries its organisation
  import_id uuid not null default gen_random_uuid(),
  kind text not null,
  file_name text,
  sha256 text,
  size_bytes bigint,
  source text not null check (source in ('cli', 'api', 'web', 'job')),
  status text not null check (status in ('loaded', 'rejected')),
  rows_total bigint not null default 0,
  rows_inserted bigint not null default 0,
  rows_updated bigint not null default 0,
  rows_unchanged bigint not null default 0,
  rows_rejected bigint not null default 0,
  error_count bigint not null default 0,
  same_file_as uuid,                        -- an earlier load of a file with the same SHA-256 and kind
  message text,
  actor_id text,
  actor_name text not null,
  started_at timestamptz not null,
  finished_at timestamptz not null default clock_timestamp(),
  primary key (account_id, import_id)
);
create index imports_time on imports (finished_at desc);
create index imports_sha on imports (kind, sha256);
create index imports_id on imports (import_id);

-- Why a refused file was refused: one row per problem (line, column, value, reason).
create table import_errors (
  account_id text not null default '',
  import_id uuid not null,
  seq integer not null,
  line_no bigint,
  column_name text,
  value text,
  reason text not null,
  primary key (account_id, import_id, seq)
);

-- The refused rows themselves, as read, so that they can be downloaded, corrected and sent again.
create table import_rejected_rows (
  account_id text not null default '',
  import_id uuid not null,
  line_no bigint not null,
  row_values jsonb not null,
  primary key (account_id, import_id, line_no)
);

alter table imports enable row level security;
create policy imports_scope on imports using (clearhouse_visible(account_id));
alter table import_errors enable row level security;
create policy import_errors_scope on import_errors using (clearhouse_visible(account_id));
alter table import_rejected_rows enable row level security;
create policy import_rejected_rows_scope on import_rejected_rows using (clearhouse_visible(account_id));

-- Accounts in one file may name each other as parents in any order.
alter table accounts drop constraint accounts_parent_account_id_fkey;
alter table accounts add constraint accounts_parent_account_id_fkey foreign key (parent_account_id)
  references accounts (account_id) deferrable initially immediate;
