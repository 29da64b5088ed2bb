import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { systemActor } from '../src/db/db.ts';
import { sendQueued } from '../src/modules/correspondence/index.ts';
import { saveOrder } from '../src/modules/credit/index.ts';
import { runDueWd8, runWd8, wd8Date } from '../src/modules/reviews/index.ts';
import { addAccount, addUser, Browser, createTestApp, type TestApp } from './helpers/app.ts';
import { pdfText } from './helpers/pdf.ts';
import { type SmtpPeer, startSmtpPeer } from './helpers/smtp.ts';
import { readWorkbook, sheetTable } from './helpers/xlsx.ts';

/**
 * Reviews (CONTROLS.md "Reviews"; FORMATS.md top40.csv) on a hand-computed book as of 2026-06-30, reporting in
 * USD: the Top 40 in the reporting currency (two currencies on one account, each bucket converted at the latest
 * rate on or before the date and rounded half away from zero, a tie broken by account id, a negative past due
 * left out), the collectors' comments, WWCH, the WD8 day in several countries' calendars, the packet's XLSX and
 * PDF and its e-mail to the managers once per country and month.
 */

let t: TestApp;
let manager: Browser;
let collector: Browser;
let partner: Browser;
let smtp: SmtpPeer;
const asOf = '2026-06-30';
const system = () => t.db.as(systemActor('test'));

async function doc(
  account: string,
  id: string,
  amount: string,
  due: string,
  currency: string,
  date = '2026-03-01',
) {
  await t.db.query(
    `insert into ar_documents (account_id, document_id, type, document_date, due_date, currency, amount)
     values ($1, $2, 'invoice', $3, $4, $5, $6)`,
    [account, id, date, due, currency, amount],
  );
}

before(async () => {
  smtp = await startSmtpPeer();
  t = await createTestApp();
  await addAccount(t.db, 'TA-US', { country: 'US', currency: 'USD', collector: 'cara', name: 'Alpha Inc' });
  await addAccount(t.db, 'TB-DE', { country: 'DE', currency: 'EUR', collector: 'dirk', name: 'Beta GmbH' });
  await addAccount(t.db, 'TC-GB', { country: 'GB', currency: 'GBP', collector: 'cara', name: 'Gamma Ltd' });
  await addAccount(t.db, 'TD-US', { country: 'US', currency: 'USD', collector: 'cara', name: 'Delta Co' });
  await addAccount(t.db, 'TE-US', { country: 'US', currency: 'USD', name: 'Epsilon LLC' });
  await addAccount(t.db, 'P-ORG', { country: 'US', currency: 'USD', name: 'Partner org' });
  // Rates into USD: EUR 1.15 from June (1.10 before, 1.30 from July, which a June review never uses); GBP 1.25.
  await t.db.query(
    `insert into fx_rates (currency, rate_date, rate) values
       ('EUR', '2026-05-01', 1.10), ('EUR', '2026-06-01', 1.15), ('EUR', '2026-07-01', 1.30),
       ('GBP', '2026-01-01', 1.25)`,
  );
  // TA-US: 1,000.00 USD 45 days past due (31–60).
  await doc('TA-US', 'TA-1', '1000.00', '2026-05-16', 'USD');
  // TB-DE: 900.00 EUR 10 days past due → 1,035.00; 10.10 EUR 70 days past due → 11.615 → 11.62 (half away
  // from zero); and 500.00 USD 10 days past due. 1–30: 1,535.00, 61–90: 11.62, past due 1,546.62.
  await doc('TB-DE', 'TB-1', '900.00', '2026-06-20', 'EUR');
  await doc('TB-DE', 'TB-2', '10.10', '2026-04-21', 'EUR');
  await doc('TB-DE', 'TB-3', '500.00', '2026-06-20', 'USD');
  await doc('TB-DE', 'TB-4', '777.00', '2026-07-15', 'EUR');
  // TC-GB: 300.00 GBP 40 days past due, but 500.00 unapplied cash received 5 days ago: −200.00 GBP past due.
  await doc('TC-GB', 'TC-1', '300.00', '2026-05-21', 'GBP');
  await t.db.query(
    `insert into ar_payments (account_id, payment_id, received_date, amount, currency)
     values ('TC-GB', 'PAY-C', '2026-06-25', 500.00, 'GBP')`,
  );
  // TD-US: exactly as much past due as TA-US (ranked after it by account id), over 120 days.
  await doc('TD-US', 'TD-1', '1000.00', '2026-01-31', 'USD', '2026-01-01');
  // TE-US: nothing past due.
  await doc('TE-US', 'TE-1', '5000.00', '2026-07-31', 'USD');

  await t.db.query(
    `insert into promises (account_id, amount, currency, made_on, promised_date, status)
     values ('TA-US', 400.00, 'USD', '2026-06-20', '2026-07-05', 'open')`,
  );
  await t.db.query(
    `insert into activities (account_id, kind, body, actor, occurred_at)
     values ('TA-US', 'comment', 'Spoke to AP: payment run on Friday', 'cara', '2026-06-24T10:00:00Z')`,
  );
  const m = await addUser(t.db, 'manager@corp.test', ['manager']);
  const c = await addUser(t.db, 'cara@corp.test', ['collector']);
  const p = await addUser(t.db, 'p@partner.test', ['partner'], 'P-ORG');
  manager = await Browser.signedIn(t.app, m.email, m.password);
  collector = await Browser.signedIn(t.app, c.email, c.password);
  partner = await Browser.signedIn(t.app, p.email, p.password);
});

