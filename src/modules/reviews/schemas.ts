import { z } from 'zod';
import type { Role } from '../identity/index.ts';
import { businessDate } from '../receivables/index.ts';

/** Who reads the reviews (Top 40, WWCH, the WD8 packet): the company's own collections and credit people. */
export const reviewReaders: readonly Role[] = ['manager', 'collector', 'credit', 'approver', 'administrator'];
/** Who writes the Top 40 comments before a review. */
export const commentWriters: readonly Role[] = ['collector', 'manager', 'administrator'];
/** Who generates a WD8 packet by hand and schedules report packets. */
export const packetManagers: readonly Role[] = ['manager', 'administrator'];

export const monthSchema = z
  .string()
  .trim()
  .regex(/^[0-9]{4}-(0[1-9]|1[0-2])$/, 'a month written YYYY-MM');

export const top40Query = z.object({
  as_of: businessDate.optional().describe('the review date (default: the last day of the month before)'),
});
export type Top40Query = z.input<typeof top40Query>;

export const commentInput = z.object({
  as_of: businessDate,
  comment: z.string().trim().min(1).max(4000),
});
export type CommentInput = z.input<typeof commentInput>;

export const wwchQuery = z.object({
  as_of: businessDate.optional().describe('the day (default today)'),
  country: z
    .string()
    .trim()
    .regex(/^[A-Z]{2}$/)
    .optional(),
});
export type WwchQuery = z.input<typeof wwchQuery>;

export const packetQuery = z.object({
  month: monthSchema.describe(
    'the month of the review, YYYY-MM (its aging is at the end of the month before)',
  ),
  country: z
    .string()
    .trim()
    .regex(/^[A-Z]{2}$/, 'a country code like US')
    .optional(),
});
export type PacketQuery = z.input<typeof packetQuery>;

export const reportKinds = ['aging', 'top40', 'measures', 'claim_log', 'deductions', 'credit_pend'] as const;
export type ReportKind = (typeof reportKinds)[number];
export const reportFormats = ['xlsx', 'pdf'] as const;
export type ReportFormat = (typeof reportFormats)[number];
export const frequencies = ['daily', 'weekly', 'monthly'] as const;
export type Frequency = (typeof frequencies)[number];

export const scheduleInput = z.object({
  report: z.enum(reportKinds),
  format: z.enum(reportFormats),
  frequency: z.enum(frequencies),
  recipients: z.array(z.string().trim().email().max(200)).min(1).max(50),
  active: z.boolean().default(true),
});
export type ScheduleInput = z.input<typeof scheduleInput>;
export const scheduleUpdate = scheduleInput.partial();
export type ScheduleUpdate = z.input<typeof scheduleUpdate>;
