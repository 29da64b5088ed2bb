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

export const batchStatusColors: Record<string, string> = {
  draft: 'yellow',
  released: 'blue',
  final: 'green',
  reversed: 'gray',
};

export const paymentStatusLabels: Record<string, string> = {
  created: 'Created',
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
  as_of: string;
}

export interface PaymentBatchDetail extends Omit<PaymentBatch, 'claim_ids'> {
  as_of: string;
  created_by: string | null;
  created_at: string;
  released_by: string | null;
  released_at: string | null;
  payments: BatchPayment[];
}

export interface Payment extends BatchPayment {
  batch_id: string;
  batch_status: string | null;
}

export const batchPath = (batchId: string) => `/payment-batches?batch=${encodeURIComponent(batchId)}`;
