-- Business days in SQL, so the claim queue and the claim log can order, filter and page claims by their SLA
-- without loading every claim into the application. The holidays come from the same maintained calendars
-- (`date-holidays`) as the SLA functions in claims/sla.ts, which copy them here per country and year when a
-- query first needs them (claims/sla-calendar.ts). Reference data, the same for everyone: no account key and
-- no row security.
create table business_holidays (
  country text not null,                  -- as accounts.country, upper case; '' for no country
  day date not null,                      -- a public holiday that falls on a weekday
  primary key (country, day)
);

-- Which years of which country's calendar were copied (a year may have no weekday holiday at all).
create table business_holiday_years (
  country text not null,
  year integer not null,
  filled_at timestamptz not null default now(),
  primary key (country, year)
);

-- Weekdays (Monday to Friday) from Monday 1 January 1900 up to and including d: the weekdays after a and up to
-- and including b are weekdays_through(b) - weekdays_through(a), in either order.
create function weekdays_through(d date) returns integer
language sql immutable parallel safe as $$
  select ((d - date '1900-01-01') + 1) / 7 * 5 + least(((d - date '1900-01-01') + 1) % 7, 5)
$$;

-- Each country's weekday holidays as one sorted array: width_bucket(d, days) is then the number of them on or
-- before d (a binary search), so the holidays between two dates cost two look-ups per claim.
create view business_holiday_days as
  select country, array_agg(day order by day) as days from business_holidays group by country;

-- The SLA target of every program version (SLA business days), for the SLA of claims: a partner sees the same
-- clock on its claim as the desk does even under a program it cannot read (one it is not enrolled in).
create function claim_program_slas() returns table (program_id text, version integer, status text,
  sla_business_days integer)
language sql stable security definer set search_path = public as $$
  select program_id, version, status, sla_business_days from program_versions
$$;
