import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import type { LineInput } from '../src/modules/claims/inputs.ts';
import { Ledger } from '../src/modules/claims/ledger.ts';

/**
 * Properties of the ledger over random claim sequences: no line is approved above its claim, and no
 * sell-out line, deal, budget or inventory is consumed beyond what it holds, whatever the claims ask.
 */

const dates = ['2026-02-01', '2026-02-10', '2026-03-01', '2026-03-15', '2026-04-01'];
const sellOut = [
  { sell_out_ref: 'S1', qty: 6, sale_date: '2026-02-01' },
  { sell_out_ref: 'S2', qty: 4, sale_date: '2026-02-01' },
  { sell_out_ref: 'S3', qty: 9, sale_date: '2026-03-01' },
  { sell_out_ref: 'S4', qty: 5, sale_date: '2026-04-01' },
];
const maxQty = 15;
const budget = new Decimal('420.00');

const boughtSeries = fc.array(
  fc.record({ date: fc.constantFrom(...dates), qty: fc.integer({ min: 1, max: 12 }) }),
  {
    minLength: 1,
    maxLength: 5,
  },
);

const claimLine = fc.record({
  so: fc.integer({ min: 0, max: 3 }),
  byRef: fc.boolean(),
  qty: fc.integer({ min: 1, max: 9 }),
  unit: fc.constantFrom('20.00', '25.00', '15.00'),
  short: fc.boolean(),
});

function input(
  i: number,
  l: { so: number; byRef: boolean; qty: number; unit: string; short: boolean },
  bought: { date: string; qty: number }[],
): LineInput {
  const so = sellOut[l.so]!;
  const amount = new Decimal(l.unit)
    .times(l.qty)
    .minus(l.short ? 1 : 0)
    .toFixed(2);
  const boughtAt = bought.filter((b) => b.date <= so.sale_date).reduce((a, b) => a + b.qty, 0);
  const candidates = sellOut.filter((s) => s.sale_date === so.sale_date);
  return {
    account_id: 'P-1',
    claim_id: `C${String(i).padStart(3, '0')}`,
    line_no: 1,
    submitted_date: '2026-04-02',
    claim_currency: 'EUR',
    claim_status: 'submitted',
    program_id: 'SB',
    partner_country: 'DE',
    program_version: 1,
    program_type: 'special_bid',
    program_currency: 'EUR',
    program_start: '2026-01-01',
    program_end: '2026-12-31',
    claim_window_days: null,
    budget: budget.toFixed(2),
    terms: {},
    enrolled: true,
    documents: [],
    sku: 'X-100',
    qty: l.qty,
    claimed_unit_amount: l.unit,
    claimed_amount: amount,
    sale_date: so.sale_date,
    end_customer_id: 'EC-1',
    deal_id: 'D-1',
    sell_out_ref: l.byRef ? so.sell_out_ref : null,
    serial_numbers: null,
    period_start: null,
    period_end: null,
    product_category: null,
    deal: {
      deal_id: 'D-1',
      account_id: 'P-1',
      program_id: 'SB',
      sku: 'X-100',
      end_customer_id: 'EC-1',
      authorized_unit_amount: '20.00',
      max_qty: maxQty,
      start_date: '2026-01-01',
      end_date: '2026-12-31',
    },
    end_customer_country: 'DE',
    sell_out: (l.byRef ? [so] : candidates).map((s) => ({
      ...s,
      unit_price: '150.00',
      serial_numbers: null,
    })),
    bought_at_sale: String(boughtAt),
    drop_old_price: null,
    drop_new_price: null,
    snapshot_on_drop: null,
    sell_in_in_window: '0',
    period_units: null,
    period_revenue: null,
    baseline_units: null,
    baseline_revenue: null,
    program_period_revenue: null,
    stored_status: null,
    stored_approved_qty: null,
    stored_approved_unit_amount: null,
    stored_approved_amount: null,
    resolutions: null,
  };
}

describe('the ledger never over-consumes', () => {
  test('claims, sell-out lines, the deal, the budget and the inventory all hold', () => {
    fc.assert(
      fc.property(boughtSeries, fc.array(claimLine, { minLength: 1, maxLength: 25 }), (bought, lines) => {
        const ledger = new Ledger();
        const perSellOut = new Map<string, number>();
        let dealUsed = 0;
        let spent = new Decimal(0);
        const credits: { date: string; qty: number }[] = [];
        for (const [i, l] of lines.entries()) {
          const line = input(i, l, bought);
          const r = ledger.process(line);
          const approved = new Decimal(r.approved_amount);
          assert.ok(approved.lte(line.claimed_amount), 'never more than claimed');
          assert.ok((r.approved_qty ?? 0) <= line.qty!, 'never more units than claimed');
          if (r.status === 'rejected') {
            assert.equal(r.approved_amount, '0.00');
            continue;
          }
          assert.ok(
            approved.lte(new Decimal(r.approved_unit_amount!).times(r.approved_qty!)),
            'qty × unit bounds it',
          );
          const ref = r.matched_sell_out_ref!;
          perSellOut.set(ref, (perSellOut.get(ref) ?? 0) + r.approved_qty!);
          dealUsed += r.approved_qty!;
          spent = spent.plus(approved);
          credits.push({ date: line.sale_date!, qty: r.approved_qty! });
        }
        for (const s of sellOut)
          assert.ok((perSellOut.get(s.sell_out_ref) ?? 0) <= s.qty, `${s.sell_out_ref} over-credited`);
        assert.ok(dealUsed <= maxQty, 'deal over-consumed');
        assert.ok(spent.lte(budget), 'budget over-spent');
        for (const d of dates) {
          const credited = credits.filter((c) => c.date <= d).reduce((a, c) => a + c.qty, 0);
          const had = bought.filter((b) => b.date <= d).reduce((a, b) => a + b.qty, 0);
          if (credits.some((c) => c.date <= d))
            assert.ok(credited <= had, `credited ${credited} > bought ${had} on ${d}`);
        }
      }),
      { numRuns: 300 },
    );
  });
});
