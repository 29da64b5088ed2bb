/**
 * Business dates are 'YYYY-MM-DD' strings and are shown without any time-zone shift; instants are ISO
 * timestamps and are shown in the reader's time zone.
 */

import { cached, datePattern } from './locale';

// In the user's locale (ui/locale.ts), made once per locale.
const dateFormat = () =>
  cached('date', (locale) => new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }));
const timestampFormat = () =>
  cached(
    'timestamp',
    (locale) => new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }),
  );
const relativeFormat = () =>
  cached('relative', (locale) => new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }));
const shortFormat = () =>
  cached(
    'date-short',
    (locale) =>
      new Intl.DateTimeFormat(locale, { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'UTC' }),
  );

/** '2026-11-23' → 'Nov 23, 2026' in the user's locale, the same calendar day everywhere. */
export function formatDate(date: string | null | undefined): string {
  if (!date) return '';
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return date;
  return dateFormat().format(new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))));
}

// A server type's Date arrives as its ISO string over JSON; both read the same.
export function formatTimestamp(timestamp: string | Date | null | undefined): string {
  if (!timestamp) return '';
  const instant = new Date(timestamp);
  return Number.isNaN(instant.getTime()) ? String(timestamp) : timestampFormat().format(instant);
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
    if (Math.abs(amount) < size) return relativeFormat().format(Math.round(amount), unit);
    amount /= size;
  }
  return formatTimestamp(timestamp);
}

/** '2026-11-23' → '23.11.2026' (de-DE), '11/23/2026' (en-US): how a date is typed in the user's locale. */
export function formatDateInput(date: string | null | undefined): string {
  if (!date) return '';
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return date;
  return shortFormat().format(new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))));
}

/**
 * A date typed in the user's locale ('23.11.2026', '11/23/2026', also '2026-11-23') → '2026-11-23'; null when
 * it is not a date.
 */
export function parseDateInput(text: string): string | null {
  const trimmed = text.trim();
  if (!trimmed) return null;
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(trimmed);
  let year: number;
  let month: number;
  let day: number;
  if (iso) {
    [year, month, day] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  } else {
    const numbers = trimmed
      .split(/[^0-9]+/)
      .filter(Boolean)
      .map(Number);
    const { order } = datePattern();
    if (numbers.length !== 3 || order.length !== 3) return null;
    const at = (part: 'day' | 'month' | 'year') => numbers[order.indexOf(part)]!;
    [year, month, day] = [at('year'), at('month'), at('day')];
    if (year < 100) year += 2000;
  }
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day)
    return null;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
