import { z } from 'zod';
import { isAmountString } from '../../core/money.ts';

export const disputeCategories = ['pricing', 'quantity', 'billing_error', 'missing_pod'] as const;
export type DisputeCategory = (typeof disputeCategories)[number];

export const disputeTeams = ['order_management', 'billing', 'distribution'] as const;
export type DisputeTeam = (typeof disputeTeams)[number];

export const disputeStates = ['open', 'in_review', 'resolved_adjusted', 'rejected', 'withdrawn'] as const;
export type DisputeState = (typeof disputeStates)[number];
/** States in which a dispute is still being worked (the invoice shows it, dunning leaves it alone). */
export const activeStates: readonly DisputeState[] = ['open', 'in_review'];

export const categoryLabels: Record<DisputeCategory, string> = {
  pricing: 'Pricing',
  quantity: 'Quantity',
  billing_error: 'Billing error',
  missing_pod: 'Missing proof of delivery',
};

/** The team that owns each category, where a new dispute goes unless another team is named. */
export const defaultTeam: Record<DisputeCategory, DisputeTeam> = {
  pricing: 'order_management',
  quantity: 'distribution',
  billing_error: 'billing',
  missing_pod: 'distribution',
};

/** The adjustment reason code (CONTROLS.md) a proposal takes unless another is chosen. */
export const defaultReason: Record<DisputeCategory, string> = {
  pricing: 'PRICING_ERROR',
  quantity: 'QUANTITY_ERROR',
  billing_error: 'DISPUTE',
  missing_pod: 'DISPUTE',
};

/** The billing adjustments that settle a dispute. */
export const resolutionKinds = ['credit_adjustment', 'rebill', 'debit_adjustment'] as const;

const amount = z
  .string()
  .trim()
  .refine(
    (a) => isAmountString(a) && !a.startsWith('-') && Number(a) > 0,
    'a positive amount such as 120.00',
  );
const email = z.email().trim().toLowerCase();

export const openDisputeInput = z.object({
  document_id: z.string().trim().min(1).max(100),
  category: z.enum(disputeCategories),
  /** What the customer disputes, at most the document's open amount. */
  amount,
  description: z.string().trim().min(1, 'say what the customer disputes').max(5000),
  customer_reference: z.string().trim().min(1).max(100).optional(),
  /** Default: the team that owns the category. */
  team: z.enum(disputeTeams).optional(),
  assignee: email.optional(),
});
export type OpenDisputeInput = z.input<typeof openDisputeInput>;

export const assignDisputeInput = z.object({
  /** Another team: the dispute is routed to it, with its SLA from today. */
  team: z.enum(disputeTeams).optional(),
  /** A person of the team (or a manager); null to put it back in the team's queue. */
  assignee: email.nullable().optional(),
  note: z.string().trim().max(2000).optional(),
});
export type AssignDisputeInput = z.input<typeof assignDisputeInput>;

export const commentInput = z.object({ body: z.string().trim().min(1, 'write something').max(10_000) });
export type CommentInput = z.input<typeof commentInput>;

export const closeDisputeInput = z.object({ reason: z.string().trim().min(1, 'say why').max(2000) });
export type CloseDisputeInput = z.input<typeof closeDisputeInput>;

export const proposeAdjustmentInput = z.object({
  kind: z.enum(resolutionKinds),
  /** credit_adjustment, debit_adjustment: the amount; a rebill credits what is open. */
  amount: amount.optional(),
  /** rebill: the corrected invoice's amount. */
  corrected_amount: amount.optional(),
  /** Default by category: PRICING_ERROR, QUANTITY_ERROR or DISPUTE. */
  reason_code: z.string().trim().min(1).max(40).optional(),
  comment: z.string().trim().min(1, 'say why').max(2000),
});
export type ProposeAdjustmentInput = z.input<typeof proposeAdjustmentInput>;

export const disputesQuery = z.object({
  team: z.enum(disputeTeams).optional(),
  /** A state, `active` (open and in review, the default), `closed` or `all`. */
  state: z.enum([...disputeStates, 'active', 'closed', 'all']).default('active'),
  category: z.enum(disputeCategories).optional(),
  account_id: z.string().trim().min(1).max(200).optional(),
  document_id: z.string().trim().min(1).max(200).optional(),
  /** `me`, or a user's e-mail. */
  assignee: z.union([z.literal('me'), email]).optional(),
  overdue: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});
export type DisputesQuery = z.input<typeof disputesQuery>;

export const teamSlaInput = z.object({ sla_business_days: z.number().int().min(1).max(60) });
export type TeamSlaInput = z.input<typeof teamSlaInput>;
