import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Actor, PoolDb } from '../src/db/db.ts';
import { createTestDatabase, type TestDatabase } from '../src/db/test-database.ts';
import { approveClaims, validateClaims } from '../src/modules/claims/index.ts';
import {
  reconciliation,
  reconciliationCsv,
  reconciliationXlsx,
  releaseBatch,
  runSettlement,
} from '../src/modules/settlement/index.ts';
import { loadFiles } from './helpers/app.ts';
import '../src/modules/index.ts';
import { readWorkbook, sheetTable } from './helpers/xlsx.ts';

/** The reconciliation of credits processed: claimed vs approved vs paid per partner and month, with reasons. */
const program = (id: string, method: string) => ({
  program_id: id,
  name: `Sell-out ${method}`,
  type: 'sell_out',
  currency: 'USD',
  country: 'US',
  partners: id === 'RC-ACH' ? ['RC-A', 'RC-B'] : ['RC-C'],
  start_date: '2026-01-01',
  end_date: '2026-12-31',
  per_unit_amount: '2.50',
  payment_method: method,
});

const files: [string, string][] = [
  [
    'accounts.csv',
    `account_id,name,country,currency,bank_routing_number,bank_account_number
RC-A,Partner with a bank,US,USD,011000015,12345678
RC-B,Partner without a bank,US,USD,,
RC-C,Partner paid by memo,US,USD,,`,
  ],
  ['products.csv', 'sku,name\nRC-X,Printer\n'],
  ['programs.json', JSON.stringify([program('RC-ACH', 'ach'), program('RC-CM', 'credit_memo')])],
  [
    'inventory.csv',
    `account_id,sku,as_of_date,on_hand_qty,kind
RC-A,RC-X,2026-01-01,100,opening
RC-B,RC-X,2026-01-01,100,opening
RC-C,RC-X,2026-01-01,100,opening`,
  ],
  [
    'sell_out.csv',
    `account_id,sell_out_ref,sale_date,sku,qty
RC-A,A1,2026-05-01,RC-X,2
RC-A,A2,2026-05-02,RC-X,4
RC-B,B1,2026-05-01,RC-X,2
RC-C,C1,2026-05-01,RC-X,2`,
  ],
  [
    'claims.csv',
    `claim_id,account_id,program_id,submitted_date,currency,line_no,sku,qty,claimed_unit_amount,claimed_amount,sale_date,sell_out_ref
RC-1,RC-A,RC-ACH,2026-05-10,USD,1,RC-X,2,2.50,5.00,2026-05-01,A1
RC-2,RC-A,RC-ACH,2026-05-10,USD,1,RC-X,4,3.00,12.00,2026-05-02,A2
RC-3,RC-B,RC-ACH,2026-05-10,USD,1,RC-X,2,2.50,5.00,2026-05-01,B1
RC-4,RC-C,RC-CM,2026-05-10,USD,1,RC-X,2,2.50,5.00,2026-05-01,C1
RC-5,RC-C,RC-CM,2026-05-10,USD,1,RC-X,3,2.50,7.50,2026-05-03,C9`,
  ],
];

let tdb: TestDatabase;
let db: PoolDb;
let dir: string;
let achBatch: string;
const partnerOf = (account: string): Actor => ({
  userId: null,
  name: `partner ${account}`,
  roles: ['partner'],
  accounts: [account],
});

before(async () => {
  tdb = await createTestDatabase();
  db = tdb.db;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ch-reconciliation-'));
  await loadFiles(db, dir, files);
  await validateClaims(db);
  assert.equal((await approveClaims(db)).length, 5);
  await db.query(`update claims set decided_at = '2026-11-20 12:00'`);
  const run = await runSettlement(db, {
    outDir: path.join(dir, 'out'),
    asOf: '2026-11-24',
    releaseLimit: '10.00',
  });
  achBatch = run.batches.find((b) => b.method === 'ach')!.batch_id;
});

