import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Decimal } from 'decimal.js';
import { addDays, today } from '../src/core/dates.ts';
import { clearCredit, runCascade, unapplyCredit } from '../src/modules/cash/index.ts';
import { journal } from '../src/modules/journal/index.ts';
import { addAccount, createTestApp, type TestApp } from './helpers/app.ts';
import { addDocs, addPayer, loadCredits, openOf } from './helpers/cash.ts';

/**
 * Cash application in the journal: cash applied (1000 / 1200), what was kept on account (1000 / 2410), a
 * deduction item (1250 / 1200), on-account cash cleared later against an invoice (moved from 2410 to 1200
 * once), and an un-applied credit netting to nothing. Each general-ledger account's balance must be what the
 * receivables and the bank say it is.
 */
let t: TestApp;
// Dated shortly before today: a clearing is dated today, and the journal is read a year at most at a time.
const received = addDays(today(), -10);

before(async () => {
  t = await createTestApp();
  await addAccount(t.db, 'JR1', { currency: 'USD', country: 'US' });
  await addAccount(t.db, 'JR2', { currency: 'USD', country: 'US' });
  await addPayer(t.db, 'JR1', 'BA-JR1');
  await addPayer(t.db, 'JR2', 'BA-JR2');
  await addDocs(t.db, [
    ['JR1', 'INV-7101', '1000.00'],
    ['JR1', 'INV-7102', '100.00'],
    ['JR1', 'INV-7103', '30.00'],
    ['JR2', 'INV-7109', '400.00'],
  ]);
  await loadCredits(t.db, [
    {
      ref: 'C-J-REM',
      amount: '950.00',
      date: received,
      payerAccount: 'BA-JR1',
      remittance: [
        { documentRef: 'INV-7101', amountPaid: '950.00', deductionAmount: '50.00', reasonCode: 'R1' },
      ],
    },
    { ref: 'C-J-OVR', amount: '150.00', date: received, payerAccount: 'BA-JR1', text: 'INV-7102' },
    { ref: 'C-J-UNDO', amount: '400.00', date: received, payerAccount: 'BA-JR2', text: 'INV-7109' },
  ]);
});
after(async () => t?.close());

function balances(rows: { gl_debit: string; gl_credit: string; amount: string }[]): Map<string, Decimal> {
  const by = new Map<string, Decimal>();
  for (const r of rows) {
    by.set(r.gl_debit, (by.get(r.gl_debit) ?? new Decimal(0)).plus(r.amount));
    by.set(r.gl_credit, (by.get(r.gl_credit) ?? new Decimal(0)).minus(r.amount));
  }
  return by;
}

describe('cash application in the journal', () => {
  test('cash, on account, deductions, a clearing and an un-apply post what the ledger holds', async () => {
    await runCascade(t.db);
    assert.equal(await openOf(t.db, 'INV-7101'), '0.00');
    assert.equal(await openOf(t.db, 'INV-7102'), '0.00');
    // The 50.00 kept on account pays INV-7103 in part; the 400.00 applied to INV-7109 is taken back.
    await clearCredit(t.db, 'JR1', {
      source_id: 'C-J-OVR',
      lines: [{ document_id: 'INV-7103', amount: '30.00' }],
    });
    await unapplyCredit(t.db, 'C-J-UNDO');
    assert.equal(await openOf(t.db, 'INV-7103'), '0.00');
    assert.equal(await openOf(t.db, 'INV-7109'), '400.00');

    const j = await journal(t.db, { from: addDays(received, -1), to: today() });
    const kinds = new Set(j.rows.map((r) => r.kind));
    for (const k of ['cash', 'on_account', 'deduction', 'reversal'])
      assert.ok(kinds.has(k), `a ${k} posting`);
    const deduction = j.rows.find((r) => r.kind === 'deduction')!;
    assert.deepEqual(
      [deduction.gl_debit, deduction.gl_credit, deduction.amount, deduction.document_id],
      ['1250', '1200', '50.00', 'INV-7101'],
    );

    const gl = balances(j.rows);
    const at = (a: string) => (gl.get(a) ?? new Decimal(0)).toFixed(2);
    // The bank received 950 + 150 for JR1; JR2's 400 is back with nobody, so not yet in cash.
    assert.equal(at('1000'), '1100.00');
    // Receivables fell by INV-7101 1000, INV-7102 100 and INV-7103 30; the deduction item owes 50 apart.
    assert.equal(at('1200'), '-1130.00');
    assert.equal(at('1250'), '50.00');
    // 150 − 100 kept on account, 30 of it since cleared.
    assert.equal(at('2410'), '-20.00');
    // Every day balances.
    const days = new Map<string, Decimal>();
    for (const r of j.rows) days.set(r.entry_date, (days.get(r.entry_date) ?? new Decimal(0)).plus(r.amount));
    for (const [day] of days) {
      const day_rows = j.rows.filter((r) => r.entry_date === day);
      const sum = [...balances(day_rows).values()].reduce((s, v) => s.plus(v), new Decimal(0));
      assert.equal(sum.toFixed(2), '0.00', `${day} balances`);
    }
  });
});
