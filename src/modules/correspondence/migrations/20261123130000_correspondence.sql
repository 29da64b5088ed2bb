-- Correspondence: every e-mail Clearhouse sends to an account (statements, notices), kept with its delivery
-- state. A message is queued (a row), then the mail.send job delivers it through SMTP (SMTP_URL) or keeps it
-- in the outbox (an .eml file under CLEARHOUSE_HOME/outbox) when no mail server is configured. Keyed by
-- account_id first like every table that grows with the business.
create table emails (
  account_id text not null,
  email_id uuid not null default gen_random_uuid(),
  -- What produced it ('statement', 'message', …) and, when it must never be sent twice, a key unique per
  -- account (a statement run uses 'statement:YYYY-MM').
  kind text not null default 'message',
  dedupe_key text,
  from_address text not null,
  to_addresses text[] not null check (cardinality(to_addresses) > 0),
  cc_addresses text[] not null default '{}',
  subject text not null,
  body text not null,
  -- Document ids (documents table) sent as attachments.
  attachments uuid[] not null default '{}',
  status text not null default 'queued' check (status in ('queued', 'sent', 'failed')),
  attempts integer not null default 0,
  last_error text,
  -- A failed message is tried again from this time (backoff), until its attempts run out.
  next_attempt_at timestamptz not null default now(),
  -- 'smtp' when handed to the mail server, 'outbox' when kept as a file only.
  transport text check (transport in ('smtp', 'outbox')),
  message_id text,
  -- The message as sent (RFC 822), relative to CLEARHOUSE_HOME.
  eml_path text,
  sent_at timestamptz,
  created_at timestamptz not null default now(),
  created_by text default nullif(current_setting('clearhouse.actor', true), ''),
  updated_at timestamptz not null default now(),
  primary key (account_id, email_id)
);
create unique index emails_email_id on emails (email_id);
create unique index emails_dedupe on emails (account_id, dedupe_key) where dedupe_key is not null;
create index emails_due on emails (next_attempt_at) where status in ('queued', 'failed');
create index emails_created on emails (account_id, created_at);

alter table emails enable row level security;
create policy emails_scope on emails using (clearhouse_visible(account_id));