after(async () => {
  await tdb.drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('reconciliation of credits processed', { timeout: 120_000 }, () => {
  test('per partner and month: claimed, approved, paid, variances and their reasons', async () => {
    const report = await reconciliation(db, { from: '2026-11-01', to: '2026-11-30' });
    assert.deepEqual(
      report.rows.map((r) => [
        r.account_id,
        r.period,
        r.claims,
        r.lines,
        r.claimed,
        r.approved,
        r.paid,
        r.claimed_vs_approved,
        r.approved_vs_paid,
        r.reasons,
      ]),
      [
        // RC-2 paid at the authorised 2.50 a unit; the ACH batch waits for release
        [
          'RC-A',
          '2026-11',
          2,
          2,
          '17.00',
          '15.00',
          '0.00',
          '2.00',
          '15.00',
          'IN_PAYMENT 15.00; UNIT_AMOUNT_EXCEEDS_AUTHORIZED 2.00',
        ],
        // approved, not paid: no bank details for ACH
        ['RC-B', '2026-11', 1, 1, '5.00', '5.00', '0.00', '0.00', '5.00', 'AWAITING_PAYMENT 5.00'],
        // RC-5 names a sell-out line that does not exist: rejected
        ['RC-C', '2026-11', 2, 2, '12.50', '5.00', '5.00', '7.50', '0.00', 'NO_SELL_OUT_MATCH 7.50'],
      ],
    );
    assert.deepEqual(
      report.reasons.map((r) => [r.account_id, r.variance_kind, r.reason, r.lines, r.variance]),
      [
        ['RC-A', 'approval', 'UNIT_AMOUNT_EXCEEDS_AUTHORIZED', 1, '2.00'],
        ['RC-A', 'payment', 'IN_PAYMENT', 2, '15.00'],
        ['RC-B', 'payment', 'AWAITING_PAYMENT', 1, '5.00'],
        ['RC-C', 'approval', 'NO_SELL_OUT_MATCH', 1, '7.50'],
      ],
    );
    assert.deepEqual(
      report.claims.map((c) => [
        c.claim_id,
        c.status,
        c.claimed,
        c.approved,
        c.paid,
        c.rule_codes,
        c.payment_status,
      ]),
      [
        ['RC-1', 'in_payment', '5.00', '5.00', '0.00', '', 'created'],
        ['RC-2', 'in_payment', '12.00', '10.00', '0.00', 'UNIT_AMOUNT_EXCEEDS_AUTHORIZED', 'created'],
        ['RC-3', 'approved', '5.00', '5.00', '0.00', '', null],
        ['RC-4', 'paid', '5.00', '5.00', '5.00', '', 'paid'],
        ['RC-5', 'rejected', '7.50', '0.00', '0.00', 'NO_SELL_OUT_MATCH', null],
      ],
    );
  });

  test('once the batch is released the payment variance is gone', async () => {
    await releaseBatch(db, achBatch, { comment: 'checked' });
    const report = await reconciliation(db, { from: '2026-11-01', to: '2026-11-30', account_id: 'RC-A' });
    assert.deepEqual(
      report.rows.map((r) => [r.account_id, r.paid, r.approved_vs_paid, r.reasons]),
      [['RC-A', '15.00', '0.00', 'UNIT_AMOUNT_EXCEEDS_AUTHORIZED 2.00']],
    );
  });

  test('a partner gets its own figures only; the range is the decision date', async () => {
    const own = await reconciliation(db.as(partnerOf('RC-C')), { from: '2026-11-01', to: '2026-11-30' });
    assert.deepEqual(
      own.rows.map((r) => r.account_id),
      ['RC-C'],
    );
    const other = await reconciliation(db.as(partnerOf('RC-C')), {
      from: '2026-11-01',
      to: '2026-11-30',
      account_id: 'RC-A',
    });
    assert.deepEqual(other.rows, []);
    assert.deepEqual(other.claims, []);
    const before = await reconciliation(db, { from: '2026-10-01', to: '2026-11-19' });
    assert.deepEqual(before.rows, []);
    await assert.rejects(reconciliation(db, { from: '2026-12-01', to: '2026-11-01' }), {
      code: 'validation_failed',
      message: /from/,
    });
  });

  test('exports: XLSX with Summary, Reasons and Claims; CSV of the summary', async () => {
    const { fileName, content } = await reconciliationXlsx(db, { from: '2026-11-01', to: '2026-11-30' });
    assert.equal(fileName, 'credits-reconciliation-2026-11-01-2026-11-30.xlsx');
    const wb = await readWorkbook(content);
    assert.deepEqual(
      wb.worksheets.map((w) => [w.name, sheetTable(w).rows.length]),
      [
        ['Summary', 3],
        ['Reasons', 3],
        ['Claims', 5],
      ],
    );
    const reasons = sheetTable(wb.getWorksheet('Reasons')!);
    assert.equal(reasons.title, 'Reconciliation of credits processed — Reasons');
    assert.deepEqual(reasons.header.slice(0, 2), ['Account ID', 'Partner']);
    const named = reasons.rows.find(
      (r) => r[0] === 'RC-C' && r[reasons.header.indexOf('Reason')] === 'NO_SELL_OUT_MATCH',
    )!;
    assert.equal(named[1], 'Partner paid by memo');
    assert.equal(
      named[reasons.header.indexOf('Reason in words')],
      'No matching sell-out line was reported (NO_SELL_OUT_MATCH)',
    );
    const csv = (await reconciliationCsv(db, { from: '2026-11-01', to: '2026-11-30' })).content;
    assert.match(
      csv,
      /^account_id,partner_name,period,currency,claims,lines,claimed,approved,paid,claimed_vs_approved,approved_vs_paid,reasons\n/,
    );
    assert.match(
      csv,
      /\nRC-C,Partner paid by memo,2026-11,USD,2,2,12\.50,5\.00,5\.00,7\.50,0\.00,NO_SELL_OUT_MATCH 7\.50\n/,
    );
  });
});