after(async () => {
  await t.close();
  await smtp.close();
});

describe('Top 40', () => {
  test('ranks past due in the reporting currency, each bucket converted and rounded; negative past due never appears', async () => {
    const res = await manager.get(`/api/reviews/top40/export?as_of=${asOf}`);
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(
      res.body,
      [
        'rank,account_id,name,past_due,d1_30,d31_60,d61_90,d91_120,d121_plus,collector,oldest_due_date',
        '1,TB-DE,Beta GmbH,1546.62,1535.00,0.00,11.62,0.00,0.00,dirk,2026-04-21',
        '2,TA-US,Alpha Inc,1000.00,0.00,1000.00,0.00,0.00,0.00,cara,2026-05-16',
        '3,TD-US,Delta Co,1000.00,0.00,0.00,0.00,0.00,1000.00,cara,2026-01-31',
        '',
      ].join('\n'),
    );
  });

  test('shows the last action, the open promise and the comment; a comment is audited', async () => {
    const put = await collector.put('/api/reviews/top40/TA-US/comment', {
      as_of: asOf,
      comment: 'Payment run Friday; 400 promised.',
    });
    assert.equal(put.statusCode, 200, put.body);
    const again = await collector.put('/api/reviews/top40/TA-US/comment', {
      as_of: asOf,
      comment: 'Paid 400 on 3 July; rest by the 15th.',
    });
    assert.equal(again.statusCode, 200, again.body);
    const res = await manager.get(`/api/reviews/top40?as_of=${asOf}`);
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.equal(body.currency, 'USD');
    const a = body.accounts.find((x: { account_id: string }) => x.account_id === 'TA-US');
    assert.equal(a.review_comment.comment, 'Paid 400 on 3 July; rest by the 15th.');
    assert.equal(a.review_comment.written_by, 'cara');
    assert.deepEqual(a.open_promise, { promised_date: '2026-07-05', amount: '400.00', currency: 'USD' });
    assert.equal(a.last_action.body, 'Spoke to AP: payment run on Friday');
    // Another review date has its own comments.
    const other = (await manager.get('/api/reviews/top40?as_of=2026-07-31')).json();
    assert.equal(
      other.accounts.find((x: { account_id: string }) => x.account_id === 'TA-US').review_comment,
      null,
    );
    const { rows } = await t.db.query<{ before: { comment: string } | null; after: { comment: string } }>(
      `select before, after from audit_events where entity_type = 'account' and entity_id = 'TA-US'
         and action = 'review_comment' order by occurred_at`,
    );
    assert.equal(rows.length, 2);
    assert.equal(rows[0]!.before, null);
    assert.equal(rows[1]!.before?.comment, 'Payment run Friday; 400 promised.');
  });

  test('a partner cannot read the Top 40 nor write a comment (403)', async () => {
    assert.equal((await partner.get(`/api/reviews/top40?as_of=${asOf}`)).statusCode, 403);
    assert.equal(
      (await partner.put('/api/reviews/top40/P-ORG/comment', { as_of: asOf, comment: 'x' })).statusCode,
      403,
    );
  });

  test('a currency without a rate on the date is named, not left out', async () => {
    const res = await manager.get('/api/reviews/top40?as_of=2026-04-30');
    assert.equal(res.statusCode, 409, res.body);
    assert.match(res.json().error.message, /EUR on 2026-04-30/);
  });
});

