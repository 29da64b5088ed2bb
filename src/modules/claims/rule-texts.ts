/**
 * Each rule code in plain language (docs/claims-rules.md): the title a partner reads wherever a finding is
 * shown (the app and portal, the claim statement, the payment advice) and the hint that says what would fix
 * it. A pure file of words with no imports, so that the web app uses the very same texts.
 */
export const ruleTexts: Readonly<Record<string, { title: string; hint: string }>> = {
  PROGRAM_UNKNOWN: {
    title: 'The program does not exist or is not in force',
    hint: 'Check the program id against your program list and submit again.',
  },
  PARTNER_NOT_ENROLLED: {
    title: 'You are not enrolled in this program',
    hint: 'Claim under a program you are enrolled in, or ask your analyst about enrolment.',
  },
  CURRENCY_MISMATCH: {
    title: 'The claim’s currency differs from the program’s',
    hint: 'Resubmit the claim in the program’s currency.',
  },
  MISSING_DOCUMENT: {
    title: 'A required document is not attached',
    hint: 'Attach the document the program requires (for example proof of sale) to the claim.',
  },
  ARITHMETIC_ERROR: {
    title: 'Quantity × unit amount does not give the claimed amount',
    hint: 'Correct the claimed amount or the unit amount so that they agree.',
  },
  SALE_OUTSIDE_PERIOD: {
    title: 'The sale is outside the program period or the deal’s validity',
    hint: 'Check the sale date; claim sales made while the program and deal were valid.',
  },
  LATE_SUBMISSION: {
    title: 'Submitted after the claim window closed',
    hint: 'Claims must arrive within the program’s claim window after the sale; this one cannot be paid.',
  },
  PRODUCT_NOT_ELIGIBLE: {
    title: 'The product is not eligible',
    hint: 'Claim only the deal’s SKU or products the program lists as eligible.',
  },
  DEAL_UNKNOWN: {
    title: 'The deal is missing, unknown or not yours',
    hint: 'Give the deal id the deal desk authorised for this sale.',
  },
  END_CUSTOMER_MISMATCH: {
    title: 'The end customer is not the deal’s or not in an eligible country',
    hint: 'Give the end customer named on the deal.',
  },
  UNIT_AMOUNT_EXCEEDS_AUTHORIZED: {
    title: 'The unit amount is above what is authorised',
    hint: 'Claim at most the authorised amount per unit; the line is paid at that amount.',
  },
  NO_SELL_OUT_MATCH: {
    title: 'No matching sell-out line was reported',
    hint: 'Report the sale in your sell-out (or give its sell_out_ref), then resubmit.',
  },
  DUPLICATE_CLAIM: {
    title: 'These units or serial numbers were already credited',
    hint: 'Remove the units already claimed; each unit is credited once.',
  },
  SELL_OUT_QTY_SHORT: {
    title: 'The sell-out line has fewer units left than claimed',
    hint: 'Claim no more units than the sell-out line reports (less what was already credited).',
  },
  DEAL_QTY_EXCEEDED: {
    title: 'The deal has fewer units left than claimed',
    hint: 'Claim no more than the units left on the deal, or ask the deal desk to extend it.',
  },
  NO_SELL_IN: {
    title: 'No purchase of this product before the sale',
    hint: 'Check the SKU and sale date; you can only claim products you bought from us first.',
  },
  INSUFFICIENT_INVENTORY: {
    title: 'More units credited than bought',
    hint: 'Check your inventory: credited units cannot exceed units bought by the sale date.',
  },
  PRICE_DROP_NOT_FOUND: {
    title: 'No price decrease on that date',
    hint: 'Give the effective date of the price drop as the sale date.',
  },
  EXCEEDS_PROTECTED_QTY: {
    title: 'More units than were protected',
    hint: 'Claim at most the stock you held on the drop date (bought within the protection window).',
  },
  BUDGET_EXCEEDED: {
    title: 'The program budget has less left than claimed',
    hint: 'The line is paid up to the budget left; nothing to correct on your side.',
  },
  AMOUNT_EXCEEDS_CALCULATED: {
    title: 'The amount is above our calculation for the period',
    hint: 'Claim the calculated amount; earlier approvals for the same period are deducted.',
  },
};

/** The rule's title; a code the list does not know (a newer server) in lower-case words. */
export function ruleTitle(code: string): string {
  return ruleTexts[code]?.title ?? code.replaceAll('_', ' ').toLowerCase();
}

/** "The product is not eligible (PRODUCT_NOT_ELIGIBLE)": the words, and the code a partner may quote. */
export function ruleWithCode(code: string): string {
  return `${ruleTitle(code)} (${code})`;
}
