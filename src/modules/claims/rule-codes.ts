/**
 * The rule codes of RULES.md. A leaf file with no imports: the import templates read it (policies.csv names
 * rule codes) without loading the claims module.
 */
/** Every rule code of RULES.md, in its order. */
export const ruleCatalogue = [
  'PROGRAM_UNKNOWN',
  'PARTNER_NOT_ENROLLED',
  'CURRENCY_MISMATCH',
  'MISSING_DOCUMENT',
  'ARITHMETIC_ERROR',
  'SALE_OUTSIDE_PERIOD',
  'LATE_SUBMISSION',
  'PRODUCT_NOT_ELIGIBLE',
  'DEAL_UNKNOWN',
  'END_CUSTOMER_MISMATCH',
  'UNIT_AMOUNT_EXCEEDS_AUTHORIZED',
  'NO_SELL_OUT_MATCH',
  'DUPLICATE_CLAIM',
  'SELL_OUT_QTY_SHORT',
  'DEAL_QTY_EXCEEDED',
  'NO_SELL_IN',
  'INSUFFICIENT_INVENTORY',
  'PRICE_DROP_NOT_FOUND',
  'EXCEEDS_PROTECTED_QTY',
  'BUDGET_EXCEEDED',
  'AMOUNT_EXCEEDS_CALCULATED',
] as const;

/** Rule codes a policy may disable: PROGRAM_UNKNOWN cannot be (a claim needs a program in force). */
export const disableableRules = ruleCatalogue.filter((r) => r !== 'PROGRAM_UNKNOWN');
