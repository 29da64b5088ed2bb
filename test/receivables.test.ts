import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type ImportResult, runImport } from '../src/modules/imports/index.ts';
import { findTemplate, loadOrder } from '../src/modules/imports/templates.ts';
import { aging, agingCsv, listOpenItems } from '../src/modules/receivables/index.ts';
import { addAccount, addUser, Browser, createTestApp, type TestApp } from './helpers/app.ts';
import { readWorkbook, sheetTable } from './helpers/xlsx.ts';

/**
 * Receivables end to end: the invoices, payments and applications templates, and the aging against figures
 * worked out by hand (comments next to each table give the arithmetic).
 */

let t: TestApp;
let dir: string;
let admin: Browser;

function load(name: string, lines: string[]): Promise<ImportResult> {
  const p = path.join(dir, name);
  fs.writeFileSync(p, `${lines.join('\n')}\n`);
  return runImport(t.db, { path: p, source: 'cli' });
}
const problems = (r: ImportResult) => r.errors.map((e) => `${e.line}|${e.column}|${e.reason}`);

before(async () => {
  t = await createTestApp();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clearhouse-ar-'));
  await addAccount(t.db, 'A1', { country: 'DE', currency: 'EUR', collector: 'ann@corp.test' });
  await addAccount(t.db, 'A2', { country: 'US', currency: 'USD', payment_terms_days: '45' });
  const u = await addUser(t.db, 'ar-admin@corp.test', ['administrator']);
  admin = await Browser.signedIn(t.app, u.email, u.password);

  const docs = await load('invoices.csv', [
    'document_id,account_id,type,document_date,due_date,currency,amount,tax_amount,reference,po_number',
    'INV-1,A1,invoice,2026-01-01,2026-01-31,EUR,1000.00,190.00,R1,PO-1',
    'INV-2,A1,invoice,2026-02-15,,EUR,500.00,,,', // due 2026-03-17 (30 days' terms)
    'INV-3,A1,invoice,2026-03-01,2026-03-31,EUR,200.00,,,',
    'INV-4,A1,debit_memo,2025-11-01,2025-11-15,EUR,300.00,,,',
    'CM-1,A1,credit_memo,2026-03-10,,EUR,150.00,,,',
    'INV-5,A2,invoice,2026-01-20,,USD,800.00,,,', // due 2026-03-06 (45 days' terms)
    'INV-6,A1,invoice,2026-04-05,,EUR,999.00,,,',
  ]);
  assert.equal(docs.status, 'loaded', JSON.stringify(docs.errors));
  const pays = await load('payments.csv', [
    'payment_id,account_id,received_date,amount,currency,method,reference',
    'PAY-1,A1,2026-02-20,600.00,EUR,wire,',
    'PAY-2,A1,2026-04-02,500.00,EUR,wire,',
    'PAY-3,A2,2026-03-20,300.00,USD,ach,',
    'PAY-4,A1,2026-03-01,100.00,USD,wire,',
  ]);
  assert.equal(pays.status, 'loaded', JSON.stringify(pays.errors));
  const apps = await load('applications.csv', [
    'payment_id,document_id,applied_date,amount',
    'PAY-1,INV-1,2026-02-20,400.00', // partial payment: INV-1 600 open, PAY-1 200 unapplied
    'CM-1,INV-2,2026-03-15,100.00', // credit memo: INV-2 400 open, CM-1 50 open
    'PAY-2,INV-2,2026-04-02,400.00', // after 2026-03-31
    'PAY-3,INV-5,2026-04-03,300.00', // after 2026-03-31
  ]);
  assert.equal(apps.status, 'loaded', JSON.stringify(apps.errors));
});
after(async () => {
  await t.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const cols = ['not_due', 'd1_30', 'd31_60', 'd61_90', 'd91_120', 'd121_plus', 'total'];
const row = (key: Record<string, string>, amounts: string[]) => ({
  ...key,
  ...Object.fromEntries(cols.map((c, i) => [c, amounts[i]!])),
});

describe('aging', () => {
  const cases: { name: string; as_of: string; rows: Record<string, string>[] }[] = [
    {
      // A1: INV-1 600 (59 days) d31_60; INV-2 400 (due 03-17, 14 days) d1_30; INV-3 200 due that day not_due;
      // INV-4 300 (136 days) d121_plus; CM-1 -50 (03-10, 21 days) d1_30; PAY-1 -200 (02-20, 39 days) d31_60;
      // PAY-2 and INV-6 are dated later. A2: INV-5 fully open 800 (due 03-06, 25 days), the application
      // of 04-03 not yet counted; PAY-3 -300 unapplied (03-20, 11 days): both d1_30. A1 in USD: PAY-4 -100
      // unapplied (03-01, 30 days) d1_30.
      name: 'partial payments, credit memo, later payment and application, due that day, unapplied cash',
      as_of: '2026-03-31',
      rows: [
        row({ account_id: 'A1', currency: 'EUR' }, [
          '200.00',
          '350.00',
          '400.00',
          '0.00',
          '0.00',
          '300.00',
          '1250.00',
        ]),
        row({ account_id: 'A1', currency: 'USD' }, [
          '0.00',
          '-100.00',
          '0.00',
          '0.00',
          '0.00',
          '0.00',
          '-100.00',
        ]),
        row({ account_id: 'A2', currency: 'USD' }, [
          '0.00',
          '500.00',
          '0.00',
          '0.00',
          '0.00',
          '0.00',
          '500.00',
        ]),
      ],
    },
    {
      // A1: INV-6 999 not_due; INV-3 200 (5 days) - CM-1 50 (26 days) - PAY-2 100 unapplied (3 days) = 50
      // d1_30; PAY-1 -200 (44 days) d31_60; INV-1 600 (64 days) d61_90; INV-4 300 d121_plus; INV-2 closed.
      // A2: INV-5 500 (30 days) d1_30; PAY-3 fully applied. A1 USD: PAY-4 -100 (35 days) d31_60.
      name: 'the later payments and applications count once dated on or before the day',
      as_of: '2026-04-05',
      rows: [
        row({ account_id: 'A1', currency: 'EUR' }, [
          '999.00',
          '50.00',
          '-200.00',
          '600.00',
          '0.00',
          '300.00',
          '1749.00',
        ]),
        row({ account_id: 'A1', currency: 'USD' }, [
          '0.00',
          '0.00',
          '-100.00',
          '0.00',
          '0.00',
          '0.00',
          '-100.00',
        ]),
        row({ account_id: 'A2', currency: 'USD' }, [
          '0.00',
          '500.00',
          '0.00',
          '0.00',
          '0.00',
          '0.00',
          '500.00',
        ]),
      ],
    },
    {
      // Only INV-1 (not due until 01-31) and INV-4 (61 days) exist; A2 has nothing yet.
      name: 'a past date reproduces what existed then',
      as_of: '2026-01-15',
      rows: [
        row({ account_id: 'A1', currency: 'EUR' }, [
          '1000.00',
          '0.00',
          '0.00',
          '300.00',
          '0.00',
          '0.00',
          '1300.00',
        ]),
      ],
    },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      const r = await aging(t.db, { as_of: c.as_of });
      assert.deepEqual(r.columns, ['account_id', 'currency', ...cols]);
      assert.deepEqual(
        r.rows.map(({ name: _n, ...rest }) => rest),
        c.rows,
      );
      for (const x of r.rows) {
        const sum = cols.slice(0, -1).reduce((s, k) => s + Math.round(Number(x[k]) * 100), 0);
        assert.equal(sum, Math.round(Number(x.total) * 100), 'buckets sum to total');
      }
    });
  }

  test('invoice-date basis: documents aged from their document date', async () => {
    // INV-1 89 days d61_90; INV-2 44 d31_60; INV-3 30 d1_30; INV-4 150 d121_plus; CM-1 -50 d1_30; PAY-1 -200 d31_60.
    const r = await aging(t.db, { as_of: '2026-03-31', basis: 'invoice-date' });
    assert.deepEqual(
      { ...r.rows[0], name: undefined },
      {
        ...row({ account_id: 'A1', currency: 'EUR' }, [
          '0.00',
          '150.00',
          '200.00',
          '600.00',
          '0.00',
          '300.00',
          '1250.00',
        ]),
        name: undefined,
      },
    );
  });

  test('custom buckets and grouping', async () => {
    const r = await aging(t.db, { as_of: '2026-03-31', buckets: '60' });
    assert.deepEqual(r.columns, ['account_id', 'currency', 'not_due', 'd1_60', 'd61_plus', 'total']);
    assert.deepEqual(
      [r.rows[0]!.not_due, r.rows[0]!.d1_60, r.rows[0]!.d61_plus, r.rows[0]!.total],
      ['200.00', '750.00', '300.00', '1250.00'],
    );
    const byCurrency = await aging(t.db, { as_of: '2026-03-31', by: 'currency' });
    assert.deepEqual(
      byCurrency.rows.map((x) => [x.currency, x.total]),
      [
        ['EUR', '1250.00'],
        ['USD', '400.00'],
      ],
    );
    const byCollector = await aging(t.db, { as_of: '2026-03-31', by: 'collector' });
    assert.deepEqual(
      byCollector.rows.map((x) => [x.collector, x.currency, x.total]),
      [
        ['', 'USD', '500.00'],
        ['ann@corp.test', 'EUR', '1250.00'],
        ['ann@corp.test', 'USD', '-100.00'],
      ],
    );
    const byCountry = await aging(t.db, { as_of: '2026-03-31', by: 'country' });
    assert.deepEqual(
      byCountry.rows.map((x) => [x.country, x.total]),
      [
        ['DE', '1250.00'],
        ['DE', '-100.00'],
        ['US', '500.00'],
      ],
    );
    await assert.rejects(aging(t.db, { buckets: '60,30' }));
  });

  test('aging.csv layout', async () => {
    const csv = agingCsv(await aging(t.db, { as_of: '2026-03-31' }));
    assert.equal(
      csv,
      'account_id,currency,not_due,d1_30,d31_60,d61_90,d91_120,d121_plus,total\n' +
        'A1,EUR,200.00,350.00,400.00,0.00,0.00,300.00,1250.00\n' +
        'A1,USD,0.00,-100.00,0.00,0.00,0.00,0.00,-100.00\n' +
        'A2,USD,0.00,500.00,0.00,0.00,0.00,0.00,500.00\n',
    );
  });

  test('open items with open amount and days past due', async () => {
    const r = await listOpenItems(t.db, { account_id: 'A1', as_of: '2026-03-31' });
    assert.deepEqual(
      r.items.map((i) => [i.item_id, i.kind, i.open_amount, i.days_past_due, i.bucket]),
      [
        ['INV-4', 'debit_memo', '300.00', 136, 'd121_plus'],
        ['INV-1', 'invoice', '600.00', 59, 'd31_60'],
        ['PAY-1', 'payment', '-200.00', 39, 'd31_60'],
        ['PAY-4', 'payment', '-100.00', 30, 'd1_30'],
        ['CM-1', 'credit_memo', '-50.00', 21, 'd1_30'],
        ['INV-2', 'invoice', '400.00', 14, 'd1_30'],
        ['INV-3', 'invoice', '200.00', 0, 'not_due'],
      ],
    );
    const due = await t.db.query(`select due_date from ar_documents where document_id = 'INV-5'`);
    assert.equal(due.rows[0]!.due_date, '2026-03-06');
  });
});

