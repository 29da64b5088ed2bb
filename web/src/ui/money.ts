/**
 * Money arrives from the server as decimal strings ("5930.00") and stays a string: the browser only formats
 * it for reading and compares it for sorting, and never does arithmetic on it.
 */

const decimal = /^-?\d+(\.\d+)?$/;

/** "5930.5" → "5,930.50" (grouping by the reader's locale, at least two decimals). */
export function formatAmount(amount: string | null | undefined): string {
  if (amount === null || amount === undefined || amount === '') return '';
  if (!decimal.test(amount)) return amount;
  const fraction = amount.split('.')[1]?.length ?? 0;
  // Intl formats a numeric string exactly (no trip through a float), so large amounts keep every digit.
  return new Intl.NumberFormat(undefined, {
    minimumFractionDigits: Math.max(2, fraction),
    maximumFractionDigits: Math.max(2, fraction),
  }).format(amount as Intl.StringNumericLiteral);
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

/** Is this text a decimal amount the server will accept (up to two decimals)? */
export function isAmount(text: string): boolean {
  return /^\d+(\.\d{1,2})?$/.test(text);
}

/** An exchange rate without its trailing zeros: "1.1000000000" → "1.1", "20" stays "20". */
export function rateText(rate: string): string {
  return rate.includes('.') ? rate.replace(/0+$/, '').replace(/\.$/, '') : rate;
}
