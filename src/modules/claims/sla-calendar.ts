/**
 * The holiday calendars of the SLA (`publicHolidays`, from `date-holidays`) copied into `business_holidays`,
 * so `slaSql` counts business days in the database exactly as `businessDaysBetween` does in TypeScript. A
 * country's year is copied the first time a query needs it: every partner country (and '' for none), from
 * the year of the earliest claim to the year after the later of the as-of date and the latest claim.
 */
import type { BusinessDate } from '../../core/dates.ts';
import type { Db } from '../../db/db.ts';
import { publicHolidays } from './sla.ts';

/** Country-years this process already knows are in a database's table; saves the look-up on most requests. */
const known = new Set<string>();

const weekday = (date: string) => {
  const d = new Date(`${date}T00:00:00Z`).getUTCDay();
  return d !== 0 && d !== 6;
};

export async function ensureHolidayCalendars(db: Db, asOf: BusinessDate): Promise<void> {
  const { rows: span } = await db.query<{
    database: string;
    countries: string[];
    first: number | null;
    last: number | null;
  }>(
    `select current_database() || '@' || coalesce(inet_server_port(), 0) as database,
       array(select distinct upper(coalesce(a.country, '')) from accounts a union select '') as countries,
       (select extract(year from min(submitted_date))::int from claims) as first,
       (select extract(year from max(submitted_date))::int from claims) as last`,
  );
  const { database, countries, first, last } = span[0]!;
  if (first === null || last === null) return;
  const asOfYear = Number(asOf.slice(0, 4));
  const from = Math.min(first, asOfYear);
  const to = Math.max(last, asOfYear) + 1;
  const wanted: string[] = [];
  for (const country of countries) {
    for (let year = from; year <= to; year++) {
      if (!known.has(`${database}/${country}:${year}`)) wanted.push(`${country}:${year}`);
    }
  }
  if (wanted.length === 0) return;
  const { rows: present } = await db.query<{ key: string }>(
    `select country || ':' || year as key from business_holiday_years where country || ':' || year = any($1)`,
    [wanted],
  );
  for (const p of present) known.add(`${database}/${p.key}`);
  const missing = wanted.filter((k) => !known.has(`${database}/${k}`));
  if (missing.length === 0) return;
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
  });
}
