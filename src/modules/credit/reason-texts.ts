/**
 * The credit-pend reason codes of CONTROLS.md in the users' words. A pure file: the web app imports it too, and
 * the printed reviews use it.
 */
export const creditReasonTexts: Record<string, string> = {
  BROKEN_PROMISE: 'promise broken in the last 30 days',
  PAST_DUE_OVER_60: 'an item more than 60 days past due',
  PAST_DUE_31_60: 'an item 31–60 days past due',
  NO_CREDIT_LIMIT: 'no credit limit',
  OVER_LIMIT: 'over the credit limit',
};
