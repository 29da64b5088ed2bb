-- fx_rate compared the char(3) key with text, which casts every key and reads the whole table per call: the
-- same function, comparing as char(3), so each call is one look-up in the primary key (currency, rate_date).
create or replace function fx_rate(currency text, on_date date, reporting text) returns numeric
language sql stable parallel safe as $$
  select case when upper(fx_rate.currency) = upper(reporting) then 1::numeric
    else (select r.rate from fx_rates r
          where r.currency = upper(fx_rate.currency)::char(3) and r.rate_date <= on_date
          order by r.rate_date desc limit 1) end
$$;
