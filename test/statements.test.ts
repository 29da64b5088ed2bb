import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  accountStatement,
  accountStatements,
  aging,
  statementPdf,
  statementXlsx,
} from '../src/modules/receivables/index.ts';
import { addAccount, addUser, Browser, createTestApp, type TestApp } from './helpers/app.ts';
import { pdfText } from './helpers/pdf.ts';
import { readWorkbook, sheetRecords, sheetTable } from './helpers/xlsx.ts';

/**
 * The statement of account against figures worked out by hand. Account S1 (EUR), period March 2026:
 * - opening (open on 2026-02-28): INV-10 1000.00 + INV-11 430.00 = 1430.00
 * - activity: INV-12 +5500.00 (03-05), PAY-10 −600.00 (03-10, applied to INV-10), CM-10 −150.00 (03-15, 100
 *   applied to INV-11), PAY-11 −250.00 (03-20, unapplied) → closing 1430 + 5500 − 600 − 150 − 250 = 5930.00
 * - open on 03-31: INV-10 400 (due 02-14, 45 days, d31_60), INV-11 330 (due 03-12, 19 days, d1_30), INV-12
 *   5500 (due 04-04, not_due), CM-10 −50 (16 days, d1_30), PAY-11 −250 (11 days, d1_30) = 5930.00
 */
let t: TestApp;

before(async () => {
  t = await createTestApp();
  await addAccount(t.db, 'S1', { name: 'Stellar Supplies GmbH', billing_email: 'ap@stellar.test' });
  await addAccount(t.db, 'S2');
  await t.db.query(
    `insert into ar_documents (account_id, document_id, type, document_date, due_date, currency, amount, reference)
     values
       ('S1', 'INV-10', 'invoice', '2026-01-15', '2026-02-14', 'EUR', '1000.00', 'PO 77'),
       ('S1', 'INV-11', 'invoice', '2026-02-10', '2026-03-12', 'EUR', '430.00', null),
       ('S1', 'INV-12', 'invoice', '2026-03-05', '2026-04-04', 'EUR', '5500.00', null),
       ('S1', 'CM-10', 'credit_memo', '2026-03-15', '2026-03-15', 'EUR', '150.00', 'returns'),
       ('S1', 'INV-13', 'invoice', '2026-04-02', '2026-05-02', 'EUR', '70.00', null),
       ('S2', 'INV-20', 'invoice', '2026-03-02', '2026-04-01', 'EUR', '99.00', null)`,
  );
  await t.db.query(
    `insert into ar_payments (account_id, payment_id, received_date, amount, currency) values
       ('S1', 'PAY-10', '2026-03-10', '600.00', 'EUR'),
       ('S1', 'PAY-11', '2026-03-20', '250.00', 'EUR')`,
  );
  await t.db.query(
    `insert into ar_applications (account_id, payment_id, document_id, applied_date, amount) values
       ('S1', 'PAY-10', 'INV-10', '2026-03-10', '600.00'),
       ('S1', 'CM-10', 'INV-11', '2026-03-15', '100.00')`,
  );
});
after(() => t.close());

