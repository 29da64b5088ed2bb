import { z } from 'zod';
import { isBusinessDate } from '../../core/dates.ts';
import { isAmountString } from '../../core/money.ts';
import { currencySchema } from '../accounts/index.ts';
import type { Role } from '../identity/index.ts';

/** Who reads credit (limits, exposure, the credit-pend report): the company's own people only. */
export const creditReaders: readonly Role[] = [
  'credit',
  'collector',
  'manager',
  'approver',
  'administrator',
  'sales',
];
/** Who releases or keeps orders on hold. */
export const creditDeciders: readonly Role[] = ['credit', 'manager', 'administrator'];
/** Who asks for a credit-limit change (approved by someone else through approvals). */
export const limitRequesters: readonly Role[] = [
  'credit',
  'collector',
  'manager',
  'administrator',
  'approver',
];

export const recommendations = ['hold', 'release', 'review'] as const;
export type Recommendation = (typeof recommendations)[number];
/** The reason codes of CONTROLS.md, in their sort order. */
export const reasonCodes = [
  'BROKEN_PROMISE',
  'NO_CREDIT_LIMIT',
  'OVER_LIMIT',
  'PAST_DUE_31_60',
  'PAST_DUE_OVER_60',
] as const;
export type ReasonCode = (typeof reasonCodes)[number];

export const dateSchema = z.string().trim().refine(isBusinessDate, 'a date YYYY-MM-DD');

export const creditReportQuery = z.object({
  as_of: dateSchema.optional(),
  account_id: z.string().trim().min(1).max(200).optional(),
});
export type CreditReportQuery = z.input<typeof creditReportQuery>;

export const limitRequestInput = z.object({
  account_id: z.string().trim().min(1).max(200),
  /** Left out: the account's own currency. */
  currency: currencySchema.optional(),
  credit_limit: z
    .string()
    .trim()
    .refine((a) => isAmountString(a) && !a.startsWith('-'), 'an amount of zero or more such as 250000.00'),
  comment: z.string().trim().min(1, 'say why').max(2000),
});
export type LimitRequestInput = z.input<typeof limitRequestInput>;

export const orderDecisionInput = z.object({
  comment: z.string().trim().min(1, 'say why').max(2000),
});
export type OrderDecisionInput = z.input<typeof orderDecisionInput>;

export const limitDecisionInput = z.object({ comment: z.string().trim().max(2000).optional() });

export const releasesQuery = z.object({
  from: dateSchema.optional(),
  to: dateSchema.optional(),
});
export type ReleasesQuery = z.input<typeof releasesQuery>;

export const orderInput = z.object({
  order_id: z.string().trim().min(1).max(100),
  account_id: z.string().trim().min(1).max(200),
  order_date: dateSchema,
  amount: z
    .string()
    .trim()
    .refine(
      (a) => isAmountString(a) && !a.startsWith('-') && Number(a) > 0,
      'a positive amount such as 1200.00',
    ),
  currency: currencySchema,
  hold_reason: z.string().trim().max(500).nullish(),
});
export type OrderInput = z.input<typeof orderInput>;

export const positionsQuery = z.object({ as_of: dateSchema.optional() });
export type PositionsQuery = z.input<typeof positionsQuery>;
