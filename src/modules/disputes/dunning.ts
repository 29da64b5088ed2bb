/**
 * What collections leaves alone: the amount of a document in dispute on a day (the disputes opened by then
 * and not yet closed then). Collection strategies do not chase it and the worklist shows it apart; as a
 * function of the day, a strategy run for an earlier day sees the disputes as they were then.
 */

/** SQL: the disputed amount of the document `doc` of the account `account` on the day `on` (expressions). */
export const disputedAmountSql = (account: string, doc: string, on: string): string =>
  `coalesce((select sum(dsp.amount) from disputes dsp
    where dsp.account_id = ${account} and dsp.document_id = ${doc} and dsp.opened_on <= ${on}
      and (dsp.closed_on is null or dsp.closed_on > ${on})), 0)`;
