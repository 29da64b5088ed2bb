import { Decimal } from 'decimal.js';
import { z } from 'zod';
import { isBusinessDate } from '../../core/dates.ts';
import { textCharacterProblem } from '../../core/plain-text.ts';
import { countrySchema, currencySchema } from '../accounts/index.ts';

/**
 * The programs.json template (FORMATS.md): one zod schema per program type. Numbers may arrive as JSON
 * numbers (API) or as their exact source text (the import engine), so whole numbers accept both; amounts
 * and rates must be decimal strings, because a JSON number has already been through binary floating point.
 * Every schema's output is canonical: numbers as normalised strings, lists de-duplicated and sorted, so two
 * files that mean the same program give the same terms.
 */
export const programTypes = [
  'special_bid',
  'sell_out',
  'volume_tier',
  'growth',
  'price_protection',
  'mdf',
] as const;
export type ProgramType = (typeof programTypes)[number];

/** Each program type in words, as documents print it. */
export const programTypeLabels: Readonly<Record<ProgramType, string>> = {
  special_bid: 'Special bid',
  sell_out: 'Sell-out',
  volume_tier: 'Volume tier',
  growth: 'Growth',
  price_protection: 'Price protection',
  mdf: 'Marketing funds (MDF)',
};

export const paymentMethods = ['credit_memo', 'ach', 'check', 'wire'] as const;
export type PaymentMethod = (typeof paymentMethods)[number];

export interface Tier {
  from: string;
  rate: string;
}

/** A validated program version's terms, as stored in program_versions.terms. */
export interface ProgramTerms {
  program_id: string;
  name: string;
  type: ProgramType;
  currency: string;
  country?: string;
  partners?: string[];
  start_date: string;
  end_date: string;
  claim_window_days?: string;
  eligible_skus?: string[];
  eligible_categories?: string[];
  end_customer_countries?: string[];
  budget?: string;
  required_documents?: string[];
  payment_method?: PaymentMethod;
  sla_business_days?: string;
  per_unit_amount?: string;
  percent_of_sell_out?: string;
  basis?: 'units' | 'revenue';
  tiers?: Tier[];
  retroactive?: boolean;
  baseline?: { start_date: string; end_date: string };
  protection_window_days?: string;
  accrual_rate?: string;
}

const idPattern = /^[A-Za-z0-9][A-Za-z0-9._\-/]*$/;
const decimalPattern = /^\d+(\.\d+)?$/;

const fractionReason = (field: string) => `${field} must be a fraction between 0 and 1, e.g. 0.02 for 2 %`;

function identifier(what: string) {
  return z
    .string({ error: `must be text, e.g. a ${what}` })
    .trim()
    .min(1, 'must not be empty')
    .max(64, 'must be at most 64 characters')
    .regex(idPattern, 'may hold only letters, digits and . _ - / (no spaces or commas)');
}

const date = z
  .string({ error: 'must be a date written YYYY-MM-DD, e.g. 2026-01-31' })
  .trim()
  .refine(isBusinessDate, 'must be a real calendar date written YYYY-MM-DD, e.g. 2026-01-31');

/** A whole number given as a JSON number or as text; stored as its normalised text ("090" → "90"). */
function wholeNumber(min: number, max: number, unit: string) {
  const reason = `must be a whole number of ${unit} between ${min} and ${max}, e.g. 90`;
  return z
    .union([z.string(), z.number()], { error: reason })
    .transform((v) => String(v).trim())
    .pipe(z.string().regex(/^\d+$/, reason))
    .transform((v) => String(Number(v)))
    .refine((v) => Number(v) >= min && Number(v) <= max, reason);
}

/** A non-negative decimal string; trailing zeros dropped ("0.030" → "0.03"). */
function decimal(example: string, reason = `must be a decimal string like "${example}"`) {
  return z
    .string({ error: `must be a decimal string like "${example}"` })
    .trim()
    .regex(decimalPattern, reason)
    .transform((v) => new Decimal(v).toFixed());
}

function fraction(field: string, allowZero: boolean) {
  return decimal('0.02', fractionReason(field)).refine((v) => {
    const d = new Decimal(v);
    return d.lte(1) && (allowZero || d.gt(0));
  }, fractionReason(field));
}

/** A money amount with at most `places` decimals, written with at least two ("12.5" → "12.50"). */
function money(places: number) {
  return z
    .string({ error: 'must be a decimal string like "12.50"' })
    .trim()
    .regex(
      decimalPattern,
      'must be a decimal string like "12.50" (a "." for decimals, no thousands separators)',
    )
    .pipe(
      z
        .string()
        .refine((v) => (v.split('.')[1]?.length ?? 0) <= places, `must have at most ${places} decimals`)
        .refine((v) => new Decimal(v).gt(0), 'must be more than 0'),
    )
    .transform((v) => {
      const d = new Decimal(v);
      return d.toFixed(Math.max(2, d.decimalPlaces()));
    });
}

