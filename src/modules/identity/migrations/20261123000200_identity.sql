create table users (
  user_id uuid primary key default gen_random_uuid(),
  email text not null,
  name text not null,
  password_hash text,
  roles text[] not null check (cardinality(roles) > 0),
  -- set for partner users: the partner organisation (account) they act for
  account_id text references accounts (account_id),
  active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  last_sign_in_at timestamptz,
  check (email = lower(email)),
  check (('partner' = any (roles)) = (account_id is not null)),
  check (not ('partner' = any (roles)) or cardinality(roles) = 1)
);
create unique index users_email on users (email);

alter table users enable row level security;
-- The company's users see everyone; a partner user sees the users of its own organisation and itself.
create policy users_scope on users
  using (clearhouse_visible(coalesce(account_id, '')) or user_id::text = clearhouse_actor());

create table sessions (
  token_hash bytea primary key,
  user_id uuid not null references users (user_id) on delete cascade,
  csrf_token text not null,
  created_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  expires_at timestamptz not null,
  ip text,
  user_agent text
);
create index sessions_user on sessions (user_id);
create index sessions_expiry on sessions (expires_at);

create table api_tokens (
  token_id uuid primary key default gen_random_uuid(),
  user_id uuid not null references users (user_id) on delete cascade,
  name text not null,
  token_hash bytea not null unique,
  created_at timestamptz not null default now(),
  last_used_at timestamptz,
  expires_at timestamptz,
  revoked_at timestamptz
);
create index api_tokens_user on api_tokens (user_id);

-- Every sign-in attempt, for rate limiting across any number of API processes.
create table signin_attempts (
  attempt_id bigint generated always as identity primary key,
  email text not null,
  ip text not null,
  succeeded boolean not null,
  attempted_at timestamptz not null default now()
);
create index signin_attempts_email on signin_attempts (email, attempted_at);
create index signin_attempts_ip on signin_attempts (ip, attempted_at);
