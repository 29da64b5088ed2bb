import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { parse } from 'csv-parse/sync';
import { mailCreditReport } from '../src/modules/credit/index.ts';
import { addAccount, addUser, Browser, createTestApp, type TestApp } from './helpers/app.ts';

/**
 * Credit (CONTROLS.md, "Credit") on a hand-computed book as of 2026-06-30: every recommendation and reason
 * code, the exposure (credits and unapplied cash negative, orders on hold added), the bill-to hierarchy, a
 * limit change approved (never by its requester), a release recorded once, and the CSV columns of FORMATS.md.
 */

let t: TestApp;
let credit: Browser;
let approver: Browser;
let admin: Browser;
let partner: Browser;
const asOf = '2026-06-30';

async function doc(
  account: string,
  id: string,
  type: string,
  amount: string,
  due: string,
  date = '2026-03-01',
) {
  await t.db.query(
    `insert into ar_documents (account_id, document_id, type, document_date, due_date, currency, amount)
     values ($1, $2, $3, $4, $5, 'EUR', $6)`,
    [account, id, type, date, due, amount],
  );
}

async function promise(account: string, promised: string, status: string) {
  await t.db.query(
    `insert into promises (account_id, amount, currency, made_on, promised_date, status)
     values ($1, 100.00, 'EUR', $2::date - 10, $2, $3)`,
    [account, promised, status],
  );
}

interface Row {
  order_id: string;
  account_id: string;
  credit_account_id: string;
  credit_limit: string | null;
  open_ar: string;
  exposure: string;
  available_credit: string | null;
  past_due: string;
  max_days_past_due: number;
  recommendation: string;
  reasons: string[];
}

async function report(day = asOf): Promise<Map<string, Row>> {
  const res = await credit.get(`/api/credit/report?as_of=${day}`);
  assert.equal(res.statusCode, 200, res.body);
  return new Map((res.json().orders as Row[]).map((r) => [r.order_id, r]));
}

const ordersCsv = [
  'order_id,account_id,order_date,amount,currency,hold_reason',
  // CR-REL: 1,000.00 open (10 days past due), limit 10,000.00.
  'SO-1,CR-REL,2026-06-01,3000.00,EUR,CREDIT',
  'SO-2,CR-REL,2026-06-02,5000.00,EUR,CREDIT',
  'SO-3,CR-REL,2026-06-03,2000.00,EUR,CREDIT',
  // CR-HOLD: 76 days past due and a promise broken on 2026-06-24.
  'SO-4,CR-HOLD,2026-06-04,100.00,EUR,',
  // CR-NOLIM: no limit, 41 days past due.
  'SO-5,CR-NOLIM,2026-06-05,100.00,EUR,',
  // CR-CREDITS: nothing open on balance (credit memo and unapplied cash), an old broken promise.
  'SO-6,CR-CREDITS,2026-06-06,900.00,EUR,',
  // The hierarchy: CR-CHILD has no limit of its own; CR-PARENT's 5,000.00 covers both.
  'SO-7,CR-CHILD,2026-06-07,1500.00,EUR,',
  'SO-8,CR-CHILD,2026-06-08,1000.00,EUR,',
  // CR-PD45: 46 days past due, limit 10,000.00.
  'SO-9,CR-PD45,2026-06-09,50.00,EUR,',
  'SO-10,CR-PD45,2026-06-10,20000.00,EUR,',
  // CR-BROKEN: only a promise broken within 30 days.
  'SO-11,CR-BROKEN,2026-06-11,10.00,EUR,',
  // Ordered after the day: not on the report yet.
  'SO-12,CR-REL,2026-07-02,10.00,EUR,',
].join('\n');

