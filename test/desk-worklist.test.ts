import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { addDays, today } from '../src/core/dates.ts';
import { worklist } from '../src/modules/collections/index.ts';
import { addAccount, addUser, Browser, createTestApp, type TestApp } from './helpers/app.ts';

/**
 * The desk's homes per role (my work by SLA, the role's figures; partners refused), the worklist's one-click
 * next action and bulk actions (each at most once per account, action and day), reminders that net the
 * credits owed to the customer, and the priority ranked in the reporting currency (USD, the default) with
 * its factors. Dates are relative to today; the comments give the arithmetic.
 */
let t: TestApp;
let ann: Browser;
let manager: Browser;
let analyst: Browser;
let approver: Browser;
let partner: Browser;
const T = today();
const d = (n: number) => addDays(T, n);
const savedHome = process.env.CLEARHOUSE_HOME;

async function doc(account: string, id: string, type: string, due: string, amount: string, currency = 'EUR') {
  await t.db.query(
    `insert into ar_documents (account_id, document_id, type, document_date, due_date, currency, amount)
     values ($1, $2, $3, $4::date - 30, $4, $5, $6)`,
    [account, id, type, due, currency, amount],
  );
}

async function emailsOf(account: string): Promise<number> {
  const { rows } = await t.db.query<{ n: number }>(
    'select count(*)::int as n from emails where account_id = $1',
    [account],
  );
  return rows[0]!.n;
}

before(async () => {
  t = await createTestApp();
  process.env.CLEARHOUSE_HOME = t.home;
  for (const [id, extra] of [
    ['W1', { collector: 'ann@corp.test', billing_email: 'ap@w1.test' }],
    ['W2', { collector: 'ann@corp.test', billing_email: 'ap@w2.test', currency: 'USD' }],
    ['W3', { collector: 'ann@corp.test' }], // no billing contact
    ['W4', { collector: 'ann@corp.test', billing_email: 'ap@w4.test' }],
    ['W5', { collector: 'bob@corp.test', billing_email: 'ap@w5.test' }],
    ['WP', { billing_email: 'ap@wp.test' }],
  ] as const)
    await addAccount(t.db, id, extra);
  await doc('W1', 'INV-W1', 'invoice', d(-40), '1000.00'); // EUR 1,000 × 1.10 = USD 1,100 × 1.5 = 1,650
  await doc('W1', 'CM-W1', 'credit_memo', d(-5), '200.00'); // a credit memo in W1's favour: the reminder asks for 800
  await doc('W2', 'INV-W2', 'invoice', d(-40), '1500.00', 'USD'); // USD 1,500 × 1.5 = 2,250: first
  await doc('W3', 'INV-W3', 'invoice', d(-10), '100.00');
  await doc('W4', 'INV-W4', 'invoice', d(-20), '300.00');
  await doc('W4', 'CM-W4', 'credit_memo', d(-2), '300.00'); // its credits cover what is past due
  await doc('W5', 'INV-W5', 'invoice', d(-10), '50.00');
  await t.db.query(`insert into fx_rates (currency, rate_date, rate) values ('EUR', $1, '1.10')`, [d(-30)]);
  const a = await addUser(t.db, 'ann@corp.test', ['collector']);
  const m = await addUser(t.db, 'mia@corp.test', ['manager']);
  const r = await addUser(t.db, 'rex@corp.test', ['rebate_analyst']);
  const p = await addUser(t.db, 'pat@corp.test', ['approver']);
  const pu = await addUser(t.db, 'pia@wp.test', ['partner'], 'WP');
  ann = await Browser.signedIn(t.app, a.email, a.password);
  manager = await Browser.signedIn(t.app, m.email, m.password);
  analyst = await Browser.signedIn(t.app, r.email, r.password);
  approver = await Browser.signedIn(t.app, p.email, p.password);
  partner = await Browser.signedIn(t.app, pu.email, pu.password);
});
after(async () => {
  await t.close();
  if (savedHome === undefined) delete process.env.CLEARHOUSE_HOME;
  else process.env.CLEARHOUSE_HOME = savedHome;
});

