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

/**
 * SQL: the documents in dispute on the day `on` with their disputed amount (account_id, document_id,
 * amount), to join set-based where many documents are read at once (the worklist).
 */
export const disputedDocumentsSql = (on: string): string =>
  `select dsp.account_id, dsp.document_id, sum(dsp.amount) as amount from disputes dsp
   where dsp.opened_on <= ${on} and (dsp.closed_on is null or dsp.closed_on > ${on})
   group by dsp.account_id, dsp.document_id`;
