import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { applyCreditManually, runCascade, unapplyCredit } from '../src/modules/cash/index.ts';
import { addAccount, createTestApp, type TestApp } from './helpers/app.ts';
import { addDocs, addPayer, creditOf, loadCredits, openOf } from './helpers/cash.ts';

/** MATCHING.md's cascade, one test per step and outcome; each scenario has an account of its own. */
let t: TestApp;
const accounts = [
  'REM',
  'REF',
  'NRM',
  'OVR',
  'SHT',
  'AMT',
  'CMB',
  'AMB',
  'NOM',
  'SEQ',
  'CUR',
  'RPY',
  'MIS',
  'NUM',
];

before(async () => {
  t = await createTestApp();
  for (const a of accounts) await addAccount(t.db, a, { currency: 'USD', country: 'US' });
  await addAccount(t.db, 'NAM', { name: 'Müller & Söhne GmbH', currency: 'USD', country: 'US' });
  await addAccount(t.db, 'TW1', { name: 'Twin Trading Inc', currency: 'USD', country: 'US' });
  await addAccount(t.db, 'TW2', { name: 'TWIN TRADING LLC', currency: 'USD', country: 'US' });
  for (const a of accounts) await addPayer(t.db, a, `BA-${a}`);
  await addDocs(t.db, [
    ['REM', 'INV-2001', '1000.00'],
    ['REM', 'INV-2002', '500.00'],
    ['REF', 'INV-3001', '700.00'],
    ['NRM', 'INV-4001', '400.00'],
    ['OVR', 'INV-5001', '100.00'],
    ['SHT', 'INV-6001', '100.00', '2026-01-10'],
    ['SHT', 'INV-6002', '200.00', '2026-01-20'],
    ['AMT', 'INV-7001', '333.33'],
    ['AMT', 'INV-7002', '100.00'],
    ['CMB', 'INV-8001', '100.00'],
    ['CMB', 'INV-8002', '250.00'],
    ['CMB', 'INV-8003', '475.00'],
    ['AMB', 'INV-9001', '200.00'],
    ['AMB', 'INV-9002', '200.00'],
    ['NOM', 'INV-9101', '999.00'],
    ['SEQ', 'INV-9401', '100.00'],
    ['CUR', 'INV-9501', '50.00', undefined, 'EUR'],
    ['RPY', 'INV-9601', '640.00'],
    ['NAM', 'INV-9701', '77.00'],
    ['MIS', 'INV-9801', '10.00'],
    ['NUM', 'RG2026-0042', '88.00'],
  ]);
  await loadCredits(t.db, [
    {
      ref: 'C-REM',
      amount: '1500.00',
      payerAccount: 'BA-REM',
      remittance: [
        { documentRef: 'INV-2001', amountPaid: '950.00', deductionAmount: '50.00', reasonCode: 'R1' },
        { documentRef: 'INV-2002', amountPaid: '500.00' },
      ],
    },
    { ref: 'C-REF', amount: '700.00', payerAccount: 'BA-REF', text: 'PAYMENT INV-3001 THANK YOU' },
    { ref: 'C-NRM', amount: '400.00', payerAccount: 'BA-NRM', text: 'inv 4OO1' },
    { ref: 'C-OVR', amount: '150.00', payerAccount: 'BA-OVR', text: 'INV5001' },
    { ref: 'C-SHT', amount: '250.00', payerAccount: 'BA-SHT', text: 'INV-6002, INV-6001' },
    { ref: 'C-AMT', amount: '333.33', payerAccount: 'BA-AMT' },
    { ref: 'C-CMB', amount: '575.00', payerAccount: 'BA-CMB' },
    { ref: 'C-AMB', amount: '200.00', payerAccount: 'BA-AMB' },
    { ref: 'C-NOM', amount: '12.34', payerAccount: 'BA-NOM' },
    { ref: 'C-SEQ-2', amount: '100.00', payerAccount: 'BA-SEQ', date: '2026-09-29' },
    { ref: 'C-SEQ-1', amount: '100.00', payerAccount: 'BA-SEQ', date: '2026-09-28' },
    { ref: 'C-CUR', amount: '50.00', payerAccount: 'BA-CUR' },
    { ref: 'C-UNK', amount: '999.00', payerAccount: 'XX-999', payerName: 'Nobody Ltd' },
    { ref: 'C-RPY', amount: '640.00', payerAccount: 'XX-998', text: 'REMI: INV 9601' },
    { ref: 'C-NAM', amount: '77.00', payerName: 'MULLER SOHNE', payerAccount: 'XX-997' },
    { ref: 'C-TWIN', amount: '77.00', payerName: 'Twin Trading', payerAccount: 'XX-996' },
    {
      ref: 'C-MIS',
      amount: '10.00',
      payerAccount: 'BA-MIS',
      remittance: [{ documentRef: 'INV-NOPE', amountPaid: '10.00' }],
    },
    { ref: 'C-NUM', amount: '88.00', payerAccount: 'BA-NUM', text: 'OUR PAYMENT FOR 20260042' },
  ]);
});