describe('worklist in the reporting currency', () => {
  test('accounts in EUR and USD ranked on one scale, each priority with its factors', async () => {
    const list = await worklist(t.db, { collector: 'ann@corp.test' });
    assert.equal(list.reporting_currency, 'USD');
    assert.deepEqual(list.missing_rates, []);
    const w2 = list.rows.find((r) => r.account_id === 'W2')!;
    const w1 = list.rows.find((r) => r.account_id === 'W1')!;
    assert.deepEqual(
      list.rows.map((r) => r.account_id),
      ['W2', 'W1', 'W4', 'W3'],
    );
    assert.equal(w2.priority, '2250.00');
    assert.equal(w1.priority, '1650.00');
    assert.equal(w1.priority_currency, 'USD');
    assert.equal(w1.past_due_amount, '1000.00'); // kept in its own currency
    assert.equal(w1.past_due_reporting, '1100.00');
    assert.equal(w1.priority_factors.rate, '1.1000000000');
    assert.equal(w1.priority_factors.age_weight, '1.5');
    assert.match(
      w1.priority_factors.explanation,
      /EUR 1,000\.00 past due not in dispute = USD 1,100\.00 at 1\.1000 × 1\.5/,
    );
    assert.match(w1.priority_factors.explanation, /= 1,650\.00 USD$/);
    assert.equal(w1.next_step, 'reminder');
  });
});

describe('homes', () => {
  test('each role has its home of work by SLA and figures; a partner is refused', async () => {
    assert.deepEqual(
      (await ann.get('/api/home')).json().homes.map((h: { home: string }) => h.home),
      ['collector'],
    );
    const mine = (await ann.get('/api/home/collector')).json();
    assert.equal(mine.home, 'collector');
    const keys = mine.work.map((s: { key: string }) => s.key);
    assert.ok(keys.includes('tasks') && keys.includes('worklist'), keys.join());
    const chase = mine.work.find((s: { key: string }) => s.key === 'worklist');
    assert.equal(chase.items[0].label, 'Account W2 (W2)');
    const figures = Object.fromEntries(
      mine.figures.map((f: { label: string; currency?: string; value: string }) => [
        `${f.label}${f.currency ? ` ${f.currency}` : ''}`,
        f.value,
      ]),
    );
    assert.equal(figures['Accounts past due'], '4');
    assert.equal(figures['Past due EUR'], '1400.00'); // per currency, never added across
    assert.equal(figures['Past due USD'], '1500.00');
    // And the one figure adding them up, in the reporting currency: 1,400 EUR × 1.10 + 1,500 USD.
    assert.equal(figures['Past due, all in USD USD'], '3040.00');

    const claims = (await analyst.get('/api/home/analyst')).json();
    assert.ok(claims.work.some((s: { key: string }) => s.key === 'claims'));
    assert.ok(claims.figures.some((f: { label: string }) => f.label === 'Claims breached'));
    const approvals = (await approver.get('/api/home/approver')).json();
    assert.equal(approvals.work[0].key, 'approvals');
    const overview = (await manager.get('/api/home/manager')).json();
    assert.deepEqual(
      overview.work.map((s: { key: string }) => s.key),
      ['claims', 'approvals', 'exceptions', 'worklist', 'batches'],
    );
    // A home the roles do not give does not exist for the user; partners have none.
    assert.equal((await ann.get('/api/home/approver')).statusCode, 404);
    assert.equal((await ann.get('/api/home/nonsense')).statusCode, 400);
    assert.equal((await partner.get('/api/home')).statusCode, 403);
    assert.equal((await partner.get('/api/home/collector')).statusCode, 403);
  });
});