/** A set written as a JSON list: at least one entry, duplicates dropped, sorted. */
function set<T extends z.ZodType<string>>(item: T, example: string, emptyMeaning: string) {
  return z
    .array(item, { error: `must be a list, e.g. ${example}` })
    .min(1, `must list at least one entry, or be left out for ${emptyMeaning}`)
    .transform((list) => [...new Set(list)].sort());
}

const text = z
  .string({ error: 'must be text' })
  .trim()
  .min(1, 'must not be empty')
  .superRefine((value, ctx) => {
    const problem = textCharacterProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

const common = {
  program_id: identifier('program id such as SB-2026-EMEA'),
  name: text.max(300, 'must be at most 300 characters'),
  type: z.enum(programTypes, { error: `must be one of ${programTypes.join(', ')}` }),
  currency: currencySchema,
  country: countrySchema.optional(),
  partners: set(
    identifier('partner account number'),
    '["P-1001", "P-1002"]',
    'every partner of the country',
  ).optional(),
  start_date: date,
  end_date: date,
  claim_window_days: wholeNumber(0, 3650, 'days').optional(),
  eligible_skus: set(identifier('SKU'), '["X-100"]', 'every product').optional(),
  eligible_categories: set(text, '["laser-mono"]', 'every product').optional(),
  end_customer_countries: set(countrySchema, '["DE", "AT"]', 'every country').optional(),
  budget: money(2).optional(),
  required_documents: set(text, '["proof_of_sale"]', 'no required documents').optional(),
  payment_method: z.enum(paymentMethods, { error: `must be one of ${paymentMethods.join(', ')}` }).optional(),
  sla_business_days: wholeNumber(1, 365, 'business days').optional(),
};

const basis = z.enum(['units', 'revenue'], { error: 'must be units or revenue' });
const tiers = z
  .array(
    z.strictObject(
      // A fraction of revenue, or on a units basis an amount per unit (checked with the basis, below).
      { from: decimal('100000'), rate: decimal('0.02') },
      { error: 'must be an object like {"from": "0", "rate": "0.01"}' },
    ),
    {
      error:
        'must be a list of tiers, e.g. [{"from": "0", "rate": "0.01"}, {"from": "100000", "rate": "0.02"}]',
    },
  )
  .min(1, 'must list at least one tier, starting from "0"');

/** The terms each type adds to the common ones. */
const typeShapes = {
  special_bid: {},
  sell_out: {
    per_unit_amount: money(4).optional(),
    percent_of_sell_out: fraction('percent_of_sell_out', false).optional(),
  },
  volume_tier: {
    basis,
    tiers,
    retroactive: z.boolean({
      error: "must be true (the reached tier's rate on all volume) or false (each band at its own rate)",
    }),
  },
  growth: {
    basis,
    tiers,
    baseline: z.strictObject(
      { start_date: date, end_date: date },
      { error: 'must be an object like {"start_date": "2025-01-01", "end_date": "2025-12-31"}' },
    ),
  },
  price_protection: { protection_window_days: wholeNumber(1, 3650, 'days') },
  mdf: { accrual_rate: fraction('accrual_rate', false) },
} as const;

/** The common fields alone: what a program with an unknown type is checked against. */
export const commonSchema = z.object(common);

export const programSchemas: Record<ProgramType, z.ZodObject> = {
  special_bid: z.object({ ...common, ...typeShapes.special_bid }),
  sell_out: z.object({ ...common, ...typeShapes.sell_out }),
  volume_tier: z.object({ ...common, ...typeShapes.volume_tier }),
  growth: z.object({ ...common, ...typeShapes.growth }),
  price_protection: z.object({ ...common, ...typeShapes.price_protection }),
  mdf: z.object({ ...common, ...typeShapes.mdf }),
};

/** Every field programs.json knows, and the types a type-specific field belongs to. */
export const commonFields: ReadonlySet<string> = new Set(Object.keys(common));
export const typeFields: Readonly<Record<ProgramType, readonly string[]>> = Object.fromEntries(
  programTypes.map((type) => [type, Object.keys(typeShapes[type])]),
) as Record<ProgramType, string[]>;

export function isProgramType(value: unknown): value is ProgramType {
  return typeof value === 'string' && (programTypes as readonly string[]).includes(value);
}
