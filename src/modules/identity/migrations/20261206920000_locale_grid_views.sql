-- One locale per user for dates and numbers (a BCP 47 tag such as en-GB or de-DE); null: the browser's.
alter table users add column locale text check (locale ~ '^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$');

-- Saved views of a grid, per user: the columns shown, their order and widths, the sort and the filters,
-- under a name. A user sees only its own views (partner users too).
create table grid_views (
  user_id uuid not null references users (user_id) on delete cascade,
  grid_id text not null check (grid_id ~ '^[a-z0-9][a-z0-9-]{0,79}$'),
  name text not null check (length(name) between 1 and 80),
  state jsonb not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (user_id, grid_id, name)
);
alter table grid_views enable row level security;
create policy grid_views_own on grid_views using (user_id::text = clearhouse_actor())
  with check (user_id::text = clearhouse_actor());
