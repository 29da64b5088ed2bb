/**
 * The calendars' SQL copy: each country's weekday holidays (`publicHolidays`) in `business_holidays`, per
 * country and year (`business_holiday_years` says which years were copied; a year may have none), so set-based
 * SQL counts business days exactly as `businessDaysBetween` does: weekdays (`weekdays_through`) less the
 * weekday holidays between (`business_holiday_days`, or the SQL function `business_days_between`). A
 * country's year is copied the first time a query needs it.
 */
import type { Db } from '../../db/db.ts';
import { isWeekend, publicHolidays } from './working-days.ts';

/** Country-years this process already knows are in a database's table; saves the look-up on most requests. */
const known = new Set<string>();

export interface HolidayYear {
  country: string;
  year: number;
}

/**
 * Makes the holidays of `countries` (upper case; '' for none) from `fromYear` to `toYear` present in
 * `business_holidays`. `onFilled` runs in the same transaction with the years copied now (e.g. to work out
 * again what was computed without them). Answers the years copied.
 */
export async function ensureHolidays(
  db: Db,
  countries: readonly string[],
  fromYear: number,
  toYear: number,
  onFilled?: (tx: Db, years: HolidayYear[]) => Promise<void>,
): Promise<HolidayYear[]> {
  const { rows: at } = await db.query<{ database: string }>(
    `select current_database() || '@' || coalesce(inet_server_port(), 0) as database`,
  );
  const database = at[0]!.database;
  const wanted: string[] = [];
  for (const raw of new Set(countries.map((c) => c.toUpperCase()))) {
    for (let year = fromYear; year <= toYear; year++) {
      if (!known.has(`${database}/${raw}:${year}`)) wanted.push(`${raw}:${year}`);
    }
  }
  if (wanted.length === 0) return [];
  const { rows: present } = await db.query<{ key: string }>(
    `select country || ':' || year as key from business_holiday_years where country || ':' || year = any($1)`,
    [wanted],
  );
  for (const p of present) known.add(`${database}/${p.key}`);
  const missing = wanted.filter((k) => !known.has(`${database}/${k}`));
  if (missing.length === 0) return [];
  const days: { country: string; day: string }[] = [];
  const years: HolidayYear[] = [];
  for (const key of missing) {
    const at = key.lastIndexOf(':');
    const country = key.slice(0, at);
    const year = Number(key.slice(at + 1));
    years.push({ country, year });
    for (const day of publicHolidays(country, year)) if (!isWeekend(day)) days.push({ country, day });
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
    if (onFilled) await onFilled(tx, years);
  });
  return years;
}
