/**
 * The holiday calendars the SLA needs, copied into `business_holidays` by the calendar module
 * (`ensureHolidays`), so `slaSql` counts business days in the database exactly as `businessDaysBetween` does in
 * TypeScript: every partner country (and '' for none), from the year of the earliest claim to the year after
 * the later of the as-of date and the latest claim.
 */
import type { BusinessDate } from '../../core/dates.ts';
import type { Db } from '../../db/db.ts';
import { ensureHolidays } from '../calendar/index.ts';
import { slaInputsJoin, slaSql } from './sla.ts';

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
    countries: string[];
    first: number | null;
    last: number | null;
    stale: boolean;
  }>(
    // The partners' countries: claim_sla_countries() skips through an index, one look-up per country.
    `select array(select unnest(claim_sla_countries()) union select '') as countries,
       (select extract(year from min(submitted_date))::int from claims) as first,
       (select extract(year from max(submitted_date))::int from claims) as last,
       exists (select 1 from claims where sla_stale) as stale`,
  );
  const { countries, first, last } = span[0]!;
  let stale = span[0]!.stale;
  if (first === null || last === null) return stale;
  const asOfYear = Number(asOf.slice(0, 4));
  await ensureHolidays(
    db,
    countries,
    Math.min(first, asOfYear),
    Math.max(last, asOfYear) + 1,
    async (tx, years) => {
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
    },
  );
  return stale;
}
