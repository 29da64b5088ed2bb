import { Decimal } from 'decimal.js';

/**
 * Money is a decimal, never a JS number. Amounts travel as strings (`"1234.50"`), are computed with
 * `Decimal`, and are stored as PostgreSQL `numeric`.
 */
export const Money = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });
export type Money = Decimal;

const amountPattern = /^-?\d+(\.\d+)?$/;

/** True for a plain decimal string: digits, an optional `.` and decimals, no thousands separator. */
export function isAmountString(value: string): boolean {
  return amountPattern.test(value);
}

export function parseAmount(value: string): Decimal {
  if (!isAmountString(value)) {
    throw new RangeError(`"${value}" is not an amount: use digits with a "." for decimals and no separators`);
  }
  return new Money(value);
}

/** Minor units per ISO 4217 where they differ from two. */
const minorUnitExceptions: Record<string, number> = {
  BHD: 3,
  CLP: 0,
  IQD: 3,
  ISK: 0,
  JOD: 3,
  JPY: 0,
  KRW: 0,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  PYG: 0,
  TND: 3,
  UGX: 0,
  VND: 0,
  XAF: 0,
  XOF: 0,
};

export function minorUnits(currency: string): number {
  return minorUnitExceptions[currency.toUpperCase()] ?? 2;
}

/**
 * The one place where money is rounded: half away from zero to the currency's minor unit. Called where an
 * amount is decided (a line's approved amount, a posting), never in between.
 */
export function roundMoney(amount: Decimal.Value, currency: string): Decimal {
  return new Money(amount).toDecimalPlaces(minorUnits(currency), Decimal.ROUND_HALF_UP);
}

/** Renders an amount with exactly the currency's minor digits, as it goes on the wire. */
export function formatAmount(amount: Decimal.Value, currency: string): string {
  return roundMoney(amount, currency).toFixed(minorUnits(currency));
}

const groupDigits = (whole: string) => whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/**
 * "5930.5" in EUR → "5,930.50": grouping, at least the currency's decimals, more only when they carry digits
 * (a unit amount of 12.3456 keeps them). Never rounds.
 */
export function formatAmountText(amount: string | null | undefined, currency: string): string {
  if (amount === null || amount === undefined || amount === '') return '';
  const d = new Money(amount);
  const fixed = d.abs().toFixed(Math.max(minorUnits(currency), d.decimalPlaces()));
  const [whole = '0', fraction] = fixed.split('.');
  return `${d.isNegative() && !d.isZero() ? '-' : ''}${groupDigits(whole)}${fraction ? `.${fraction}` : ''}`;
}

/** "5,930.00 EUR", or "—" when there is no amount yet. */
export function formatMoneyText(amount: string | null | undefined, currency: string): string {
  const text = formatAmountText(amount, currency);
  return text ? `${text} ${currency}` : '—';
}
