-- The application connects as the owner but acts as `clearhouse_app` (SET ROLE through the connection's
-- options). That role has plain DML rights, is subject to row-level security, and is denied UPDATE and
-- DELETE on the audit trail.
do $$
begin
  if not exists (select from pg_roles where rolname = 'clearhouse_app') then
    create role clearhouse_app nologin;
  end if;
exception when duplicate_object or unique_violation then
  null; -- another database on this server created it at the same moment
end
$$;

do $$
begin
  if not pg_has_role(current_user, 'clearhouse_app', 'MEMBER') then
    execute format('grant clearhouse_app to %I', current_user);
  end if;
end
$$;

grant usage on schema public to clearhouse_app;
alter default privileges in schema public grant select, insert, update, delete on tables to clearhouse_app;
alter default privileges in schema public grant usage, select on sequences to clearhouse_app;

-- Row-level security reads the scope that every transaction sets (see src/db/db.ts): '*' is the company's
-- own users and system work, otherwise the comma-separated accounts a partner user may see. Unset sees
-- nothing, so a forgotten scope fails closed.
create function clearhouse_visible(account text) returns boolean
language sql stable parallel safe as $$
  select case coalesce(current_setting('clearhouse.scope', true), '')
    when '*' then true
    when '' then false
    else account = any (string_to_array(current_setting('clearhouse.scope', true), ','))
  end
$$;

create function clearhouse_actor() returns text
language sql stable parallel safe as $$
  select nullif(current_setting('clearhouse.actor', true), '')
$$;
