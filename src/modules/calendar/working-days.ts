/**
 * The one business-day calendar of the product (CONTROLS.md "Reviews"): a working day of a country is a
 * weekday that is not a public holiday observed nationwide in it. The holidays come from `date-holidays`:
 * the country's public holidays without a region (regional holidays never count), on their observed day (the
 * library's substitute days, e.g. US Independence Day 2026 on Friday 3 July), and for GB only those of the
 * whole United Kingdom — the library's GB list without a region still has England's Easter Monday, which
 * Scotland does not keep, so GB keeps only the days every nation (England, Northern Ireland, Scotland, Wales)
 * has; Scotland's 2 January is a working day. A country the library does not know has weekends only.
 *
 * The claims SLA, deduction and dispute queues, task SLAs, payment dates and the reviews all count with these
 * functions (or their SQL copy, `holiday-tables.ts`).
 */
import Holidays from 'date-holidays';
import { addDays, type BusinessDate, daysBetween, isMonth } from '../../core/dates.ts';

/** Countries whose public holidays without a region include some a part of the country does not keep. */
const nationwideByRegions: Readonly<Record<string, readonly string[]>> = {
  GB: ['ENG', 'NIR', 'SCT', 'WLS'],
};

const holidayCache = new Map<string, Set<string>>();

function publicDays(country: string, region: string | undefined, year: number): Set<string> {
  const days = new Set<string>();
  try {
    const calendar = region ? new Holidays(country, region) : new Holidays(country);
    for (const h of calendar.getHolidays(year) || []) {
      if (h.type === 'public') days.add(h.date.slice(0, 10));
    }
  } catch {
    // an unknown country: weekends only
  }
  return days;
}

/**
 * The public holidays observed nationwide in a country in a year, as `YYYY-MM-DD` (weekend ones included;
 * empty for a country `date-holidays` does not know).
 */
export function publicHolidays(country: string, year: number): Set<string> {
  const code = country.toUpperCase();
  const key = `${code}:${year}`;
  let days = holidayCache.get(key);
  if (!days) {
    days = publicDays(code, undefined, year);
    for (const region of nationwideByRegions[code] ?? []) {
      const regional = publicDays(code, region, year);
      for (const day of days) if (!regional.has(day)) days.delete(day);
    }
    holidayCache.set(key, days);
  }
  return days;
}

const weekday = (date: BusinessDate) => new Date(`${date}T00:00:00Z`).getUTCDay();

/** Saturday or Sunday. */
export function isWeekend(date: BusinessDate): boolean {
  const d = weekday(date);
  return d === 0 || d === 6;
}

export function isBusinessDay(country: string, date: BusinessDate): boolean {
  if (isWeekend(date)) return false;
  return !publicHolidays(country, Number(date.slice(0, 4))).has(date);
}

/**
 * Business days after `from` up to and including `to` (the day of receipt is day 0); negative when `to` is
 * before `from`. Weekdays are counted arithmetically, then weekday holidays in the range are taken off.
 */
export function businessDaysBetween(country: string, from: BusinessDate, to: BusinessDate): number {
  if (to < from) return -businessDaysBetween(country, to, from);
  const days = daysBetween(from, to);
  let count = Math.floor(days / 7) * 5;
  const startDow = weekday(from);
  for (let i = 1; i <= days % 7; i++) {
    const dow = (startDow + i) % 7;
    if (dow !== 0 && dow !== 6) count++;
  }
  const firstYear = Number(from.slice(0, 4));
  const lastYear = Number(to.slice(0, 4));
  for (let y = firstYear; y <= lastYear; y++) {
    for (const h of publicHolidays(country, y)) {
      if (h > from && h <= to && !isWeekend(h)) count--;
    }
  }
  return count;
}

/** Due dates already worked out (`addBusinessDays`): a page of claims shares few submitted dates and targets. */
const dueDates = new Map<string, BusinessDate>();

/** The date `n` business days after `from` (n ≥ 0; `from` itself when 0). */
export function addBusinessDays(country: string, from: BusinessDate, n: number): BusinessDate {
  const key = `${country.toUpperCase()}|${from}|${n}`;
  let due = dueDates.get(key);
  if (due === undefined) {
    due = walkBusinessDays(country, from, n);
    if (dueDates.size >= 100_000) dueDates.clear();
    dueDates.set(key, due);
  }
  return due;
}

function walkBusinessDays(country: string, from: BusinessDate, n: number): BusinessDate {
  let date = from;
  let left = n;
  while (left > 0) {
    date = addDays(date, 1);
    if (isBusinessDay(country, date)) left--;
  }
  return date;
}

/** The first business day on or after `date`. */
export function nextBusinessDay(country: string, date: BusinessDate): BusinessDate {
  let day = date;
  while (!isBusinessDay(country, day)) day = addDays(day, 1);
  return day;
}

/**
 * The `n`-th working day (1 = the first) of a month `YYYY-MM` in a country's calendar, or null when the month
 * has fewer than `n` working days.
 */
export function workingDay(country: string, month: string, n: number): BusinessDate | null {
  if (!isMonth(month)) throw new RangeError(`"${month}" is not a month in the form YYYY-MM`);
  if (!Number.isInteger(n) || n < 1)
    throw new RangeError(`the working day must be a whole number from 1, not ${n}`);
  const first = `${month}-01`;
  const day = addBusinessDays(country, addDays(first, -1), n);
  return day.slice(0, 7) === month ? day : null;
}
