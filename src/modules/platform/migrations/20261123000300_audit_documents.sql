-- The audit trail: append-only. The application role may read and insert but not update, delete or
-- truncate, and a trigger refuses changes from any role that is not a superuser disabling it on purpose.
create table audit_events (
  account_id text not null default '',  -- '' for the company's own records (users, settings)
  event_id bigint generated always as identity,
  entity_type text not null,
  entity_id text not null,
  action text not null,
  actor_id text,
  actor_name text not null,
  occurred_at timestamptz not null default clock_timestamp(),
  before jsonb,
  after jsonb,
  primary key (account_id, event_id)
);
create index audit_events_entity on audit_events (entity_type, entity_id, event_id);
create index audit_events_time on audit_events (occurred_at);

revoke update, delete, truncate on audit_events from clearhouse_app;

create function audit_events_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'the audit trail is append-only: % is not allowed', tg_op
    using errcode = 'insufficient_privilege';
end
$$;
create trigger audit_events_no_update before update or delete on audit_events
  for each row execute function audit_events_append_only();
create trigger audit_events_no_truncate before truncate on audit_events
  for each statement execute function audit_events_append_only();

alter table audit_events enable row level security;
create policy audit_events_read on audit_events for select using (clearhouse_visible(account_id));
create policy audit_events_write on audit_events for insert with check (true);

-- Documents: content stored once by SHA-256; each upload is a document owned by an account and linked to
-- one or more entities.
create table document_blobs (
  sha256 text primary key check (sha256 ~ '^[0-9a-f]{64}$'),
  size_bytes bigint not null,
  media_type text not null,
  created_at timestamptz not null default now()
);

create table documents (
  account_id text not null default '',
  document_id uuid not null default gen_random_uuid(),
  sha256 text not null references document_blobs (sha256),
  file_name text not null,
  media_type text not null,
  size_bytes bigint not null,
  document_type text,
  uploaded_by text,
  uploaded_at timestamptz not null default now(),
  primary key (account_id, document_id)
);
create index documents_id on documents (document_id);

create table document_links (
  account_id text not null default '',
  document_id uuid not null,
  entity_type text not null,
  entity_id text not null,
  linked_at timestamptz not null default now(),
  linked_by text,
  primary key (account_id, document_id, entity_type, entity_id),
  foreign key (account_id, document_id) references documents (account_id, document_id)
);
create index document_links_entity on document_links (entity_type, entity_id);

alter table documents enable row level security;
create policy documents_scope on documents using (clearhouse_visible(account_id));
alter table document_links enable row level security;
create policy document_links_scope on document_links using (clearhouse_visible(account_id));
