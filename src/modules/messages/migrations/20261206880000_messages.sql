-- Messages between a partner and the company's desk (SPEC.md D: the partner "messages the analyst"; the
-- scorecard's "recommendation the analyst sends"). A conversation (thread) is about one claim — a claim id is
-- unique within its partner, so the thread is keyed by (account_id, claim_id) — or is the partner account's
-- one general thread. Messages are entries: never edited or deleted. Keyed by account_id first, with row
-- security, so a partner sees only its own organisation's threads.
create table message_threads (
  account_id text not null,
  thread_id uuid not null default gen_random_uuid(),
  -- The claim it is about; null for the account's general thread.
  claim_id text,
  created_at timestamptz not null default now(),
  last_message_at timestamptz,
  primary key (account_id, thread_id)
);
create unique index message_threads_id on message_threads (thread_id);
create unique index message_threads_claim on message_threads (account_id, claim_id) where claim_id is not null;
create unique index message_threads_general on message_threads (account_id) where claim_id is null;
create index message_threads_recent on message_threads (last_message_at desc);

create table messages (
  account_id text not null,
  message_id uuid not null default gen_random_uuid(),
  -- Orders the messages of all threads; read receipts remember the last one read.
  seq bigint generated always as identity,
  thread_id uuid not null,
  kind text not null default 'message' check (kind in ('message', 'recommendation')),
  -- Who wrote it: a user (null for system work), the name as shown, and the side it came from.
  author_id uuid,
  author_name text not null,
  author_side text not null check (author_side in ('desk', 'partner')),
  body text not null check (length(body) between 1 and 20000),
  -- Document ids attached (documents of the thread's account, also linked as entity 'message').
  attachments uuid[] not null default '{}',
  -- The client's own id for the message (or the Idempotency-Key): a retried post returns the first one.
  client_message_id text,
  created_at timestamptz not null default now(),
  primary key (account_id, message_id),
  foreign key (account_id, thread_id) references message_threads (account_id, thread_id)
);
create unique index messages_id on messages (message_id);
create unique index messages_seq on messages (seq);
create unique index messages_client on messages (account_id, client_message_id) where client_message_id is not null;
create index messages_thread on messages (account_id, thread_id, seq);
revoke update, delete, truncate on messages from clearhouse_app;

-- What each user has read of a thread: every message of the thread up to this one.
create table message_reads (
  account_id text not null,
  thread_id uuid not null,
  user_id uuid not null,
  last_read_seq bigint not null,
  read_at timestamptz not null default now(),
  primary key (account_id, thread_id, user_id),
  foreign key (account_id, thread_id) references message_threads (account_id, thread_id)
);
create index message_reads_user on message_reads (user_id);

-- A recommendation the analyst sends from the scorecard: the message (kind 'recommendation') and its state —
-- sent, acknowledged by the partner, resolved by the analyst once the errors stop.
create table recommendations (
  account_id text not null,
  message_id uuid not null,
  rule_code text not null,
  program_id text,
  status text not null default 'sent' check (status in ('sent', 'acknowledged', 'resolved')),
  sent_by text not null,
  sent_at timestamptz not null default now(),
  acknowledged_by text,
  acknowledged_at timestamptz,
  resolved_by text,
  resolved_at timestamptz,
  updated_at timestamptz not null default now(),
  primary key (account_id, message_id),
  foreign key (account_id, message_id) references messages (account_id, message_id),
  check ((status = 'sent') or acknowledged_at is not null or resolved_at is not null)
);
create unique index recommendations_id on recommendations (message_id);
-- One open recommendation per partner account, rule and program: a second click names the first.
create unique index recommendations_open on recommendations (account_id, rule_code, coalesce(program_id, ''))
  where status <> 'resolved';

alter table message_threads enable row level security;
create policy message_threads_scope on message_threads using (clearhouse_visible(account_id));
alter table messages enable row level security;
create policy messages_scope on messages using (clearhouse_visible(account_id));
alter table message_reads enable row level security;
-- A user's read receipts are its own.
create policy message_reads_scope on message_reads
  using (clearhouse_visible(account_id) and user_id::text = clearhouse_actor());
alter table recommendations enable row level security;
create policy recommendations_scope on recommendations using (clearhouse_visible(account_id));

-- Partner users' reads use the account_id-first indexes (as migration 20261206300200 does for older tables).
create policy message_threads_partner_accounts on message_threads as restrictive for select to clearhouse_partner
  using (account_id = any ((select string_to_array(nullif(current_setting('clearhouse.scope', true), ''), ','))::text[]));
create policy messages_partner_accounts on messages as restrictive for select to clearhouse_partner
  using (account_id = any ((select string_to_array(nullif(current_setting('clearhouse.scope', true), ''), ','))::text[]));
create policy recommendations_partner_accounts on recommendations as restrictive for select to clearhouse_partner
  using (account_id = any ((select string_to_array(nullif(current_setting('clearhouse.scope', true), ''), ','))::text[]));
