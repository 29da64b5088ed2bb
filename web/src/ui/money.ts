/**
 * Money arrives from the server as decimal strings ("5930.00") and stays a string: the browser only formats
 * it for reading and compares it for sorting, and never does arithmetic on it.
 */

import { cached, separators } from './locale';

const decimal = /^-?\d+(\.\d+)?$/;

/** "5930.5" → "5,930.50" (en-US), "5.930,50" (de-DE): the user's locale, at least two decimals. */
export function formatAmount(amount: string | null | undefined): string {
  if (amount === null || amount === undefined || amount === '') return '';
  if (!decimal.test(amount)) return amount;
  const fraction = amount.split('.')[1]?.length ?? 0;
  // Intl formats a numeric string exactly (no trip through a float), so large amounts keep every digit.
  const digits = Math.max(2, fraction);
  return cached(
    `amount-${digits}`,
    (locale) =>
      new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits }),
  ).format(amount as Intl.StringNumericLiteral);
}

/** "5930" and "EUR" → "5,930.00 EUR": the code after the amount reads the same in every currency. */
export function formatMoney(amount: string | null | undefined, currency?: string | null): string {
  const formatted = formatAmount(amount);
  if (!formatted) return '';
  return currency ? `${formatted} ${currency}` : formatted;
}

/** Orders two decimal strings exactly, for sorting grids; null sorts first. */
export function compareAmounts(a: string | null | undefined, b: string | null | undefined): number {
  if (!a || !decimal.test(a)) return !b || !decimal.test(b) ? 0 : -1;
  if (!b || !decimal.test(b)) return 1;
  const negativeA = a.startsWith('-');
  const negativeB = b.startsWith('-');
  if (negativeA !== negativeB) return isZero(a) && isZero(b) ? 0 : negativeA ? -1 : 1;
  const magnitude = compareMagnitudes(negativeA ? a.slice(1) : a, negativeB ? b.slice(1) : b);
  return negativeA ? -magnitude : magnitude;
}

function compareMagnitudes(a: string, b: string): number {
  const [wholeA = '', fractionA = ''] = a.split('.');
  const [wholeB = '', fractionB = ''] = b.split('.');
  const intA = wholeA.replace(/^0+(?=\d)/, '');
  const intB = wholeB.replace(/^0+(?=\d)/, '');
  if (intA.length !== intB.length) return intA.length < intB.length ? -1 : 1;
  if (intA !== intB) return intA < intB ? -1 : 1;
  const width = Math.max(fractionA.length, fractionB.length);
  const padA = fractionA.padEnd(width, '0');
  const padB = fractionB.padEnd(width, '0');
  return padA === padB ? 0 : padA < padB ? -1 : 1;
}

function isZero(amount: string): boolean {
  return /^-?0+(\.0+)?$/.test(amount);
}

/** A count in the user's locale: 12345 → "12,345" (en-US), "12.345" (de-DE). */
export function formatCount(n: number | null | undefined): string {
  if (n === null || n === undefined) return '';
  return cached('count', (locale) => new Intl.NumberFormat(locale)).format(n);
}

/**
 * An amount as typed in the user's locale ("1.234,50" in de-DE, "1,234.50" in en-US, "1234.5" anywhere) →
 * the decimal string the server takes ("1234.50" → "1234.50"); null when it is not an amount.
 */
export function parseAmountInput(text: string): string | null {
  const { decimal: point, group } = separators();
  let t = text.trim().replace(/[\s\u00a0\u202f]/g, '');
  if (!t) return null;
  if (point !== '.' && t.includes(point))
    t = t
      .split(group === '.' ? '.' : group)
      .join('')
      .replace(point, '.');
  else if (point === '.' || !t.includes(point)) {
    // The group separator may be typed (1,234.50) or left out; a lone "," in a "."-decimal locale is a group.
    if (group !== '.' || point !== ',') t = t.split(group).join('');
    else if ((t.match(/\./g) ?? []).length > 1 || /\.\d{3}$/.test(t)) t = t.split('.').join('');
  }
  return /^-?\d+(\.\d+)?$/.test(t) ? t : null;
}

/** Is this text, typed in the user's locale, a decimal amount the server will accept (up to two decimals)? */
export function isAmount(text: string): boolean {
  const parsed = parseAmountInput(text);
  return parsed !== null && /^\d+(\.\d{1,2})?$/.test(parsed);
}

/** What to send for an amount typed in the user's locale: the decimal string, or the text as typed. */
export function amountValue(text: string): string {
  return parseAmountInput(text) ?? text.trim();
}

/** Exact arithmetic on two-decimal amount strings (cents as BigInt), never through a float. */
export function toCents(amount: string): bigint {
  // Typed in the user's locale ("1.234,50" in de-DE) or as the server writes it ("1234.50").
  const m = /^(-?)(\d*)(?:\.(\d{0,2}))?$/.exec(amountValue(amount));
  if (!m) return 0n;
  const cents = BigInt(m[2] || '0') * 100n + BigInt((m[3] ?? '').padEnd(2, '0') || '0');
  return m[1] ? -cents : cents;
}
export function fromCents(cents: bigint): string {
  const negative = cents < 0n;
  const abs = negative ? -cents : cents;
  return `${negative ? '-' : ''}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
}

/** A figure with a fixed number of decimals in the user's locale: 12.5 → "12.5" (en-US), "12,5" (de-DE). */
export function formatNumber(n: number | null | undefined, decimals = 0): string {
  if (n === null || n === undefined || Number.isNaN(n)) return '';
  return cached(
    `number-${decimals}`,
    (locale) =>
      new Intl.NumberFormat(locale, { minimumFractionDigits: decimals, maximumFractionDigits: decimals }),
  ).format(n);
}

/** An exchange rate without its trailing zeros: "1.1000000000" → "1.1", "20" stays "20". */
export function rateText(rate: string): string {
  return rate.includes('.') ? rate.replace(/0+$/, '').replace(/\.$/, '') : rate;
}
