/** Reviews as the server sends them (src/modules/reviews): the Top 40, WWCH, WD8 packets, report schedules. */
import type { Role } from '../identity/user';

export type {
  ReportSchedule,
  ReviewPacket,
  Top40,
  Top40Account,
  Wwch,
  WwchRow,
} from '../../../../src/modules/reviews/index.ts';

/** The same lists the server enforces (src/modules/reviews/schemas.ts). */
export const reviewReaders: readonly Role[] = ['manager', 'collector', 'credit', 'approver', 'administrator'];
export const commentWriters: readonly Role[] = ['collector', 'manager', 'administrator'];
export const packetManagers: readonly Role[] = ['manager', 'administrator'];

export const reportLabels: Record<string, string> = {
  aging: 'Aging',
  top40: 'Top 40',
  measures: 'Measures',
  claim_log: 'Claim log',
  deductions: 'Open deductions',
  credit_pend: 'Credit-pend report',
};

export const frequencyLabels: Record<string, string> = {
  daily: 'Daily',
  weekly: 'Weekly (first run of each ISO week)',
  monthly: 'Monthly (first run of each month)',
};

/** The last day of the month before today: the month end a WD8 review looks at. */
export function lastMonthEnd(now: Date = new Date()): string {
  const d = new Date(Date.UTC(now.getFullYear(), now.getMonth(), 0));
  return d.toISOString().slice(0, 10);
}

export const thisMonth = (now: Date = new Date()) =>
  `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}`;
