/**
 * The 844 implementation guide (docs/edi.md, "844"): a partner's claim, one transaction set per claim, read
 * into the rows of claims.csv (so it loads exactly as the same claim in claims.csv would) and written from
 * them (`clearhouse edi sample --set 844`).
 *
 *   BAA*00*DR*{submitted_date}*DM*{claim_id}
 *   CUR*BY*{currency}
 *   REF*AH*{program_id}
 *   N1*DS*{name}*91*{account_id}
 *   CON*CT*{deal_id}               (a CON loop per deal; lines without a deal in CON*AH*{program_id})
 *     PAD*{line_no}
 *     LIN**VP*{sku}
 *     UIT*EA*{claimed_unit_amount}
 *     QTY*39*{qty}*EA
 *     AMT*1*{claimed_amount}
 *     DTM*011*{sale_date}
 *     DTM*007****RD8*{period_start}-{period_end}
 *     REF*LI*{sell_out_ref}
 *     REF*SE*{serial}              (one per serial number)
 *     N1*EN**91*{end_customer_id}
 *   CTT*{number of PAD loops}
 */
import {
  element,
  isoDate,
  type SegmentOut,
  type X12Segment,
  type X12TransactionSet,
  x12Date,
} from '../../x12/index.ts';
import { linSku } from './common.ts';
import { type GuideRow, type ReadSet, type SetProblem, setStart, type Where, whereOf } from './types.ts';

/** Where each header column is read, for messages when it is missing. */
const headerHome: Record<string, [string, string]> = {
  claim_id: ['BAA', 'BAA05'],
  submitted_date: ['BAA', 'BAA03'],
  currency: ['CUR', 'CUR02'],
  program_id: ['REF', 'REF02'],
  account_id: ['N1', 'N104'],
};

export function read844(set: X12TransactionSet): ReadSet {
  const problems: SetProblem[] = [];
  const header: Record<string, string> = {};
  const headerWhere: Record<string, Where> = {};
  const rows: GuideRow[] = [];
  let deal: { value: string; where: Where } | null = null;
  let line: GuideRow | null = null;
  const serials: string[] = [];
  const endLine = () => {
    if (line && serials.length > 0) line.values.serial_numbers = serials.join(';');
    serials.length = 0;
  };
  const put = (s: X12Segment, n: number, column: string, value: string, target: 'header' | 'line') => {
    if (target === 'header') {
      header[column] = value;
      headerWhere[column] = whereOf(set, s, n);
    } else if (line) {
      line.values[column] = value;
      line.where[column] = whereOf(set, s, n);
    } else {
      problems.push({
        ...whereOf(set, s, null),
        value: null,
        reason: `${s.id} before the first PAD loop (a claim line starts with PAD)`,
      });
    }
  };
  for (const s of set.segments) {
    switch (s.id) {
      case 'BAA':
        if (element(s, 5)) put(s, 5, 'claim_id', element(s, 5), 'header');
        if (element(s, 4) && element(s, 4) !== 'DM') {
          problems.push({
            ...whereOf(set, s, 4),
            value: element(s, 4),
            reason: 'BAA04 must be DM (debit memo): BAA05 is then the claim id',
          });
        }
        if (element(s, 3)) put(s, 3, 'submitted_date', isoDate(element(s, 3)), 'header');
        break;
      case 'CUR':
        if (element(s, 2)) put(s, 2, 'currency', element(s, 2), 'header');
        break;
      case 'CON':
        endLine();
        line = null;
        deal =
          element(s, 1) === 'CT' && element(s, 2)
            ? { value: element(s, 2), where: whereOf(set, s, 2) }
            : null;
        break;
      case 'PAD': {
        endLine();
        line = { values: {}, where: {}, fallback: whereOf(set, s, null) };
        rows.push(line);
        put(s, 1, 'line_no', element(s, 1), 'line');
        if (deal) {
          line.values.deal_id = deal.value;
          line.where.deal_id = deal.where;
        }
        break;
      }
      case 'LIN': {
        const sku = linSku(s);
        if (sku) put(s, sku[1], 'sku', sku[0], 'line');
        break;
      }
      case 'UIT':
        if (element(s, 2)) put(s, 2, 'claimed_unit_amount', element(s, 2), 'line');
        break;
      case 'QTY':
        if (element(s, 2)) put(s, 2, 'qty', element(s, 2), 'line');
        break;
      case 'AMT':
        if (line && element(s, 1) === '1' && element(s, 2))
          put(s, 2, 'claimed_amount', element(s, 2), 'line');
        break;
      case 'DTM':
        if (!line) break;
        if (element(s, 1) === '011' && element(s, 2)) put(s, 2, 'sale_date', isoDate(element(s, 2)), 'line');
        else if (element(s, 5) === 'RD8' && element(s, 6)) {
          const [from, to] = element(s, 6).split('-');
          put(s, 6, 'period_start', isoDate(from ?? ''), 'line');
          put(s, 6, 'period_end', isoDate(to ?? ''), 'line');
        }
        break;
      case 'REF':
        if (!line) {
          if (element(s, 1) === 'AH' && element(s, 2)) put(s, 2, 'program_id', element(s, 2), 'header');
        } else if (element(s, 1) === 'LI' && element(s, 2)) put(s, 2, 'sell_out_ref', element(s, 2), 'line');
        else if (element(s, 1) === 'SE' && element(s, 2)) {
          serials.push(element(s, 2));
          line.where.serial_numbers ??= whereOf(set, s, 2);
        }
        break;
      case 'N1':
        if (!line) {
          if (element(s, 1) === 'DS' && element(s, 4)) put(s, 4, 'account_id', element(s, 4), 'header');
        } else if (element(s, 1) === 'EN' && element(s, 4))
          put(s, 4, 'end_customer_id', element(s, 4), 'line');
        break;
    }
  }
  endLine();
  const start = setStart(set);
  const baa = set.segments.find((s) => s.id === 'BAA');
  if (!baa)
    problems.push({
      ...start,
      segment: 'BAA',
      element: null,
      value: null,
      reason: 'the 844 has no BAA segment (the claim)',
    });
  else if (!header.claim_id)
    problems.push({
      ...whereOf(set, baa, 5),
      value: null,
      reason: 'BAA05 (the claim id, with BAA04 DM) is missing',
    });
  if (rows.length === 0)
    problems.push({
      ...start,
      segment: 'PAD',
      element: null,
      value: null,
      reason: 'the 844 has no PAD loop (no claim line)',
    });
  for (const row of rows) {
    for (const [column, value] of Object.entries(header)) {
      row.values[column] = value;
      row.where[column] = headerWhere[column]!;
    }
    for (const [column, [segment, el]] of Object.entries(headerHome)) {
      if (!(column in row.where)) row.where[column] = { ...start, segment, element: el };
    }
  }
  return { reference: header.claim_id ?? null, rows, problems };
}

