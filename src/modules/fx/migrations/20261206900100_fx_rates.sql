-- Exchange rates into the reporting currency (fx_rates.csv, FORMATS.md "Reviews and measures"): units of the
-- reporting currency (CLEARHOUSE_REPORTING_CURRENCY) for one unit of `currency`, from `rate_date` on. Reference
-- data, the same for every account: no account key. Everyone reads them (a rate is no secret); only the
-- company's people change them.
create table fx_rates (
  currency char(3) not null,
  rate_date date not null,
  rate numeric(24, 10) not null check (rate > 0),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (currency, rate_date)
);

alter table fx_rates enable row level security;
create policy fx_rates_read on fx_rates for select using (true);
create policy fx_rates_internal on fx_rates using (clearhouse_internal());

-- The one conversion of the product: units of `reporting` for one unit of `currency` on `on_date` — the latest
-- rate on or before the date, 1 for the reporting currency itself, null when no rate is known (callers say
-- which currency lacks one rather than leave its amounts out). Amounts are multiplied unrounded.
create function fx_rate(currency text, on_date date, reporting text) returns numeric
language sql stable parallel safe as $$
  select case when upper(fx_rate.currency) = upper(reporting) then 1::numeric
    else (select r.rate from fx_rates r
          where r.currency = upper(fx_rate.currency) and r.rate_date <= on_date
          order by r.rate_date desc limit 1) end
$$;
