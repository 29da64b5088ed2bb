/** Credit as the server sends it (src/modules/credit): the credit-pend report, orders, limits and requests. */
import type { Role } from '../identity/user';

export type {
  AccountCredit,
  CreditPosition,
  CreditRelease,
  CreditReport,
  LimitRequest,
  LimitRequestDetail,
  OrderDetail,
  PendOrder,
  Recommendation,
} from '../../../../src/modules/credit/index.ts';

/** The same lists the server enforces (src/modules/credit/schemas.ts). */
export const creditReaders: readonly Role[] = [
  'credit',
  'collector',
  'manager',
  'approver',
  'administrator',
  'sales',
];
export const creditDeciders: readonly Role[] = ['credit', 'manager', 'administrator'];
export const limitRequesters: readonly Role[] = [
  'credit',
  'collector',
  'manager',
  'administrator',
  'approver',
];
export const limitApprovers: readonly Role[] = ['approver', 'manager', 'administrator'];

export const recommendationColors: Record<string, string> = {
  release: 'teal',
  review: 'yellow',
  hold: 'red',
};

/** The reason codes of CONTROLS.md in the users' words. */
export const reasonLabels: Record<string, string> = {
  BROKEN_PROMISE: 'promise broken in the last 30 days',
  PAST_DUE_OVER_60: 'an item more than 60 days past due',
  PAST_DUE_31_60: 'an item 31–60 days past due',
  NO_CREDIT_LIMIT: 'no credit limit',
  OVER_LIMIT: 'over the credit limit',
};

export const creditPath = (requestId?: string) =>
  requestId ? `/credit?request=${encodeURIComponent(requestId)}` : '/credit';
