import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { PoolDb } from '../src/db/db.ts';
import { createTestDatabase, type TestDatabase } from '../src/db/test-database.ts';
import { approveClaims, validateClaims } from '../src/modules/claims/index.ts';
import { aging } from '../src/modules/receivables/index.ts';
import {
  accruals,
  reconciliation,
  reverseBatch,
  runSettlement,
  type SettlementRun,
} from '../src/modules/settlement/index.ts';
import { loadFiles } from './helpers/app.ts';
import '../src/modules/index.ts';

/**
 * Reversal of a batch the bank rejected: claims back to their decision and paid again by a later run, credit
 * memos reversed by reversing entries in receivables (never edited), everything audited, and a second
 * reversal changing nothing.
 */
const program = (id: string, method: string) => ({
  program_id: id,
  name: `Sell-out ${method}`,
  type: 'sell_out',
  currency: 'USD',
  country: 'US',
  partners: id === 'RV-ACH' ? ['RV-A'] : ['RV-C'],
  start_date: '2026-01-01',
  end_date: '2026-12-31',
  per_unit_amount: '2.50',
  payment_method: method,
});

const files: [string, string][] = [
  [
    'accounts.csv',
    `account_id,name,country,currency,bank_routing_number,bank_account_number
RV-A,Partner with a bank,US,USD,011000015,12345678
RV-C,Partner paid by memo,US,USD,,`,
  ],
  ['products.csv', 'sku,name\nRV-X,Printer\n'],
  ['programs.json', JSON.stringify([program('RV-ACH', 'ach'), program('RV-CM', 'credit_memo')])],
  [
    'inventory.csv',
    `account_id,sku,as_of_date,on_hand_qty,kind
RV-A,RV-X,2026-01-01,100,opening
RV-C,RV-X,2026-01-01,100,opening`,
  ],
  [
    'sell_out.csv',
    `account_id,sell_out_ref,sale_date,sku,qty
RV-A,A1,2026-05-01,RV-X,2
RV-A,A2,2026-05-02,RV-X,4
RV-C,C1,2026-05-01,RV-X,2`,
  ],
  [
    'claims.csv',
    `claim_id,account_id,program_id,submitted_date,currency,line_no,sku,qty,claimed_unit_amount,claimed_amount,sale_date,sell_out_ref
RV-1,RV-A,RV-ACH,2026-05-10,USD,1,RV-X,2,2.50,5.00,2026-05-01,A1
RV-2,RV-A,RV-ACH,2026-05-10,USD,1,RV-X,4,3.00,12.00,2026-05-02,A2
RV-4,RV-C,RV-CM,2026-05-10,USD,1,RV-X,2,2.50,5.00,2026-05-01,C1`,
  ],
  [
    'invoices.csv',
    `document_id,account_id,type,document_date,due_date,currency,amount
RV-INV-1,RV-C,invoice,2026-11-01,2026-12-01,USD,100.00`,
  ],
];

let tdb: TestDatabase;
let db: PoolDb;
let dir: string;
let first: SettlementRun;
let achBatch: string;
let memoBatch: string;
const memo = () => `CM-${memoBatch}-RV-4`;

async function on<T>(date: string, fn: () => Promise<T>): Promise<T> {
  process.env.CLEARHOUSE_TODAY = date;
  try {
    return await fn();
  } finally {
    delete process.env.CLEARHOUSE_TODAY;
  }
}

const claims = async () =>
  Object.fromEntries(
    (
      await db.query<{ claim_id: string; status: string; paid_on: string | null }>(
        'select claim_id, status, paid_on from claims order by claim_id',
      )
    ).rows.map((r) => [r.claim_id, [r.status, r.paid_on]]),
  );

const count = async (sql: string, params: unknown[] = []) =>
  (await db.query<{ n: number }>(`select count(*)::int as n from (${sql}) x`, params)).rows[0]!.n;

before(async () => {
  tdb = await createTestDatabase();
  db = tdb.db;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ch-settlement-reversal-'));
  await loadFiles(db, dir, files);
  await validateClaims(db);
  assert.equal((await approveClaims(db)).length, 3);
  await db.query(`update claims set decided_at = '2026-11-20 12:00'`);
  first = await runSettlement(db, { outDir: path.join(dir, 'run-1'), asOf: '2026-11-24' });
  achBatch = first.batches.find((b) => b.method === 'ach')!.batch_id;
  memoBatch = first.batches.find((b) => b.method === 'credit_memo')!.batch_id;
  // Collections applied 3.00 of the credit memo to the partner's invoice before the reversal.
  await db.query(
    `insert into ar_applications (account_id, payment_id, document_id, applied_date, amount)
     values ('RV-C', $1, 'RV-INV-1', '2026-11-25', 3.00)`,
    [memo()],
  );
});