describe('worklist actions', () => {
  test('the next action once a day: a second click sends nothing', async () => {
    const before = await emailsOf('W1');
    const first = await ann.post('/api/accounts/W1/next-action', { action: 'reminder' });
    assert.equal(first.statusCode, 200, first.body);
    assert.equal(first.json().outcome, 'done');
    const again = (await ann.post('/api/accounts/W1/next-action', { action: 'reminder' })).json();
    assert.equal(again.outcome, 'already_done');
    assert.equal(again.email_id, first.json().email_id);
    assert.equal(await emailsOf('W1'), before + 1);
    // Netted: 1,000.00 past due less CM-W1's 200.00.
    const { rows } = await t.db.query('select subject, body from emails where email_id = $1', [
      first.json().email_id,
    ]);
    assert.match(rows[0]!.subject, /EUR 800\.00 past due/);
    assert.match(rows[0]!.body, /CM-W1\s+credit memo of/);

    const call = (await ann.post('/api/accounts/W1/next-action', { action: 'call' })).json();
    assert.equal(call.outcome, 'done');
    assert.ok(call.task_id);
    const callAgain = (await ann.post('/api/accounts/W1/next-action', { action: 'call' })).json();
    assert.deepEqual([callAgain.outcome, callAgain.task_id], ['already_done', call.task_id]);
    const statement = (await ann.post('/api/accounts/W2/next-action', { action: 'statement' })).json();
    assert.equal(statement.outcome, 'done');
    assert.equal(
      (await ann.post('/api/accounts/W2/next-action', { action: 'statement' })).json().outcome,
      'already_done',
    );
  });

  test('a reminder is refused where the credits owed to the customer cover what is past due', async () => {
    const res = (await ann.post('/api/accounts/W4/next-action', { action: 'reminder' })).json();
    assert.equal(res.outcome, 'refused');
    assert.match(res.message, /credits in the customer's favour cover what is past due/);
    assert.equal(await emailsOf('W4'), 0);
  });

  test('bulk reminders are idempotent per account and day; refusals are the account’s answer', async () => {
    const ids = ['W2', 'W3', 'W4', 'W5'];
    const first = (
      await ann.post('/api/collections/worklist/bulk', { action: 'reminder', account_ids: ids })
    ).json();
    assert.deepEqual(
      first.results.map((r: { account_id: string; outcome: string }) => [r.account_id, r.outcome]),
      [
        ['W2', 'done'],
        ['W3', 'refused'], // no billing e-mail address
        ['W4', 'refused'], // covered by its credits
        ['W5', 'done'],
      ],
    );
    const counts = [await emailsOf('W2'), await emailsOf('W5')];
    const second = (
      await ann.post('/api/collections/worklist/bulk', { action: 'reminder', account_ids: ids })
    ).json();
    assert.deepEqual([second.done, second.already_done, second.refused], [0, 2, 2]);
    assert.deepEqual([await emailsOf('W2'), await emailsOf('W5')], counts);
  });

  test('bulk assign to a collector: once, with an audit event; again changes nothing', async () => {
    const body = { action: 'assign', account_ids: ['W3', 'W5', 'NOPE'], collector: 'Cy@Corp.test' };
    const first = (await manager.post('/api/collections/worklist/bulk', body)).json();
    assert.deepEqual([first.done, first.already_done, first.refused], [2, 0, 1]);
    const again = (await manager.post('/api/collections/worklist/bulk', body)).json();
    assert.deepEqual([again.done, again.already_done, again.refused], [0, 2, 1]);
    const { rows } = await t.db.query(
      `select account_id, collector from accounts where account_id in ('W3', 'W5') order by 1`,
    );
    assert.deepEqual(
      rows.map((r) => r.collector),
      ['cy@corp.test', 'cy@corp.test'],
    );
    const audit = await t.db.query(
      `select count(*)::int as n from audit_events where entity_type = 'account' and entity_id = 'W5' and after ? 'collector'`,
    );
    assert.equal(audit.rows[0]!.n, 1);
    // Partners are refused; bad input is a 400.
    assert.equal((await partner.post('/api/collections/worklist/bulk', body)).statusCode, 403);
    assert.equal(
      (
        await ann.post('/api/collections/worklist/bulk', {
          action: 'assign',
          account_ids: [],
          collector: null,
        })
      ).statusCode,
      400,
    );
  });
});
