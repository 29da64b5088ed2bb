/** Credit as the server sends it (src/modules/credit): the credit-pend report, orders, limits and requests. */
import type { Role } from '../identity/user.ts';

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

/** The reason codes of CONTROLS.md in the users' words (shared with the server's printed reviews). */
export { creditReasonTexts as reasonLabels } from '../../../../src/modules/credit/reason-texts.ts';

export const creditPath = (requestId?: string) =>
  requestId ? `/credit?request=${encodeURIComponent(requestId)}` : '/credit';
