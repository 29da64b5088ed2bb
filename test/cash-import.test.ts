import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import {
  applyCreditManually,
  autoClearCredits,
  cashApplicationsCsv,
  cashExceptionsCsv,
  clearCredit,
  reverseClearing,
  runCascade,
} from '../src/modules/cash/index.ts';
import { runImport } from '../src/modules/imports/index.ts';
import { addAccount, createTestApp, type TestApp } from './helpers/app.ts';
import { addDocs, addPayer, creditOf, loadCredits, openOf } from './helpers/cash.ts';

/** Bank files through the import engine (recognised by content), learning, clearing, exports, properties. */
let t: TestApp;
let dir: string;
const fixtures = path.join(import.meta.dirname, 'fixtures', 'bank');

before(async () => {
  t = await createTestApp();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ch-cash-'));
  await addAccount(t.db, 'LRN', { currency: 'USD', country: 'US' });
  await addAccount(t.db, 'CLR', { currency: 'USD', country: 'US' });
});
after(() => t.close());

describe('bank files through the import engine', () => {
  const bankFiles = ['bai2', 'camt', 'lockbox', 'nacha', 'x12']
    .flatMap((d) => fs.readdirSync(path.join(fixtures, d)).map((f) => path.join(fixtures, d, f)))
    .filter((f) => fs.statSync(f).isFile() && !f.endsWith('.json'));

  test('every fixture that carries credits loads, recognised by its content; loading it again creates nothing', async () => {
    let withCredits = 0;
    for (const f of bankFiles) {
      if (/\/(810|852|867)_/.test(f)) continue; // X12 invoices and sales reports are no bank files
      const r = await runImport(t.db, { path: f, source: 'cli' });
      // X12 comes through the EDI template, which hands its 820s to the same reader.
      if (r.kind !== 'bank_file' && r.kind !== 'x12') continue;
      // An implementation guide's template (placeholder text where the amounts go) carries no credit.
      if (/errors\/|HomeDepot/.test(f)) {
        if (r.kind === 'x12') assert.match(r.message, /820: 1 set\(s\), 1 refused/, f);
        else assert.equal(r.status, 'rejected', f);
        continue;
      }
      assert.equal(r.status, 'loaded', `${f}: ${JSON.stringify(r.errors)}`);
      if (r.rows_inserted > 0) withCredits += 1;
      const again = await runImport(t.db, { path: f, source: 'cli' });
      assert.equal(again.status, 'loaded');
      assert.equal(again.rows_inserted, 0, f);
    }
    assert.ok(withCredits >= 10, `${withCredits} files with transactions`);
    const credits = await t.db.query<{ n: number }>(`select count(*)::int as n from bank_credits`);
    assert.ok(credits.rows[0]!.n > 20);
  });

  test('a malformed bank file is refused whole with the record and reason', async () => {
    const f = path.join(dir, 'broken.txt');
    fs.writeFileSync(f, '01,BANK,CLEARHOUSE,261206,0800,1,,,2/\n02,X/\n16,ABC,notanamount/\n');
    const r = await runImport(t.db, { path: f, source: 'cli' });
    assert.equal(r.kind, 'bank_file');
    assert.equal(r.status, 'rejected');
    assert.ok(r.errors[0]!.line !== null && r.errors[0]!.reason.length > 0, JSON.stringify(r.errors));
  });

  test('payers.csv and remittances.csv load like every template', async () => {
    const p = path.join(dir, 'payers.csv');
    fs.writeFileSync(p, 'account_id,payer_name,payer_bank_account\nCLR,Clear Co,US-CLR-1\n');
    assert.equal((await runImport(t.db, { path: p, source: 'cli' })).status, 'loaded');
    const r = path.join(dir, 'remittances.csv');
    fs.writeFileSync(
      r,
      'payment_ref,account_id,document_id,amount_paid,deduction_amount,reason_code\nX-1,CLR,INV-1,10.00,5.00,\n',
    );
    const refused = await runImport(t.db, { path: r, source: 'cli' });
    assert.equal(refused.status, 'rejected');
    assert.equal(refused.errors[0]!.column, 'reason_code');
  });
});

describe('learning from a person’s match', () => {
  test('the next credit from that payer matches on its own', async () => {
    await addDocs(t.db, [
      ['LRN', 'INV-61001', '120.00'],
      ['LRN', 'INV-61002', '80.00'],
      ['LRN', 'INV-61003', '45.00'],
    ]);
    await loadCredits(t.db, [
      {
        ref: 'L-1',
        amount: '120.00',
        payerAccount: 'DE44 5001 0517 5407 3249 31',
        payerName: 'Hans Lern',
        text: 'BELEG 7-61001-X',
      },
    ]);
    await runCascade(t.db);
    assert.equal((await creditOf(t.db, 'L-1')).reason, 'UNKNOWN_PAYER');
    const r = await applyCreditManually(t.db, 'L-1', {
      account_id: 'LRN',
      lines: [{ document_id: 'INV-61001', amount: '120.00' }],
    });
    assert.equal(r.learned_bank_account, true);
    assert.equal(r.learned_patterns, 1);
    await loadCredits(
      t.db,
      [
        {
          ref: 'L-2',
          amount: '80.00',
          payerAccount: 'DE44500105175407324931',
          payerName: 'Hans Lern',
          text: 'BELEG 7-61002-X',
        },
      ],
      'next.bai',
    );
    await runCascade(t.db);
    const next = await creditOf(t.db, 'L-2');
    assert.equal(next.status, 'applied');
    assert.equal(next.account_id, 'LRN');
    assert.equal(next.payer_source, 'bank_account');
    assert.deepEqual(
      next.apps.map((a) => [a.document_id, a.rule]),
      [['INV-61002', 'reference']],
    );
  });
});