before(async () => {
  t = await createTestApp();
  await addAccount(t.db, 'CR-REL', { credit_limit: '10000.00' });
  await addAccount(t.db, 'CR-HOLD', { credit_limit: '50000.00' });
  await addAccount(t.db, 'CR-NOLIM');
  await addAccount(t.db, 'CR-CREDITS', { credit_limit: '1000.00' });
  await addAccount(t.db, 'CR-PARENT', { credit_limit: '5000.00' });
  await addAccount(t.db, 'CR-CHILD', { parent_account_id: 'CR-PARENT' });
  await addAccount(t.db, 'CR-PD45', { credit_limit: '10000.00' });
  await addAccount(t.db, 'CR-BROKEN', { credit_limit: '10000.00' });
  await addAccount(t.db, 'P-ORG', { credit_limit: '10.00' });

  await doc('CR-REL', 'CR-I1', 'invoice', '1000.00', '2026-06-20');
  await doc('CR-HOLD', 'CR-I2', 'invoice', '500.00', '2026-04-15');
  await promise('CR-HOLD', '2026-06-20', 'broken');
  await doc('CR-NOLIM', 'CR-I3', 'invoice', '200.00', '2026-05-20');
  await doc('CR-CREDITS', 'CR-I4', 'invoice', '500.00', '2026-07-15');
  await doc('CR-CREDITS', 'CR-CM4', 'credit_memo', '300.00', '2026-03-01');
  await t.db.query(
    `insert into ar_payments (account_id, payment_id, received_date, amount, currency)
     values ('CR-CREDITS', 'CR-PAY4', '2026-06-15', 200.00, 'EUR')`,
  );
  await promise('CR-CREDITS', '2026-04-01', 'broken');
  await doc('CR-PARENT', 'CR-I5', 'invoice', '2000.00', '2026-07-30');
  await doc('CR-CHILD', 'CR-I6', 'invoice', '1000.00', '2026-07-30');
  await doc('CR-PD45', 'CR-I7', 'invoice', '100.00', '2026-05-15');
  await promise('CR-BROKEN', '2026-06-10', 'broken');

  const a = await addUser(t.db, 'cr-admin@corp.test', ['administrator']);
  admin = await Browser.signedIn(t.app, a.email, a.password);
  const c = await addUser(t.db, 'cr-credit@corp.test', ['credit']);
  credit = await Browser.signedIn(t.app, c.email, c.password);
  const ap = await addUser(t.db, 'cr-approver@corp.test', ['approver']);
  approver = await Browser.signedIn(t.app, ap.email, ap.password);
  const p = await addUser(t.db, 'cr-partner@partner.test', ['partner'], 'P-ORG');
  partner = await Browser.signedIn(t.app, p.email, p.password);
  for (const u of [a, ap]) {
    const res = await admin.request('PUT', `/api/approval-limits/${u.userId}`, {
      payload: { limits: [{ currency: 'EUR', amount: '1000000.00' }] },
    });
    assert.equal(res.statusCode, 200, res.body);
  }
  const loaded = await credit.upload('/api/imports', {}, { name: 'orders_on_hold.csv', content: ordersCsv });
  assert.equal(loaded.statusCode, 201, loaded.body);
});
after(async () => t.close());