describe('import refusals', () => {
  const refusals: { name: string; line: string; expect: RegExp[] }[] = [
    {
      name: 'over-application of the invoice and of the payment',
      line: 'PAY-1,INV-3,2026-03-05,250.00',
      expect: [
        /^2\|amount\|exceeds the open amount of INV-3 on 2026-03-05 \(200\.00 open of 200\.00\)$/,
        /^2\|amount\|exceeds the unapplied amount of payment PAY-1 on 2026-03-05 \(200\.00 unapplied of 600\.00\)$/,
      ],
    },
    {
      name: 'over-application of a credit memo',
      line: 'CM-1,INV-3,2026-03-20,60.00',
      expect: [/^2\|amount\|exceeds the unapplied amount of credit memo CM-1/],
    },
    {
      name: 'the invoice paid later already: total over its amount',
      line: 'PAY-1,INV-2,2026-02-21,150.00',
      expect: [/^2\|amount\|with the applications dated after it, INV-2 would have 650\.00 applied/],
    },
    {
      name: 'currency mismatch',
      line: 'PAY-4,INV-1,2026-03-02,50.00',
      expect: [/^2\|payment_id\|currency mismatch/],
    },
    {
      name: 'unknown invoice',
      line: 'PAY-1,INV-404,2026-03-02,50.00',
      expect: [/^2\|document_id\|unknown invoice$/],
    },
    {
      name: 'applied before the payment was received',
      line: 'PAY-1,INV-3,2026-02-10,10.00',
      expect: [
        /^2\|applied_date\|is before the invoice/,
        /^2\|applied_date\|is before PAY-1 \(payment\) is dated/,
      ],
    },
    {
      name: 'another account’s payment',
      line: 'PAY-3,INV-1,2026-03-25,10.00',
      expect: [/^2\|payment_id\|belongs to account A2/, /^2\|payment_id\|currency mismatch/],
    },
  ];
  for (const c of refusals) {
    test(c.name, async () => {
      const r = await load('applications.csv', ['payment_id,document_id,applied_date,amount', c.line]);
      assert.equal(r.status, 'rejected');
      const got = problems(r);
      assert.equal(got.length, c.expect.length, got.join('\n'));
      for (const [i, re] of c.expect.entries()) assert.match(got[i]!, re);
    });
  }

  test('documents and payments that are applied cannot shrink below what is applied', async () => {
    const r = await load('invoices.csv', [
      'document_id,account_id,type,document_date,due_date,currency,amount',
      'INV-1,A1,invoice,2026-01-01,2026-01-31,EUR,300.00',
    ]);
    assert.equal(r.status, 'rejected');
    assert.deepEqual(problems(r), ['2|amount|is less than the 400.00 already applied to document INV-1']);
    const p = await load('payments.csv', [
      'payment_id,account_id,received_date,amount,currency',
      'PAY-1,A1,2026-02-20,600.00,USD',
    ]);
    assert.deepEqual(problems(p), ['2|currency|cannot change from EUR: 400.00 of payment PAY-1 is applied']);
  });

  test('reloading the same applications is a no-op', async () => {
    const r = await load('applications.csv', [
      'payment_id,document_id,applied_date,amount',
      'PAY-1,INV-1,2026-02-20,400.00',
    ]);
    assert.equal(r.status, 'loaded');
    assert.equal(r.rows_unchanged, 1);
  });
});

