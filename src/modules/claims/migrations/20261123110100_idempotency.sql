-- Idempotency keys of claim submissions through the API: the same key with the same body returns the first
-- response. Keyed by the claiming account first (sharding); row security as for claims.
create table claim_idempotency (
  account_id text not null,
  idempotency_key text not null,
  request_sha256 text not null,
  status_code integer not null,
  response jsonb not null,
  actor_id text,
  created_at timestamptz not null default now(),
  primary key (account_id, idempotency_key)
);

alter table claim_idempotency enable row level security;
create policy claim_idempotency_scope on claim_idempotency using (clearhouse_visible(account_id));