after(() => t.close());

describe('the cascade', () => {
  let first: Awaited<ReturnType<typeof runCascade>>;
  before(async () => {
    first = await runCascade(t.db);
  });

  test('step 2: remittance lines apply their amounts, deductions become deduction items, the rest on account', async () => {
    const c = await creditOf(t.db, 'C-REM');
    assert.equal(c.status, 'applied');
    assert.equal(c.rule, 'remittance');
    assert.deepEqual(
      c.apps.map((a) => [a.document_id, a.amount, a.kind, a.reason_code, a.confidence]),
      [
        ['INV-2001', '950.00', 'invoice', null, '1.00'],
        ['INV-2001', '50.00', 'deduction', 'R1', '1.00'],
        ['INV-2002', '500.00', 'invoice', null, '1.00'],
        [null, '50.00', 'on_account', null, '1.00'],
      ],
    );
    // The invoice closes; a deduction item of 50 stays open as a receivable of its own.
    assert.equal(await openOf(t.db, 'INV-2001'), '0.00');
    const d = await t.db.query<{ deduction_id: string; amount: string; status: string }>(
      `select deduction_id, amount::text, status from deductions where payment_ref = 'C-REM'`,
    );
    assert.equal(d.rows.length, 1);
    assert.equal(d.rows[0]!.amount, '50.00');
    assert.equal(await openOf(t.db, d.rows[0]!.deduction_id), '50.00');
  });

  test('step 2: a line naming a document not open for the payer is REMITTANCE_MISMATCH', async () => {
    const c = await creditOf(t.db, 'C-MIS');
    assert.equal(c.status, 'exception');
    assert.equal(c.reason, 'REMITTANCE_MISMATCH');
    assert.equal(await openOf(t.db, 'INV-9801'), '10.00');
  });

  test('the account’s timeline says who paid and when', async () => {
    const a = await t.db.query<{ body: string }>(`select body from activities where account_id = 'REF'`);
    assert.deepEqual(
      a.rows.map((r) => r.body),
      ['Paid by C-REF on 2026-09-28: 700.00 USD applied by cash application (reference)'],
    );
  });

  test('step 3: an exact reference pays the document with confidence 1', async () => {
    const c = await creditOf(t.db, 'C-REF');
    assert.deepEqual(
      c.apps.map((a) => [a.document_id, a.amount, a.rule, a.confidence]),
      [['INV-3001', '700.00', 'reference', '1.00']],
    );
  });

  test('step 3: a normalised reference (prefix with a space, O for 0) pays with lower confidence', async () => {
    const c = await creditOf(t.db, 'C-NRM');
    assert.deepEqual(
      c.apps.map((a) => [a.document_id, a.amount, a.rule, a.confidence]),
      [['INV-4001', '400.00', 'reference', '0.90']],
    );
  });

  test('step 3: the number without its letter prefix names the document', async () => {
    const c = await creditOf(t.db, 'C-NUM');
    assert.deepEqual(
      c.apps.map((a) => [a.document_id, a.rule]),
      [['RG2026-0042', 'reference']],
    );
  });

  test('step 3: more than the references: each paid in full, the rest on account', async () => {
    const c = await creditOf(t.db, 'C-OVR');
    assert.deepEqual(
      c.apps.map((a) => [a.document_id, a.amount, a.kind]),
      [
        ['INV-5001', '100.00', 'invoice'],
        [null, '50.00', 'on_account'],
      ],
    );
  });

  test('step 3: less than the references: oldest due first, the last partly, no deduction', async () => {
    const c = await creditOf(t.db, 'C-SHT');
    assert.deepEqual(
      c.apps.map((a) => [a.document_id, a.amount, a.kind]),
      [
        ['INV-6001', '100.00', 'invoice'],
        ['INV-6002', '150.00', 'invoice'],
      ],
    );
    assert.equal(await openOf(t.db, 'INV-6002'), '50.00');
  });

  test('step 4: the one open document whose open amount equals the credit', async () => {
    const c = await creditOf(t.db, 'C-AMT');
    assert.deepEqual(
      c.apps.map((a) => [a.document_id, a.rule, a.confidence]),
      [['INV-7001', 'amount', '0.80']],
    );
  });

  test('step 5: the one set of two or three documents that adds up to the credit', async () => {
    const c = await creditOf(t.db, 'C-CMB');
    assert.deepEqual(c.apps.map((a) => [a.document_id, a.rule]).sort(), [
      ['INV-8001', 'combination'],
      ['INV-8003', 'combination'],
    ]);
  });

  test('step 6: two documents fit: AMBIGUOUS, nothing applied, ranked suggestions', async () => {
    const c = await creditOf(t.db, 'C-AMB');
    assert.equal(c.status, 'exception');
    assert.equal(c.reason, 'AMBIGUOUS');
    assert.equal(c.apps.length, 0);
    assert.deepEqual(
      c.suggestions.slice(0, 2).map((s) => s.documents[0]),
      ['INV-9001', 'INV-9002'],
    );
    assert.ok(c.suggestions.length <= 5);
    assert.equal(await openOf(t.db, 'INV-9001'), '200.00');
  });

  test('step 6: payer known, nothing fits: NO_MATCH; the money is the payer’s unapplied cash', async () => {
    const c = await creditOf(t.db, 'C-NOM');
    assert.equal(c.reason, 'NO_MATCH');
    const p = await t.db.query(`select account_id from ar_payments where payment_id = 'C-NOM'`);
    assert.deepEqual(p.rows, [{ account_id: 'NOM' }]);
  });

  test('only documents of the credit’s currency are considered', async () => {
    assert.equal((await creditOf(t.db, 'C-CUR')).reason, 'NO_MATCH');
  });

  test('step 1: unknown bank account and name: UNKNOWN_PAYER, with suggestions by amount', async () => {
    const c = await creditOf(t.db, 'C-UNK');
    assert.equal(c.reason, 'UNKNOWN_PAYER');
    assert.equal(c.account_id, null);
    assert.ok(c.suggestions.some((s) => s.documents[0] === 'INV-9101'));
  });

  test('step 1: the account whose documents the text references is the payer', async () => {
    const c = await creditOf(t.db, 'C-RPY');
    assert.equal(c.account_id, 'RPY');
    assert.equal(c.payer_source, 'reference');
    assert.deepEqual(
      c.apps.map((a) => a.document_id),
      ['INV-9601'],
    );
  });

  test('step 1: the one account whose normalised name equals the payer’s name', async () => {
    const c = await creditOf(t.db, 'C-NAM');
    assert.equal(c.account_id, 'NAM');
    assert.equal(c.payer_source, 'name');
    assert.deepEqual(
      c.apps.map((a) => [a.document_id, a.rule]),
      [['INV-9701', 'amount']],
    );
  });

  test('step 1: a name two accounts share names no one', async () => {
    assert.equal((await creditOf(t.db, 'C-TWIN')).reason, 'UNKNOWN_PAYER');
  });

  test('credits in value-date order: the earlier one consumes the document', async () => {
    assert.equal((await creditOf(t.db, 'C-SEQ-1')).status, 'applied');
    const later = await creditOf(t.db, 'C-SEQ-2');
    assert.equal(later.status, 'exception');
    assert.equal(later.reason, 'NO_MATCH');
  });

  test('the run records its measures', () => {
    assert.equal(first.credits, 18);
    assert.equal(first.auto_applied, 11);
    assert.equal(first.on_account_count, 2);
    assert.equal(first.on_account_amount, '100.00');
    assert.equal(first.deductions, 1);
    assert.deepEqual(first.exceptions, {
      AMBIGUOUS: 1,
      NO_MATCH: 3,
      REMITTANCE_MISMATCH: 1,
      UNKNOWN_PAYER: 2,
    });
  });

  test('a second run changes nothing', async () => {
    const before = await t.db.query(`select count(*) from ar_application_entries`);
    const again = await runCascade(t.db);
    assert.equal(again.credits, 0);
    const afterRun = await t.db.query(`select count(*) from ar_application_entries`);
    assert.deepEqual(afterRun.rows, before.rows);
  });

  test('un-applying reverses the entries and counts a wrong match of the run that decided', async () => {
    await unapplyCredit(t.db, 'C-AMT');
    assert.equal(await openOf(t.db, 'INV-7001'), '333.33');
    const c = await creditOf(t.db, 'C-AMT');
    assert.equal(c.status, 'exception');
    const r = await t.db.query<{ wrong_matches: number }>(
      `select wrong_matches from cash_runs where run_id = $1`,
      [first.run_id],
    );
    assert.equal(r.rows[0]!.wrong_matches, 1);
    const journal = await t.db.query<{ kind: string; amount: string }>(
      `select kind, amount::text from ar_application_entries where payment_id = 'C-AMT' order by entry_id`,
    );
    assert.deepEqual(
      journal.rows.map((e) => [e.kind, e.amount]),
      [
        ['applied', '333.33'],
        ['reversal', '-333.33'],
      ],
    );
  });

  test('a person decides an ambiguous credit: applied in part, a deduction with a reason, the rest on account', async () => {
    const r = await applyCreditManually(t.db, 'C-AMB', {
      account_id: 'AMB',
      lines: [{ document_id: 'INV-9002', amount: '150.00', deduction_amount: '50.00', reason_code: 'DMG' }],
    });
    assert.equal(r.on_account, '50.00');
    assert.equal(await openOf(t.db, 'INV-9002'), '0.00');
    const c = await creditOf(t.db, 'C-AMB');
    assert.deepEqual(
      c.apps.map((a) => [a.document_id, a.amount, a.kind, a.rule]),
      [
        ['INV-9002', '150.00', 'invoice', 'manual'],
        ['INV-9002', '50.00', 'deduction', 'manual'],
        [null, '50.00', 'on_account', 'manual'],
      ],
    );
  });

  test('a manual apply never takes more than a document has open', async () => {
    await assert.rejects(
      applyCreditManually(t.db, 'C-NOM', {
        account_id: 'NOM',
        lines: [{ document_id: 'INV-9101', amount: '12.34', deduction_amount: '990.00', reason_code: 'X' }],
      }),
      /open/,
    );
    await assert.rejects(
      applyCreditManually(t.db, 'C-NOM', {
        account_id: 'NOM',
        lines: [{ document_id: 'INV-9001', amount: '12.34' }],
      }),
      /not a document of account NOM/,
    );
  });
});
