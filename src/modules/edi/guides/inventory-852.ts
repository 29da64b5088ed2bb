/**
 * The 852 implementation guide (docs/edi.md, "852"): a partner's inventory snapshot, read into the rows of
 * inventory.csv and written from them (`clearhouse edi sample --set 852`).
 *
 *   XQ*H*{as_of_date}
 *   N1*DS**91*{account_id}
 *   LIN**VP*{sku}                  (one LIN loop per SKU)
 *     ZA*QA*{on_hand_qty}*EA       (QA: quantity on hand)
 */
import { element, isoDate, type SegmentOut, type X12TransactionSet, x12Date } from '../../x12/index.ts';
import { linSku } from './common.ts';
import { type GuideRow, type ReadSet, type SetProblem, setStart, type Where, whereOf } from './types.ts';

export function read852(set: X12TransactionSet): ReadSet {
  const problems: SetProblem[] = [];
  const rows: GuideRow[] = [];
  const header: Record<string, [string, Where]> = {};
  let line: GuideRow | null = null;
  for (const s of set.segments) {
    const w = (n: number) => whereOf(set, s, n);
    switch (s.id) {
      case 'XQ': {
        const n = element(s, 3) ? 3 : 2;
        if (element(s, n)) header.as_of_date = [isoDate(element(s, n)), w(n)];
        break;
      }
      case 'N1':
        if (!line && element(s, 1) === 'DS' && element(s, 3) === '91' && element(s, 4))
          header.account_id = [element(s, 4), w(4)];
        break;
      case 'LIN': {
        line = { values: {}, where: {}, fallback: whereOf(set, s, null) };
        rows.push(line);
        const sku = linSku(s);
        if (sku) {
          line.values.sku = sku[0];
          line.where.sku = w(sku[1]);
        }
        break;
      }
      case 'ZA':
        if (line && element(s, 1) === 'QA' && element(s, 2)) {
          line.values.on_hand_qty = element(s, 2);
          line.where.on_hand_qty = w(2);
        }
        break;
    }
  }
  if (!header.as_of_date)
    problems.push({
      ...setStart(set),
      segment: 'XQ',
      element: 'XQ02',
      value: null,
      reason: 'the 852 has no XQ (the date of the count)',
    });
  if (rows.length === 0)
    problems.push({
      ...setStart(set),
      segment: 'LIN',
      element: null,
      value: null,
      reason: 'the 852 has no LIN loop (no SKU counted)',
    });
  for (const row of rows) {
    for (const [c, [v, where]] of Object.entries(header)) {
      row.values[c] = v;
      row.where[c] = where;
    }
    if (row.values.on_hand_qty === undefined)
      row.where.on_hand_qty = { ...row.fallback, segment: 'ZA', element: 'ZA02' };
  }
  return { reference: header.as_of_date?.[0] ?? null, rows, problems };
}

/** The 852 a partner would send for the snapshot rows of an inventory.csv: one set per partner and date. */
export function write852(
  rows: readonly Record<string, string>[],
): { accountId: string; reference: string; segments: SegmentOut[] }[] {
  const v = (r: Record<string, string>, c: string) => (r[c] ?? '').trim();
  const groups = new Map<string, Record<string, string>[]>();
  for (const r of rows) {
    if (v(r, 'kind') && v(r, 'kind') !== 'snapshot') continue; // an opening balance is no count: not in an 852
    const key = `${v(r, 'account_id')}\u0000${v(r, 'as_of_date')}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.values()].map((lines) => {
    const h = lines[0]!;
    const segments: SegmentOut[] = [
      ['XQ', 'H', x12Date(v(h, 'as_of_date'))],
      ['N1', 'DS', null, '91', v(h, 'account_id')],
    ];
    for (const l of lines) {
      segments.push(['LIN', null, 'VP', v(l, 'sku')]);
      segments.push(['ZA', 'QA', v(l, 'on_hand_qty'), 'EA']);
    }
    segments.push(['CTT', String(lines.length)]);
    return { accountId: v(h, 'account_id'), reference: v(h, 'as_of_date'), segments };
  });
}
