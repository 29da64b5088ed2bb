/** Claims as the API returns them, with the words the desk and the portal use for statuses and findings. */
import type {
  ClaimFinding,
  ClaimLine,
  ClaimListItem,
  ClaimStatus,
  ClaimVersion as ServerClaimVersion,
  Sla,
} from '../../../../src/modules/claims/index.ts';
import type { Role } from '../identity/user';

// The claim types are the server's own (import type): one definition for the API and the web app.
export type {
  ClaimDetail,
  ClaimFinding,
  ClaimLine,
  ClaimQueue,
  ClaimQueueItem,
  ClaimStatus,
  LineContext,
  LineCounts,
} from '../../../../src/modules/claims/index.ts';
export type ClaimItem = ClaimListItem;
export type ClaimSla = Sla;

export const claimStatuses = [
  'draft',
  'submitted',
  'validated',
  'in_review',
  'approved',
  'partially_approved',
  'rejected',
  'in_payment',
  'paid',
  'closed',
] as const satisfies readonly ClaimStatus[];

export const claimStatusLabels: Record<ClaimStatus, string> = {
  draft: 'Draft',
  submitted: 'Submitted',
  validated: 'Validated',
  in_review: 'In review',
  approved: 'Approved',
  partially_approved: 'Partially approved',
  rejected: 'Rejected',
  in_payment: 'In payment',
  paid: 'Paid',
  closed: 'Closed',
};

export const claimStatusColors: Record<ClaimStatus, string> = {
  draft: 'gray',
  submitted: 'blue',
  validated: 'indigo',
  in_review: 'yellow',
  approved: 'green',
  partially_approved: 'teal',
  rejected: 'red',
  in_payment: 'cyan',
  paid: 'green',
  closed: 'gray',
};

export type LineStatus = NonNullable<ClaimLine['status']>;
export const lineStatusLabels: Record<LineStatus, string> = {
  approved: 'Approved',
  adjusted: 'Adjusted',
  review: 'Waiting for review',
  rejected: 'Rejected',
};
export const lineStatusColors: Record<LineStatus, string> = {
  approved: 'green',
  adjusted: 'orange',
  review: 'yellow',
  rejected: 'red',
};

export type Effect = ClaimFinding['effect'];
export const effectLabels: Record<Effect, string> = {
  reject: 'Rejects the line',
  adjust: 'Reduces the line',
  review: 'Needs an analyst',
  report: 'For information',
};
export const effectColors: Record<Effect, string> = {
  reject: 'red',
  adjust: 'orange',
  review: 'yellow',
  report: 'gray',
};

/** Who works claims on the desk: resolve findings, approve, reject, run validation. */
export const claimDeciders: readonly Role[] = ['rebate_analyst', 'approver', 'manager', 'administrator'];

export interface ClaimQueueFilters {
  status?: string | null;
  sla_state?: readonly string[];
  account_id?: string | null;
  program_id?: string | null;
  q?: string | null;
  urgent?: boolean | null;
  sort?: 'sla' | 'submitted';
  /** A grid column and direction (`partner:asc`), before the SLA order. */
  order?: string | null;
  /** JSON of grid column → text it contains. */
  filters?: string | null;
  limit?: number;
  offset?: number;
}

/** Who may mark a claim urgent (half the SLA target). */
export const urgentSetters: readonly Role[] = ['rebate_analyst', 'manager', 'administrator'];

/** Who may send claims besides the partner: the desk roles that load claims. */
export const claimSubmitters: readonly Role[] = ['rebate_analyst', 'manager', 'administrator'];

/** An earlier version of a claim, its lines as the claim page reads them. */
export interface ClaimVersion extends Omit<ServerClaimVersion, 'status' | 'lines'> {
  status: ClaimStatus;
  lines: (Omit<ClaimLine, 'findings' | 'context' | 'variance'> & { findings: ClaimFinding[] })[];
}

/** Claims a partner may still correct and send again: not decided yet, or rejected as a whole. */
export const correctableStatuses: readonly ClaimStatus[] = [
  'submitted',
  'validated',
  'in_review',
  'rejected',
];

/** Findings whose evidence is the partner's stock: shown with the inventory position chart. */
export const inventoryRules = ['INSUFFICIENT_INVENTORY', 'NO_SELL_IN', 'EXCEEDS_PROTECTED_QTY'];

export const x12ReasonLabels: Record<string, string> = {
  '01': 'Authorization invalid',
  '02': 'Expired',
  '03': 'Product not on authorization',
  '04': 'Quantity exceeded',
  '05': 'Zero balance',
  '06': 'Special cost incorrect',
  '08': 'Invalid ship location',
  '12': 'Duplicate',
  '13': 'Not valid for price protection',
  '25': 'Pending vendor review',
};

/**
 * A claim id is the partner's own number, unique within the partner: the web app always names a claim with
 * its account, so the desk never meets two partners' claims of one id.
 */
const accountQuery = (accountId?: string | null) =>
  accountId ? `?account_id=${encodeURIComponent(accountId)}` : '';

export const claimPath = (claimId: string, accountId?: string | null) =>
  `/claims/${encodeURIComponent(claimId)}${accountQuery(accountId)}`;

/** The API address of a claim (`suffix`: e.g. `/approve`), with its account. */
export const claimApi = (claimId: string, accountId?: string | null, suffix = '') =>
  `/api/claims/${encodeURIComponent(claimId)}${suffix}${accountQuery(accountId)}`;

// Each rule in plain language, shared with the server's documents (claim statement, payment advice): a pure
// file of words the web app imports as a value.
export { ruleTexts, ruleTitle } from '../../../../src/modules/claims/rule-texts.ts';

export const resolutionReasons = [
  { value: 'document_provided', label: 'Document provided' },
  { value: 'data_corrected', label: 'Data corrected in our systems' },
  { value: 'contract_exception', label: 'Contract exception' },
  { value: 'sales_approval', label: 'Approved by sales' },
  { value: 'data_timing', label: 'Data timing (feed arrived late)' },
  { value: 'finding_confirmed', label: 'Finding confirmed' },
  { value: 'partial_entitlement', label: 'Partly entitled' },
  { value: 'other', label: 'Other (say why)' },
] as const;

/** Evidence keys in words ("authorized_unit_amount" → "Authorized unit amount"). */
export function evidenceLabel(key: string): string {
  const text = key.replaceAll('_', ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}
