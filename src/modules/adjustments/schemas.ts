import { z } from 'zod';
import { isAmountString } from '../../core/money.ts';
import { businessDate } from '../receivables/index.ts';

export const adjustmentKinds = [
  'credit_adjustment',
  'rebill',
  'debit_adjustment',
  'write_off',
  'absorption',
] as const;
export type AdjustmentKind = (typeof adjustmentKinds)[number];

/** Kinds that take several lines on one worksheet (bulk write-offs). */
export const worksheetKinds: readonly AdjustmentKind[] = ['write_off', 'absorption'];

export const adjustmentSources = ['item', 'account', 'dispute', 'deduction', 'worksheet'] as const;

const amount = z
  .string()
  .trim()
  .refine(
    (a) => isAmountString(a) && !a.startsWith('-') && Number(a) > 0,
    'a positive amount such as 120.00',
  );

const line = z.object({ document_id: z.string().trim().min(1).max(100), amount });

export const adjustmentInput = z.object({
  kind: z.enum(adjustmentKinds),
  document_id: z.string().trim().min(1).max(100).optional(),
  /** rebill: left out, the document's open amount. */
  amount: amount.optional(),
  /** rebill: the corrected invoice's amount. */
  corrected_amount: amount.optional(),
  reason_code: z.string().trim().min(1).max(40),
  comment: z.string().trim().min(1, 'say why').max(2000),
  source_type: z.enum(adjustmentSources).optional(),
  source_id: z.string().trim().min(1).max(100).optional(),
  /** A worksheet: several documents at once (write_off, absorption). */
  lines: z.array(line).min(1).max(5000).optional(),
});
export type AdjustmentInput = z.input<typeof adjustmentInput>;

export const decisionInput = z.object({ comment: z.string().trim().max(2000).optional() });

export const adjustmentsQuery = z.object({
  status: z.enum(['pending', 'approved', 'refused']).optional(),
  document_id: z.string().trim().min(1).optional(),
  account_id: z.string().trim().min(1).optional(),
  kind: z.enum(adjustmentKinds).optional(),
  posted_from: businessDate.optional().describe('posted on or after this date'),
  posted_to: businessDate.optional().describe('posted on or before this date'),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});
export type AdjustmentsQuery = z.input<typeof adjustmentsQuery>;

export const reasonInput = z.object({
  reason_code: z
    .string()
    .trim()
    .regex(/^[A-Z][A-Z0-9_]{1,39}$/, 'capitals, digits and _, starting with a letter'),
  description: z.string().trim().min(1).max(200),
  kinds: z.array(z.enum(adjustmentKinds)).min(1),
  documents_required: z.boolean().default(false),
  active: z.boolean().default(true),
});
export type ReasonInput = z.input<typeof reasonInput>;