describe('the credit-pend report', () => {
  test('release while the order fits on top of the orders released before it; then OVER_LIMIT', async () => {
    const r = await report();
    assert.deepEqual(
      ['SO-1', 'SO-2', 'SO-3'].map((id) => [r.get(id)!.recommendation, r.get(id)!.reasons]),
      [
        ['release', []], // 1,000 + 3,000 ≤ 10,000
        ['release', []], // 1,000 + 3,000 + 5,000 ≤ 10,000
        ['review', ['OVER_LIMIT']], // 1,000 + 8,000 + 2,000 > 10,000
      ],
    );
    const so1 = r.get('SO-1')!;
    assert.deepEqual(
      [
        so1.credit_limit,
        so1.open_ar,
        so1.exposure,
        so1.available_credit,
        so1.past_due,
        so1.max_days_past_due,
      ],
      ['10000.00', '1000.00', '11000.00', '-1000.00', '1000.00', 10],
    );
    assert.equal(r.has('SO-12'), false, 'an order dated after the day is not on hold yet');
  });

  test('hold: more than 60 days past due and a promise broken in the last 30 days, reasons sorted', async () => {
    const r = await report();
    assert.deepEqual(
      [r.get('SO-4')!.recommendation, r.get('SO-4')!.reasons],
      ['hold', ['BROKEN_PROMISE', 'PAST_DUE_OVER_60']],
    );
    assert.equal(r.get('SO-4')!.max_days_past_due, 76);
    assert.deepEqual([r.get('SO-11')!.recommendation, r.get('SO-11')!.reasons], ['hold', ['BROKEN_PROMISE']]);
    // Broken on 2026-06-14 (promised 06-10 + 3 days' grace): 16 days before; on 2026-07-15 it is 31 days old.
    const later = await report('2026-07-15');
    assert.equal(later.get('SO-11')!.recommendation, 'release');
  });

  test('review: NO_CREDIT_LIMIT with PAST_DUE_31_60; limit and available credit empty', async () => {
    const so5 = (await report()).get('SO-5')!;
    assert.deepEqual([so5.recommendation, so5.reasons], ['review', ['NO_CREDIT_LIMIT', 'PAST_DUE_31_60']]);
    assert.deepEqual(
      [
        so5.credit_limit,
        so5.available_credit,
        so5.open_ar,
        so5.exposure,
        so5.past_due,
        so5.max_days_past_due,
      ],
      [null, null, '200.00', '300.00', '200.00', 41],
    );
  });

  test('review: PAST_DUE_31_60 alone when the order fits, with OVER_LIMIT when it does not', async () => {
    const r = await report();
    assert.deepEqual(r.get('SO-9')!.reasons, ['PAST_DUE_31_60']);
    assert.deepEqual(r.get('SO-10')!.reasons, ['OVER_LIMIT', 'PAST_DUE_31_60']);
    assert.equal(r.get('SO-10')!.recommendation, 'review');
  });

  test('credits and unapplied cash count negative; a promise broken long ago does not hold', async () => {
    const so6 = (await report()).get('SO-6')!;
    // 500.00 invoice − 300.00 credit memo − 200.00 unapplied payment = 0.00; nothing past due.
    assert.deepEqual(
      [so6.open_ar, so6.exposure, so6.available_credit, so6.past_due, so6.max_days_past_due],
      ['0.00', '900.00', '100.00', '0.00', 0],
    );
    assert.deepEqual([so6.recommendation, so6.reasons], ['release', []]);
  });

  test('the bill-to hierarchy: the parent’s limit covers the child, against the whole group', async () => {
    const r = await report();
    const [so7, so8] = [r.get('SO-7')!, r.get('SO-8')!];
    assert.equal(so7.credit_account_id, 'CR-PARENT');
    // 2,000 (parent) + 1,000 (child) open; 3,000 + 1,500 ≤ 5,000; 3,000 + 1,500 + 1,000 > 5,000.
    assert.deepEqual(
      [so7.credit_limit, so7.open_ar, so7.exposure, so7.available_credit],
      ['5000.00', '3000.00', '5500.00', '-500.00'],
    );
    assert.deepEqual(
      [so7.recommendation, so8.recommendation, so8.reasons],
      ['release', 'review', ['OVER_LIMIT']],
    );
    const res = await credit.get('/api/credit/accounts/CR-PARENT');
    assert.equal(res.statusCode, 200, res.body);
    const pos = res.json().positions as { exposure: string; available_credit: string }[];
    assert.deepEqual([pos[0]!.exposure, pos[0]!.available_credit], ['5500.00', '-500.00']);
    // Every account's position (the aging's columns): the child shows its parent's group.
    const all = await credit.get(`/api/credit/positions?as_of=${asOf}`);
    const child = (
      all.json().items as { account_id: string; credit_account_id: string; exposure: string }[]
    ).find((p) => p.account_id === 'CR-CHILD')!;
    assert.deepEqual([child.credit_account_id, child.exposure], ['CR-PARENT', '5500.00']);
  });

  test('credit_pend.csv has exactly the columns of FORMATS.md; the CLI writes CSV or XLSX', async () => {
    const res = await credit.get(`/api/credit/report/export?as_of=${asOf}`);
    assert.equal(res.statusCode, 200, res.body);
    const lines = res.body.trim().split('\n');
    assert.equal(
      lines[0],
      'order_id,account_id,order_date,amount,currency,credit_limit,open_ar,exposure,available_credit,past_due,max_days_past_due,recommendation,reasons',
    );
    const rows = parse(res.body, { columns: true }) as Record<string, string>[];
    const so4 = rows.find((r) => r.order_id === 'SO-4')!;
    assert.equal(so4.reasons, 'BROKEN_PROMISE;PAST_DUE_OVER_60');
    const so5 = rows.find((r) => r.order_id === 'SO-5')!;
    assert.deepEqual([so5.credit_limit, so5.available_credit], ['', '']);
    // By account, then order_date and order_id.
    assert.deepEqual(
      rows.map((r) => r.order_id),
      ['SO-11', 'SO-7', 'SO-8', 'SO-6', 'SO-4', 'SO-5', 'SO-9', 'SO-10', 'SO-1', 'SO-2', 'SO-3'],
    );
    const xlsx = await credit.get(`/api/credit/report/export?as_of=${asOf}&format=xlsx`);
    assert.equal(xlsx.statusCode, 200);
    assert.equal(xlsx.rawPayload.subarray(0, 2).toString(), 'PK');
  });

  test('the morning e-mail goes to the credit queue with credit_pend.csv, once a day', async () => {
    const first = await mailCreditReport(t.db, t.store, { asOf });
    assert.deepEqual(first.recipients, ['cr-credit@corp.test']);
    assert.ok(first.email_id);
    const again = await mailCreditReport(t.db, t.store, { asOf });
    assert.equal(again.email_id, null);
    const { rows } = await t.db.query<{ n: number; attachments: number }>(
      `select count(*)::int as n, max(cardinality(attachments))::int as attachments from emails
       where kind = 'credit_pend_report'`,
    );
    assert.deepEqual([rows[0]!.n, rows[0]!.attachments], [1, 1]);
  });
});

