/** Adjustments, approvals, month end and the journal as the server sends them (src/modules/adjustments, approvals, journal). */

import type { AdjustmentKind } from '../../../../src/modules/adjustments/index.ts';
import type { Role } from '../identity/user.ts';

export type {
  Adjustment,
  AdjustmentDetail,
  AdjustmentKind,
  AdjustmentReason,
  MonthEndRun,
} from '../../../../src/modules/adjustments/index.ts';
export type { InboxEntry, UserLimits } from '../../../../src/modules/approvals/index.ts';
export type { GlAccounts, JournalRow } from '../../../../src/modules/journal/index.ts';

export type AdjustmentStatus = 'pending' | 'approved' | 'refused';

/** The same lists the server enforces (src/modules/adjustments/roles.ts, approvals, journal). */
export const adjustmentRequesters: readonly Role[] = [
  'collector',
  'manager',
  'credit',
  'approver',
  'administrator',
  'order_management',
  'billing',
  'distribution',
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

export const adjustmentPath = (id: string) => `/adjustments/${encodeURIComponent(id)}`;
