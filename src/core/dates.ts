/**
 * Business dates are plain calendar dates, `YYYY-MM-DD` strings, with no time zone. These helpers do
 * calendar arithmetic on them through UTC so that no local offset can shift a day.
 */
export type BusinessDate = string;

const datePattern = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isBusinessDate(value: string): boolean {
  const m = datePattern.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

export function parseBusinessDate(value: string): BusinessDate {
  if (!isBusinessDate(value))
    throw new RangeError(`"${value}" is not a calendar date in the form YYYY-MM-DD`);
  return value;
}

function toUtc(date: BusinessDate): Date {
  return new Date(`${parseBusinessDate(date)}T00:00:00Z`);
}

function fromUtc(d: Date): BusinessDate {
  return d.toISOString().slice(0, 10);
}

export function addDays(date: BusinessDate, days: number): BusinessDate {
  const d = toUtc(date);
  d.setUTCDate(d.getUTCDate() + days);
  return fromUtc(d);
}

/** Whole days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: BusinessDate, to: BusinessDate): number {
  return Math.round((toUtc(to).getTime() - toUtc(from).getTime()) / 86_400_000);
}

/** Today's date where the server runs, or `CLEARHOUSE_TODAY` when set (for demos and reproducible runs). */
export function today(): BusinessDate {
  const fixed = process.env.CLEARHOUSE_TODAY;
  if (fixed) return parseBusinessDate(fixed);
  const now = new Date();
  const local = new Date(now.getTime() - now.getTimezoneOffset() * 60_000);
  return fromUtc(local);
}

const monthPattern = /^\d{4}-(0[1-9]|1[0-2])$/;

/** Whether `value` is a month `YYYY-MM`. */
export function isMonth(value: string): boolean {
  return monthPattern.test(value);
}

/** The last day of a month `YYYY-MM`. */
export function monthEnd(month: string): BusinessDate {
  if (!isMonth(month)) throw new RangeError(`"${month}" is not a month in the form YYYY-MM`);
  const [y, m] = month.split('-').map(Number) as [number, number];
  return fromUtc(new Date(Date.UTC(y, m, 0)));
}

/** The month before a month `YYYY-MM`. */
export function previousMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

/** `n` months, oldest first, ending with `last`. */
export function monthsEnding(last: string, n: number): string[] {
  const out = [last];
  while (out.length < n) out.unshift(previousMonth(out[0]!));
  return out;
}

/** The last complete month on a date: its own month when it is the month's last day, else the one before. */
export function lastCompleteMonth(asOf: BusinessDate): string {
  const month = asOf.slice(0, 7);
  return monthEnd(month) === asOf ? month : previousMonth(month);
}