describe('API', () => {
  test('GET /api/ar/aging and the XLSX export', async () => {
    const res = await admin.get('/api/ar/aging?as_of=2026-03-31&buckets=30,60,90,120');
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.equal(body.rows[0].total, '1250.00');
    assert.equal(body.rows[0].name, 'Account A1');
    const bad = await admin.get('/api/ar/aging?buckets=abc');
    assert.equal(bad.statusCode, 400, bad.body);
    const x = await admin.get('/api/ar/aging/export.xlsx?as_of=2026-03-31');
    assert.equal(x.statusCode, 200);
    assert.match(String(x.headers['content-disposition']), /aging-2026-03-31\.xlsx/);
    const wb = await readWorkbook(x.rawPayload);
    const table = sheetTable(wb.getWorksheet('aging')!);
    assert.equal(table.title, 'Aging by account');
    assert.match(table.about, /^As of 2026-03-31, by due date · /);
    assert.deepEqual(table.header, [
      'Account ID',
      'Account name',
      'Currency',
      'Not due',
      '1–30 days',
      '31–60 days',
      '61–90 days',
      '91–120 days',
      'Over 120',
      'Total',
    ]);
    assert.deepEqual(table.rows[0]!.slice(0, 2), ['A1', 'Account A1']);
    assert.equal(table.rows[0]!.at(-1), 1250);
    assert.equal(table.totals[0]![0], 'Total EUR');
  });

  test('a changed application is a reversal and a new entry; the item shows its timeline', async () => {
    const r = await load('applications.csv', [
      'payment_id,document_id,applied_date,amount',
      'PAY-1,INV-1,2026-02-20,450.00',
    ]);
    assert.equal(r.status, 'loaded', JSON.stringify(r.errors));
    assert.equal(r.rows_updated, 1);
    const res = await admin.get('/api/ar/items/INV-1?as_of=2026-03-31');
    assert.equal(res.statusCode, 200, res.body);
    const item = res.json();
    assert.equal(item.item.open_amount, '550.00');
    assert.deepEqual(
      item.timeline.map((e: { kind: string; amount: string; applied_date: string }) => [
        e.kind,
        e.amount,
        e.applied_date,
      ]),
      [
        ['applied', '400.00', '2026-02-20'],
        ['reversal', '-400.00', '2026-02-20'],
        ['applied', '450.00', '2026-02-20'],
      ],
    );
    assert.deepEqual(item.applications, [
      { payment_id: 'PAY-1', document_id: 'INV-1', applied_date: '2026-02-20', amount: '450.00' },
    ]);
    // A1 as of 03-31: INV-1 550 and PAY-1 -150 in d31_60 → 400.00 still.
    const a = await aging(t.db, { as_of: '2026-03-31' });
    assert.equal(a.rows[0]!.d31_60, '400.00');
    const pay = await admin.get('/api/ar/items/PAY-1?as_of=2026-03-31');
    assert.equal(pay.json().item.open_amount, '-150.00');
    assert.equal((await admin.get('/api/ar/items/NOPE')).statusCode, 404);
    const items = await admin.get('/api/ar/items?account_id=A2&as_of=2026-03-31');
    assert.deepEqual(
      items.json().items.map((i: { item_id: string; open_amount: string }) => [i.item_id, i.open_amount]),
      [
        ['INV-5', '800.00'],
        ['PAY-3', '-300.00'],
      ],
    );
  });

  test('the aging is kept and given again only while nothing it was read from has changed', async () => {
    const query = { as_of: '2026-03-31' };
    const first = await aging(t.db, query);
    assert.equal((await aging(t.db, query)).rows, first.rows, 'the same answer, kept');
    await t.db.query(`update accounts set name = name || ' (renamed)' where account_id = 'A1'`);
    try {
      const renamed = await aging(t.db, query);
      assert.notEqual(renamed.rows, first.rows);
      assert.match(String(renamed.rows[0]!.name), /\(renamed\)$/);
    } finally {
      await t.db.query(`update accounts set name = replace(name, ' (renamed)', '') where account_id = 'A1'`);
    }
    assert.deepEqual((await aging(t.db, query)).rows, first.rows);
  });
});