describe('WWCH', () => {
  test('every account with orders on hold, all countries, with hold amount, exposure, limit and recommendation', async () => {
    await t.db.query(
      `insert into credit_limits (account_id, currency, amount) values ('TA-US', 'USD', 5000.00)`,
    );
    for (const [order_id, account_id, amount, currency] of [
      ['SO-A1', 'TA-US', '1200.00', 'USD'],
      ['SO-A2', 'TA-US', '300.00', 'USD'],
      ['SO-B1', 'TB-DE', '50.00', 'EUR'],
    ] as const)
      await saveOrder(t.db, { order_id, account_id, order_date: '2026-06-28', amount, currency });
    const res = await manager.get(`/api/reviews/wwch?as_of=${asOf}`);
    assert.equal(res.statusCode, 200, res.body);
    const rows = res.json().accounts as Record<string, unknown>[];
    assert.deepEqual(
      rows.map((r) => [
        r.account_id,
        r.country,
        r.orders,
        r.hold_amount,
        r.exposure,
        r.credit_limit,
        r.recommendation,
      ]),
      [
        // TB-DE: an item 70 days past due → hold, first; TA-US: 45 days past due → review.
        ['TB-DE', 'DE', 1, '50.00', '1737.10', null, 'hold'],
        ['TA-US', 'US', 2, '1500.00', '2500.00', '5000.00', 'review'],
      ],
    );
    assert.equal((await partner.get('/api/reviews/wwch')).statusCode, 403);
  });
});

