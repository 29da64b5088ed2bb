import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Decimal } from 'decimal.js';
import type { PoolDb } from '../src/db/db.ts';
import { createTestDatabase, type TestDatabase } from '../src/db/test-database.ts';
import { accruals, accrualsCsv, accrualsXlsx, runSettlement } from '../src/modules/settlement/index.ts';
import { loadFiles } from './helpers/app.ts';
import '../src/modules/index.ts';
import { readWorkbook, sheetTable } from './helpers/xlsx.ts';

/**
 * Accruals of every program type against figures worked out by hand (see each row's comment), with
 * approved and paid claims netted per program, partner and period.
 */
const common = { currency: 'USD', country: 'US', start_date: '2026-01-01', end_date: '2026-12-31' };
const programs = [
  {
    ...common,
    program_id: 'SO-UNIT',
    name: 'Sell-out per unit',
    type: 'sell_out',
    partners: ['AC-A'],
    eligible_categories: ['laser'],
    end_customer_countries: ['US'],
    per_unit_amount: '2.00',
    payment_method: 'credit_memo',
  },
  {
    ...common,
    program_id: 'SO-PCT',
    name: 'Sell-out percent',
    type: 'sell_out',
    partners: ['AC-A', 'AC-B'],
    eligible_skus: ['X'],
    percent_of_sell_out: '0.03',
  },
  {
    ...common,
    program_id: 'SB-1',
    name: 'Special bids',
    type: 'special_bid',
    partners: ['AC-A'],
  },
  {
    ...common,
    program_id: 'PP-1',
    name: 'Price protection',
    type: 'price_protection',
    partners: ['AC-A'],
    eligible_skus: ['Z'],
    protection_window_days: 30,
  },
  {
    ...common,
    program_id: 'VT-R',
    name: 'Volume retroactive',
    type: 'volume_tier',
    partners: ['AC-A', 'AC-B'],
    eligible_skus: ['Y'],
    basis: 'revenue',
    retroactive: true,
    tiers: [
      { from: '0', rate: '0.01' },
      { from: '1000', rate: '0.02' },
      { from: '5000', rate: '0.03' },
    ],
    payment_method: 'ach',
  },
  {
    ...common,
    program_id: 'VT-I',
    name: 'Volume incremental',
    type: 'volume_tier',
    partners: ['AC-A', 'AC-B'],
    eligible_categories: ['ink'],
    basis: 'units',
    retroactive: false,
    tiers: [
      { from: '0', rate: '0.25' },
      { from: '20', rate: '0.50' },
      // on a units basis a rate is an amount per unit, and may exceed 1
      { from: '50', rate: '1.50' },
    ],
  },
  {
    ...common,
    program_id: 'GR-1',
    name: 'Growth',
    type: 'growth',
    partners: ['AC-A', 'AC-B'],
    eligible_skus: ['Y'],
    basis: 'revenue',
    baseline: { start_date: '2025-01-01', end_date: '2025-12-31' },
    tiers: [
      { from: '0', rate: '0.01' },
      { from: '0.10', rate: '0.02' },
      { from: '0.50', rate: '0.04' },
    ],
  },
  {
    ...common,
    program_id: 'MDF-1',
    name: 'Marketing funds',
    type: 'mdf',
    partners: ['AC-A'],
    eligible_categories: ['laser'],
    accrual_rate: '0.05',
  },
];

