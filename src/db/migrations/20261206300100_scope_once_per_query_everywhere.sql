-- Row security on every account-keyed table reads the caller's scope once per query, as the receivables
-- tables already do (20261201200000): the same rule as clearhouse_visible(account_id) ('*' sees everything,
-- '' or unset nothing, otherwise the listed accounts), written with scalar subqueries that PostgreSQL
-- evaluates once (InitPlans). Besides not calling a function per row, `account_id = any (<InitPlan>)` is an
-- index condition: a partner's claims, payments or sell-out are found through the account_id-first indexes
-- instead of by filtering every row of the table.
do $$
declare
  p record;
begin
  for p in
    select schemaname, tablename, policyname from pg_policies
    where schemaname = 'public' and qual = 'clearhouse_visible(account_id)'
  loop
    execute format(
      $f$alter policy %I on %I.%I using (
           (select coalesce(current_setting('clearhouse.scope', true), '') = '*')
           or account_id = any ((select string_to_array(nullif(current_setting('clearhouse.scope', true), ''), ','))::text[]))$f$,
      p.policyname, p.schemaname, p.tablename);
  end loop;
end
$$;
