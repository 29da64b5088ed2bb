import { z } from 'zod';
import { isBusinessDate } from '../../core/dates.ts';
import { gridQueryParams } from '../../db/grid-query.ts';

export const businessDate = z.string().trim().refine(isBusinessDate, 'must be a date written YYYY-MM-DD');

const optionalText = z.string().trim().min(1).max(200).optional();

/** Paging for the channel-data and log lists: at most 1,000 rows a page. */
export const paging = {
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
};

export const positionsQuery = z.object({
  account_id: optionalText,
  sku: optionalText,
  /** Positions as of this date; today when absent. */
  as_of: businessDate.optional(),
});
export type PositionsQuery = z.input<typeof positionsQuery>;

/** The grid's sort and column filters of a list; each list names its columns (`*GridColumns`). */
export const gridQuery = {
  order: gridQueryParams([]).order.describe('a grid column and direction, e.g. `qty:desc`'),
  filters: gridQueryParams([]).filters.describe('JSON: grid column → text its value contains'),
};

/** The positions list of the API: a page of them (`total` counts every one the filters match). */
export const positionsPageQuery = positionsQuery.extend({ ...paging, ...gridQuery });
export type PositionsPageQuery = z.input<typeof positionsPageQuery>;

export const seriesQuery = z.object({
  from: businessDate.optional(),
  to: businessDate.optional(),
});

export const differenceStatus = z.enum(['open', 'resolved']);

export const differencesQuery = z.object({
  account_id: optionalText,
  sku: optionalText,
  status: differenceStatus.optional(),
  /** Snapshot dates from and to (inclusive). */
  from: businessDate.optional(),
  to: businessDate.optional(),
  ...paging,
});
export type DifferencesQuery = z.input<typeof differencesQuery>;

export const channelDataQuery = z.object({
  account_id: optionalText,
  sku: optionalText,
  from: businessDate.optional(),
  to: businessDate.optional(),
  ...gridQuery,
  ...paging,
});
export type ChannelDataQuery = z.input<typeof channelDataQuery>;

export const inventoryQuery = channelDataQuery.extend({ kind: z.enum(['snapshot', 'opening']).optional() });
export type InventoryQuery = z.input<typeof inventoryQuery>;

/** The export: every position (and the monitoring log), in the grid's order and filters when given. */
export const exportQuery = z.object({
  account_id: optionalText,
  as_of: businessDate.optional(),
  ...gridQuery,
});

/**
 * Quantities are integers; sums arrive from PostgreSQL as `bigint` strings. Every position this product
 * handles fits far inside 2^53, so they travel as JSON numbers; anything beyond would be a data error.
 */
export function quantity(value: string | number | null | undefined): number {
  if (value === null || value === undefined) return 0;
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`quantity ${value} is not a safe integer`);
  return n;
}

export function quantityOrNull(value: string | number | null | undefined): number | null {
  return value === null || value === undefined ? null : quantity(value);
}
