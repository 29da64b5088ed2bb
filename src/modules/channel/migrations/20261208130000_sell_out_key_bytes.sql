-- The sell-out key sorts by bytes (collation "C"), not by the database's collation. A first bulk load
-- (imports/streamed.ts) builds the primary key once over millions of rows, and under a libc collation every
-- comparison of two keys goes through strcoll: the build took about a third more CPU (1 M rows: 2.6 s against
-- 1.8 s). Account ids and the partners' sell-out references are identifiers, for which byte order is as good
-- as any. Equality is the same under both; where this column meets one of the default collation, the
-- comparison takes this column's collation, so joins and lookups still use the key.
--
-- The column's type can change only with the policies and the view over it set aside: they are rebuilt from
-- their own definitions (policy expressions, view definition and options, grants), unchanged.
do $$
declare
  def text := pg_get_viewdef('inventory_movements'::regclass);
  opts text[] := (select reloptions from pg_class where oid = 'inventory_movements'::regclass);
  saved aclitem[] := (select relacl from pg_class where oid = 'inventory_movements'::regclass);
  owner oid := (select relowner from pg_class where oid = 'inventory_movements'::regclass);
  g record;
  p record;
  policies jsonb := (select coalesce(jsonb_agg(to_jsonb(x)), '[]') from pg_policies x
                     where x.schemaname = 'public' and x.tablename = 'sell_out');
begin
  drop view inventory_movements;
  for p in select * from jsonb_to_recordset(policies) as (policyname text) loop
    execute format('drop policy %I on sell_out', p.policyname);
  end loop;
  alter table sell_out
    alter column account_id type text collate "C",
    alter column sell_out_ref type text collate "C";
  for p in
    select * from jsonb_to_recordset(policies)
      as (policyname text, permissive text, roles text[], cmd text, qual text, with_check text)
  loop
    execute format('create policy %I on sell_out as %s for %s to %s%s%s', p.policyname, p.permissive, p.cmd,
      (select string_agg(case when r = 'public' then 'public' else quote_ident(r) end, ', ') from unnest(p.roles) r),
      case when p.qual is null then '' else ' using (' || p.qual || ')' end,
      case when p.with_check is null then '' else ' with check (' || p.with_check || ')' end);
  end loop;
  execute format('create view inventory_movements%s as %s',
    case when opts is null then '' else ' with (' || array_to_string(opts, ', ') || ')' end, def);
  for g in
    select a.privilege_type, a.grantee::regrole::text as grantee from aclexplode(saved) a
    where a.grantee <> 0 and a.grantee <> owner
  loop
    execute format('grant %s on inventory_movements to %s', g.privilege_type, g.grantee);
  end loop;
end
$$;
