import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../src/db/test-database.ts';
import { claimResults } from '../src/modules/claims/exports.ts';
import { validateClaims } from '../src/modules/claims/index.ts';
import { runImport } from '../src/modules/imports/index.ts';
import '../src/modules/index.ts';

/**
 * RULES.md, rule by rule: each scenario loads the same contract and channel data into a fresh database,
 * submits its claims, validates, and compares every line's status, approved quantity and amount and rule
 * codes with figures worked out by hand.
 */

const base: Record<string, string> = {
  'accounts.csv': `account_id,name,country,currency
P-1,Partner one,DE,EUR
P-2,Partner two,DE,EUR
P-3,Partner three,AT,EUR`,
  'products.csv': `sku,name,category,list_price,currency
X-100,Mono laser,laser-mono,199.00,EUR
X-200,Colour laser,laser-colour,299.00,EUR`,
  'end_customers.csv': `end_customer_id,name,country
EC-1,Hospital,DE
EC-2,Bank,FR`,
  'price_changes.csv': `sku,country,effective_date,old_price,new_price,currency
X-100,DE,2026-05-01,199.00,179.00,EUR
X-200,DE,2026-05-01,299.00,319.00,EUR`,
  'programs.json': JSON.stringify([
    {
      program_id: 'SB',
      name: 'Special bids',
      type: 'special_bid',
      currency: 'EUR',
      country: 'DE',
      partners: ['P-1', 'P-2'],
      start_date: '2026-01-01',
      end_date: '2026-12-31',
      claim_window_days: 90,
      end_customer_countries: ['DE', 'AT'],
    },
    {
      program_id: 'SO',
      name: 'Sell-out',
      type: 'sell_out',
      currency: 'EUR',
      country: 'DE',
      start_date: '2026-01-01',
      end_date: '2026-12-31',
      claim_window_days: 60,
      eligible_categories: ['laser-mono'],
      per_unit_amount: '10.00',
    },
    {
      program_id: 'SOP',
      name: 'Sell-out percent',
      type: 'sell_out',
      currency: 'EUR',
      country: 'DE',
      start_date: '2026-01-01',
      end_date: '2026-12-31',
      percent_of_sell_out: '0.05',
    },
    {
      program_id: 'SOB',
      name: 'Sell-out with a budget',
      type: 'sell_out',
      currency: 'EUR',
      country: 'DE',
      start_date: '2026-01-01',
      end_date: '2026-12-31',
      per_unit_amount: '10.00',
      budget: '25.00',
    },
    {
      program_id: 'DOC',
      name: 'Sell-out with proof',
      type: 'sell_out',
      currency: 'EUR',
      country: 'DE',
      start_date: '2026-01-01',
      end_date: '2026-12-31',
      per_unit_amount: '10.00',
      required_documents: ['proof_of_sale'],
    },
    {
      program_id: 'VT',
      name: 'Volume retroactive',
      type: 'volume_tier',
      currency: 'EUR',
      country: 'DE',
      start_date: '2026-01-01',
      end_date: '2026-12-31',
      basis: 'revenue',
      retroactive: true,
      tiers: [
        { from: '0', rate: '0.01' },
        { from: '2000', rate: '0.02' },
      ],
    },
    {
      program_id: 'VTI',
      name: 'Volume incremental',
      type: 'volume_tier',
      currency: 'EUR',
      country: 'DE',
      start_date: '2026-01-01',
      end_date: '2026-12-31',
      basis: 'revenue',
      retroactive: false,
      tiers: [
        { from: '0', rate: '0.01' },
        { from: '2000', rate: '0.02' },
      ],
    },
    {
      program_id: 'GR',
      name: 'Growth',
      type: 'growth',
      currency: 'EUR',
      country: 'DE',
      start_date: '2026-01-01',
      end_date: '2026-12-31',
      basis: 'units',
      baseline: { start_date: '2025-01-01', end_date: '2025-03-31' },
      tiers: [
        // on a units basis a rate is an amount per unit (it may exceed 1)
        { from: '0', rate: '0.50' },
        { from: '0.50', rate: '1.75' },
      ],
    },
    {
      program_id: 'MDF',
      name: 'Marketing fund',
      type: 'mdf',
      currency: 'EUR',
      country: 'DE',
      start_date: '2026-01-01',
      end_date: '2026-12-31',
      accrual_rate: '0.02',
    },
    {
      program_id: 'PP',
      name: 'Price protection',
      type: 'price_protection',
      currency: 'EUR',
      country: 'DE',
      start_date: '2026-01-01',
      end_date: '2026-12-31',
      protection_window_days: 30,
    },
  ]),
  'deals.csv': `deal_id,program_id,account_id,end_customer_id,sku,authorized_unit_amount,currency,max_qty,start_date,end_date
D-1,SB,P-1,EC-1,X-100,20.00,EUR,10,2026-01-01,2026-06-30
D-2,SB,P-2,EC-1,X-100,20.00,EUR,10,2026-01-01,2026-06-30`,
  // P-1 buys 20 X-100 on 10 Jan and 10 on 1 Mar (and 5 on 10 Apr, inside PP's window before the 1 May drop);
  // 2025 baseline for growth: 10 units of X-200.
  'sell_in.csv': `invoice_id,line_no,account_id,invoice_date,sku,qty,unit_price,currency
I-1,1,P-1,2026-01-10,X-100,20,100.00,EUR
I-2,1,P-1,2026-03-01,X-100,10,100.00,EUR
I-3,1,P-1,2026-04-10,X-100,5,100.00,EUR
I-4,1,P-2,2026-01-10,X-100,3,100.00,EUR
I-0,1,P-1,2025-02-01,X-200,10,100.00,EUR`,
  'sell_out.csv': `account_id,sell_out_ref,sale_date,sku,qty,unit_price,currency,end_customer_id,serial_numbers
P-1,S1,2026-02-01,X-100,5,150.00,EUR,EC-1,A1;A2;A3;A4;A5
P-1,S2,2026-02-01,X-100,3,150.00,EUR,EC-1,
P-1,S3,2026-02-15,X-100,8,150.00,EUR,EC-2,
P-1,S4,2026-02-20,X-200,2,250.00,EUR,EC-1,
P-1,S5,2026-01-05,X-100,2,150.00,EUR,EC-1,
P-2,S1,2026-02-01,X-100,10,150.00,EUR,EC-1,
P-1,S6,2026-03-05,X-100,40,150.00,EUR,EC-1,
P-1,S7,2026-07-01,X-100,1,150.00,EUR,EC-1,`,
  'inventory.csv': `account_id,sku,as_of_date,on_hand_qty,kind
P-1,X-100,2026-05-01,12,snapshot`,
};

