/** Deduction categories, the team (queue) each belongs to, and the words of validation (MATCHING.md). */

export const deductionCategories = [
  'rebate',
  'price_discount',
  'special_bid',
  'marketing',
  'returns',
  'freight',
  'shortage',
  'tax',
  'unknown',
] as const;
export type DeductionCategory = (typeof deductionCategories)[number];

export const deductionQueues = [
  'rebates',
  'sales',
  'marketing',
  'returns',
  'distribution',
  'tax',
  'collections',
] as const;
export type DeductionQueue = (typeof deductionQueues)[number];

/** The team that owns a category (MATCHING.md "Category and queue"). */
export const queueOfCategory: Readonly<Record<DeductionCategory, DeductionQueue>> = {
  rebate: 'rebates',
  special_bid: 'rebates',
  price_discount: 'sales',
  marketing: 'marketing',
  returns: 'returns',
  freight: 'distribution',
  shortage: 'distribution',
  tax: 'tax',
  unknown: 'collections',
};

/** The desk role that works each queue (besides managers and administrators). */
export const roleOfQueue: Readonly<Record<DeductionQueue, string>> = {
  rebates: 'rebate_analyst',
  sales: 'sales',
  marketing: 'marketing',
  returns: 'returns',
  distribution: 'distribution',
  tax: 'tax',
  collections: 'collector',
};

export const deductionValidations = [
  'valid',
  'partially_valid',
  'invalid',
  'unmatched',
  'not_applicable',
] as const;
export type DeductionValidation = (typeof deductionValidations)[number];

export const deductionFindings = [
  'CLAIM_NOT_FOUND',
  'CLAIM_NOT_APPROVED',
  'CLAIM_ALREADY_PAID',
  'EXCEEDS_APPROVED',
] as const;
export type DeductionFinding = (typeof deductionFindings)[number];

export const deductionStatuses = [
  'open',
  'cleared',
  'denied',
  'repaid',
  'credited',
  'written_off',
  'reversed',
] as const;
export type DeductionStatus = (typeof deductionStatuses)[number];

/** Categories validated against the customer's claims. */
export const claimCategories: readonly DeductionCategory[] = ['rebate', 'special_bid'];

/** SQL for the category of a deduction row `d` from the customer's reason code (unknown when unmapped). */
export const categorySql = `coalesce((select r.category from deduction_reason_codes r
  where r.account_id = d.account_id and r.customer_code = d.reason_code), 'unknown')`;

/** SQL: the queue of a category expression. */
export function queueSql(category: string): string {
  return `case ${category} ${Object.entries(queueOfCategory)
    .map(([c, q]) => `when '${c}' then '${q}'`)
    .join(' ')} end`;
}

/** The finding in a customer's words, for the desk, the export and the denial letter. */
export function findingWords(finding: DeductionFinding, claims: readonly string[]): string {
  const named = claims.length === 1 ? `claim ${claims[0]}` : `claims ${claims.join(', ')}`;
  switch (finding) {
    case 'CLAIM_NOT_FOUND':
      return `We have no ${named} on your account.`;
    case 'CLAIM_NOT_APPROVED':
      return `${named[0]!.toUpperCase()}${named.slice(1)} ${claims.length === 1 ? 'is' : 'are'} not approved for payment.`;
    case 'CLAIM_ALREADY_PAID':
      return `${named[0]!.toUpperCase()}${named.slice(1)} ${claims.length === 1 ? 'has' : 'have'} already been paid or ${claims.length === 1 ? 'is' : 'are'} being paid.`;
    case 'EXCEEDS_APPROVED':
      return `The deduction is more than the approved amount of ${named} still to be paid.`;
  }
}
