-- The reference functions are used by expression indexes on ar_documents. ANALYZE, VACUUM and index builds
-- run index expressions with a safe search_path (pg_catalog, pg_temp) from PostgreSQL 17 on, so a call of
-- one of our functions from another must name its schema, or (auto)analyze of ar_documents fails with
-- "function cash_ref_key(text) does not exist". The bodies are otherwise unchanged (same results, so the
-- indexes stay valid); no SET clause, which would cost a configuration change per call.
create or replace function cash_ref_key(t text) returns text
language plpgsql immutable parallel safe as $$
declare
  k text := regexp_replace(regexp_replace(upper(t), '[[:space:]#./-]', '', 'g'), '^(INVOICE|INV|NO)+', '');
begin
  if k ~ '[OIL][0-9]|[0-9][OIL]' then k := public.cash_ref_fix(k); end if;
  if length(k) < 3 or k !~ '[0-9]' then return null; end if;
  return k;
end $$;

create or replace function cash_ref_number(t text) returns text
language plpgsql immutable parallel safe as $$
declare
  k text := public.cash_ref_key(t);
  n text := regexp_replace(k, '^[A-Z]+', '');
begin
  if n <> k and length(n) >= 3 then return n; end if;
  return null;
end $$;
