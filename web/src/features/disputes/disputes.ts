/** Disputes as the server sends them (src/modules/disputes), and the words and colours the desk shows. */

import type {
  Dispute,
  DisputeCategory,
  DisputeState,
  DisputeTeam,
} from '../../../../src/modules/disputes/index.ts';
import type { Role } from '../identity/user.ts';

export type {
  AccountDispute,
  Dispute,
  DisputeCategory,
  DisputeDetail,
  DisputeState,
  DisputeTeam,
  Team,
  TeamCount,
  TimelineEntry,
} from '../../../../src/modules/disputes/index.ts';

/** The same lists the server enforces (src/modules/disputes/roles.ts). */
export const disputeOpeners: readonly Role[] = ['collector', 'manager', 'administrator'];
export const disputeTeamRoles: readonly Role[] = ['order_management', 'billing', 'distribution'];
export const disputeReaders: readonly Role[] = [...disputeOpeners, ...disputeTeamRoles, 'approver', 'credit'];
export const teamAdministrators: readonly Role[] = ['administrator', 'manager'];

export const categoryLabels: Record<DisputeCategory, string> = {
  pricing: 'Pricing',
  quantity: 'Quantity',
  billing_error: 'Billing error',
  missing_pod: 'Missing proof of delivery',
};
export const categories = Object.keys(categoryLabels) as DisputeCategory[];

export const teamLabels: Record<DisputeTeam, string> = {
  order_management: 'Order management',
  billing: 'Billing',
  distribution: 'Distribution',
};
export const teams = Object.keys(teamLabels) as DisputeTeam[];

/** Where a new dispute goes unless another team is chosen (the server's defaults). */
export const defaultTeam: Record<DisputeCategory, DisputeTeam> = {
  pricing: 'order_management',
  quantity: 'distribution',
  billing_error: 'billing',
  missing_pod: 'distribution',
};

export const stateLabels: Record<DisputeState, string> = {
  open: 'open',
  in_review: 'in review',
  resolved_adjusted: 'resolved (adjusted)',
  rejected: 'rejected',
  withdrawn: 'withdrawn',
};
export const stateColors: Record<DisputeState, string> = {
  open: 'blue',
  in_review: 'yellow',
  resolved_adjusted: 'teal',
  rejected: 'red',
  withdrawn: 'gray',
};

export const slaColors: Record<string, string> = {
  on_track: 'gray',
  due_soon: 'orange',
  breached: 'red',
  met: 'teal',
  missed: 'red',
};

/** The SLA in words: due in n business days, due today, n business days overdue; met or missed once closed. */
export function slaText(d: Pick<Dispute, 'sla_state' | 'business_days_left' | 'overdue'>): string {
  if (d.sla_state === 'met') return 'SLA met';
  if (d.sla_state === 'missed') return 'SLA missed';
  const n = d.business_days_left ?? 0;
  if (d.overdue || n < 0) {
    const late = Math.max(-n, 1);
    return `${late} business day${late === 1 ? '' : 's'} overdue`;
  }
  if (n === 0) return 'due today';
  return `due in ${n} business day${n === 1 ? '' : 's'}`;
}

export const disputePath = (id: string) => `/disputes/${encodeURIComponent(id)}`;

/** A dispute's state in the customer's words (the portal). */
export const customerStateLabels: Record<DisputeState, string> = {
  open: 'Received',
  in_review: 'Being reviewed',
  resolved_adjusted: 'Settled: invoice adjusted',
  rejected: 'Not accepted',
  withdrawn: 'Withdrawn',
};

/** What a customer disputes, in its own words (the portal's choices). */
export const customerCategoryLabels: Record<DisputeCategory, string> = {
  pricing: 'The price is wrong',
  quantity: 'The quantity is wrong',
  billing_error: 'Another billing error',
  missing_pod: 'We did not receive the goods (no proof of delivery)',
};