describe('statement of account', () => {
  test('opening balance, activity, closing balance and open items agree with the aging', async () => {
    const s = await accountStatement(t.db, { account_id: 'S1', as_of: '2026-03-31' });
    assert.equal(s.from, '2026-03-01');
    assert.equal(s.opening_date, '2026-02-28');
    assert.equal(s.statements.length, 1);
    const st = s.statements[0]!;
    assert.equal(st.currency, 'EUR');
    assert.equal(st.opening_balance, '1430.00');
    assert.deepEqual(
      st.activity.map((l) => [l.date, l.kind, l.item_id, l.amount, l.applied, l.balance]),
      [
        ['2026-03-05', 'invoice', 'INV-12', '5500.00', null, '6930.00'],
        ['2026-03-10', 'payment', 'PAY-10', '-600.00', null, '6330.00'],
        ['2026-03-10', 'application', 'PAY-10', '0.00', '600.00', '6330.00'],
        ['2026-03-15', 'credit_memo', 'CM-10', '-150.00', null, '6180.00'],
        ['2026-03-15', 'application', 'CM-10', '0.00', '100.00', '6180.00'],
        ['2026-03-20', 'payment', 'PAY-11', '-250.00', null, '5930.00'],
      ],
    );
    assert.equal(st.charges, '5500.00');
    assert.equal(st.credits, '-1000.00');
    assert.equal(st.closing_balance, '5930.00');
    assert.deepEqual(
      st.open_items.map((i) => [i.item_id, i.open_amount, i.days_past_due, i.bucket]),
      [
        ['INV-10', '400.00', 45, 'd31_60'],
        ['INV-11', '330.00', 19, 'd1_30'],
        ['CM-10', '-50.00', 16, 'd1_30'],
        ['PAY-11', '-250.00', 11, 'd1_30'],
        ['INV-12', '5500.00', -4, 'not_due'],
      ],
    );
    // Netting: 730.00 past due (INV-10, INV-11) less the credits owed to the customer (CM-10 50.00 open,
    // PAY-11 250.00 unapplied) is what the statement asks for.
    assert.deepEqual([st.past_due, st.open_credits, st.net_past_due], ['730.00', '-300.00', '430.00']);
    // The aging of the same day, for the same account and currency, is the statement's summary.
    const report = await aging(t.db, { as_of: '2026-03-31' });
    const row = report.rows.find((r) => r.account_id === 'S1' && r.currency === 'EUR')!;
    for (const b of report.buckets) assert.equal(st.aging[b.key], row[b.key], b.key);
    assert.equal(st.aging.total, row.total);
    assert.equal(row.total, st.closing_balance);
    // The opening balance is the aging total of the day before the period.
    const before = await aging(t.db, { as_of: '2026-02-28' });
    assert.equal(before.rows.find((r) => r.account_id === 'S1')!.total, st.opening_balance);
  });

  test('a custom period; an account with nothing at all still gets a statement in its currency', async () => {
    const s = await accountStatement(t.db, { account_id: 'S1', as_of: '2026-04-05', from: '2026-03-11' });
    const st = s.statements[0]!;
    assert.equal(st.opening_balance, '6330.00');
    assert.equal(st.closing_balance, '6000.00'); // + INV-13 70, the March credits after 03-10
    await addAccount(t.db, 'S-EMPTY', { currency: 'CHF' });
    const empty = await accountStatement(t.db, { account_id: 'S-EMPTY', as_of: '2026-03-31' });
    assert.deepEqual(
      empty.statements.map((x) => [x.currency, x.opening_balance, x.closing_balance]),
      [['CHF', '0.00', '0.00']],
    );
    await assert.rejects(accountStatement(t.db, { account_id: 'NOPE', as_of: '2026-03-31' }), /not found/);
  });

  test('the PDF shows the header, contacts, figures with grouping and page numbers', async () => {
    const s = await accountStatement(t.db, { account_id: 'S1', as_of: '2026-03-31' });
    const pdf = await statementPdf(s, { compress: false });
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
    const text = pdfText(pdf);
    for (const expected of [
      'Clearhouse',
      'Statement of account',
      'Stellar Supplies GmbH',
      'ap@stellar.test',
      'Opening balance on 2026-02-28',
      '1,430.00',
      '5,500.00',
      '5,930.00 EUR',
      'Invoice INV-12',
      'Payment PAY-11',
      'Credit memo CM-10',
      'Applied 600.00 of PAY-10',
      '-250.00',
      'Credits in your favour',
      '-300.00 EUR',
      'Past due after your credits',
      '430.00 EUR',
      'Page 1 of 1',
    ])
      assert.ok(text.includes(expected), `${expected} in:\n${text}`);
    // Compressed (the default) is a valid PDF as well.
    assert.equal((await statementPdf(s)).subarray(0, 5).toString(), '%PDF-');
  });

  test('the XLSX has Activity, Open items and Aging', async () => {
    const s = await accountStatement(t.db, { account_id: 'S1', as_of: '2026-03-31' });
    const wb = await readWorkbook(await statementXlsx(s));
    // The layout of every export: a title row, the period and company, the header in words.
    const sheet = (name: string) => sheetRecords(wb.getWorksheet(name)!);
    assert.match(String(wb.getWorksheet('Activity')!.getCell('A1').value), /^Statement of account S1 /);
    const activity = sheet('Activity');
    assert.equal(activity[0]!.Type, 'Opening balance');
    assert.equal(activity[0]!.Balance, 1430);
    assert.equal(activity.at(-1)!.Type, 'Closing balance');
    assert.equal(activity.at(-1)!.Balance, 5930);
    assert.equal(activity.length, 8);
    assert.ok(
      activity.every((r) => !String(r.Type).includes('_')),
      'document types in words',
    );
    assert.deepEqual(
      sheet('Open items').map((r) => [r.Item, r.Open, r.Bucket]),
      [
        ['INV-10', 400, '31–60 days'],
        ['INV-11', 330, '1–30 days'],
        ['CM-10', -50, '1–30 days'],
        ['PAY-11', -250, '1–30 days'],
        ['INV-12', 5500, 'Not due'],
      ],
    );
    assert.deepEqual(sheetTable(wb.getWorksheet('Open items')!).totals[0]?.slice(0, 1), ['Total EUR']);
    assert.equal(sheetTable(wb.getWorksheet('Open items')!).totals[0]?.at(-1), 5930);
    const agingRow = sheet('Aging')[0]!;
    assert.equal(agingRow['Not due'], 5500);
    assert.equal(agingRow['1–30 days'], 30);
    assert.equal(agingRow['31–60 days'], 400);
    assert.equal(agingRow.Total, 5930);
  });

  test('over HTTP: PDF and XLSX; a partner has its own statement and not another organisation’s', async () => {
    const admin = await addUser(t.db, 'st-admin@corp.test', ['administrator']);
    const partner = await addUser(t.db, 'ap@s2.test', ['partner'], 'S2');
    const a = await Browser.signedIn(t.app, admin.email, admin.password);
    const p = await Browser.signedIn(t.app, partner.email, partner.password);
    const pdf = await a.get('/api/ar/statement.pdf?account_id=S1&as_of=2026-03-31');
    assert.equal(pdf.statusCode, 200, pdf.body);
    assert.equal(pdf.headers['content-type'], 'application/pdf');
    assert.match(String(pdf.headers['content-disposition']), /statement-S1-2026-03-31\.pdf/);
    assert.ok(pdfText(pdf.rawPayload).includes('5,930.00'));
    const xlsx = await a.get('/api/ar/statement.xlsx?account_id=S1&as_of=2026-03-31');
    assert.equal(xlsx.statusCode, 200, xlsx.body);
    assert.equal((await p.get('/api/ar/statement.pdf?account_id=S2&as_of=2026-03-31')).statusCode, 200);
    assert.equal((await p.get('/api/ar/statement.pdf?account_id=S1&as_of=2026-03-31')).statusCode, 404);
    assert.equal((await a.get('/api/ar/statement.pdf?account_id=S1&as_of=2026-02-30')).statusCode, 400);
  });

  test('the CLI writes the PDF or XLSX, and the statement run keeps the e-mails in the outbox', async () => {
    const bin = path.resolve(import.meta.dirname, '..', 'bin', 'clearhouse.js');
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME };
    Object.assign(env, { DATABASE_URL: t.tdb.ownerUrl, CLEARHOUSE_HOME: t.home, LOG_LEVEL: 'warn' });
    const run = (args: string[]) =>
      new Promise<string>((resolve, reject) =>
        execFile(
          process.execPath,
          [bin, '--json', ...args],
          { env, timeout: 60_000 },
          (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout)),
        ),
      );
    const pdfFile = path.join(t.home, 'S1.pdf');
    const out = JSON.parse(
      await run(['ar', 'statement', '--account', 'S1', '--as-of', '2026-03-31', '--out', pdfFile]),
    );
    assert.deepEqual(out.balances, [
      { currency: 'EUR', opening_balance: '1430.00', closing_balance: '5930.00' },
    ]);
    assert.equal(fs.readFileSync(pdfFile).subarray(0, 5).toString(), '%PDF-');
    const xlsxFile = path.join(t.home, 'S1.xlsx');
    await run([
      'ar',
      'statement',
      '--account',
      'S1',
      '--as-of',
      '2026-03-31',
      '--from',
      '2026-02-01',
      '--out',
      xlsxFile,
    ]);
    assert.equal(fs.readFileSync(xlsxFile).subarray(0, 2).toString(), 'PK');

    const result = JSON.parse(await run(['ar', 'statements', 'run', '--as-of', '2026-03-31']));
    assert.equal(result.queued, 1); // S1 only: S2 has no billing contact
    assert.equal(result.sent, 1);
    const eml = fs.readFileSync(path.join(t.home, 'outbox', `${result.email_ids[0]}.eml`), 'utf8');
    assert.match(eml, /To: ap@stellar\.test/);
    assert.match(eml, /application\/pdf/);
  });
});

