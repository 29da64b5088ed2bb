/** The inputs of the teams' actions on deductions and of their administration (routing, reason codes, queues). */
import { z } from 'zod';
import { isBusinessDate } from '../../core/dates.ts';
import { deductionCategories, deductionQueues } from './categories.ts';

const comment = z.string().trim().min(1, 'say why').max(2000);
const date = z.string().trim().refine(isBusinessDate, 'a date written YYYY-MM-DD');
/** A customer's own reason code as remittances carry it. */
const customerCode = z.string().trim().min(1).max(40);
const accountId = z.string().trim().min(1).max(100);

export const deductionIdParams = z.object({ deduction_id: z.string().trim().min(1).max(200) });

export const denyInput = z.object({
  comment,
  /** Default: the day of the denial plus the account's payment terms (30 days without an account). */
  payback_due_date: date.optional(),
});
export type DenyInput = z.input<typeof denyInput>;

export const acceptInput = z.object({
  comment,
  /** An adjustment reason for absorptions (default DEDUCTION_ACCEPTED). */
  reason_code: z.string().trim().min(1).max(40).optional(),
});
export type AcceptInput = z.input<typeof acceptInput>;

export const writeOffInput = z.object({
  comment,
  /** An adjustment reason for write-offs (default DEDUCTION_WRITTEN_OFF). */
  reason_code: z.string().trim().min(1).max(40).optional(),
});
export type WriteOffInput = z.input<typeof writeOffInput>;

export const reassignInput = z.object({ queue: z.enum(deductionQueues), comment });
export type ReassignInput = z.input<typeof reassignInput>;

export const assignInput = z.object({
  /** A desk user's e-mail; null takes the deduction off anyone's desk. */
  assignee: z.email().trim().toLowerCase().max(200).nullable(),
});
export type AssignInput = z.input<typeof assignInput>;

export const commentInput = z.object({ text: z.string().trim().min(1, 'write something').max(5000) });
export type CommentInput = z.input<typeof commentInput>;

export const routingRuleInput = z
  .object({
    account_id: accountId.nullish(),
    category: z.enum(deductionCategories).nullish(),
    customer_code: customerCode.nullish(),
    queue: z.enum(deductionQueues),
    note: z.string().trim().max(500).nullish(),
  })
  .refine((r) => r.account_id || r.category || r.customer_code, {
    message: 'name an account, a category or a reason code (or several)',
    path: ['account_id'],
  });
export type RoutingRuleInput = z.input<typeof routingRuleInput>;

export const ruleIdParams = z.object({
  rule_id: z.coerce
    .number()
    .int()
    .min(1)
    .max(2 ** 53 - 1),
});

export const reasonCodesQuery = z.object({ account_id: accountId.optional() });
export type ReasonCodesQuery = z.input<typeof reasonCodesQuery>;

export const reasonCodeParams = z.object({ account_id: accountId, customer_code: customerCode });
export const reasonCodeInput = z.object({ category: z.enum(deductionCategories) });
export type ReasonCodeInput = z.input<typeof reasonCodeInput>;

export const queueParams = z.object({ queue: z.enum(deductionQueues) });
export const queueInput = z.object({
  sla_business_days: z.number().int().min(1).max(120),
  /** The team's shared mailbox; null: the users with the queue's role. */
  email: z.email().trim().toLowerCase().max(200).nullable(),
});
export type QueueInput = z.input<typeof queueInput>;