describe('templates and CLI', () => {
  test('load order and partner uploads', () => {
    assert.deepEqual(loadOrder(['applications', 'payments', 'invoices', 'accounts']), [
      'accounts',
      'invoices',
      'payments',
      'applications',
    ]);
    for (const k of ['invoices', 'payments', 'applications'])
      assert.equal(findTemplate(k)?.partnerMayUpload, false);
  });

  test('clearhouse ar aging writes aging.csv and XLSX', async () => {
    const bin = path.resolve(import.meta.dirname, '..', 'bin', 'clearhouse.js');
    const run = (out: string, extra: string[] = []) =>
      new Promise<void>((resolve, reject) =>
        execFile(
          process.execPath,
          [bin, 'ar', 'aging', '--as-of', '2026-01-15', '--out', out, ...extra],
          { env: { ...process.env, DATABASE_URL: t.tdb.ownerUrl, CLEARHOUSE_HOME: dir, LOG_LEVEL: 'warn' } },
          (err, _stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve()),
        ),
      );
    const csv = path.join(dir, 'aging.csv');
    await run(csv);
    assert.equal(
      fs.readFileSync(csv, 'utf8'),
      'account_id,currency,not_due,d1_30,d31_60,d61_90,d91_120,d121_plus,total\nA1,EUR,1000.00,0.00,0.00,300.00,0.00,0.00,1300.00\n',
    );
    const byCurrency = path.join(dir, 'aging-by-currency.csv');
    // Invoice-date basis: INV-1 14 days, INV-4 75 days, both in d1_90.
    await run(byCurrency, ['--by', 'currency', '--buckets', '90', '--basis', 'invoice-date']);
    assert.equal(
      fs.readFileSync(byCurrency, 'utf8'),
      'currency,not_due,d1_90,d91_plus,total\nEUR,0.00,1300.00,0.00,1300.00\n',
    );
    const xlsx = path.join(dir, 'aging.xlsx');
    await run(xlsx);
    const wb = await readWorkbook(fs.readFileSync(xlsx));
    assert.equal(sheetTable(wb.getWorksheet('aging')!).rows[0]![0], 'A1');
  });
});