/**
 * Table-driven: account S3 (EUR) over May–July 2026, worked out by hand.
 * - INV-31 1000.00 (05-02, due 06-01): PAY-31 600.00 received and applied 06-05 (partial), PAY-32 400.00
 *   received and applied 07-03 (a payment after the June as-of date).
 * - INV-32 400.00 (05-20, due 06-30: due on the June as-of date): CM-31 50.00 applied 06-15, PAY-33 250.00
 *   received 06-25 but applied only on 07-02 (an application after the as-of date: unapplied cash in June).
 * - CM-31 a credit memo of 120.00 (06-10), 70.00 of it still open.
 * - INV-33 300.00 (07-01, due 07-31: due on the July as-of date; it does not exist yet in June).
 */
describe('statement of account, table-driven', () => {
  before(async () => {
    await addAccount(t.db, 'S3', { name: 'Table Driven GmbH' });
    await t.db.query(
      `insert into ar_documents (account_id, document_id, type, document_date, due_date, currency, amount) values
         ('S3', 'INV-31', 'invoice', '2026-05-02', '2026-06-01', 'EUR', '1000.00'),
         ('S3', 'INV-32', 'invoice', '2026-05-20', '2026-06-30', 'EUR', '400.00'),
         ('S3', 'CM-31', 'credit_memo', '2026-06-10', '2026-06-10', 'EUR', '120.00'),
         ('S3', 'INV-33', 'invoice', '2026-07-01', '2026-07-31', 'EUR', '300.00')`,
    );
    await t.db.query(
      `insert into ar_payments (account_id, payment_id, received_date, amount, currency) values
         ('S3', 'PAY-31', '2026-06-05', '600.00', 'EUR'),
         ('S3', 'PAY-32', '2026-07-03', '400.00', 'EUR'),
         ('S3', 'PAY-33', '2026-06-25', '250.00', 'EUR')`,
    );
    await t.db.query(
      `insert into ar_applications (account_id, payment_id, document_id, applied_date, amount) values
         ('S3', 'PAY-31', 'INV-31', '2026-06-05', '600.00'),
         ('S3', 'CM-31', 'INV-32', '2026-06-15', '50.00'),
         ('S3', 'PAY-33', 'INV-32', '2026-07-02', '250.00'),
         ('S3', 'PAY-32', 'INV-31', '2026-07-03', '400.00')`,
    );
  });

  interface Case {
    name: string;
    as_of: string;
    from: string;
    opening: string;
    /** [date, kind, item, amount, applied, balance] */
    activity: [string, string, string, string, string | null, string][];
    closing: string;
    /** [item, open, days past due, bucket] */
    open: [string, string, number, string][];
    aging: Partial<Record<'not_due' | 'd1_30' | 'd31_60' | 'd61_90', string>>;
  }
  const cases: Case[] = [
    {
      // Opening on 05-31: 1000 + 400. June: −600 (partial payment), −120 (credit memo), −250 (unapplied
      // cash) → 430.00. PAY-32 and INV-33 do not exist yet, PAY-33's application of 07-02 not either.
      // Open: INV-31 400 (29 days), INV-32 350 due that day (not due), CM-31 −70 (20), PAY-33 −250 (5).
      name: 'June: a partial payment, a credit memo, cash applied later, an item due on the as-of date',
      as_of: '2026-06-30',
      from: '2026-06-01',
      opening: '1400.00',
      activity: [
        ['2026-06-05', 'payment', 'PAY-31', '-600.00', null, '800.00'],
        ['2026-06-05', 'application', 'PAY-31', '0.00', '600.00', '800.00'],
        ['2026-06-10', 'credit_memo', 'CM-31', '-120.00', null, '680.00'],
        ['2026-06-15', 'application', 'CM-31', '0.00', '50.00', '680.00'],
        ['2026-06-25', 'payment', 'PAY-33', '-250.00', null, '430.00'],
      ],
      closing: '430.00',
      open: [
        ['INV-31', '400.00', 29, 'd1_30'],
        ['CM-31', '-70.00', 20, 'd1_30'],
        ['PAY-33', '-250.00', 5, 'd1_30'],
        ['INV-32', '350.00', 0, 'not_due'],
      ],
      aging: { not_due: '350.00', d1_30: '80.00', d31_60: '0.00' },
    },
    {
      // Opening on 06-30: 430.00. July: +300 (INV-33), PAY-33 applied (no change), −400 (PAY-32, applied
      // at once) → 330.00. Open: INV-32 100 (31 days), CM-31 −70 (51 days), INV-33 300 due that day.
      name: 'July: the later payment and application count, a new invoice due on the as-of date',
      as_of: '2026-07-31',
      from: '2026-07-01',
      opening: '430.00',
      activity: [
        ['2026-07-01', 'invoice', 'INV-33', '300.00', null, '730.00'],
        ['2026-07-02', 'application', 'PAY-33', '0.00', '250.00', '730.00'],
        ['2026-07-03', 'payment', 'PAY-32', '-400.00', null, '330.00'],
        ['2026-07-03', 'application', 'PAY-32', '0.00', '400.00', '330.00'],
      ],
      closing: '330.00',
      open: [
        ['CM-31', '-70.00', 51, 'd31_60'],
        ['INV-32', '100.00', 31, 'd31_60'],
        ['INV-33', '300.00', 0, 'not_due'],
      ],
      aging: { not_due: '300.00', d1_30: '0.00', d31_60: '30.00' },
    },
    {
      // Before any payment: both invoices whole, INV-31 3 days past due.
      name: 'early June: nothing paid yet, a period without activity',
      as_of: '2026-06-04',
      from: '2026-06-01',
      opening: '1400.00',
      activity: [],
      closing: '1400.00',
      open: [
        ['INV-31', '1000.00', 3, 'd1_30'],
        ['INV-32', '400.00', -26, 'not_due'],
      ],
      aging: { not_due: '400.00', d1_30: '1000.00' },
    },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      const s = await accountStatement(t.db, { account_id: 'S3', as_of: c.as_of, from: c.from });
      const [st] = s.statements;
      assert.equal(s.statements.length, 1);
      assert.equal(st!.opening_balance, c.opening);
      assert.deepEqual(
        st!.activity.map((l) => [l.date, l.kind, l.item_id, l.amount, l.applied, l.balance]),
        c.activity,
      );
      assert.equal(st!.closing_balance, c.closing);
      assert.deepEqual(
        st!.open_items.map((i) => [i.item_id, i.open_amount, i.days_past_due, i.bucket]),
        c.open,
      );
      for (const [bucket, amount] of Object.entries(c.aging)) assert.equal(st!.aging[bucket], amount, bucket);
      assert.equal(st!.aging.total, c.closing);
      // The aging of that day and the day before the period agree with the statement.
      const day = (await aging(t.db, { as_of: c.as_of })).rows.find((r) => r.account_id === 'S3')!;
      assert.equal(day.total, c.closing);
      for (const b of s.buckets) assert.equal(day[b.key], st!.aging[b.key], b.key);
      const before = (await aging(t.db, { as_of: s.opening_date })).rows.find((r) => r.account_id === 'S3');
      assert.equal(before?.total ?? '0.00', c.opening);
    });
  }
});