after(async () => {
  await tdb.drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('reversal of a payment batch', { timeout: 120_000 }, () => {
  test('the bank rejected the ACH file: the claims return to their decision, the clock runs again', async () => {
    assert.deepEqual(await claims(), {
      'RV-1': ['paid', '2026-11-24'],
      'RV-2': ['paid', '2026-11-24'],
      'RV-4': ['paid', '2026-11-24'],
    });
    await assert.rejects(reverseBatch(db, achBatch, { reason: ' ' }), {
      code: 'validation_failed',
      message: /reason/,
    });
    const r = await on('2026-11-26', () => reverseBatch(db, achBatch, { reason: 'R03 no account' }));
    assert.deepEqual(r, {
      batch_id: achBatch,
      status: 'reversed',
      reversed_now: true,
      reversed_on: '2026-11-26',
      reason: 'R03 no account',
      claim_ids: ['RV-1', 'RV-2'],
      reversal_documents: [],
    });
    const now = await claims();
    assert.deepEqual(now['RV-1'], ['approved', null]);
    assert.deepEqual(now['RV-2'], ['partially_approved', null], 'back to its own decision');
    assert.deepEqual(now['RV-4'], ['paid', '2026-11-24'], 'another batch is untouched');
    const { rows } = await db.query<{ status: string; reversed_on: string }>(
      'select status, reversed_on from settlement_payments where batch_id = $1',
      [achBatch],
    );
    assert.ok(rows.every((p) => p.status === 'reversed' && p.reversed_on === '2026-11-26'));
    const { rows: audit } = await db.query<{
      entity_id: string;
      action: string;
      before: unknown;
      after: unknown;
    }>(
      `select entity_id, action, before, after from audit_events
       where action in ('reversed', 'payment_reversed') order by entity_type, entity_id`,
    );
    assert.deepEqual(audit, [
      {
        entity_id: 'RV-1',
        action: 'payment_reversed',
        before: { status: 'paid', batch_id: achBatch },
        after: { status: 'approved', reason: 'R03 no account', reversed_on: '2026-11-26' },
      },
      {
        entity_id: 'RV-2',
        action: 'payment_reversed',
        before: { status: 'paid', batch_id: achBatch },
        after: { status: 'partially_approved', reason: 'R03 no account', reversed_on: '2026-11-26' },
      },
      {
        entity_id: achBatch,
        action: 'reversed',
        before: { status: 'released' },
        after: { status: 'reversed', reason: 'R03 no account', reversed_on: '2026-11-26' },
      },
    ]);
  });

  test('a credit memo batch is reversed by a debit memo in receivables; the credit memo is never edited', async () => {
    const before = (await db.query('select * from ar_documents where document_id = $1', [memo()]))
      .rows[0] as Record<string, unknown>;
    const agingBefore = await aging(db, { as_of: '2026-11-25' });
    assert.equal(agingBefore.rows.find((r) => r.account_id === 'RV-C')!.total, '95.00');

    const r = await on('2026-11-26', () => reverseBatch(db, memoBatch, { reason: 'posted in error' }));
    assert.deepEqual(r.reversal_documents, [`RV-${memo()}`]);
    assert.deepEqual((await claims())['RV-4'], ['approved', null]);

    const after = (await db.query('select * from ar_documents where document_id = $1', [memo()])).rows[0];
    assert.deepEqual(after, before, 'the credit memo itself is unchanged');
    const { rows: reversal } = await db.query(
      `select account_id, type, document_date, due_date, currency, amount::text, reference
       from ar_documents where document_id = $1`,
      [`RV-${memo()}`],
    );
    assert.deepEqual(reversal, [
      {
        account_id: 'RV-C',
        type: 'debit_memo',
        document_date: '2026-11-26',
        due_date: '2026-11-26',
        currency: 'USD',
        amount: '5.00',
        reference: 'RV-4',
      },
    ]);
    // The credit memo's open 2.00 closes against the debit memo; the 3.00 the partner used stays owed.
    const { rows: apps } = await db.query(
      `select payment_id, document_id, applied_date, amount::text from ar_application_entries
       where payment_id = $1 order by entry_id`,
      [memo()],
    );
    assert.deepEqual(apps, [
      { payment_id: memo(), document_id: 'RV-INV-1', applied_date: '2026-11-25', amount: '3.00' },
      { payment_id: memo(), document_id: `RV-${memo()}`, applied_date: '2026-11-26', amount: '2.00' },
    ]);
    // The aging agrees: the day before, what it was (invoice 97 − credit 2); after, invoice 97 + debit 3.
    assert.equal(
      (await aging(db, { as_of: '2026-11-25' })).rows.find((r) => r.account_id === 'RV-C')!.total,
      '95.00',
      'the past is reproduced as it was',
    );
    assert.equal(
      (await aging(db, { as_of: '2026-11-26' })).rows.find((r) => r.account_id === 'RV-C')!.total,
      '100.00',
    );
    const { rows: audit } = await db.query(
      `select action, after->>'reverses' as reverses, after->>'claim_id' as claim_id from audit_events
       where entity_type = 'ar_document' and entity_id = $1`,
      [`RV-${memo()}`],
    );
    assert.deepEqual(audit, [{ action: 'created', reverses: memo(), claim_id: 'RV-4' }]);
  });

  test('reversing twice changes nothing more', async () => {
    const events = await count('select 1 from audit_events');
    const documents = await count('select 1 from ar_documents');
    const entries = await count('select 1 from ar_application_entries');
    for (const batch of [achBatch, memoBatch]) {
      const again = await on('2026-11-30', () => reverseBatch(db, batch, { reason: 'once more' }));
      assert.equal(again.reversed_now, false);
      assert.equal(again.reversed_on, '2026-11-26');
      assert.notEqual(again.reason, 'once more');
    }
    const both = await Promise.all([
      reverseBatch(db, achBatch, { reason: 'race' }),
      reverseBatch(db, memoBatch, { reason: 'race' }),
    ]);
    assert.ok(both.every((b) => !b.reversed_now));
    assert.equal(await count('select 1 from audit_events'), events);
    assert.equal(await count('select 1 from ar_documents'), documents);
    assert.equal(await count('select 1 from ar_application_entries'), entries);
    await assert.rejects(reverseBatch(db, 'PB-NONE', { reason: 'x' }), { code: 'not_found' });
  });

  test('a later run pays the reversed claims again, once; the others are not paid twice', async () => {
    const second = await runSettlement(db, { outDir: path.join(dir, 'run-2'), asOf: '2026-11-27' });
    assert.deepEqual(second.batches.flatMap((b) => b.claim_ids).sort(), ['RV-1', 'RV-2', 'RV-4']);
    assert.deepEqual(await claims(), {
      'RV-1': ['paid', '2026-11-27'],
      'RV-2': ['paid', '2026-11-27'],
      'RV-4': ['paid', '2026-11-27'],
    });
    const newMemo = `CM-${second.batches.find((b) => b.method === 'credit_memo')!.batch_id}-RV-4`;
    assert.notEqual(newMemo, memo());
    const { rows } = await db.query<{ document_id: string; amount: string }>(
      `select document_id, amount::text from ar_documents where type = 'credit_memo' order by document_id`,
    );
    assert.deepEqual(
      rows.map((r) => [r.document_id, r.amount]),
      [
        [memo(), '5.00'],
        [newMemo, '5.00'],
      ],
    );
    const { rows: payments } = await db.query<{ claim_id: string; statuses: string[] }>(
      `select claim_id, array_agg(status order by created_at) as statuses from settlement_payments
       group by claim_id order by claim_id`,
    );
    assert.deepEqual(
      payments.map((p) => [p.claim_id, p.statuses]),
      [
        ['RV-1', ['reversed', 'paid']],
        ['RV-2', ['reversed', 'paid']],
        ['RV-4', ['reversed', 'paid']],
      ],
    );
    // A payment date is a business day: Saturday is refused with the next one; that one pays nothing more.
    await assert.rejects(runSettlement(db, { outDir: path.join(dir, 'run-3'), asOf: '2026-11-28' }), {
      message: /2026-11-28 is a Saturday.*next business day is 2026-11-30/,
    });
    const third = await runSettlement(db, { outDir: path.join(dir, 'run-3'), asOf: '2026-11-30' });
    assert.equal(third.paid_claims, 0);
  });

  test('accruals and the reconciliation read the history: paid, reversed, paid again', async () => {
    const paidOn = async (asOf: string) =>
      (await accruals(db, { as_of: asOf })).programs.map((p) => [p.program_id, p.approved, p.paid]);
    assert.deepEqual(await paidOn('2026-11-25'), [
      ['RV-ACH', '15.00', '15.00'],
      ['RV-CM', '5.00', '5.00'],
    ]);
    assert.deepEqual(await paidOn('2026-11-26'), [
      ['RV-ACH', '15.00', '0.00'],
      ['RV-CM', '5.00', '0.00'],
    ]);
    assert.deepEqual(await paidOn('2026-11-27'), [
      ['RV-ACH', '15.00', '15.00'],
      ['RV-CM', '5.00', '5.00'],
    ]);
    const rec = await reconciliation(db, { from: '2026-01-01', to: '2026-12-31' });
    assert.deepEqual(
      rec.claims.map((c) => [c.claim_id, c.paid, c.paid_on, c.batch_id === achBatch]),
      [
        ['RV-1', '5.00', '2026-11-27', false],
        ['RV-2', '10.00', '2026-11-27', false],
        ['RV-4', '5.00', '2026-11-27', false],
      ],
    );
  });
});
