-- A first load into an empty channel table (imports/streamed.ts) writes its rows without their indexes and
-- builds each index once afterwards, in the same transaction. The application role owns neither the tables
-- nor their indexes, so two functions owned by the tables' owner do the DDL:
--
-- - bulk_load.begin(t): for a transaction that sees every account (scope '*'), locks the table (access
--   exclusive, to the end of the transaction), and when it holds no row at all (row security does not hide
--   any: the owner sees every row) drops its primary key, unique constraints and indexes and turns its row
--   security off — which only lets the load COPY into it: nobody else can read the locked table, and the
--   transaction sees every account anyway — keeping the definitions; returns whether it did;
-- - bulk_load.finish(t): builds the indexes again from the kept definitions and turns row security back on.
--
-- The definitions are kept in a table only the owner can touch, so the application never hands DDL to run.
-- A transaction cannot commit with an index still dropped: a deferred constraint trigger on that table
-- refuses the commit while a kept definition remains, and a rollback restores the dropped indexes anyway.
create schema bulk_load;

create table bulk_load.dropped (
  xid xid8 not null default pg_current_xact_id(),
  tbl regclass not null,
  seq integer not null,
  ddl text not null,
  primary key (xid, tbl, seq)
);

create function bulk_load.still_dropped() returns trigger
language plpgsql security definer set search_path = public, pg_temp as $$
begin
  if exists (select 1 from bulk_load.dropped where xid = pg_current_xact_id()) then
    raise exception 'a bulk load dropped indexes of % and did not build them again', new.tbl;
  end if;
  return null;
end
$$;

create constraint trigger dropped_must_be_rebuilt after insert on bulk_load.dropped
  deferrable initially deferred for each row execute function bulk_load.still_dropped();

create function bulk_load.begin(t regclass) returns boolean
language plpgsql security definer set search_path = public, pg_temp as $$
declare
  empty boolean;
  r record;
  n integer := 0;
begin
  if t not in ('public.sell_out'::regclass, 'public.sell_in'::regclass, 'public.inventory_reports'::regclass) then
    raise exception 'bulk_load.begin: % is not a channel table', t;
  end if;
  if coalesce(current_setting('clearhouse.scope', true), '') <> '*' then
    return false;
  end if;
  execute format('lock table %s in access exclusive mode', t);
  execute format('select not exists (select 1 from %s)', t) into empty;
  -- A foreign key pointing at the table needs its key: such a table is loaded the ordinary way.
  if not empty or exists (select 1 from pg_constraint where confrelid = t and contype = 'f') then
    return false;
  end if;
  for r in
    select c.conname as name, 'alter table ' || t::text || ' add constraint ' || quote_ident(c.conname) || ' '
        || pg_get_constraintdef(c.oid) as ddl, true as is_constraint
    from pg_constraint c where c.conrelid = t and c.contype in ('p', 'u')
    union all
    select ic.relname, pg_get_indexdef(i.indexrelid), false
    from pg_index i join pg_class ic on ic.oid = i.indexrelid
    where i.indrelid = t and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid)
    order by 3 desc, 1
  loop
    n := n + 1;
    insert into bulk_load.dropped (tbl, seq, ddl) values (t, n, r.ddl);
    if r.is_constraint then
      execute format('alter table %s drop constraint %I', t, r.name);
    else
      execute format('drop index %I', r.name);
    end if;
  end loop;
  if (select relrowsecurity from pg_class where oid = t) then
    insert into bulk_load.dropped (tbl, seq, ddl)
      values (t, n + 1, 'alter table ' || t::text || ' enable row level security');
    execute format('alter table %s disable row level security', t);
  end if;
  return true;
end
$$;

create function bulk_load.finish(t regclass) returns void
language plpgsql security definer set search_path = public, pg_temp set maintenance_work_mem = '256MB' as $$
declare
  r record;
begin
  for r in select seq, ddl from bulk_load.dropped where xid = pg_current_xact_id() and tbl = t order by seq loop
    execute r.ddl;
  end loop;
  delete from bulk_load.dropped where xid = pg_current_xact_id() and tbl = t;
end
$$;

revoke all on schema bulk_load from public;
revoke all on all tables in schema bulk_load from public;
revoke all on function bulk_load.begin(regclass), bulk_load.finish(regclass), bulk_load.still_dropped() from public;
grant usage on schema bulk_load to clearhouse_app;
grant execute on function bulk_load.begin(regclass), bulk_load.finish(regclass) to clearhouse_app;
