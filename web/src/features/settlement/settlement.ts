/** Payment batches and payments as the server sends them, with the words the pages use. */
import type { Role } from '../identity/user';

/** Who opens the payment batches (the desk); releasing needs one of `batchReleasers`. */
export const batchReaders: readonly Role[] = ['rebate_analyst', 'approver', 'manager', 'administrator'];
export const batchReleasers: readonly Role[] = ['approver', 'manager', 'administrator'];

export const methodLabels: Record<string, string> = {
  credit_memo: 'Credit memo',
  ach: 'ACH',
  check: 'Check',
  wire: 'Wire',
};

export const batchStatusLabels: Record<string, string> = {
  draft: 'Waiting for release',
  released: 'Released',
  final: 'Final',
  reversed: 'Reversed',
};

/** Who may reverse a batch the bank rejected (the server enforces the same list). */
export const batchReversers: readonly Role[] = ['approver', 'manager', 'administrator'];

/** Who reads the accruals and the reconciliation of credits processed on the desk. */
export const reportReaders: readonly Role[] = ['rebate_analyst', 'approver', 'manager', 'administrator'];

export const adviceStatusLabels: Record<string, string> = {
  paid: 'Paid',
  awaiting_release: 'Awaiting release',
  reversed: 'Reversed',
};

export const adviceStatusColors: Record<string, string> = {
  paid: 'green',
  awaiting_release: 'yellow',
  reversed: 'gray',
};

export const fileKindLabels: Record<string, string> = {
  nacha: 'NACHA file',
  credit_memos: 'Credit memos',
  check_register: 'Check register',
  wire_instructions: 'Wire instructions',
  advice: 'Payment advice',
};

export const programTypeLabels: Record<string, string> = {
  special_bid: 'Special bid',
  sell_out: 'Sell-out',
  volume_tier: 'Volume tier',
  growth: 'Growth',
  price_protection: 'Price protection',
  mdf: 'MDF',
};

export const batchStatusColors: Record<string, string> = {
  draft: 'yellow',
  released: 'blue',
  final: 'green',
  reversed: 'gray',
};

export const paymentStatusLabels: Record<string, string> = {
  created: 'Awaiting release',
  paid: 'Paid',
  reversed: 'Reversed',
};

export const label = (labels: Record<string, string>, value: string | null | undefined): string =>
  value ? (labels[value] ?? value) : '';

export interface PaymentBatch {
  batch_id: string;
  method: string;
  currency: string;
  status: string;
  payment_count: number;
  total_amount: string;
  release_required: boolean;
  sla_priority: boolean;
  ach_format: string | null;
  files: string[];
  claim_ids: string[];
}

export interface BatchPayment {
  account_id: string;
  partner_name: string | null;
  claim_id: string;
  method: string;
  currency: string;
  amount: string;
  status: string;
  document_id: string | null;
  reversal_document_id?: string | null;
  as_of: string;
  paid_on: string | null;
  sla_priority: boolean;
  sla_state?: string | null;
  sla_due_date?: string | null;
}

export interface StoredFile {
  file_name: string;
  kind: string;
  account_id: string | null;
  media_type: string;
  size_bytes: number;
  sha256: string;
}

export interface PaymentBatchDetail extends Omit<PaymentBatch, 'claim_ids'> {
  as_of: string;
  created_by: string | null;
  created_at: string;
  released_by: string | null;
  released_at: string | null;
  reversed_by: string | null;
  reversed_at: string | null;
  reversal_reason: string | null;
  release_comment?: string | null;
  proposal_id?: string | null;
  payments: BatchPayment[];
  stored_files: StoredFile[];
}

export interface Payment extends BatchPayment {
  batch_id: string;
  batch_status: string | null;
}

export interface AdviceSummary {
  batch_id: string;
  account_id: string;
  partner_name: string | null;
  method: string;
  currency: string;
  payment_date: string;
  claim_count: number;
  amount: string;
  status: string;
}

export interface ReversedBatch {
  batch_id: string;
  status: 'reversed';
  reversed_now: boolean;
  reversed_on: string | null;
  reason: string | null;
  claim_ids: string[];
  reversal_documents: string[];
}