/** The 844 sets a partner would send for the rows of a claims.csv (one set per claim, in file order). */
export function write844(
  rows: readonly Record<string, string>[],
): { accountId: string; claimId: string; segments: SegmentOut[] }[] {
  const claims = new Map<string, Record<string, string>[]>();
  for (const r of rows) {
    const key = `${r.account_id}\u0000${r.claim_id}`;
    claims.set(key, [...(claims.get(key) ?? []), r]);
  }
  const out: { accountId: string; claimId: string; segments: SegmentOut[] }[] = [];
  for (const lines of claims.values()) {
    const h = lines[0]!;
    const v = (r: Record<string, string>, c: string) => (r[c] ?? '').trim();
    const segments: SegmentOut[] = [
      ['BAA', '00', 'DR', x12Date(v(h, 'submitted_date')), 'DM', v(h, 'claim_id')],
      ...(v(h, 'currency') ? [['CUR', 'BY', v(h, 'currency')] as SegmentOut] : []),
      ...(v(h, 'program_id') ? [['REF', 'AH', v(h, 'program_id')] as SegmentOut] : []),
      ['N1', 'DS', null, '91', v(h, 'account_id')],
    ];
    // One CON loop per deal, in the order deals first appear; lines without a deal under the program.
    const byDeal = new Map<string, Record<string, string>[]>();
    for (const l of lines) byDeal.set(v(l, 'deal_id'), [...(byDeal.get(v(l, 'deal_id')) ?? []), l]);
    for (const [deal, dealLines] of byDeal) {
      segments.push(deal ? ['CON', 'CT', deal] : ['CON', 'AH', v(h, 'program_id')]);
      for (const l of dealLines) {
        segments.push(['PAD', v(l, 'line_no')]);
        if (v(l, 'sku')) segments.push(['LIN', null, 'VP', v(l, 'sku')]);
        if (v(l, 'claimed_unit_amount')) segments.push(['UIT', 'EA', v(l, 'claimed_unit_amount')]);
        if (v(l, 'qty')) segments.push(['QTY', '39', v(l, 'qty'), 'EA']);
        if (v(l, 'claimed_amount')) segments.push(['AMT', '1', v(l, 'claimed_amount')]);
        if (v(l, 'sale_date')) segments.push(['DTM', '011', x12Date(v(l, 'sale_date'))]);
        if (v(l, 'period_start') || v(l, 'period_end')) {
          segments.push([
            'DTM',
            '007',
            null,
            null,
            null,
            'RD8',
            `${x12Date(v(l, 'period_start'))}-${x12Date(v(l, 'period_end'))}`,
          ]);
        }
        if (v(l, 'sell_out_ref')) segments.push(['REF', 'LI', v(l, 'sell_out_ref')]);
        for (const serial of v(l, 'serial_numbers')
          .split(';')
          .map((x) => x.trim())
          .filter(Boolean)) {
          segments.push(['REF', 'SE', serial]);
        }
        if (v(l, 'end_customer_id')) segments.push(['N1', 'EN', null, '91', v(l, 'end_customer_id')]);
      }
    }
    segments.push(['CTT', String(lines.length)]);
    out.push({ accountId: v(h, 'account_id'), claimId: v(h, 'claim_id'), segments });
  }
  return out;
}
