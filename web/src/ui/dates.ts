/**
 * Business dates are 'YYYY-MM-DD' strings and are shown without any time-zone shift; instants are ISO
 * timestamps and are shown in the reader's time zone.
 */

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });
const timestampFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const relativeFormat = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

/** '2026-11-23' → 'Nov 23, 2026' in the reader's locale, the same calendar day everywhere. */
export function formatDate(date: string | null | undefined): string {
  if (!date) return '';
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return date;
  return dateFormat.format(new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))));
}

// A server type's Date arrives as its ISO string over JSON; both read the same.
export function formatTimestamp(timestamp: string | Date | null | undefined): string {
  if (!timestamp) return '';
  const instant = new Date(timestamp);
  return Number.isNaN(instant.getTime()) ? String(timestamp) : timestampFormat.format(instant);
}

const steps: [Intl.RelativeTimeFormatUnit, number][] = [
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
  ['day', 7],
  ['week', 4.35],
  ['month', 12],
  ['year', Number.POSITIVE_INFINITY],
];

/** '3 hours ago', 'yesterday'; for lists where the exact instant sits in a tooltip. */
export function formatAgo(timestamp: string | null | undefined, now: Date = new Date()): string {
  if (!timestamp) return '';
  const instant = new Date(timestamp);
  if (Number.isNaN(instant.getTime())) return timestamp;
  let amount = (instant.getTime() - now.getTime()) / 1000;
  for (const [unit, size] of steps) {
    if (Math.abs(amount) < size) return relativeFormat.format(Math.round(amount), unit);
    amount /= size;
  }
  return formatTimestamp(timestamp);
}
