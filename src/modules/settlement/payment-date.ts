/**
 * Payment dates fall on business days of the company's calendar (weekends and the public holidays of
 * CLEARHOUSE_COMPANY_COUNTRY, default US, in the calendar module): a credit memo's date, an
 * ACH effective date and a release's payment date. A date the user asks for explicitly that is not a business
 * day is refused with the reason and the next business day; a default ("today") moves to the next business
 * day on its own, which is what a finance user expects to be proposed.
 */
import { type BusinessDate, isBusinessDate, today } from '../../core/dates.ts';
import { AppError } from '../../core/errors.ts';
import { isBusinessDay, nextBusinessDay, publicHolidays } from '../calendar/index.ts';

/** CLEARHOUSE_COMPANY_COUNTRY: the country whose calendar the company's payments follow (ISO code). */
export function companyCountry(env: NodeJS.ProcessEnv = process.env): string {
  const value = (env.CLEARHOUSE_COMPANY_COUNTRY || 'US').trim().toUpperCase();
  return /^[A-Z]{2}$/.test(value) ? value : 'US';
}

/** The first business day on or after `date`. */
export function nextPaymentDate(date: BusinessDate, country = companyCountry()): BusinessDate {
  return nextBusinessDay(country, date);
}

const weekdays = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** Why `date` cannot be a payment date (weekend or public holiday), or null when it is a business day. */
export function paymentDateProblem(date: BusinessDate, country = companyCountry()): string | null {
  if (isBusinessDay(country, date)) return null;
  const dow = new Date(`${date}T00:00:00Z`).getUTCDay();
  const why =
    dow === 0 || dow === 6
      ? `a ${weekdays[dow]}`
      : publicHolidays(country, Number(date.slice(0, 4))).has(date)
        ? `a public holiday in ${country}`
        : 'not a business day';
  return `${date} is ${why}, not a business day for payments; the next business day is ${nextPaymentDate(date, country)}.`;
}

/** Whether a day is a business day for payments, and the next one (GET /api/settlement/payment-date). */
export interface PaymentDateCheck {
  date: BusinessDate;
  country: string;
  business_day: boolean;
  /** Why it is not a business day, or null. */
  problem: string | null;
  next_business_day: BusinessDate;
}

export function checkPaymentDate(date: BusinessDate, country = companyCountry()): PaymentDateCheck {
  const problem = paymentDateProblem(date, country);
  return {
    date,
    country,
    business_day: problem === null,
    problem,
    next_business_day: nextPaymentDate(date, country),
  };
}

/**
 * The payment date of a run or a proposal: the date asked for, which must be a business day (refused with
 * the reason otherwise), or without one the next business day from today.
 */
export function paymentDate(asked: string | undefined, field = 'as_of'): BusinessDate {
  if (asked === undefined) return nextPaymentDate(today());
  if (!isBusinessDate(asked))
    throw new AppError('bad_request', `${field} ${asked} is not a date (YYYY-MM-DD).`);
  const problem = paymentDateProblem(asked);
  if (problem) throw new AppError('bad_request', `${field}: ${problem}`);
  return asked;
}
