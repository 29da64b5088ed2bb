-- The SLA state of a claim whose clock stopped (rejected, paid, closed) is kept on the claim: met or missed no
-- longer changes from day to day, so the claim queue and the claim log count, filter and page those claims
-- through an index instead of working out the business days of every claim on every request. Open claims
-- (whose state moves with the date) are still worked out per request, in SQL (claims/sla.ts, slaSql); they are
-- the claims being worked, a small part of all.
--
-- `sla_stale` says the stored figure may be out of date: set by the triggers below whenever an input of the
-- SLA changes (the claim's status, dates, urgency, program version or partner; the program's SLA days; the
-- partner's country), and cleared when the figure is worked out again (claims/sla-store.ts, which readers run
-- first). A stale claim is read as if nothing were stored, so an answer never depends on a stale figure.
alter table claims
  add column sla_stale boolean not null default true,
  add column sla_stopped_state text check (sla_stopped_state in ('met', 'missed'));

-- The claims worked out per request: stale ones, open ones and drafts (few at any time).
create index claims_sla_live on claims (account_id, claim_id) where sla_stale or sla_stopped_state is null;
-- Claims with a stored state: counted per state for the queue's filter, account first for a partner's.
create index claims_sla_state on claims (account_id, sla_stopped_state) where not sla_stale;

create function claims_sla_inputs_changed() returns trigger language plpgsql as $$
begin
  if tg_op = 'INSERT' then
    new.sla_stale := true;
  elsif (new.status, new.submitted_date, new.decided_at, new.paid_on, new.updated_at, new.urgent, new.program_id,
         new.program_version, new.account_id)
        is distinct from
        (old.status, old.submitted_date, old.decided_at, old.paid_on, old.updated_at, old.urgent, old.program_id,
         old.program_version, old.account_id) then
    new.sla_stale := true;
  end if;
  return new;
end
$$;
create trigger claims_sla_inputs before insert or update on claims
  for each row execute function claims_sla_inputs_changed();

-- A program version's SLA days or status (the active version is the fallback) are inputs of its claims' SLA.
create function claims_sla_program_changed() returns trigger language plpgsql as $$
begin
  update claims set sla_stale = true
  where program_id = any (array[(case when tg_op <> 'INSERT' then old.program_id end),
                                (case when tg_op <> 'DELETE' then new.program_id end)])
    and not sla_stale;
  return null;
end
$$;
create trigger program_versions_claims_sla after insert or delete or update of sla_business_days, status, program_id
  on program_versions for each row execute function claims_sla_program_changed();

-- The partner's country decides the holidays of the clock.
create function claims_sla_country_changed() returns trigger language plpgsql as $$
begin
  if new.country is distinct from old.country then
    update claims set sla_stale = true where account_id = new.account_id and not sla_stale;
  end if;
  return null;
end
$$;
create trigger accounts_claims_sla after update of country on accounts
  for each row execute function claims_sla_country_changed();

-- Stopped clocks newest first (the queue's order after the open clocks, and the claim log's).
create index claims_sla_stopped_order on claims (submitted_date desc, claim_id, account_id)
  where not sla_stale and sla_stopped_state is not null;

-- Which countries' holiday calendars the SLA needs (claims/sla-calendar.ts): the partners' countries, one index
-- look-up per country rather than a read of every account. Like claim_program_slas(), it answers for every
-- account (only the country codes) so that a partner's clock uses the same calendars as the desk's.
create index accounts_sla_country on accounts ((upper(coalesce(country, ''))));
create function claim_sla_countries() returns text[]
language sql stable security definer set search_path = public as $$
  with recursive country(c) as (
    select min(upper(coalesce(a.country, ''))) from accounts a
    union all
    select (select min(upper(coalesce(a.country, ''))) from accounts a where upper(coalesce(a.country, '')) > country.c)
    from country where country.c is not null
  )
  select coalesce(array_agg(c), '{}') from country where c is not null
$$;
