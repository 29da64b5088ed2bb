/** Routing rules, customers' reason codes and queues of deductions as the server sends them (src/modules/deductions). */
import type { DeductionCategory, DeductionQueue } from '../../../../src/modules/deductions/index.ts';
import type { Role } from '../identity/user';

export type {
  DeductionCategory,
  DeductionQueue,
  DeductionQueueRow,
  ReasonCode,
  RoutingRule,
} from '../../../../src/modules/deductions/index.ts';

/** Who changes them (src/modules/deductions/routing.ts deductionAdmins); every desk user reads them. */
export const deductionAdmins: readonly Role[] = ['manager', 'administrator'];

export const categoryLabels: Record<DeductionCategory, string> = {
  rebate: 'Rebate',
  price_discount: 'Price discount',
  special_bid: 'Special bid',
  marketing: 'Marketing',
  returns: 'Returns',
  freight: 'Freight',
  shortage: 'Shortage',
  tax: 'Tax',
  unknown: 'Unknown',
};

export const queueLabels: Record<DeductionQueue, string> = {
  rebates: 'Rebates',
  sales: 'Sales',
  marketing: 'Marketing',
  returns: 'Returns',
  distribution: 'Distribution',
  tax: 'Tax',
  collections: 'Collections',
};

export const categoryOptions = (Object.keys(categoryLabels) as DeductionCategory[]).map((value) => ({
  value,
  label: categoryLabels[value],
}));
export const queueOptions = (Object.keys(queueLabels) as DeductionQueue[]).map((value) => ({
  value,
  label: queueLabels[value],
}));