describe('statements of many accounts at once', () => {
  test('read set-based, each is the one read alone, nothing of one account in another’s', async () => {
    // S4 has documents, payments and applications of its own, in the same months as S1's.
    await addAccount(t.db, 'S4', { name: 'Same Ids BV' });
    await t.db.query(
      `insert into ar_documents (account_id, document_id, type, document_date, due_date, currency, amount) values
         ('S4', 'INV-40', 'invoice', '2026-01-20', '2026-02-19', 'EUR', '2000.00'),
         ('S4', 'CM-40', 'credit_memo', '2026-03-02', '2026-03-02', 'EUR', '80.00')`,
    );
    await t.db.query(
      `insert into ar_payments (account_id, payment_id, received_date, amount, currency) values
         ('S4', 'PAY-40', '2026-03-04', '900.00', 'EUR')`,
    );
    await t.db.query(
      `insert into ar_applications (account_id, payment_id, document_id, applied_date, amount) values
         ('S4', 'PAY-40', 'INV-40', '2026-03-04', '900.00'),
         ('S4', 'CM-40', 'INV-40', '2026-03-05', '80.00')`,
    );
    const many = await accountStatements(t.db, ['S4', 'NOPE', 'S1', 'S2'], { as_of: '2026-03-31' });
    assert.deepEqual(
      many.map((s) => s.account.account_id),
      ['S4', 'S1', 'S2'],
    );
    for (const s of many)
      assert.deepEqual(
        s,
        await accountStatement(t.db, { account_id: s.account.account_id, as_of: '2026-03-31' }),
      );
    const s1 = many[1]!.statements[0]!;
    assert.equal(s1.closing_balance, '5930.00');
    assert.deepEqual(
      s1.open_items.map((i) => [i.item_id, i.open_amount]),
      [
        ['INV-10', '400.00'],
        ['INV-11', '330.00'],
        ['CM-10', '-50.00'],
        ['PAY-11', '-250.00'],
        ['INV-12', '5500.00'],
      ],
    );
    const s4 = many[0]!.statements[0]!;
    // INV-40 2000 − 900 − 80 = 1020 open; CM-40 fully applied; PAY-40 fully applied.
    assert.equal(s4.closing_balance, '1020.00');
    assert.deepEqual(
      s4.open_items.map((i) => [i.item_id, i.open_amount]),
      [['INV-40', '1020.00']],
    );
  });
});