describe('orders on hold through the API and the file', () => {
  test('an order is added (201), the same again changes nothing (200), another account’s id is refused', async () => {
    const order = {
      order_id: 'SO-API',
      account_id: 'CR-NOLIM',
      order_date: '2026-07-01',
      amount: '5.00',
      currency: 'EUR',
    };
    const first = await credit.post('/api/credit/orders', order);
    assert.equal(first.statusCode, 201, first.body);
    assert.equal((await credit.post('/api/credit/orders', order)).statusCode, 200);
    const moved = await credit.post('/api/credit/orders', { ...order, account_id: 'CR-REL' });
    assert.equal(moved.statusCode, 409, moved.body);
    const file = await credit.upload(
      '/api/imports',
      {},
      {
        name: 'orders_on_hold.csv',
        content: 'order_id,account_id,order_date,amount,currency\nSO-API,CR-REL,2026-07-01,5.00,EUR\n',
      },
    );
    assert.equal(file.statusCode, 422, file.body);
    assert.match(file.body, /is an order of account CR-NOLIM/);
    const bad = await credit.post('/api/credit/orders', { ...order, amount: '-1' });
    assert.equal(bad.statusCode, 400);
  });
});

describe('release and keep', () => {
  test('keep records the comment; release is recorded once however often it is sent', async () => {
    const keep = await credit.post('/api/credit/orders/SO-3/keep', { comment: 'wait for the June payment' });
    assert.equal(keep.statusCode, 200, keep.body);
    const first = await credit.post('/api/credit/orders/SO-1/release', { comment: 'good payer' });
    assert.equal(first.statusCode, 200, first.body);
    const second = await credit.post('/api/credit/orders/SO-1/release', { comment: 'again' });
    assert.equal(second.statusCode, 200, second.body);
    const order = second.json() as {
      status: string;
      release_comment: string;
      decisions: { decision: string; recommendation: string }[];
    };
    assert.equal(order.status, 'released');
    assert.equal(order.release_comment, 'good payer');
    assert.deepEqual(
      order.decisions.map((d) => [d.decision, d.recommendation]),
      // The recommendation of the day of the decision: today CR-I1 is long more than 60 days past due.
      [['release', 'hold']],
    );
    const { rows } = await t.db.query(
      `select count(*)::int as n from audit_events where entity_type = 'credit_order' and entity_id = 'SO-1'`,
    );
    assert.equal(rows[0]!.n, 1);
    const kept = await credit.post('/api/credit/orders/SO-1/keep', { comment: 'no' });
    assert.equal(kept.statusCode, 409);
    const noComment = await credit.post('/api/credit/orders/SO-2/release', { comment: ' ' });
    assert.equal(noComment.statusCode, 400);
  });

  test('a released order leaves the report from that day; credit_releases.csv lists it', async () => {
    const { rows: days } = await t.db.query<{ d: string }>(
      `select to_char(released_on, 'YYYY-MM-DD') as d from credit_orders where order_id = 'SO-1'`,
    );
    const r = await report(days[0]!.d);
    assert.equal(r.has('SO-1'), false);
    const res = await credit.get('/api/credit/releases/export');
    assert.equal(res.statusCode, 200);
    const lines = res.body.trim().split('\n');
    assert.equal(lines[0], 'order_id,released_at,released_by,comment');
    assert.match(lines[1]!, /^SO-1,\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z,cr-credit,good payer$/);
  });

  test('the CLI writes credit_pend.csv as of a day and credit_releases.xlsx', {
    timeout: 120_000,
  }, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clearhouse-credit-'));
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
      const out = path.join(dir, 'credit_pend.csv');
      const { stdout } = await run('credit', 'report', '--as-of', asOf, '--out', out);
      assert.match(stdout, /Wrote \d+ order\(s\) on hold as of 2026-06-30/);
      const api = await credit.get(`/api/credit/report/export?as_of=${asOf}`);
      assert.equal(fs.readFileSync(out, 'utf8'), api.body);
      const xlsx = path.join(dir, 'credit_releases.xlsx');
      await run('credit', 'releases', '--out', xlsx);
      assert.equal(fs.readFileSync(xlsx).subarray(0, 2).toString(), 'PK');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('credit limits', () => {
  test('a limit change is a request: the requester cannot approve it, an approver can', async () => {
    const res = await admin.post('/api/credit/limit-requests', {
      account_id: 'CR-REL',
      credit_limit: '20000.00',
      comment: 'larger orders this season',
    });
    assert.equal(res.statusCode, 201, res.body);
    const req = res.json() as { request_id: string; status: string; current_amount: string };
    assert.deepEqual([req.status, req.current_amount], ['pending', '10000.00']);
    const dup = await credit.post('/api/credit/limit-requests', {
      account_id: 'CR-REL',
      credit_limit: '30000.00',
      comment: 'x',
    });
    assert.equal(dup.statusCode, 409);
    const own = await admin.post(`/api/credit/limit-requests/${req.request_id}/approve`, {});
    assert.equal(own.statusCode, 403, own.body);
    assert.equal((await report()).get('SO-3')!.reasons[0], 'OVER_LIMIT', 'nothing changed before approval');
    const ok = await approver.post(`/api/credit/limit-requests/${req.request_id}/approve`, {});
    assert.equal(ok.statusCode, 200, ok.body);
    assert.equal(ok.json().status, 'approved');
    const again = await approver.post(`/api/credit/limit-requests/${req.request_id}/approve`, {});
    assert.equal(again.statusCode, 409);
    const { rows } = await t.db.query<{ l: string; a: string }>(
      `select (select amount::text from credit_limits where account_id = 'CR-REL' and currency = 'EUR') as l,
         (select credit_limit::text from accounts where account_id = 'CR-REL') as a`,
    );
    assert.deepEqual([rows[0]!.l, rows[0]!.a], ['20000.00', '20000.00']);
    const so3 = (await report()).get('SO-3')!;
    assert.equal(so3.recommendation, 'release');
  });

  test('the limit is not changed behind the request’s back: accounts API and accounts.csv refuse it', async () => {
    const patch = await admin.request('PATCH', '/api/accounts/CR-PD45', {
      payload: { credit_limit: '99.00' },
    });
    assert.equal(patch.statusCode, 400, patch.body);
    const same = await admin.request('PATCH', '/api/accounts/CR-PD45', {
      payload: { credit_limit: '10000', name: 'Renamed' },
    });
    assert.equal(same.statusCode, 200, same.body);
    const file = await admin.upload(
      '/api/imports',
      {},
      {
        name: 'accounts.csv',
        content: 'account_id,name,country,currency,credit_limit\nCR-PD45,X,DE,EUR,1.00\n',
      },
    );
    assert.equal(file.statusCode, 422, file.body);
    assert.match(file.body, /approved credit-limit request/);
  });

  test('a refused request changes nothing', async () => {
    const res = await credit.post('/api/credit/limit-requests', {
      account_id: 'CR-NOLIM',
      credit_limit: '500.00',
      comment: 'first limit',
    });
    assert.equal(res.statusCode, 201, res.body);
    const id = res.json().request_id as string;
    const refused = await approver.post(`/api/credit/limit-requests/${id}/refuse`, { comment: 'not yet' });
    assert.equal(refused.statusCode, 200, refused.body);
    assert.equal(refused.json().status, 'refused');
    assert.deepEqual((await report()).get('SO-5')!.reasons, ['NO_CREDIT_LIMIT', 'PAST_DUE_31_60']);
  });
});

describe('partners never see credit', () => {
  test('every credit route answers 403 to a partner, even for its own account', async () => {
    for (const url of [
      '/api/credit/report',
      '/api/credit/accounts/P-ORG',
      '/api/credit/positions',
      '/api/credit/releases',
      '/api/credit/limit-requests',
    ]) {
      const res = await partner.get(url);
      assert.equal(res.statusCode, 403, `${url}: ${res.body}`);
    }
    const { rows } = await t.db.query(`select 1 from credit_limits where account_id = 'P-ORG'`);
    assert.equal(rows.length, 1);
  });
});
