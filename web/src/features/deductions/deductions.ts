/**
 * The deduction desk's words: queues, categories, validations, statuses and SLA states, with the server's
 * own types (imported, never copied). The lists are checked against the server's with `satisfies`.
 */
import type {
  DeductionCategory,
  DeductionQueue,
  DeductionSlaState,
  DeductionStatus,
  DeductionValidation,
} from '../../../../src/modules/deductions/index.ts';
import { internalRoles } from '../identity/user';

export type {
  AgingBucketKey,
  AttachedDocument,
  DdoPoint,
  DeductionAgingRow,
  DeductionCategory,
  DeductionDashboard,
  DeductionDetail,
  DeductionList,
  DeductionQueue,
  DeductionRecord,
  DeductionRow,
  DeductionSlaState,
  DeductionStatus,
  DeductionSuggestion,
  DeductionValidation,
  EvidenceClaim,
  QueueSummary,
  TimelineEntry,
} from '../../../../src/modules/deductions/index.ts';

/** Every internal role reads deductions; partners read their own in the portal. */
export const deductionReaders = internalRoles;

export const queues = [
  'rebates',
  'sales',
  'marketing',
  'returns',
  'distribution',
  'tax',
  'collections',
] as const satisfies readonly DeductionQueue[];

export const queueLabels: Record<DeductionQueue, string> = {
  rebates: 'Rebates',
  sales: 'Sales',
  marketing: 'Marketing',
  returns: 'Returns',
  distribution: 'Distribution',
  tax: 'Tax',
  collections: 'Collections',
};

/** The queue a role works first (its tab opens by default). */
export const queueOfRole: Record<string, DeductionQueue> = {
  rebate_analyst: 'rebates',
  sales: 'sales',
  marketing: 'marketing',
  returns: 'returns',
  distribution: 'distribution',
  tax: 'tax',
  collector: 'collections',
};

export const categoryLabels: Record<DeductionCategory, string> = {
  rebate: 'Rebate',
  price_discount: 'Price discount',
  special_bid: 'Special bid',
  marketing: 'Marketing',
  returns: 'Returns',
  freight: 'Freight',
  shortage: 'Shortage',
  tax: 'Tax',
  unknown: 'Unknown',
};

export const statuses = [
  'open',
  'denied',
  'cleared',
  'repaid',
  'credited',
  'written_off',
] as const satisfies readonly DeductionStatus[];

export const statusLabels: Record<DeductionStatus, string> = {
  open: 'Open',
  cleared: 'Cleared',
  denied: 'Denied',
  repaid: 'Paid back',
  credited: 'Credited',
  written_off: 'Written off',
  reversed: 'Reversed',
};

export const statusColors: Record<DeductionStatus, string> = {
  open: 'blue',
  cleared: 'teal',
  denied: 'red',
  repaid: 'teal',
  credited: 'grape',
  written_off: 'gray',
  reversed: 'gray',
};

export const validations = [
  'valid',
  'partially_valid',
  'invalid',
  'unmatched',
  'not_applicable',
] as const satisfies readonly DeductionValidation[];

export const validationLabels: Record<DeductionValidation | 'pending', string> = {
  valid: 'Valid',
  partially_valid: 'Partly valid',
  invalid: 'Invalid',
  unmatched: 'Unmatched',
  not_applicable: 'Not a claim',
  pending: 'Not yet validated',
};

export const validationColors: Record<DeductionValidation, string> = {
  valid: 'teal',
  partially_valid: 'yellow',
  invalid: 'red',
  unmatched: 'orange',
  not_applicable: 'gray',
};

/** What validation found, in a customer's words (the portal). */
export function validationWords(
  validation: DeductionValidation | null,
  queue: DeductionQueue,
  status: DeductionStatus,
): string {
  if (status === 'cleared') return 'Settled against your approved claims.';
  switch (validation) {
    case 'valid':
      return 'Matches your approved claims.';
    case 'partially_valid':
      return 'Partly matches your approved claims: the rest is more than was approved.';
    case 'invalid':
      return 'Not supported by an approved claim.';
    case 'unmatched':
      return 'We are matching it to your claims.';
    case 'not_applicable':
      return `Being reviewed by our ${queueLabels[queue].toLowerCase()} team.`;
    default:
      return 'Received; not yet reviewed.';
  }
}

export const slaStates = ['breached', 'due_soon', 'on_track'] as const satisfies readonly DeductionSlaState[];

export const slaLabels: Record<DeductionSlaState, string> = {
  breached: 'Breached',
  due_soon: 'Due soon',
  on_track: 'On track',
};

export const slaColors: Record<DeductionSlaState, string> = {
  breached: 'red',
  due_soon: 'yellow',
  on_track: 'teal',
};

/** The aging's buckets as the server names them, with their days since taken (for the drill-down). */
export const agingBuckets = [
  { key: 'd0_30', label: '0–30 days', from: 0, to: 30 },
  { key: 'd31_60', label: '31–60 days', from: 31, to: 60 },
  { key: 'd61_90', label: '61–90 days', from: 61, to: 90 },
  { key: 'd91_120', label: '91–120 days', from: 91, to: 120 },
  { key: 'd121_plus', label: '121+ days', from: 121, to: null },
] as const;

export const deductionPath = (id: string) => `/deductions/${encodeURIComponent(id)}`;

/** Days left in words: "3 days left", "due today", "5 days overdue". */
export function daysLeftWords(days: number | null): string {
  if (days === null) return '';
  if (days === 0) return 'due today';
  if (days > 0) return `${days} day${days === 1 ? '' : 's'} left`;
  return `${-days} day${days === -1 ? '' : 's'} overdue`;
}