const header =
  'claim_id,account_id,program_id,submitted_date,currency,line_no,sku,qty,claimed_unit_amount,claimed_amount,sale_date,end_customer_id,deal_id,sell_out_ref,serial_numbers,period_start,period_end';

interface Expect {
  status: string;
  qty?: string | null;
  amount: string;
  codes: string;
}

async function run(claims: string[], extra: Record<string, string> = {}): Promise<Map<string, Expect>> {
  const tdb: TestDatabase = await createTestDatabase();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ch-rules-'));
  try {
    const files: Record<string, string> = { ...base, ...extra, 'claims.csv': [header, ...claims].join('\n') };
    for (const name of Object.keys(files)) {
      fs.writeFileSync(path.join(dir, name), files[name]!);
    }
    const order = [
      'accounts.csv',
      'products.csv',
      'end_customers.csv',
      'price_changes.csv',
      'programs.json',
      'deals.csv',
      'sell_in.csv',
      'sell_out.csv',
      'inventory.csv',
      'claim_documents.csv',
      'claims.csv',
    ];
    const loadOrder = [
      ...order.filter((n) => n !== 'claim_documents.csv'),
      ...(files['claim_documents.csv'] ? ['claim_documents.csv'] : []),
    ];
    for (const name of loadOrder) {
      if (!(name in files)) continue;
      const r = await runImport(tdb.db, {
        path: path.join(dir, name),
        source: 'cli',
        activatePrograms: true,
      });
      assert.equal(r.status, 'loaded', `${name}: ${JSON.stringify(r.errors)}`);
    }
    await validateClaims(tdb.db);
    const results = await claimResults(tdb.db);
    return new Map(
      results.map((r) => [
        `${r.claim_id}/${r.line_no}`,
        { status: r.status!, qty: r.approved_qty, amount: r.approved_amount!, codes: r.rule_codes! },
      ]),
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    await tdb.drop();
  }
}

function check(results: Map<string, Expect>, key: string, e: Expect) {
  const got = results.get(key);
  assert.ok(got, `no result for ${key}`);
  const want = {
    status: e.status,
    amount: e.amount,
    codes: e.codes,
    ...(e.qty !== undefined ? { qty: e.qty } : {}),
  };
  const actual = {
    status: got.status,
    amount: got.amount,
    codes: got.codes,
    ...(e.qty !== undefined ? { qty: got.qty } : {}),
  };
  assert.deepEqual(actual, want, key);
}

let dir: string;
before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ch-rules-root-'));
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('RULES.md, rule by rule', { concurrency: 4 }, () => {
  test('a clean special-bid line is approved as claimed', async () => {
    const r = await run(['C1,P-1,SB,2026-03-01,EUR,1,X-100,5,20.00,100.00,2026-02-01,EC-1,D-1,S1,,,']);
    check(r, 'C1/1', { status: 'approved', qty: '5', amount: '100.00', codes: '' });
  });

  test('header rules: PROGRAM_UNKNOWN (and no line rule), PARTNER_NOT_ENROLLED, CURRENCY_MISMATCH', async () => {
    const r = await run([
      'C1,P-1,NOPE,2026-03-01,EUR,1,X-999,5,20.00,999.00,2026-02-01,EC-1,D-9,S9,,,',
      'C2,P-3,SB,2026-03-01,EUR,1,X-100,1,20.00,20.00,2026-02-01,EC-1,D-1,S1,,,',
      'C3,P-1,SO,2026-03-01,USD,1,X-100,1,10.00,10.00,2026-02-15,EC-2,,S3,,,',
    ]);
    check(r, 'C1/1', { status: 'rejected', qty: '0', amount: '0.00', codes: 'PROGRAM_UNKNOWN' });
    check(r, 'C2/1', {
      status: 'rejected',
      amount: '0.00',
      codes: 'DEAL_UNKNOWN;NO_SELL_IN;NO_SELL_OUT_MATCH;PARTNER_NOT_ENROLLED',
    });
    check(r, 'C3/1', { status: 'rejected', amount: '0.00', codes: 'CURRENCY_MISMATCH' });
  });

  test('MISSING_DOCUMENT waits for review until the document is attached', async () => {
    const claims = ['C1,P-1,DOC,2026-03-01,EUR,1,X-100,2,10.00,20.00,2026-02-15,EC-2,,S3,,,'];
    let r = await run(claims);
    check(r, 'C1/1', { status: 'review', qty: '2', amount: '20.00', codes: 'MISSING_DOCUMENT' });
    r = await run(claims, {
      'claim_documents.csv': 'claim_id,document_type,file_name\nC1,proof_of_sale,invoice.pdf',
    });
    check(r, 'C1/1', { status: 'approved', qty: '2', amount: '20.00', codes: '' });
  });

  test('ARITHMETIC_ERROR is reported; the amount is the smaller of claimed and qty × unit', async () => {
    const r = await run([
      'C1,P-1,SO,2026-03-01,EUR,1,X-100,2,10.00,25.00,2026-02-15,EC-2,,S3,,,',
      'C2,P-1,SO,2026-03-01,EUR,1,X-100,2,10.00,20.004,2026-02-15,EC-2,,S3,,,'.replace('20.004', '20.00'),
    ]);
    check(r, 'C1/1', { status: 'adjusted', qty: '2', amount: '20.00', codes: 'ARITHMETIC_ERROR' });
    check(r, 'C2/1', { status: 'approved', qty: '2', amount: '20.00', codes: '' });
  });

  test('SALE_OUTSIDE_PERIOD (program and deal validity) and LATE_SUBMISSION', async () => {
    const r = await run([
      'C1,P-1,SO,2026-03-01,EUR,1,X-100,1,10.00,10.00,2025-12-20,EC-2,,S3,,,',
      'C2,P-1,SO,2026-04-20,EUR,1,X-100,1,10.00,10.00,2026-02-15,EC-2,,S3,,,',
      'C3,P-1,SO,2026-04-16,EUR,1,X-100,1,10.00,10.00,2026-02-15,EC-2,,S3,,,',
      'C4,P-1,SB,2026-07-05,EUR,1,X-100,1,20.00,20.00,2026-07-01,EC-1,D-1,S7,,,',
    ]);
    // Sold before the program began, and more than 60 days before submission.
    check(r, 'C1/1', {
      status: 'rejected',
      amount: '0.00',
      codes: 'LATE_SUBMISSION;NO_SELL_IN;SALE_OUTSIDE_PERIOD',
    });
    // Inside the program but after deal D-1 ended (30 Jun).
    check(r, 'C4/1', { status: 'rejected', amount: '0.00', codes: 'SALE_OUTSIDE_PERIOD' });
    // 60 days after 15 Feb is 16 Apr: due that day, late the day after.
    check(r, 'C3/1', { status: 'approved', amount: '10.00', codes: '' });
    check(r, 'C2/1', { status: 'rejected', amount: '0.00', codes: 'LATE_SUBMISSION' });
  });

  test('PRODUCT_NOT_ELIGIBLE, DEAL_UNKNOWN, END_CUSTOMER_MISMATCH', async () => {
    const r = await run([
      'C1,P-1,SO,2026-03-01,EUR,1,X-200,2,10.00,20.00,2026-02-20,EC-1,,S4,,,',
      'C2,P-1,SB,2026-03-01,EUR,1,X-100,1,20.00,20.00,2026-02-01,EC-1,D-2,S2,,,',
      'C3,P-1,SB,2026-03-01,EUR,1,X-100,1,20.00,20.00,2026-02-15,EC-2,D-1,S3,,,',
    ]);
    check(r, 'C1/1', { status: 'rejected', amount: '0.00', codes: 'PRODUCT_NOT_ELIGIBLE' });
    check(r, 'C2/1', { status: 'rejected', amount: '0.00', codes: 'DEAL_UNKNOWN' });
    check(r, 'C3/1', { status: 'rejected', amount: '0.00', codes: 'END_CUSTOMER_MISMATCH' });
  });

  test('UNIT_AMOUNT_EXCEEDS_AUTHORIZED: deal amount, per-unit amount, percent of the sell-out price', async () => {
    const r = await run([
      'C1,P-1,SB,2026-03-01,EUR,1,X-100,2,25.00,50.00,2026-02-01,EC-1,D-1,S2,,,',
      'C2,P-1,SO,2026-03-01,EUR,1,X-100,2,12.00,24.00,2026-02-15,EC-2,,S3,,,',
      'C3,P-1,SOP,2026-03-01,EUR,1,X-100,2,8.00,16.00,2026-02-01,EC-1,,S1,,,',
    ]);
    check(r, 'C1/1', {
      status: 'adjusted',
      qty: '2',
      amount: '40.00',
      codes: 'UNIT_AMOUNT_EXCEEDS_AUTHORIZED',
    });
    check(r, 'C2/1', {
      status: 'adjusted',
      qty: '2',
      amount: '20.00',
      codes: 'UNIT_AMOUNT_EXCEEDS_AUTHORIZED',
    });
    // 5 % of 150.00 = 7.50 per unit.
    check(r, 'C3/1', {
      status: 'adjusted',
      qty: '2',
      amount: '15.00',
      codes: 'UNIT_AMOUNT_EXCEEDS_AUTHORIZED',
    });
  });

  test('NO_SELL_OUT_MATCH, matching without a reference, SELL_OUT_QTY_SHORT and DUPLICATE_CLAIM', async () => {
    const r = await run([
      // No sell-out of X-100 on 3 Feb.
      'C1,P-1,SO,2026-03-01,EUR,1,X-100,1,10.00,10.00,2026-02-03,EC-1,,,,,',
      // Without a reference: S1 first (5 units), then S2 (3 units) once S1 is used up.
      'C2,P-1,SO,2026-03-02,EUR,1,X-100,5,10.00,50.00,2026-02-01,EC-1,,,,,',
      'C3,P-1,SO,2026-03-03,EUR,1,X-100,4,10.00,40.00,2026-02-01,EC-1,,,,,',
      'C4,P-1,SO,2026-03-04,EUR,1,X-100,1,10.00,10.00,2026-02-01,EC-1,,S1,,,',
    ]);
    check(r, 'C1/1', { status: 'rejected', amount: '0.00', codes: 'NO_SELL_OUT_MATCH' });
    check(r, 'C2/1', { status: 'approved', qty: '5', amount: '50.00', codes: '' });
    check(r, 'C3/1', { status: 'adjusted', qty: '3', amount: '30.00', codes: 'SELL_OUT_QTY_SHORT' });
    check(r, 'C4/1', { status: 'rejected', qty: '0', amount: '0.00', codes: 'DUPLICATE_CLAIM' });
  });

  test('DUPLICATE_CLAIM by serial number, across programs', async () => {
    const r = await run([
      'C1,P-1,SB,2026-03-01,EUR,1,X-100,2,20.00,40.00,2026-02-01,EC-1,D-1,S1,A1;A2,,',
      'C2,P-1,SO,2026-03-02,EUR,1,X-100,1,10.00,10.00,2026-02-01,EC-1,,S1,A2,,',
    ]);
    check(r, 'C1/1', { status: 'approved', qty: '2', amount: '40.00', codes: '' });
    check(r, 'C2/1', { status: 'rejected', amount: '0.00', codes: 'DUPLICATE_CLAIM' });
  });

  test('DEAL_QTY_EXCEEDED adjusts, and rejects when nothing is left', async () => {
    const r = await run([
      'C1,P-1,SB,2026-03-10,EUR,1,X-100,8,20.00,160.00,2026-03-05,EC-1,D-1,S6,,,',
      'C2,P-1,SB,2026-03-11,EUR,1,X-100,5,20.00,100.00,2026-03-05,EC-1,D-1,S6,,,',
      'C3,P-1,SB,2026-03-12,EUR,1,X-100,1,20.00,20.00,2026-03-05,EC-1,D-1,S6,,,',
    ]);
    check(r, 'C1/1', { status: 'approved', qty: '8', amount: '160.00', codes: '' });
    check(r, 'C2/1', { status: 'adjusted', qty: '2', amount: '40.00', codes: 'DEAL_QTY_EXCEEDED' });
    check(r, 'C3/1', { status: 'rejected', qty: '0', amount: '0.00', codes: 'DEAL_QTY_EXCEEDED' });
  });

  test('NO_SELL_IN and INSUFFICIENT_INVENTORY (credited never exceeds bought on any later date)', async () => {
    const r = await run([
      // P-1 sold 2 on 5 Jan but bought its first units on 10 Jan.
      'C1,P-1,SO,2026-02-01,EUR,1,X-100,2,10.00,20.00,2026-01-05,EC-1,,S5,,,',
      // 40 sold on 5 Mar; bought by then: 30. The earlier 20 credited on 1 Feb leaves room for 10.
      'C2,P-1,SO,2026-03-06,EUR,1,X-100,5,10.00,50.00,2026-02-01,EC-1,,S1,,,',
      'C3,P-1,SO,2026-03-06,EUR,2,X-100,3,10.00,30.00,2026-02-01,EC-1,,S2,,,',
      'C4,P-1,SO,2026-03-07,EUR,1,X-100,40,10.00,400.00,2026-03-05,EC-1,,S6,,,',
    ]);
    check(r, 'C1/1', { status: 'rejected', amount: '0.00', codes: 'NO_SELL_IN' });
    check(r, 'C2/1', { status: 'approved', qty: '5', amount: '50.00', codes: '' });
    // 30 bought by 5 Mar, 8 credited: room for 22.
    check(r, 'C4/1', { status: 'adjusted', qty: '22', amount: '220.00', codes: 'INSUFFICIENT_INVENTORY' });
  });

  test('an earlier sale cannot take units a later credit already relies on', async () => {
    const r = await run([
      // First claim (submitted first) credits 25 units sold 5 Mar (bought by then: 30).
      'C1,P-1,SO,2026-03-06,EUR,1,X-100,25,10.00,250.00,2026-03-05,EC-1,,S6,,,',
      // Then 8 units sold 1 Feb (bought by then 20): credited(≤ 5 Mar) would be 33 > 30, so only 5 fit.
      'C2,P-1,SO,2026-03-07,EUR,1,X-100,5,10.00,50.00,2026-02-01,EC-1,,S1,,,',
      'C2,P-1,SO,2026-03-07,EUR,2,X-100,3,10.00,30.00,2026-02-01,EC-1,,S2,,,',
    ]);
    check(r, 'C1/1', { status: 'approved', qty: '25', amount: '250.00', codes: '' });
    check(r, 'C2/1', { status: 'approved', qty: '5', amount: '50.00', codes: '' });
    check(r, 'C2/2', { status: 'rejected', qty: '0', amount: '0.00', codes: 'INSUFFICIENT_INVENTORY' });
  });

  test('price protection: PRICE_DROP_NOT_FOUND and EXCEEDS_PROTECTED_QTY', async () => {
    const r = await run([
      // Drop of 20.00 on 1 May; on hand 12, bought in the 30 days before: 5 → 5 protected.
      'C1,P-1,PP,2026-05-10,EUR,1,X-100,8,20.00,160.00,2026-05-01,,,,,,',
      'C2,P-1,PP,2026-05-11,EUR,1,X-100,1,20.00,20.00,2026-05-01,,,,,,',
      // X-200's price went up, and nothing changed on 2 May.
      'C3,P-1,PP,2026-05-10,EUR,1,X-200,1,20.00,20.00,2026-05-01,,,,,,',
      'C4,P-1,PP,2026-05-10,EUR,1,X-100,1,20.00,20.00,2026-05-02,,,,,,',
    ]);
    check(r, 'C1/1', { status: 'adjusted', qty: '5', amount: '100.00', codes: 'EXCEEDS_PROTECTED_QTY' });
    check(r, 'C2/1', { status: 'rejected', qty: '0', amount: '0.00', codes: 'EXCEEDS_PROTECTED_QTY' });
    check(r, 'C3/1', { status: 'rejected', amount: '0.00', codes: 'PRICE_DROP_NOT_FOUND' });
    check(r, 'C4/1', { status: 'rejected', amount: '0.00', codes: 'PRICE_DROP_NOT_FOUND' });
  });

  test('BUDGET_EXCEEDED adjusts the amount to what is left', async () => {
    const r = await run([
      'C1,P-1,SOB,2026-03-01,EUR,1,X-100,2,10.00,20.00,2026-02-01,EC-1,,S1,,,',
      'C2,P-1,SOB,2026-03-02,EUR,1,X-100,2,10.00,20.00,2026-02-01,EC-1,,S1,,,',
      'C3,P-1,SOB,2026-03-03,EUR,1,X-100,1,10.00,10.00,2026-02-01,EC-1,,S1,,,',
    ]);
    check(r, 'C1/1', { status: 'approved', amount: '20.00', codes: '' });
    check(r, 'C2/1', { status: 'adjusted', amount: '5.00', codes: 'BUDGET_EXCEEDED' });
    check(r, 'C3/1', { status: 'rejected', amount: '0.00', codes: 'BUDGET_EXCEEDED' });
  });

  test('period programs: volume tiers retroactive and incremental, growth, mdf, and true-up', async () => {
    // P-1's sell-in from 1 Jan to 31 Mar 2026: 30 units, 3,000.00.
    const r = await run([
      // Retroactive: 2 % of 3,000.00 = 60.00.
      'C1,P-1,VT,2026-04-05,EUR,1,,,,100.00,,,,,,2026-01-01,2026-03-31',
      // Incremental: 1 % of 2,000 + 2 % of 1,000 = 40.00.
      'C2,P-1,VTI,2026-04-05,EUR,1,,,,35.00,,,,,,2026-01-01,2026-03-31',
      // A second claim for the same period earns only what the first did not: 40.00 − 35.00.
      'C3,P-1,VTI,2026-04-06,EUR,1,,,,10.00,,,,,,2026-01-01,2026-03-31',
      // Growth in units: 30 against a baseline of 10 = +200 % → 1.75 a unit × 30 = 52.50.
      'C4,P-1,GR,2026-04-05,EUR,1,,,,80.00,,,,,,2026-01-01,2026-03-31',
      // MDF: 2 % of the year's eligible sell-in (3,500.00) = 70.00.
      'C5,P-1,MDF,2026-04-05,EUR,1,,,,50.00,,,,,,2026-01-01,2026-03-31',
      'C6,P-1,MDF,2026-04-06,EUR,1,,,,50.00,,,,,,2026-04-01,2026-04-30',
    ]);
    check(r, 'C1/1', { status: 'adjusted', amount: '60.00', codes: 'AMOUNT_EXCEEDS_CALCULATED' });
    check(r, 'C2/1', { status: 'approved', amount: '35.00', codes: '' });
    check(r, 'C3/1', { status: 'adjusted', amount: '5.00', codes: 'AMOUNT_EXCEEDS_CALCULATED' });
    check(r, 'C4/1', { status: 'adjusted', amount: '52.50', codes: 'AMOUNT_EXCEEDS_CALCULATED' });
    check(r, 'C5/1', { status: 'approved', amount: '50.00', codes: '' });
    check(r, 'C6/1', { status: 'adjusted', amount: '20.00', codes: 'AMOUNT_EXCEEDS_CALCULATED' });
  });

  test('the result does not depend on the order the claims were loaded in', async () => {
    const claims = [
      'C2,P-1,SO,2026-03-02,EUR,1,X-100,4,10.00,40.00,2026-02-01,EC-1,,S1,,,',
      'C1,P-1,SO,2026-03-01,EUR,1,X-100,3,10.00,30.00,2026-02-01,EC-1,,S1,,,',
      'C0,P-1,SO,2026-03-02,EUR,1,X-100,3,10.00,30.00,2026-02-01,EC-1,,S1,,,',
    ];
    const a = await run(claims);
    const b = await run([...claims].reverse());
    assert.deepEqual([...a.entries()].sort(), [...b.entries()].sort());
    // Processing order: C1 (1 Mar), then C0 before C2 (same date, by claim id).
    check(a, 'C1/1', { status: 'approved', qty: '3', amount: '30.00', codes: '' });
    check(a, 'C0/1', { status: 'adjusted', qty: '2', amount: '20.00', codes: 'SELL_OUT_QTY_SHORT' });
    check(a, 'C2/1', { status: 'rejected', qty: '0', amount: '0.00', codes: 'DUPLICATE_CLAIM' });
  });
});
