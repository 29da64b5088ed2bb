/** Claims as the API returns them, with the words the desk and the portal use for statuses and findings. */
import type { ClaimDetail as ServerClaimDetail } from '../../../../src/modules/claims/index.ts';
import type { Role } from '../identity/user';

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
] as const;
export type ClaimStatus = (typeof claimStatuses)[number];

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

export type LineStatus = 'approved' | 'adjusted' | 'review' | 'rejected';
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

export type Effect = 'reject' | 'adjust' | 'review' | 'report';
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

export interface LineCounts {
  approved: number;
  adjusted: number;
  review: number;
  rejected: number;
  pending: number;
}

export interface ClaimItem {
  claim_id: string;
  account_id: string;
  partner_name: string | null;
  program_id: string;
  program_name: string | null;
  program_type: string | null;
  submitted_date: string;
  currency: string;
  status: ClaimStatus;
  version: number;
  source: string;
  urgent: boolean;
  validated_at: string | null;
  decided_at: string | null;
  decided_by: string | null;
  lines: number;
  claimed_amount: string;
  calculated_amount: string | null;
  approved_amount: string | null;
  line_counts: LineCounts;
  rule_codes: string[];
  open_findings: number;
}

export interface ClaimFinding {
  rule_code: string;
  effect: Effect;
  detail: string;
  evidence: Record<string, unknown>;
  resolution: 'accepted' | 'adjusted' | 'overridden' | null;
  resolution_reason: string | null;
  resolved_by: string | null;
  resolved_at: string | null;
  adjusted_amount: string | null;
  resolution_document_id: string | null;
  /** The X12 849 reject reason (AAA03) that fits the finding. */
  x12_reject_reason: string | null;
  override_needs_document: boolean;
  /** The override (or adjustment) needs an approver: pending until one approves it. */
  override_approval: 'pending' | 'approved' | null;
  override_approved_by: string | null;
  override_approved_at: string | null;
}

export interface LineContext {
  deal: {
    deal_id: string;
    account_id: string;
    program_id: string;
    sku: string;
    end_customer_id: string | null;
    authorized_unit_amount: string;
    currency: string;
    max_qty: number;
    used_qty: number;
    left_qty: number;
    start_date: string;
    end_date: string;
  } | null;
  sell_out: {
    sell_out_ref: string;
    sale_date: string;
    sku: string;
    qty: number;
    unit_price: string | null;
    currency: string | null;
    end_customer_id: string | null;
    partner_invoice_no: string | null;
    serial_numbers: string[];
    credited_qty: number;
    left_qty: number;
  } | null;
  position: { account_id: string; sku: string } | null;
}

export interface ClaimSla {
  sla_state: 'on_track' | 'due_soon' | 'breached' | 'met' | 'missed';
  target_business_days: number;
  due_date: string;
  age_business_days: number;
  business_days_left: number | null;
}

/** A claim of the queue: its header and totals with its SLA today (null for a draft). */
export type ClaimQueueItem = ClaimItem & { [K in keyof ClaimSla]: ClaimSla[K] | null };

export interface ClaimQueue {
  items: ClaimQueueItem[];
  total: number;
  /** Claims per SLA state under every filter but the SLA state. */
  counts: Record<ClaimSla['sla_state'], number>;
  as_of: string;
}

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

export interface ClaimVersion {
  version: number;
  program_id: string;
  submitted_date: string;
  currency: string;
  status: ClaimStatus;
  validated_at: string | null;
  decided_at: string | null;
  decided_by: string | null;
  claimed_amount: string;
  approved_amount: string | null;
  superseded_at: string;
  superseded_by: string | null;
  lines: (Omit<ClaimLine, 'findings' | 'context' | 'variance'> & { findings: ClaimFinding[] })[];
}

export interface ClaimLine {
  line_no: number;
  sku: string | null;
  qty: number | null;
  claimed_unit_amount: string | null;
  claimed_amount: string;
  sale_date: string | null;
  end_customer_id: string | null;
  deal_id: string | null;
  sell_out_ref: string | null;
  serial_numbers: string[];
  period_start: string | null;
  period_end: string | null;
  status: LineStatus | null;
  approved_qty: number | null;
  approved_unit_amount: string | null;
  approved_amount: string | null;
  calculated_amount: string | null;
  matched_sell_out_ref: string | null;
  variance: string | null;
  findings: ClaimFinding[];
  context: LineContext;
}

export interface ClaimDetail {
  claim: ClaimItem & { program_version: number | null; created_at: string; updated_at: string };
  lines: ClaimLine[];
  documents: { document_type: string; file_name: string; document_id: string | null; created_at: string }[];
  reconciliation: {
    claimed_amount: string;
    calculated_amount: string | null;
    approved_amount: string | null;
    paid_amount: string | null;
    variance: string | null;
    by_rule_code: { rule_code: string; lines: number; variance: string }[];
  };
  sla: ClaimSla | null;
  budget: { amount: string; used: string; left: string; currency: string } | null;
  /** Settlement's payment of the claim (a reversed one is not counted). */
  payment: {
    status: 'in_payment' | 'paid';
    amount: string;
    method: string;
    paid_on: string | null;
    document_id: string | null;
  } | null;
  /** What the partner's deductions settled of the claim (paid by deduction). */
  deductions: ServerClaimDetail['deductions'];
  /** The policies its latest validation applied (desk only). */
  policy: ServerClaimDetail['policy'];
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
