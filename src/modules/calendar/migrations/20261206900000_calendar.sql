-- The business-holiday tables (20261201400000_business_holidays.sql) now belong to the calendar module
-- (src/modules/calendar), the one calendar of every business-day figure.
comment on table business_holidays is
  'weekday public holidays observed nationwide per country, copied from date-holidays by calendar/holiday-tables.ts';

-- GB now counts only the bank holidays of the whole United Kingdom (Easter Monday, which Scotland does not keep,
-- is a working day): its copied years are dropped and copied again when next needed; a claim whose stored SLA
-- state was worked out with them is worked out again then.
delete from business_holidays where country = 'GB';
delete from business_holiday_years where country = 'GB';

-- Business days after a and up to and including b in a country's calendar (negative when b is before a), as
-- calendar/working-days.ts businessDaysBetween counts them, for the years copied into business_holidays.
create function business_days_between(country text, a date, b date) returns integer
language sql stable parallel safe as $$
  select weekdays_through(b) - weekdays_through(a)
    - sign(b - a)::int * (select count(*)::int from business_holidays h
        where h.country = upper(coalesce(business_days_between.country, ''))
          and h.day > least(a, b) and h.day <= greatest(a, b))
$$;
