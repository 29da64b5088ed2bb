/**
 * What a collection strategy is made of, as administrators write it: an ordered list of steps, each an
 * e-mail template (courtesy reminder, past-due notice, final demand) or a task (call, escalation to sales,
 * credit-hold recommendation), triggered by days past due, days after the previous step, or the end of the
 * month after the previous step.
 */
import { z } from 'zod';
import { countrySchema } from '../accounts/index.ts';

export const emailStepKinds = ['courtesy_reminder', 'past_due_notice', 'final_demand'] as const;
export const taskStepKinds = ['call', 'escalate_to_sales', 'credit_hold_recommendation'] as const;
export const stepKinds = [
  'courtesy_reminder',
  'past_due_notice',
  'call',
  'escalate_to_sales',
  'credit_hold_recommendation',
  'final_demand',
] as const;
export type StepKind = (typeof stepKinds)[number];
export type TaskKind = (typeof taskStepKinds)[number];

export const triggerKinds = ['days_past_due', 'days_after_previous', 'end_of_month'] as const;
export type TriggerKind = (typeof triggerKinds)[number];

export const isEmailKind = (kind: StepKind): boolean => (emailStepKinds as readonly string[]).includes(kind);

export const stepKindLabels: Record<StepKind, string> = {
  courtesy_reminder: 'courtesy reminder',
  past_due_notice: 'past-due notice',
  call: 'call',
  escalate_to_sales: 'escalate to sales',
  credit_hold_recommendation: 'recommend credit hold',
  final_demand: 'final demand',
};

/** Business days a task of each kind may take unless the step says otherwise. */
export const defaultSlaBusinessDays: Record<TaskKind, number> = {
  call: 2,
  escalate_to_sales: 5,
  credit_hold_recommendation: 3,
};

/**
 * The placeholders an e-mail template may use (days_past_due: of the oldest item past due). amount_past_due
 * is net of the customer's credits (open credit memos, unapplied payments): gross_past_due less open_credits.
 */
export const templatePlaceholders = [
  'account_name',
  'account_id',
  'amount_past_due',
  'gross_past_due',
  'open_credits',
  'currency',
  'oldest_due_date',
  'days_past_due',
] as const;

const text = (max: number) => z.string().trim().max(max);

export const stepInput = z
  .object({
    /** An existing step keeps its id (and so what was done for it) when the strategy is edited. */
    step_id: z.uuid().optional(),
    kind: z.enum(stepKinds),
    trigger: z.enum(triggerKinds),
    /** Days past due, or days after the previous step; absent for end_of_month. */
    days: z.number().int().min(0).max(3650).nullish(),
    subject: text(300).nullish(),
    body: text(20_000).nullish(),
    sla_business_days: z.number().int().min(1).max(60).nullish(),
  })
  .superRefine((s, ctx) => {
    if (s.trigger === 'end_of_month' && s.days !== undefined && s.days !== null)
      ctx.addIssue({ code: 'custom', path: ['days'], message: 'must be empty for an end-of-month step' });
    if (s.trigger !== 'end_of_month' && (s.days === undefined || s.days === null))
      ctx.addIssue({ code: 'custom', path: ['days'], message: 'must be a number of days (0 or more)' });
    if (isEmailKind(s.kind)) {
      if (!s.subject)
        ctx.addIssue({ code: 'custom', path: ['subject'], message: 'an e-mail needs a subject' });
      if (!s.body) ctx.addIssue({ code: 'custom', path: ['body'], message: 'an e-mail needs a text' });
      if (s.sla_business_days !== undefined && s.sla_business_days !== null)
        ctx.addIssue({
          code: 'custom',
          path: ['sla_business_days'],
          message: 'only tasks have an SLA; e-mails are sent at once',
        });
    }
  });
export type StepInput = z.input<typeof stepInput>;

const steps = z
  .array(stepInput)
  .min(1, 'a strategy needs at least one step')
  .max(20, 'at most 20 steps')
  .superRefine((list, ctx) => {
    // Days past due only grow along the strategy: a later step triggered earlier than one before it would
    // wait for it anyway (steps run in order), which is never what the writer meant.
    let highest: { days: number; index: number } | undefined;
    list.forEach((s, i) => {
      if (s.trigger !== 'days_past_due' || typeof s.days !== 'number') return;
      if (highest && s.days < highest.days)
        ctx.addIssue({
          code: 'custom',
          path: [i, 'days'],
          message: `must be at least ${highest.days}, the days past due of step ${highest.index + 1}`,
        });
      else highest = { days: s.days, index: i };
    });
    const ids = list.flatMap((s) => (s.step_id ? [s.step_id] : []));
    if (new Set(ids).size !== ids.length)
      ctx.addIssue({ code: 'custom', path: [], message: 'a step id appears twice' });
  });

const optionalSegment = z
  .string()
  .trim()
  .max(100)
  .transform((v) => (v === '' ? null : v))
  .nullish();
const optionalCountry = z
  .union([z.literal(''), countrySchema])
  .transform((v) => (v === '' ? null : v))
  .nullish();

export const strategyFields = {
  name: z.string().trim().min(1).max(200),
  description: text(2000).optional(),
  /** The accounts' segment it is for; empty = every segment. */
  segment: optionalSegment,
  /** The accounts' country it is for; empty = every country. */
  country: optionalCountry,
  steps,
};

export const createStrategyInput = z.object({
  strategy_id: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .regex(/^[a-z0-9][a-z0-9_-]*$/, 'lower-case letters, digits, - and _ only, like key-accounts-de'),
  ...strategyFields,
});
export type CreateStrategyInput = z.input<typeof createStrategyInput>;

export const updateStrategyInput = z.object(strategyFields);
export type UpdateStrategyInput = z.input<typeof updateStrategyInput>;
