import type { Role } from '../identity/index.ts';

/** Who may request adjustments and write-offs. */
export const adjustmentRequesters: readonly Role[] = [
  'collector',
  'manager',
  'credit',
  'approver',
  'administrator',
  // The teams disputes are routed to propose the billing adjustment that settles one (src/modules/disputes).
  'order_management',
  'billing',
  'distribution',
];
/** Who reads them (the company's own users only). */
export const adjustmentReaders: readonly Role[] = [...adjustmentRequesters, 'rebate_analyst'];
/** Who runs the month end by hand (the daily job runs it as the system). */
export const monthEndRunners: readonly Role[] = ['administrator', 'manager'];
