/** Payment batches and payments as the server sends them, with the words the pages use. */
import type { BatchDetail, BatchSummary, PartnerPayment } from '../../../../src/modules/settlement/index.ts';
import type { Role } from '../identity/user.ts';

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

// The settlement types are the server's own (import type): one definition for the API and the web app.
export type {
  AccrualReport,
  AccrualRow,
  AccrualTotals,
  AdviceSummary,
  BatchPayment,
  PaymentDateCheck,
  ReconciliationClaim,
  ReconciliationReason,
  ReconciliationReport,
  ReconciliationRow,
  ReversedBatch,
  StoredFile,
} from '../../../../src/modules/settlement/index.ts';
/** A batch in the list (GET /api/settlement/batches). */
export type PaymentBatch = BatchSummary;
/** One batch with its payments and stored files (GET /api/settlement/batches/:batchId). */
export type PaymentBatchDetail = BatchDetail;
/** A payment a partner received, with its batch (GET /api/settlement/payments). */
export type Payment = PartnerPayment;

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

/** The accruals' query string; `totalsOnly` leaves out the rows (the totals per program and currency only). */
export const accrualsQuery = (asOf: string, totalsOnly = false) =>
  query({ as_of: asOf, rows: totalsOnly ? 'false' : undefined });
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
