/**
 * The cash desk's words: bank files, credits, the exception queue, runs and credit clearing, with the server's
 * own types (imported, never copied).
 */
import type { cashRoles } from '../../../../src/modules/cash/index.ts';
import type { Role } from '../identity/user.ts';

export type {
  BankCredit,
  BankFileDetail,
  BankFileSummary,
  BankStatementTotals,
  CashApplicationLine,
  CashRun,
  ClearingView,
  CreditDetail,
  CreditStatus,
  ExceptionReason,
  ManualApplyInput,
  ManualApplyResult,
  OpenCredit,
  OpenDocument,
  OpenInvoice,
  Suggestion,
} from '../../../../src/modules/cash/index.ts';

/** Who works the cash desk: the server's `cashRoles` (partners never). */
export const cashDesk = [
  'administrator',
  'collector',
  'manager',
  'credit',
] as const satisfies readonly (typeof cashRoles)[number][] & readonly Role[];

export const reasonLabels: Record<string, string> = {
  UNKNOWN_PAYER: 'Unknown payer',
  AMBIGUOUS: 'Ambiguous',
  NO_MATCH: 'No match',
  REMITTANCE_MISMATCH: 'Remittance mismatch',
};

export const reasonDescriptions: Record<string, string> = {
  UNKNOWN_PAYER: 'No known bank account or name: find the customer first.',
  AMBIGUOUS: 'Several documents or combinations fit equally well.',
  NO_MATCH: 'The payer is known but nothing open fits the amount or the text.',
  REMITTANCE_MISMATCH: 'The remittance advice does not add up to the payment.',
};

export const reasonColors: Record<string, string> = {
  UNKNOWN_PAYER: 'red',
  AMBIGUOUS: 'yellow',
  NO_MATCH: 'orange',
  REMITTANCE_MISMATCH: 'grape',
};

export const ruleLabels: Record<string, string> = {
  remittance: 'Remittance advice',
  reference: 'Reference in the text',
  amount: 'Amount',
  combination: 'Combination of items',
  manual: 'By hand',
};

/** Deduction reason codes offered on the work screen (any code may be typed). */
export const deductionReasons = [
  { value: 'PRICING', label: 'PRICING: price difference' },
  { value: 'SHORTAGE', label: 'SHORTAGE: short shipment' },
  { value: 'DAMAGE', label: 'DAMAGE: damaged goods' },
  { value: 'PROMO', label: 'PROMO: promotion / co-op' },
  { value: 'REBATE', label: 'REBATE: rebate taken' },
  { value: 'FREIGHT', label: 'FREIGHT: freight' },
  { value: 'OTHER', label: 'OTHER: other' },
];

export function outcomeOf(c: {
  status: string;
  reason: string | null;
  applied_amount: string;
  deduction_amount: string;
  on_account_amount: string;
}): string {
  if (c.status === 'exception') return `Exception: ${reasonLabels[c.reason ?? ''] ?? c.reason ?? ''}`;
  if (c.status === 'new') return 'Not matched yet';
  const parts: string[] = [];
  if (!/^0+(\.0+)?$/.test(c.applied_amount)) parts.push('applied');
  if (!/^0+(\.0+)?$/.test(c.deduction_amount)) parts.push('deduction');
  if (!/^0+(\.0+)?$/.test(c.on_account_amount)) parts.push('on account');
  return parts.length
    ? parts.map((p, i) => (i ? p : p[0]!.toUpperCase() + p.slice(1))).join(', ')
    : 'Applied';
}

export const bankFilePath = (fileId: string) => `/bank-statements?file=${encodeURIComponent(fileId)}`;
export const creditPath = (paymentRef: string) => `/cash-exceptions?credit=${encodeURIComponent(paymentRef)}`;

/**
 * A grid's height for a short list of wide rows: room for each row and a horizontal scrollbar (an 'auto'
 * height grid lets the scrollbar cover its last row), at most `max` pixels, then it scrolls.
 */
export function gridHeight(rows: number, max = 640): number {
  return Math.min(max, 38 + Math.max(rows, 1) * 36 + 20);
}
