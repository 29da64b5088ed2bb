-- Partner users' transactions act as `clearhouse_partner` (src/db/db.ts sets it for an actor with a list of
-- accounts): a member of clearhouse_app with the same rights and policies, plus on every account-keyed table
-- a restrictive policy for reading, `account_id = any (<the scope's accounts>)`. Row security stays what it was (the
-- permissive policies still decide), but the planner now has a condition it can use as an index condition,
-- so a partner's rows are found through the account_id-first indexes instead of by reading every row of a
-- table and filtering it. The company's users and system work are unchanged.
do $$
begin
  if not exists (select from pg_roles where rolname = 'clearhouse_partner') then
    create role clearhouse_partner nologin;
  end if;
exception when duplicate_object or unique_violation then
  null; -- another database on this server created it at the same moment
end
$$;

do $$
begin
  if not pg_has_role('clearhouse_partner', 'clearhouse_app', 'MEMBER') then
    grant clearhouse_app to clearhouse_partner;
  end if;
  if not pg_has_role(current_user, 'clearhouse_partner', 'MEMBER') then
    execute format('grant clearhouse_partner to %I', current_user);
  end if;
exception when duplicate_object or unique_violation then
  null;
end
$$;

do $$
declare
  p record;
begin
  for p in
    select distinct schemaname, tablename from pg_policies
    where schemaname = 'public'
      and (qual = 'clearhouse_visible(account_id)'
           or (qual like '%current_setting(''clearhouse.scope''::text, true)%'
               and qual like '%(account_id = ANY%' and qual not like '%clearhouse_actor()%'))
  loop
    execute format(
      $f$create policy %I on %I.%I as restrictive for select to clearhouse_partner using (
           account_id = any ((select string_to_array(nullif(current_setting('clearhouse.scope', true), ''), ','))::text[]))$f$,
      p.tablename || '_partner_accounts', p.schemaname, p.tablename);
  end loop;
end
$$;
