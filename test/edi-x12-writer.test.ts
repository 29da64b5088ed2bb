import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { read844, sampleInterchanges } from '../src/modules/edi/index.ts';
import { parseInterchange, splitInterchanges, writeInterchange, X12Error } from '../src/modules/x12/index.ts';

/** The X12 writer and what the reader makes of it: envelopes, delimiters, several interchanges in a file. */
const header = [
  'claim_id',
  'account_id',
  'program_id',
  'submitted_date',
  'currency',
  'line_no',
  'sku',
  'qty',
  'claimed_unit_amount',
  'claimed_amount',
  'sale_date',
  'end_customer_id',
  'deal_id',
  'sell_out_ref',
  'serial_numbers',
  'period_start',
  'period_end',
];
const line = (over: Record<string, string>) => ({
  claim_id: 'C-1',
  account_id: 'P-1',
  program_id: 'SB',
  submitted_date: '2026-03-01',
  currency: 'EUR',
  line_no: '1',
  sku: 'X-100',
  qty: '4',
  claimed_unit_amount: '12.5',
  claimed_amount: '50.00',
  sale_date: '2026-02-20',
  end_customer_id: 'EC-1',
  deal_id: 'D-1',
  sell_out_ref: 'SO-1',
  serial_numbers: 'S1;S2',
  period_start: '',
  period_end: '',
  ...over,
});

describe('X12 writer', () => {
  test('the ISA is fixed width; envelopes count their segments and sets', () => {
    const text = writeInterchange({
      senderQualifier: 'ZZ',
      senderId: 'ME',
      receiverQualifier: '01',
      receiverId: '123456789',
      control: '42',
      groups: [
        {
          functionalId: 'CF',
          senderId: 'ME',
          receiverId: '123456789',
          control: '42',
          sets: [
            { code: '849', segments: [['BAA', '00', 'DR', '20260101', 'DM', 'C-1']] },
            {
              code: '849',
              segments: [
                ['BAA', '00', 'DR', '20260101', 'DM', 'C-2'],
                ['CTT', '0'],
              ],
            },
          ],
        },
      ],
    });
    assert.equal(text.split('\n')[0]!.length, 106);
    const x = parseInterchange(text);
    assert.equal(x.control, '000000042');
    assert.deepEqual(
      x.sets.map((s) => [s.code, s.control, s.segments.length]),
      [
        ['849', '0001', 1],
        ['849', '0002', 2],
      ],
    );
    assert.equal(x.groups[0]!.functionalId, 'CF');
  });

  test('an 844 sample reads back to the very rows it was made from, lines of one claim in any deal order', () => {
    const rows = [
      line({}),
      line({ line_no: '2', deal_id: '', sku: 'X-200', serial_numbers: '' }),
      line({ line_no: '3', deal_id: 'D-1', end_customer_id: '' }),
      line({
        claim_id: 'C-2',
        line_no: '1',
        sku: '',
        qty: '',
        claimed_unit_amount: '',
        sale_date: '',
        deal_id: '',
        end_customer_id: '',
        sell_out_ref: '',
        serial_numbers: '',
        period_start: '2026-01-01',
        period_end: '2026-03-31',
      }),
    ];
    const x = parseInterchange(sampleInterchanges('844', header, rows));
    const back = x.sets.flatMap((s) => read844(s).rows.map((r) => r.values));
    const strip = (r: Record<string, string>) =>
      Object.fromEntries(Object.entries(r).filter(([, v]) => v !== ''));
    const sort = (a: Record<string, string>[]) =>
      a.map(strip).sort((p, q) => `${p.claim_id}/${p.line_no}`.localeCompare(`${q.claim_id}/${q.line_no}`));
    assert.deepEqual(sort(back), sort(rows));
  });

  test('values holding the usual delimiters get other delimiters; a long account id a shortened sender', () => {
    const rows = [line({ claim_id: 'C*1~2', program_id: 'P>1', account_id: 'A-PARTNER-WITH-A-LONG-ID' })];
    const text = sampleInterchanges('844', header, rows);
    const x = parseInterchange(text);
    assert.notEqual(x.delimiters.element, '*');
    assert.ok(x.sender.length <= 15);
    const r = read844(x.sets[0]!).rows[0]!.values;
    assert.deepEqual([r.claim_id, r.program_id, r.account_id], ['C*1~2', 'P>1', 'A-PARTNER-WITH-A-LONG-ID']);
  });

  test('several interchanges in one file, each with its own delimiters', () => {
    const a = sampleInterchanges('844', header, [line({})]);
    const b = sampleInterchanges('844', header, [line({ account_id: 'P-2', claim_id: 'C|9~' })]);
    const parts = splitInterchanges(`\uFEFF${a}\r\n\r\n${b}`);
    assert.equal(parts.length, 2);
    assert.deepEqual(
      parts.map((p) => parseInterchange(p).sender),
      ['P-1', 'P-2'],
    );
    assert.throws(
      () => parseInterchange(`${a}${a}`),
      (e: unknown) => e instanceof X12Error && /after the IEA/.test(e.reason),
    );
  });
});