describe('WD8', () => {
  test('the 8th working day in each country’s calendar (nationwide holidays only)', () => {
    const cases: [string, string, string][] = [
      ['US', '2026-01', '2026-01-13'], // New Year's Day
      ['GB', '2026-01', '2026-01-13'], // 2 January (Scotland's) is a working day
      ['DE', '2026-01', '2026-01-13'], // Epiphany is regional
      ['US', '2026-04', '2026-04-10'], // no Easter holidays
      ['GB', '2026-04', '2026-04-13'], // Good Friday; Easter Monday is not Scotland's, so not the whole UK's
      ['DE', '2026-04', '2026-04-14'],
      ['US', '2026-05', '2026-05-12'],
      ['GB', '2026-05', '2026-05-13'], // early May bank holiday
      ['DE', '2026-05', '2026-05-13'], // Labour Day
      ['US', '2026-09', '2026-09-11'], // Labor Day
    ];
    for (const [country, month, day] of cases)
      assert.equal(wd8Date(country, month), day, `${country} ${month}`);
  });

  test('the packet: an XLSX sheet per part and a PDF that reads, e-mailed to the managers once per country and month', async () => {
    const first = await runWd8(system(), t.store, { country: 'DE', month: '2026-07' });
    assert.equal(first.created, true);
    assert.equal(first.packet.review_date, '2026-07-10');
    const second = await runWd8(system(), t.store, { country: 'DE', month: '2026-07' });
    assert.equal(second.created, false);
    assert.equal(second.packet.email_id, first.packet.email_id);
    const { rows: mails } = await t.db.query<{ to_addresses: string[]; n: number; subject: string }>(
      `select to_addresses, cardinality(attachments) as n, subject from emails where kind = 'review_packet'`,
    );
    assert.equal(mails.length, 1);
    assert.deepEqual(mails[0]!.to_addresses, ['manager@corp.test']);
    assert.equal(mails[0]!.n, 2);
    assert.match(mails[0]!.subject, /WD8 review 2026-07 · DE/);
    // Delivered over SMTP with both files.
    await sendQueued(t.db, { store: t.store });
    const mail = smtp.received.find((m) => m.to.includes('manager@corp.test'));
    assert.ok(mail);
    assert.match(mail.raw, /filename=wd8-2026-07-DE\.pdf/);
    assert.match(mail.raw, /filename=wd8-2026-07-DE\.xlsx/);

    const xlsx = await manager.get('/api/reviews/wd8?month=2026-07&country=DE&format=xlsx');
    assert.equal(xlsx.statusCode, 200, xlsx.body);
    const wb = await readWorkbook(xlsx.rawPayload);
    assert.deepEqual(
      wb.worksheets.map((w) => w.name),
      ['Aging', 'Top 40', 'Credit holds', 'Adjustments', 'Deductions', 'Measures'],
    );
    const agingSheet = sheetTable(wb.getWorksheet('Aging')!);
    assert.deepEqual(agingSheet.header, ['Days past due', 'As of 2026-05-31', 'As of 2026-06-30', 'Change']);
    // DE only: TB-DE. At 2026-06-30, 1–30 = 900 EUR × 1.15 + 500 USD; at 2026-05-31, 900 EUR was not yet dated…
    const bucket = (label: string) => agingSheet.rows.find((r) => r[0] === label);
    assert.deepEqual(bucket('1–30 days'), ['1–30 days', 0, 1535, 1535]);
    assert.deepEqual(bucket('31–60 days'), ['31–60 days', 11.11, 0, -11.11]); // 10.10 EUR × 1.10 on 05-31
    const top = sheetTable(wb.getWorksheet('Top 40')!);
    assert.deepEqual(
      top.rows.map((r) => r[1]),
      ['TB-DE'],
    );

    const pdf = await manager.get('/api/reviews/wd8?month=2026-07&country=DE&format=pdf');
    assert.equal(pdf.statusCode, 200);
    if (process.env.REVIEWS_KEEP_PDF) fs.writeFileSync(process.env.REVIEWS_KEEP_PDF, pdf.rawPayload);
    const text = pdfText(pdf.rawPayload);
    for (const heading of [
      'WD8 review packet',
      'Aging as of 2026-06-30 against 2026-05-31',
      'Top 40 past-due accounts as of 2026-06-30',
      'Credit-hold review (WWCH) on 2026-07-10',
      'Write-offs and adjustments posted in 2026-06',
      'Open deductions by queue',
    ])
      assert.ok(text.includes(heading), `${heading} in the PDF`);
    assert.ok(text.includes('1,535.00'));
    assert.equal((await partner.get('/api/reviews/wd8?month=2026-07')).statusCode, 403);
  });

  test('the daily job makes the packets of the countries whose 8th working day it is, catching up a missed day', async () => {
    assert.deepEqual(await runDueWd8(system(), t.store, '2026-08-11'), []); // the 7th everywhere
    // 2026-08-12 is the 8th working day in DE, GB and US (no holiday before it in any of them).
    const runs = await runDueWd8(system(), t.store, '2026-08-12');
    assert.deepEqual(
      runs.map((r) => [r.packet.country, r.packet.review_date, r.created]),
      [
        ['DE', '2026-08-12', true],
        ['GB', '2026-08-12', true],
        ['US', '2026-08-12', true],
      ],
    );
    // The next day (or a second worker): nothing more.
    const again = await runDueWd8(system(), t.store, '2026-08-13');
    assert.deepEqual(
      again.map((r) => r.created),
      [false, false, false],
    );
    // A job that did not run on a country's 8th working day makes the packet on its next run in the month.
    const late = await runDueWd8(system(), t.store, '2026-09-15');
    assert.deepEqual(
      late.map((r) => [r.packet.country, r.packet.review_date, r.created]),
      [
        ['DE', '2026-09-10', true],
        ['GB', '2026-09-10', true],
        ['US', '2026-09-11', true],
      ],
    );
    const { rows } = await t.db.query<{ n: number }>(
      `select count(*)::int as n from emails where kind = 'review_packet' and subject like 'WD8 review 2026-08%'`,
    );
    assert.equal(rows[0]!.n, 3);
  });

  test('the CLI writes top40.csv and the packet', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clearhouse-reviews-'));
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const key of Object.keys(env))
      if (
        key.startsWith('NODE_TEST') ||
        (key.startsWith('CLEARHOUSE_') && !key.startsWith('CLEARHOUSE_TEST'))
      )
        delete env[key];
    delete env.NODE_OPTIONS;
    Object.assign(env, {
      DATABASE_URL: t.tdb.ownerUrl,
      CLEARHOUSE_HOME: path.join(dir, 'home'),
      LOG_LEVEL: 'warn',
    });
    const bin = path.resolve(import.meta.dirname, '..', 'bin', 'clearhouse.js');
    const run = (...args: string[]) => promisify(execFile)(process.execPath, [bin, ...args], { env });
    try {
      const out = path.join(dir, 'top40.csv');
      await run('reviews', 'top40', '--as-of', asOf, '--out', out);
      assert.equal(
        fs.readFileSync(out, 'utf8'),
        (await manager.get(`/api/reviews/top40/export?as_of=${asOf}`)).body,
      );
      const { stdout } = await run('reviews', 'wd8', '--month', '2026-07', '--country', 'GB', '--out', dir);
      assert.match(stdout, /review on 2026-07-10/);
      assert.equal(fs.readFileSync(path.join(dir, 'wd8-2026-07-GB.xlsx')).subarray(0, 2).toString(), 'PK');
      assert.equal(fs.readFileSync(path.join(dir, 'wd8-2026-07-GB.pdf')).subarray(0, 5).toString(), '%PDF-');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