describe('clearing credits against invoices', () => {
  test('pick and apply a credit memo; reverse it; automatic oldest-first where the policy says so', async () => {
    await addDocs(t.db, [
      ['CLR', 'CLR-INV-1', '100.00', '2026-01-10'],
      ['CLR', 'CLR-INV-2', '100.00', '2026-01-20'],
      ['CLR', 'CLR-CM-1', '30.00', '2026-01-01', 'USD', 'credit_memo'],
      ['CLR', 'CLR-CM-2', '120.00', '2026-01-01', 'USD', 'credit_memo'],
    ]);
    const c = await clearCredit(t.db, 'CLR', {
      source_id: 'CLR-CM-1',
      lines: [{ document_id: 'CLR-INV-2', amount: '30.00' }],
    });
    assert.equal(await openOf(t.db, 'CLR-INV-2'), '70.00');
    await reverseClearing(t.db, 'CLR', c.clearing_ids[0]!);
    assert.equal(await openOf(t.db, 'CLR-INV-2'), '100.00');
    const auto = await autoClearCredits(t.db, { account_id: 'CLR' });
    assert.equal(auto.amount, '150.00');
    // Oldest credits first (CM-1 then CM-2) against the oldest due first (INV-1 then INV-2).
    assert.equal(await openOf(t.db, 'CLR-INV-1'), '0.00');
    assert.equal(await openOf(t.db, 'CLR-INV-2'), '50.00');
    await assert.rejects(
      clearCredit(t.db, 'CLR', {
        source_id: 'CLR-CM-1',
        lines: [{ document_id: 'CLR-INV-2', amount: '1.00' }],
      }),
      /open/,
    );
  });
});

describe('exports', () => {
  test('cash_applications.csv and cash_exceptions.csv have exactly the FORMATS.md columns', async () => {
    const apps = await cashApplicationsCsv(t.db);
    assert.equal(
      apps.split('\n')[0],
      'payment_ref,account_id,document_id,amount,kind,reason_code,rule,confidence',
    );
    assert.match(apps, /L-2,LRN,INV-61002,80.00,invoice,,reference,0.85/);
    const ex = await cashExceptionsCsv(t.db);
    assert.equal(ex.split('\n')[0], 'payment_ref,amount,currency,payer_name,reason,suggestions');
  });
});

describe('properties', () => {
  test('no credit is applied beyond its amount or to another customer’s document; a second run changes nothing', async () => {
    let round = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 6 }),
        fc.array(
          fc.record({
            owner: fc.integer({ min: 0, max: 2 }),
            cents: fc.integer({ min: 1, max: 8 }),
            ref: fc.nat(6),
            known: fc.boolean(),
          }),
          { minLength: 1, maxLength: 8 },
        ),
        async (docs, credits) => {
          round += 1;
          const acc = (i: number) => `PR${round}-${i}`;
          for (let i = 0; i < 3; i++) {
            await addAccount(t.db, acc(i), { currency: 'USD', country: 'US', name: `Prop ${round} ${i}` });
            await addPayer(t.db, acc(i), `PRBA-${round}-${i}`);
          }
          await addDocs(
            t.db,
            docs.map((d, i) => [acc(i % 3), `PR${round}-D${i}`, `${d}0.00`] as [string, string, string]),
          );
          await loadCredits(
            t.db,
            credits.map((c, i) => ({
              ref: `PR${round}-C${i}`,
              amount: `${c.cents}0.00`,
              payerAccount: c.known ? `PRBA-${round}-${c.owner}` : `NOPE-${round}`,
              text: c.ref < docs.length ? `INV PR${round}-D${c.ref}` : '',
            })),
            `prop-${round}.bai`,
          );
          await runCascade(t.db);
          const bad = await t.db.query(
            `select 'over-applied credit' as what, c.payment_ref from bank_credits c
               join cash_applications a on a.payment_ref = c.payment_ref and a.reversed_at is null
               where c.payment_ref like $1 and a.kind <> 'deduction'
               group by c.payment_ref, c.amount having sum(a.amount) <> c.amount
             union all
             select 'other customer', a.payment_ref from cash_applications a
               join ar_documents d on d.document_id = a.document_id
               where a.payment_ref like $1 and d.account_id <> a.account_id
             union all
             select 'over-applied document', d.document_id from ar_documents d
               where d.document_id like $1 and d.amount < (select coalesce(sum(e.amount), 0)
                 from ar_application_entries e where e.document_id = d.document_id)`,
            [`PR${round}-%`],
          );
          assert.deepEqual(bad.rows, []);
          const before = await t.db.query(`select count(*) from ar_application_entries`);
          const again = await runCascade(t.db);
          assert.equal(again.credits, 0);
          assert.deepEqual(
            (await t.db.query(`select count(*) from ar_application_entries`)).rows,
            before.rows,
          );
        },
      ),
      { numRuns: 15 },
    );
  });
});
