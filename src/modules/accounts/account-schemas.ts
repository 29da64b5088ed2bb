import { z } from 'zod';
import { isCountryCode, isCurrencyCode } from '../../core/codes.ts';
import { isAmountString } from '../../core/money.ts';
import { idCharacterProblem, textCharacterProblem } from '../../core/plain-text.ts';

/** Free text and ids refuse control characters and direction overrides, as the import checks do. */
const plainText = (rule: (value: string) => string | null) => (value: string, ctx: z.RefinementCtx) => {
  const problem = rule(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
};

export const countrySchema = z
  .string()
  .trim()
  .toUpperCase()
  .refine(isCountryCode, 'must be an ISO 3166-1 alpha-2 country code such as DE');
export const currencySchema = z
  .string()
  .trim()
  .toUpperCase()
  .refine(isCurrencyCode, 'must be an ISO 4217 currency code such as EUR');
export const amountSchema = z
  .string()
  .trim()
  .refine(
    isAmountString,
    'must be a decimal amount like 1234.50 (a "." for decimals, no thousands separators)',
  );

/** ABA routing numbers carry a check digit: 3·(d1+d4+d7) + 7·(d2+d5+d8) + (d3+d6+d9) ≡ 0 (mod 10). */
export function isRoutingNumber(value: string): boolean {
  if (!/^\d{9}$/.test(value)) return false;
  const d = [...value].map(Number);
  const sum = 3 * (d[0]! + d[3]! + d[6]!) + 7 * (d[1]! + d[4]! + d[7]!) + (d[2]! + d[5]! + d[8]!);
  return sum % 10 === 0;
}

const optionalText = z.string().trim().min(1).superRefine(plainText(textCharacterProblem)).nullish();
const optionalId = z.string().trim().min(1).superRefine(plainText(idCharacterProblem)).nullish();
const optionalEmail = z.email().trim().toLowerCase().nullish();

export const accountFields = {
  name: z.string().trim().min(1).max(300).superRefine(plainText(textCharacterProblem)),
  country: countrySchema,
  currency: currencySchema,
  payment_terms_days: z.coerce.number().int().min(0).max(3650).optional(),
  credit_limit: amountSchema.nullish(),
  parent_account_id: optionalId,
  collector: optionalEmail,
  rebate_analyst: optionalEmail,
  billing_email: optionalEmail,
  claims_email: optionalEmail,
  segment: optionalText,
  /** The sales owner (a user's e-mail): payment delays are escalated to them. */
  sales_owner: optionalEmail,
  bank_routing_number: z
    .string()
    .trim()
    .refine(isRoutingNumber, 'must be a 9-digit ABA routing number with a valid check digit')
    .nullish(),
  bank_account_number: z
    .string()
    .trim()
    .regex(/^[0-9A-Za-z-]{1,17}$/, 'must be up to 17 letters or digits')
    .nullish(),
};

export const createAccountInput = z.object({
  account_id: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9][A-Za-z0-9._\-/]*$/, 'letters, digits and . _ - / only (no commas or spaces)'),
  ...accountFields,
});
export type CreateAccountInput = z.input<typeof createAccountInput>;

export const updateAccountInput = z.object(accountFields).partial();
export type UpdateAccountInput = z.input<typeof updateAccountInput>;