export type {
  AccrualReport,
  AccrualRow,
  AccrualTotals,
} from '../../../../src/modules/settlement/index.ts';

export interface ReconciliationRow {
  account_id: string;
  partner_name: string | null;
  period: string;
  currency: string;
  claims: number;
  lines: number;
  claimed: string;
  approved: string;
  paid: string;
  claimed_vs_approved: string;
  approved_vs_paid: string;
  reasons: string;
}

export interface ReconciliationReason {
  account_id: string;
  period: string;
  currency: string;
  variance_kind: 'approval' | 'payment';
  reason: string;
  lines: number;
  variance: string;
}

export interface ReconciliationClaim {
  account_id: string;
  partner_name: string | null;
  claim_id: string;
  program_id: string;
  submitted_date: string;
  decided_date: string;
  status: string;
  currency: string;
  claimed: string;
  approved: string;
  paid: string;
  claimed_vs_approved: string;
  approved_vs_paid: string;
  rule_codes: string;
  payment_status: string | null;
  batch_id: string | null;
  method: string | null;
  paid_on: string | null;
}

export interface ReconciliationReport {
  from: string;
  to: string;
  rows: ReconciliationRow[];
  reasons: ReconciliationReason[];
  claims: ReconciliationClaim[];
}

const query = (params: Record<string, string | undefined>) => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
  const text = q.toString();
  return text ? `?${text}` : '';
};

export const batchFileUrl = (batchId: string, fileName: string) =>
  `/api/settlement/batches/${encodeURIComponent(batchId)}/files/${encodeURIComponent(fileName)}`;

export const adviceUrl = (batchId: string, accountId: string, ext: 'pdf' | 'xlsx') =>
  `/api/settlement/payments/advice.${ext}${query({ batch_id: batchId, account_id: accountId })}`;

export const accrualsQuery = (asOf: string) => query({ as_of: asOf });
export const accrualsExportUrl = (asOf: string, ext: 'xlsx' | 'csv') =>
  `/api/settlement/accruals/export.${ext}${accrualsQuery(asOf)}`;

export const reconciliationQuery = (from: string, to: string) => query({ from, to });
export const reconciliationExportUrl = (from: string, to: string, ext: 'xlsx' | 'csv') =>
  `/api/settlement/reconciliation/export.${ext}${reconciliationQuery(from, to)}`;

/** "12.3 kB" for a file list. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} kB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Today as the browser sees it, YYYY-MM-DD. */
export function todayDate(): string {
  const now = new Date();
  return new Date(now.getTime() - now.getTimezoneOffset() * 60_000).toISOString().slice(0, 10);
}

export const isDate = (v: string) => /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v));

export const batchPath = (batchId: string) => `/payment-batches?batch=${encodeURIComponent(batchId)}`;

export type {
  PaymentProposal,
  ProposalBatch,
  ProposalClaimRef,
  ProposalLine,
  ProposalPartnerTotal,
  ProposalSubmitResult,
  ProposalSummary,
} from '../../../../src/modules/settlement/index.ts';

/** Whether a day is a business day for payments, and the next one (GET /api/settlement/payment-date). */
export interface PaymentDateCheck {
  date: string;
  country: string;
  business_day: boolean;
  problem: string | null;
  next_business_day: string;
}

/** Who builds, changes and submits payment proposals (the server's settlers). */
export const proposalMakers: readonly Role[] = ['rebate_analyst', 'approver', 'manager', 'administrator'];

export const proposalStatusLabels: Record<string, string> = {
  open: 'Open',
  submitted: 'Submitted',
  expired: 'Expired',
};

export const proposalPath = (proposalId?: string) =>
  proposalId ? `/payment-proposal?proposal=${encodeURIComponent(proposalId)}` : '/payment-proposal';

/** A batch held for release: its files are listed but not for download until it is released. */
export const filesHeld = (b: { status: string; release_required: boolean; released_at: string | null }) =>
  b.status === 'draft' || (b.status === 'reversed' && b.release_required && !b.released_at);
