/**
 * The 867 implementation guide (docs/edi.md, "867"): a partner's sell-out report, read into the rows of
 * sell_out.csv and written from them (`clearhouse edi sample --set 867`).
 *
 *   BPT*00*{report id}*{report date}
 *   CUR*SE*{currency}
 *   N1*DS**91*{account_id}
 *   PTD*SS                         (one PTD loop per sale: an invoice of the partner to an end customer)
 *     DTM*003*{sale_date}
 *     REF*IV*{partner_invoice_no}
 *     N1*EN**91*{end_customer_id}
 *     QTY*32*{qty}*EA              (one QTY loop per sell-out line)
 *       LIN*{sell_out_ref}*VP*{sku}
 *       UIT*EA*{unit_price}
 *       REF*SE*{serial}            (one per serial number)
 */
import { element, isoDate, type SegmentOut, type X12TransactionSet, x12Date } from '../../x12/index.ts';
import { linSku } from './common.ts';
import { type GuideRow, type ReadSet, type SetProblem, setStart, type Where, whereOf } from './types.ts';

export function read867(set: X12TransactionSet): ReadSet {
  const problems: SetProblem[] = [];
  const rows: GuideRow[] = [];
  const header: Record<string, [string, Where]> = {};
  let sale: Record<string, [string, Where]> = {};
  let line: GuideRow | null = null;
  let serials: string[] = [];
  let reference: string | null = null;
  const endLine = () => {
    if (line && serials.length > 0) line.values.serial_numbers = serials.join(';');
    serials = [];
  };
  for (const s of set.segments) {
    const w = (n: number) => whereOf(set, s, n);
    switch (s.id) {
      case 'BPT':
        reference = element(s, 2) || null;
        break;
      case 'CUR':
        if (element(s, 2)) header.currency = [element(s, 2), w(2)];
        break;
      case 'PTD':
        endLine();
        line = null;
        sale = {};
        break;
      case 'DTM':
        if (!line && ['003', '011', '191'].includes(element(s, 1)) && element(s, 2))
          sale.sale_date = [isoDate(element(s, 2)), w(2)];
        break;
      case 'REF':
        if (line && element(s, 1) === 'SE' && element(s, 2)) {
          serials.push(element(s, 2));
          line.where.serial_numbers ??= w(2);
        } else if (!line && element(s, 1) === 'IV' && element(s, 2))
          sale.partner_invoice_no = [element(s, 2), w(2)];
        break;
      case 'N1':
        if (element(s, 3) !== '91' || !element(s, 4)) break;
        if (element(s, 1) === 'DS' && Object.keys(sale).length === 0 && !line)
          header.account_id = [element(s, 4), w(4)];
        else if (['EN', 'ST'].includes(element(s, 1))) sale.end_customer_id = [element(s, 4), w(4)];
        break;
      case 'QTY': {
        endLine();
        line = { values: {}, where: {}, fallback: whereOf(set, s, null) };
        rows.push(line);
        if (element(s, 2)) {
          line.values.qty = element(s, 2);
          line.where.qty = w(2);
        }
        for (const [c, [v, where]] of Object.entries(sale)) {
          line.values[c] = v;
          line.where[c] = where;
        }
        break;
      }
      case 'LIN': {
        if (!line) break;
        if (element(s, 1)) {
          line.values.sell_out_ref = element(s, 1);
          line.where.sell_out_ref = w(1);
        }
        const sku = linSku(s);
        if (sku) {
          line.values.sku = sku[0];
          line.where.sku = w(sku[1]);
        }
        break;
      }
      case 'UIT':
        if (line && element(s, 2)) {
          line.values.unit_price = element(s, 2);
          line.where.unit_price = w(2);
        }
        break;
    }
  }
  endLine();
  if (rows.length === 0)
    problems.push({
      ...setStart(set),
      segment: 'QTY',
      element: null,
      value: null,
      reason: 'the 867 has no QTY loop (no sell-out line)',
    });
  for (const row of rows) {
    for (const [c, [v, where]] of Object.entries(header)) {
      row.values[c] = v;
      row.where[c] = where;
    }
    if (row.values.unit_price === undefined) delete row.values.currency;
    if (!row.values.sale_date) row.where.sale_date = { ...row.fallback, segment: 'DTM', element: 'DTM02' };
    if (!row.values.sell_out_ref)
      row.where.sell_out_ref = { ...row.fallback, segment: 'LIN', element: 'LIN01' };
  }
  return { reference, rows, problems };
}

/** The 867 a partner would send for the rows of a sell_out.csv: one set per partner, one PTD loop per sale. */
export function write867(
  rows: readonly Record<string, string>[],
  reportDate: string,
): { accountId: string; reference: string; segments: SegmentOut[] }[] {
  const byPartner = new Map<string, Record<string, string>[]>();
  const v = (r: Record<string, string>, c: string) => (r[c] ?? '').trim();
  for (const r of rows) byPartner.set(v(r, 'account_id'), [...(byPartner.get(v(r, 'account_id')) ?? []), r]);
  const out: { accountId: string; reference: string; segments: SegmentOut[] }[] = [];
  for (const [account, lines] of byPartner) {
    const reference = `SO-${x12Date(reportDate)}`;
    const currency = lines.map((l) => v(l, 'currency')).find(Boolean);
    const segments: SegmentOut[] = [['BPT', '00', reference, x12Date(reportDate)]];
    if (currency) segments.push(['CUR', 'SE', currency]);
    segments.push(['N1', 'DS', null, '91', account]);
    for (const l of lines) {
      segments.push(['PTD', 'SS']);
      segments.push(['DTM', '003', x12Date(v(l, 'sale_date'))]);
      if (v(l, 'partner_invoice_no')) segments.push(['REF', 'IV', v(l, 'partner_invoice_no')]);
      if (v(l, 'end_customer_id')) segments.push(['N1', 'EN', null, '91', v(l, 'end_customer_id')]);
      segments.push(['QTY', '32', v(l, 'qty'), 'EA']);
      segments.push(['LIN', v(l, 'sell_out_ref'), 'VP', v(l, 'sku')]);
      if (v(l, 'unit_price')) segments.push(['UIT', 'EA', v(l, 'unit_price')]);
      for (const serial of v(l, 'serial_numbers')
        .split(';')
        .map((x) => x.trim())
        .filter(Boolean)) {
        segments.push(['REF', 'SE', serial]);
      }
    }
    segments.push(['CTT', String(lines.length)]);
    out.push({ accountId: account, reference, segments });
  }
  return out;
}
