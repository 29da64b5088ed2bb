/**
 * The holiday calendars of the SLA (`publicHolidays`, from `date-holidays`) copied into `business_holidays`,
 * so `slaSql` counts business days in the database exactly as `businessDaysBetween` does in TypeScript. A
 * country's year is copied the first time a query needs it: every partner country (and '' for none), from
 * the year of the earliest claim to the year after the later of the as-of date and the latest claim.
 */
import type { BusinessDate } from '../../core/dates.ts';
import type { Db } from '../../db/db.ts';
import { publicHolidays, slaInputsJoin, slaSql } from './sla.ts';

/** Country-years this process already knows are in a database's table; saves the look-up on most requests. */
const known = new Set<string>();

const weekday = (date: string) => {
  const d = new Date(`${date}T00:00:00Z`).getUTCDay();
  return d !== 0 && d !== 6;
};

export async function ensureHolidayCalendars(db: Db, asOf: BusinessDate): Promise<void> {
  await holidayCalendarsAndStale(db, asOf);
}

/**
 * Makes the holiday calendars the SLA needs present (`ensureHolidayCalendars`), then works out again the stored
 * SLA state of the claims whose inputs changed (`sla_stale`, migration 20261206840000): run before reading the
 * stored states. One statement when nothing is stale and the calendars are known.
 */
export async function prepareStoredSla(db: Db, asOf: BusinessDate): Promise<void> {
  if (await holidayCalendarsAndStale(db, asOf)) await refreshStoredSla(db);
}

/**
 * The stopped clocks' states (met, missed) of the stale claims the caller may see, worked out in SQL
 * (`slaSql`) and stored; open claims and drafts store none. Rows another transaction is changing are skipped
 * (they stay stale, and readers work them out per request), so this never waits and never deadlocks.
 */
export async function refreshStoredSla(db: Db): Promise<void> {
  await db.query(
    `with s as (
       select c.account_id, c.claim_id, sla.sla_state
       from claims c
       ${slaInputsJoin}
       ${slaSql('current_date')}
       where c.sla_stale
       for update of c skip locked
     )
     update claims c set sla_stale = false,
       sla_stopped_state = case when s.sla_state in ('met', 'missed') then s.sla_state end
     from s where c.account_id = s.account_id and c.claim_id = s.claim_id`,
  );
}

/** `ensureHolidayCalendars`; answers whether any claim the caller may see has a stale stored SLA state. */
async function holidayCalendarsAndStale(db: Db, asOf: BusinessDate): Promise<boolean> {
  const { rows: span } = await db.query<{
    database: string;
    countries: string[];
    first: number | null;
    last: number | null;
    stale: boolean;
  }>(
    // The partners' countries: claim_sla_countries() skips through an index, one look-up per country.
    `select current_database() || '@' || coalesce(inet_server_port(), 0) as database,
       array(select unnest(claim_sla_countries()) union select '') as countries,
       (select extract(year from min(submitted_date))::int from claims) as first,
       (select extract(year from max(submitted_date))::int from claims) as last,
       exists (select 1 from claims where sla_stale) as stale`,
  );
  const { database, countries, first, last } = span[0]!;
  let stale = span[0]!.stale;
  if (first === null || last === null) return stale;
  const asOfYear = Number(asOf.slice(0, 4));
  const from = Math.min(first, asOfYear);
  const to = Math.max(last, asOfYear) + 1;
  const wanted: string[] = [];
  for (const country of countries) {
    for (let year = from; year <= to; year++) {
      if (!known.has(`${database}/${country}:${year}`)) wanted.push(`${country}:${year}`);
    }
  }
  if (wanted.length === 0) return stale;
  const { rows: present } = await db.query<{ key: string }>(
    `select country || ':' || year as key from business_holiday_years where country || ':' || year = any($1)`,
    [wanted],
  );
  for (const p of present) known.add(`${database}/${p.key}`);
  const missing = wanted.filter((k) => !known.has(`${database}/${k}`));
  if (missing.length === 0) return stale;
  const days: { country: string; day: string }[] = [];
  const years: { country: string; year: number }[] = [];
  for (const key of missing) {
    const at = key.lastIndexOf(':');
    const country = key.slice(0, at);
    const year = Number(key.slice(at + 1));
    years.push({ country, year });
    for (const day of publicHolidays(country, year)) if (weekday(day)) days.push({ country, day });
  }
  // Two processes may fill the same year at once: both write the same rows, the second changes nothing. The
  // years filled here are remembered only once a later call finds them (this may run inside a transaction
  // that is rolled back).
  await db.tx(async (tx) => {
    await tx.query(
      `insert into business_holidays (country, day)
       select * from unnest($1::text[], $2::date[]) on conflict do nothing`,
      [days.map((d) => d.country), days.map((d) => d.day)],
    );
    await tx.query(
      `insert into business_holiday_years (country, year)
       select * from unnest($1::text[], $2::int[]) on conflict do nothing`,
      [years.map((y) => y.country), years.map((y) => y.year)],
    );
    // A stored met/missed worked out before a year of its clock was known is worked out again.
    const marked = await tx.query(
      `update claims c set sla_stale = true
       from accounts a, unnest($1::text[], $2::int[]) as y(country, year)
       where a.account_id = c.account_id and upper(coalesce(a.country, '')) = y.country
         and not c.sla_stale and c.sla_stopped_state is not null
         and c.submitted_date <= make_date(y.year, 12, 31)
         and greatest(c.paid_on, c.decided_at::date, c.updated_at::date) >= make_date(y.year, 1, 1)`,
      [years.map((y) => y.country), years.map((y) => y.year)],
    );
    if (marked.rowCount) stale = true;
  });
  return stale;
}