const files: [string, string][] = [
  ['accounts.csv', 'account_id,name,country,currency\nAC-A,Partner A,US,USD\nAC-B,Partner B,US,USD\n'],
  ['products.csv', 'sku,name,category\nX,Laser printer,laser\nY,Ink cartridge,ink\nZ,Laser pro,laser\n'],
  ['end_customers.csv', 'end_customer_id,name,country\nEC-US,Buyer US,US\nEC-CA,Buyer CA,CA\n'],
  [
    'price_changes.csv',
    `sku,country,effective_date,old_price,new_price,currency
Z,US,2026-03-01,200.00,180.00,USD
Z,US,2026-03-20,180.00,170.00,USD
X,US,2026-03-01,100.00,110.00,USD`,
  ],
  ['programs.json', JSON.stringify(programs)],
  [
    'deals.csv',
    `deal_id,program_id,account_id,end_customer_id,sku,authorized_unit_amount,currency,max_qty,start_date,end_date
D1,SB-1,AC-A,EC-US,X,15.00,USD,12,2026-02-15,2026-03-31`,
  ],
  [
    'sell_in.csv',
    `invoice_id,line_no,account_id,invoice_date,sku,qty,unit_price,currency
I1,1,AC-A,2026-02-10,Z,5,150.00,USD
I2,1,AC-A,2026-01-05,Z,10,160.00,USD
I3,1,AC-A,2026-03-01,Z,4,150.00,USD
I4,1,AC-A,2026-01-15,Y,10,100.00,USD
I5,1,AC-A,2026-03-20,Y,20,150.00,USD
I6,1,AC-A,2026-04-10,Y,100,100.00,USD
I7,1,AC-A,2026-03-21,Y,50,100.00,EUR
I8,1,AC-B,2026-02-01,Y,60,100.00,USD
I9,1,AC-A,2025-06-01,Y,20,100.00,USD
I10,1,AC-A,2026-01-02,X,30,90.00,USD`,
  ],
  [
    'sell_out.csv',
    `account_id,sell_out_ref,sale_date,sku,qty,unit_price,currency,end_customer_id
AC-A,S1,2026-02-10,X,10,100.00,USD,EC-US
AC-A,S2,2026-02-20,Y,5,20.00,USD,EC-US
AC-A,S3,2026-03-05,Z,3,250.00,USD,EC-US
AC-A,S4,2026-03-06,X,4,100.00,USD,EC-CA
AC-A,S5,2026-04-01,X,1,100.00,USD,EC-US
AC-A,D1,2026-02-16,X,8,,,EC-US
AC-A,D2,2026-03-10,X,6,,,EC-US
AC-B,B1,2026-03-15,X,3,33.33,USD,EC-US
AC-B,B2,2026-03-16,X,1,50.00,EUR,EC-US
AC-B,B3,2026-02-05,Z,2,250.00,USD,EC-US`,
  ],
  [
    'inventory.csv',
    `account_id,sku,as_of_date,on_hand_qty,kind
AC-A,Z,2026-03-01,7,snapshot`,
  ],
];

let tdb: TestDatabase;
let db: PoolDb;
let dir: string;

before(async () => {
  tdb = await createTestDatabase();
  db = tdb.db;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ch-accruals-'));
  await loadFiles(db, dir, files);
  // Two decided claims: a sell-out claim cut from 36.00 to 30.00 (paid below), and a volume claim
  // approved above the company's calculation (200.00 against 180.00, an analyst's override), unpaid.
  await db.query(
    `insert into claims (account_id, claim_id, program_id, submitted_date, currency, status, program_version,
       decided_at)
     values ('AC-A', 'AC-1', 'SO-UNIT', '2026-03-12', 'USD', 'partially_approved', 1, '2026-03-15 10:00'),
            ('AC-B', 'AC-2', 'VT-R', '2026-03-18', 'USD', 'approved', 1, '2026-03-20 10:00')`,
  );
  await db.query(
    `insert into claim_lines (account_id, claim_id, line_no, sku, qty, claimed_amount, sale_date, period_start,
       period_end, status, approved_amount)
     values ('AC-A', 'AC-1', 1, 'X', 18, 36.00, '2026-02-10', null, null, 'adjusted', 30.00),
            ('AC-B', 'AC-2', 1, null, null, 200.00, null, '2026-01-01', '2026-03-31', 'approved', 200.00)`,
  );
  const run = await runSettlement(db, { outDir: path.join(dir, 'out'), asOf: '2026-03-31' });
  assert.deepEqual(
    run.batches.flatMap((b) => b.claim_ids),
    ['AC-1'],
  );
  assert.match(run.unpaid[0]!.reason, /AC-B has no bank details/);
});

