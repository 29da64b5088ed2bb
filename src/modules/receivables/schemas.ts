import { z } from 'zod';
import { isBusinessDate } from '../../core/dates.ts';

export const businessDate = z.string().trim().refine(isBusinessDate, 'must be a date written YYYY-MM-DD');

/** Aging by due date (default) or by document date ("invoice date"). */
const basisNames = z.enum(['due_date', 'invoice_date', 'due-date', 'invoice-date', 'document_date']);
export const agingBasis = basisNames.transform((b) =>
  b === 'due_date' || b === 'due-date' ? 'due_date' : 'invoice_date',
);
export type AgingBasis = z.output<typeof agingBasis>;

export const agingGroups = ['account', 'collector', 'country', 'currency'] as const;
export type AgingGroup = (typeof agingGroups)[number];

/** Bucket boundaries: ascending whole days, e.g. `30,60,90,120` (the default). */
const boundariesText = z
  .string()
  .trim()
  .regex(/^\d{1,5}(,\d{1,5}){0,11}$/, 'must be ascending whole days separated by commas, like 30,60,90,120');
export const bucketBoundaries = boundariesText
  .transform((s) => s.split(',').map(Number))
  .refine(
    (list) => list[0]! >= 1 && list.every((n, i) => i === 0 || n > list[i - 1]!),
    'must be ascending whole days of at least 1, like 30,60,90,120',
  );

export const agingQuery = z.object({
  as_of: businessDate.optional(),
  basis: agingBasis.optional(),
  buckets: bucketBoundaries.optional(),
  by: z.enum(agingGroups).optional(),
});
export type AgingQuery = z.input<typeof agingQuery>;

export const itemsQuery = z.object({
  account_id: z.string().trim().min(1).max(200).optional(),
  as_of: businessDate.optional(),
  basis: agingBasis.optional(),
  buckets: bucketBoundaries.optional(),
  limit: z.coerce.number().int().min(1).max(10_000).default(1000),
  offset: z.coerce.number().int().min(0).default(0),
});
export type ItemsQuery = z.input<typeof itemsQuery>;

export const itemQuery = z.object({ as_of: businessDate.optional() });

/** The same queries as the API receives them (the use cases parse them). */
export const agingQueryText = z.object({
  as_of: businessDate.optional(),
  basis: basisNames.optional(),
  buckets: boundariesText.optional(),
  by: z.enum(agingGroups).optional(),
});
export const itemsQueryText = agingQueryText.omit({ by: true }).extend({
  account_id: z.string().trim().min(1).max(200).optional(),
  limit: z.coerce.number().int().min(1).max(10_000).optional(),
  offset: z.coerce.number().int().min(0).optional(),
});
