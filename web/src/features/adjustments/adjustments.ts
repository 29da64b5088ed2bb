/** Adjustments, approvals, month end and the journal as the server sends them (src/modules/adjustments, approvals, journal). */
import type { Role } from '../identity/user';

export type AdjustmentKind = 'credit_adjustment' | 'rebill' | 'debit_adjustment' | 'write_off' | 'absorption';
export type AdjustmentStatus = 'pending' | 'approved' | 'refused';

/** The same lists the server enforces (src/modules/adjustments/roles.ts, approvals, journal). */
export const adjustmentRequesters: readonly Role[] = [
  'collector',
  'manager',
  'credit',
  'approver',
  'administrator',
];
export const adjustmentReaders: readonly Role[] = [...adjustmentRequesters, 'rebate_analyst'];
export const approvers: readonly Role[] = ['approver', 'manager', 'administrator'];
export const monthEndReaders: readonly Role[] = [
  'administrator',
  'manager',
  'approver',
  'collector',
  'credit',
];
export const monthEndRunners: readonly Role[] = ['administrator', 'manager'];
export const journalReaders: readonly Role[] = ['administrator', 'manager', 'approver', 'credit'];

export const kindLabels: Record<AdjustmentKind, string> = {
  credit_adjustment: 'Credit adjustment',
  rebill: 'Rebill',
  debit_adjustment: 'Debit adjustment',
  write_off: 'Write-off',
  absorption: 'Absorption',
};

export const statusColors: Record<AdjustmentStatus, string> = {
  pending: 'yellow',
  approved: 'teal',
  refused: 'red',
};

export interface AdjustmentReason {
  reason_code: string;
  description: string;
  kinds: AdjustmentKind[];
  documents_required: boolean;
  active: boolean;
}

export interface Adjustment {
  adjustment_id: string;
  kind: AdjustmentKind;
  account_id: string;
  account_name: string | null;
  currency: string;
  amount: string;
  corrected_amount: string | null;
  reason_code: string;
  reason_description: string;
  documents_required: boolean;
  comment: string;
  source_type: string;
  source_id: string | null;
  status: AdjustmentStatus;
  requested_by: string | null;
  requested_by_name: string;
  requested_at: string;
  posted_on: string | null;
  line_count: number;
}

export interface AdjustmentDetail extends Adjustment {
  lines: {
    line_no: number;
    account_id: string;
    document_id: string;
    amount: string;
    type: string;
    document_date: string;
    due_date: string;
    document_amount: string;
    open_amount: string;
    days_past_due: number;
  }[];
  request: { request_id: string; approvals_needed: number; status: AdjustmentStatus; title: string } | null;
  decisions: {
    user_id: string;
    user_name: string;
    decision: 'approve' | 'refuse';
    comment: string | null;
    decided_at: string;
  }[];
  postings: {
    posting_id: string;
    line_no: number;
    part: string;
    kind: string;
    entry_date: string;
    document_id: string;
    created_document_id: string | null;
    amount: string;
  }[];
  documents: {
    document_id: string;
    file_name: string;
    media_type: string;
    uploaded_by: string | null;
    uploaded_at: string;
  }[];
  history: {
    event_id: string;
    entity_type: string;
    entity_id: string;
    action: string;
    actor_name: string;
    occurred_at: string;
    after: Record<string, unknown> | null;
  }[];
  applications: {
    entry_id: string;
    document_id: string;
    payment_id: string;
    applied_date: string;
    amount: string;
    kind: string;
  }[];
  cannot_decide: string | null;
}

export interface InboxEntry {
  request_id: string;
  subject_type: string;
  subject_id: string;
  account_id: string;
  title: string;
  currency: string;
  amount: string;
  approvals_needed: number;
  approvals: number;
  requested_by_name: string;
  requested_at: string;
  waiting_hours: number;
}

export interface MonthEndRun {
  run_id: string;
  as_of: string;
  ran_at: string;
  ran_by: string;
  last_day: boolean;
  charges: number;
  adjustment_ids: string[];
  written_off: {
    adjustment_id: string;
    account_id: string;
    document_id: string;
    amount: string;
    currency: string;
  }[];
}

export interface JournalRow {
  entry_id: string;
  entry_date: string;
  kind: string;
  account_id: string;
  document_id: string | null;
  gl_debit: string;
  gl_credit: string;
  amount: string;
  currency: string;
  reference: string | null;
}

export interface GlAccounts {
  kind: string;
  debit_account: string;
  credit_account: string;
  description: string;
}

export interface UserLimits {
  user_id: string;
  email: string;
  name: string;
  roles: string[];
  active: boolean;
  limits: { currency: string; amount: string }[];
}

export const adjustmentPath = (id: string) => `/adjustments/${encodeURIComponent(id)}`;