after(async () => {
  await tdb.drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

type Expected = [
  program: string,
  account: string,
  periodStart: string,
  periodEnd: string,
  earned: string,
  approved: string,
  paid: string,
  liability: string,
];

// As of 2026-03-31.
const expected: Expected[] = [
  // growth: baseline 2025 = 20 × 100 = 2,000; 2026 to date = 10 × 100 + 20 × 150 = 4,000; growth 100 % → 4 %
  ['GR-1', 'AC-A', '2026-01-01', '2026-12-31', '160.00', '0.00', '0.00', '160.00'],
  // (AC-B has no baseline: it earns nothing, and has no row)
  // mdf: laser sell-in 750 + 1,600 + 600 (Z) + 2,700 (X) = 5,650 × 5 %
  ['MDF-1', 'AC-A', '2026-01-01', '2026-12-31', '282.50', '0.00', '0.00', '282.50'],
  // price protection: (200 − 180) × min(snapshot 7, sell-in 2026-01-30..02-28 = 5); the 03-20 drop has no
  // snapshot, the rise on X is no drop, the drop-day sell-in (I3) is outside the window
  ['PP-1', 'AC-A', '2026-03-01', '2026-03-31', '100.00', '0.00', '0.00', '100.00'],
  // special bid D1 (max 12): February 8 units × 15.00 (S1 is before the deal starts) …
  ['SB-1', 'AC-A', '2026-02-01', '2026-02-28', '120.00', '0.00', '0.00', '120.00'],
  // … March 6 units, 4 left under the maximum: 4 × 15.00
  ['SB-1', 'AC-A', '2026-03-01', '2026-03-31', '60.00', '0.00', '0.00', '60.00'],
  // 3 % of X's sell-out value: S1 1,000 (D1 has no price)
  ['SO-PCT', 'AC-A', '2026-02-01', '2026-02-28', '30.00', '0.00', '0.00', '30.00'],
  // S4 400 (no end-customer limit on this program); S5 is after the as-of date
  ['SO-PCT', 'AC-A', '2026-03-01', '2026-03-31', '12.00', '0.00', '0.00', '12.00'],
  // B1 3 × 33.33 = 99.99 × 3 % = 2.9997 → 3.00; B2 is in EUR
  ['SO-PCT', 'AC-B', '2026-03-01', '2026-03-31', '3.00', '0.00', '0.00', '3.00'],
  // 2.00 a laser unit sold to a US end customer: S1 10 + D1 8 = 18 → 36.00; claim AC-1 approved 30.00 and
  // paid: 6.00 still unclaimed. (S2 is ink; AC-B is not enrolled)
  ['SO-UNIT', 'AC-A', '2026-02-01', '2026-02-28', '36.00', '30.00', '30.00', '6.00'],
  // S3 3 + D2 6 = 9 → 18.00 (S4's end customer is Canadian)
  ['SO-UNIT', 'AC-A', '2026-03-01', '2026-03-31', '18.00', '0.00', '0.00', '18.00'],
  // incremental on units: 30 units of Y → 20 × 0.25 + 10 × 0.50 (I6 is after the as-of date, I7 in EUR)
  ['VT-I', 'AC-A', '2026-01-01', '2026-12-31', '10.00', '0.00', '0.00', '10.00'],
  // 60 units → 20 × 0.25 + 30 × 0.50 + 10 × 1.50 (an amount per unit)
  ['VT-I', 'AC-B', '2026-01-01', '2026-12-31', '35.00', '0.00', '0.00', '35.00'],
  // retroactive on revenue: 4,000 reaches the 1,000 tier → 2 % of all of it
  ['VT-R', 'AC-A', '2026-01-01', '2026-12-31', '80.00', '0.00', '0.00', '80.00'],
  // 6,000 → 3 % = 180.00; approved 200.00 unpaid: the liability is what was approved
  ['VT-R', 'AC-B', '2026-01-01', '2026-12-31', '180.00', '200.00', '0.00', '200.00'],
];

describe('accruals', { timeout: 120_000 }, () => {
  test('every program type, by partner and period, against figures worked out by hand', async () => {
    const report = await accruals(db, { as_of: '2026-03-31' });
    assert.equal(report.as_of, '2026-03-31');
    assert.deepEqual(
      report.rows.map((r) => [
        r.program_id,
        r.account_id,
        r.period_start,
        r.period_end,
        r.earned,
        r.approved,
        r.paid,
        r.liability,
      ]),
      expected,
    );
    for (const r of report.rows) {
      const [earned, approved, paid] = [r.earned, r.approved, r.paid].map((v) => new Decimal(v));
      assert.equal(r.accrued, Decimal.max(earned!, approved!).toFixed(2), r.program_id);
      assert.equal(r.unclaimed, Decimal.max(earned!.minus(approved!), 0).toFixed(2));
      assert.equal(r.approved_unpaid, approved!.minus(paid!).toFixed(2));
      assert.equal(r.liability, new Decimal(r.unclaimed).plus(r.approved_unpaid).toFixed(2));
    }
    const so = report.rows.find((r) => r.program_id === 'SO-UNIT' && r.period_start === '2026-02-01')!;
    assert.deepEqual(
      [so.basis_qty, so.unclaimed, so.accrued, so.approved_unpaid],
      ['18', '6.00', '36.00', '0.00'],
    );
    const vt = report.rows.find((r) => r.program_id === 'VT-R' && r.account_id === 'AC-B')!;
    assert.deepEqual(
      [vt.basis_qty, vt.basis_amount, vt.unclaimed, vt.accrued, vt.approved_unpaid],
      ['60', '6000.00', '0.00', '200.00', '200.00'],
    );
  });

  test('totals per program for the chart of accrued against paid', async () => {
    const report = await accruals(db, { as_of: '2026-03-31' });
    assert.deepEqual(
      report.programs.map((p) => [p.program_id, p.partners, p.earned, p.accrued, p.paid, p.liability]),
      [
        ['GR-1', 1, '160.00', '160.00', '0.00', '160.00'],
        ['MDF-1', 1, '282.50', '282.50', '0.00', '282.50'],
        ['PP-1', 1, '100.00', '100.00', '0.00', '100.00'],
        ['SB-1', 1, '180.00', '180.00', '0.00', '180.00'],
        ['SO-PCT', 2, '45.00', '45.00', '0.00', '45.00'],
        ['SO-UNIT', 1, '54.00', '54.00', '30.00', '24.00'],
        ['VT-I', 2, '45.00', '45.00', '0.00', '45.00'],
        ['VT-R', 2, '260.00', '280.00', '0.00', '280.00'],
      ],
    );
  });

  test('an earlier as-of date counts only what had happened by then', async () => {
    const report = await accruals(db, { as_of: '2026-02-28' });
    const by = (program: string, account = 'AC-A') =>
      report.rows.filter((r) => r.program_id === program && r.account_id === account).map((r) => r.earned);
    // 750 + 1,600 + 2,700 = 5,050 × 5 %
    assert.deepEqual(by('MDF-1'), ['252.50']);
    // 1,000 of Y: the 1,000 tier is reached (closed below) → 2 %
    assert.deepEqual(by('VT-R'), ['20.00']);
    assert.deepEqual(by('SO-UNIT'), ['36.00']);
    assert.deepEqual(by('PP-1'), []);
    const paid = report.rows.find((r) => r.program_id === 'SO-UNIT')!;
    assert.deepEqual([paid.approved, paid.paid], ['0.00', '0.00'], 'decided and paid in March');
    // Filters: one program, one partner.
    const one = await accruals(db, { as_of: '2026-03-31', program_id: 'VT-I', account_id: 'AC-B' });
    assert.deepEqual(
      one.rows.map((r) => [r.program_id, r.account_id, r.earned]),
      [['VT-I', 'AC-B', '35.00']],
    );
    await assert.rejects(accruals(db, { as_of: '2026-02-30' }), { code: 'validation_failed' });
  });

  test('the XLSX for finance and the CSV carry the same figures', async () => {
    const { fileName, content } = await accrualsXlsx(db, { as_of: '2026-03-31' });
    assert.equal(fileName, 'accruals-2026-03-31.xlsx');
    const wb = await readWorkbook(content);
    assert.deepEqual(
      wb.worksheets.map((w) => w.name),
      ['Accruals', 'By program', 'Method'],
    );
    const sheet = sheetTable(wb.getWorksheet('Accruals')!);
    assert.equal(sheet.title, 'Accruals — Accruals');
    assert.match(sheet.about, /^As of 2026-03-31 · /);
    assert.equal(sheet.rows.length, expected.length);
    const last = sheet.rows.at(-1)!;
    assert.equal(last[sheet.header.indexOf('Program ID')], 'VT-R');
    assert.equal(last[sheet.header.indexOf('Liability')], 200);
    assert.ok(sheet.rows.every((r) => !String(r[sheet.header.indexOf('Program type')]).includes('_')));
    assert.ok(sheet.totals.length > 0 && sheet.totals.every((r) => String(r[0]).startsWith('Total ')));
    const csv = await accrualsCsv(db, { as_of: '2026-03-31' });
    const lines = csv.content.trim().split('\n');
    assert.equal(lines.length, expected.length + 1);
    assert.equal(
      lines[0],
      'program_id,program_name,program_type,account_id,partner_name,period_start,period_end,currency,basis_qty,basis_amount,earned,approved,paid,unclaimed,accrued,approved_unpaid,liability',
    );
    assert.match(
      lines[9]!,
      /^SO-UNIT,Sell-out per unit,sell_out,AC-A,Partner A,2026-02-01,2026-02-28,USD,18,.*,36\.00,30\.00,30\.00,6\.00,36\.00,0\.00,6\.00$/,
    );
  });
});
