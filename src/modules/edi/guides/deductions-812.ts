/**
 * The 812 implementation guide (docs/edi.md, "812"): a customer's debit adjustment — the amount it kept —
 * read into one row of deductions.csv per set.
 *
 *   BCD*{deduction_date}*{deduction_id}*I*{amount}*D**{document_id}
 *   CUR*BY*{currency}
 *   N1*BY**91*{account_id}
 *   REF*TN*{payment_ref}
 *   NTE**{reference}
 *   CDD*{reason_code}*D**{amount}
 */
import { element, isoDate, type X12TransactionSet } from '../../x12/index.ts';
import { type GuideRow, type ReadSet, type SetProblem, setStart, whereOf } from './types.ts';

export function read812(set: X12TransactionSet): ReadSet {
  const problems: SetProblem[] = [];
  const bcd = set.segments.find((s) => s.id === 'BCD');
  if (!bcd) {
    problems.push({
      ...setStart(set),
      segment: 'BCD',
      element: null,
      value: null,
      reason: 'the 812 has no BCD segment',
    });
    return { reference: null, rows: [], problems };
  }
  const row: GuideRow = { values: {}, where: {}, fallback: whereOf(set, bcd, null) };
  const put = (column: string, value: string, where: ReturnType<typeof whereOf>) => {
    if (!value || column in row.values) return;
    row.values[column] = value;
    row.where[column] = where;
  };
  put('deduction_date', isoDate(element(bcd, 1)), whereOf(set, bcd, 1));
  put('deduction_id', element(bcd, 2), whereOf(set, bcd, 2));
  put('amount', element(bcd, 4), whereOf(set, bcd, 4));
  put('document_id', element(bcd, 7), whereOf(set, bcd, 7));
  if (element(bcd, 5) && element(bcd, 5) !== 'D') {
    problems.push({
      ...whereOf(set, bcd, 5),
      value: element(bcd, 5),
      reason: 'BCD05 must be D: Clearhouse reads debit adjustments (what the customer kept)',
    });
  }
  for (const s of set.segments) {
    if (s.id === 'CUR') put('currency', element(s, 2), whereOf(set, s, 2));
    else if (s.id === 'N1' && ['BY', 'PR', 'BT'].includes(element(s, 1)) && element(s, 3) === '91')
      put('account_id', element(s, 4), whereOf(set, s, 4));
    else if (s.id === 'REF' && element(s, 1) === 'TN') put('payment_ref', element(s, 2), whereOf(set, s, 2));
    else if (s.id === 'NTE') put('reference', element(s, 2), whereOf(set, s, 2));
    else if (s.id === 'CDD') put('reason_code', element(s, 1), whereOf(set, s, 1));
  }
  for (const [c, el] of [
    ['deduction_id', 'BCD02'],
    ['amount', 'BCD04'],
    ['deduction_date', 'BCD01'],
  ] as const) {
    if (!(c in row.where)) row.where[c] = { ...row.fallback, element: el };
  }
  return { reference: row.values.deduction_id ?? null, rows: [row], problems };
}
