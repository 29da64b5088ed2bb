/**
 * The X12 reject reason (849, element 901 in AAA03) that fits each rule code, as RULES.md lists them. An 849
 * response carries every rejected or adjusted line with the reason of its findings; codes the table does
 * not name have no reject reason (they are reported in the claim findings with their own code only).
 */

export const x12RejectReasons: Readonly<Record<string, string>> = {
  PROGRAM_UNKNOWN: '01', // authorization invalid
  PARTNER_NOT_ENROLLED: '01',
  DEAL_UNKNOWN: '01',
  SALE_OUTSIDE_PERIOD: '02', // expired
  LATE_SUBMISSION: '02',
  PRODUCT_NOT_ELIGIBLE: '03', // product not on authorization
  DEAL_QTY_EXCEEDED: '04', // quantity exceeded (05, zero balance, when nothing was left)
  UNIT_AMOUNT_EXCEEDS_AUTHORIZED: '06', // special cost incorrect
  END_CUSTOMER_MISMATCH: '08', // invalid ship location
  DUPLICATE_CLAIM: '12', // duplicate
  PRICE_DROP_NOT_FOUND: '13', // not valid for price protection
  EXCEEDS_PROTECTED_QTY: '13',
  MISSING_DOCUMENT: '25', // pending vendor review
};

export const x12ReasonLabels: Readonly<Record<string, string>> = {
  '01': 'Authorization invalid',
  '02': 'Expired',
  '03': 'Product not on authorization',
  '04': 'Quantity exceeded',
  '05': 'Zero balance',
  '06': 'Special cost incorrect',
  '08': 'Invalid ship location',
  '12': 'Duplicate',
  '13': 'Not valid for price protection',
  '25': 'Pending vendor review',
};

export interface FindingForX12 {
  rule_code: string;
  effect: string;
  evidence?: Record<string, unknown> | null;
}

/** The AAA03 reject reason of a finding, or null when RULES.md gives its code none. */
export function x12RejectReason(f: FindingForX12): string | null {
  if (f.rule_code === 'DEAL_QTY_EXCEEDED') {
    const left = Number(f.evidence?.left ?? Number.NaN);
    return left === 0 ? '05' : '04';
  }
  const reason = x12RejectReasons[f.rule_code];
  if (reason) return reason;
  // Any other finding that waits for an analyst is pending review too.
  return f.effect === 'review' ? '25' : null;
}
