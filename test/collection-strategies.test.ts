import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pino from 'pino';
import { addDays, today } from '../src/core/dates.ts';
import { renderTemplate, runStrategies, strategiesJob } from '../src/modules/collections/index.ts';
import { addAccount, createTestApp, type TestApp } from './helpers/app.ts';

/**
 * Collection strategies with the seeded default (reminder e-mail at 1 day past due, notice at 15, call at 30,
 * escalate at 60, credit hold at 90, final demand at 120): steps in order one per day, never twice, a late
 * start runs only the first pending step, e-mails queued with the rendered template.
 */
let t: TestApp;
const T = today();
const d = (n: number) => addDays(T, n);
const log = pino({ level: 'silent' });

async function invoice(account: string, id: string, due: string, amount: string) {
  await t.db.query(
    `insert into ar_documents (account_id, document_id, type, document_date, due_date, currency, amount)
     values ($1, $2, 'invoice', $3::date - 30, $3, 'EUR', $4)`,
    [account, id, due, amount],
  );
}

const stepsOf = async (account: string) =>
  (
    await t.db.query<{ step_no: number; run_date: string }>(
      'select step_no, run_date from strategy_runs where account_id = $1 order by step_no',
      [account],
    )
  ).rows;

const stepsRun = async (asOf: string, account: string) =>
  (await runStrategies(t.db, { asOf })).runs.filter((r) => r.account_id === account).map((r) => r.step_no);

before(async () => {
  t = await createTestApp();
  await addAccount(t.db, 'S1', { name: 'Acme GmbH', billing_email: 'ap@s1.test' });
  await addAccount(t.db, 'S2', { name: 'Late Start AG', billing_email: 'ap@s2.test' });
  await addAccount(t.db, 'S3', { name: 'Not Due KG', billing_email: 'ap@s3.test' });
  await invoice('S1', 'INV-S1', d(-200), '1234.50');
  await invoice('S3', 'INV-S3', d(-180), '50.00'); // paid in full below
  await t.db.query(
    `insert into ar_payments (account_id, payment_id, received_date, currency, amount)
     values ('S3', 'PAY-S3', $1, 'EUR', 50.00)`,
    [d(-190)],
  );
  await t.db.query(
    `insert into ar_application_entries (account_id, payment_id, document_id, applied_date, amount, kind)
     values ('S3', 'PAY-S3', 'INV-S3', $1, 50.00, 'applied')`,
    [d(-190)],
  );
});
after(() => t.close());

describe('collection strategies', () => {
  test('renders the placeholders', () => {
    assert.equal(renderTemplate('{{a}} {{ b }} {{c}}', { a: '1', b: '2' }), '1 2 {{c}}');
  });

  test('nothing before the first trigger; the reminder e-mail 1 day past due, rendered', async () => {
    assert.deepEqual(await stepsRun(d(-200), 'S1'), []); // due today: not past due
    assert.deepEqual(await stepsRun(d(-199), 'S1'), [1]);
    const { rows } = await t.db.query<{
      subject: string;
      body: string;
      to_addresses: string[];
      kind: string;
    }>(`select subject, body, to_addresses, kind from emails where account_id = 'S1'`);
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.subject, 'Friendly reminder: EUR 1,234.50 past due');
    assert.match(rows[0]!.body, /^Dear Acme GmbH,/);
    assert.match(rows[0]!.body, new RegExp(`oldest item since ${d(-200)}`));
    assert.deepEqual(rows[0]!.to_addresses, ['ap@s1.test']);
    const acts = await t.db.query<{ kind: string; body: string }>(
      `select kind, body from activities where account_id = 'S1'`,
    );
    assert.deepEqual(
      acts.rows.map((a) => a.kind),
      ['email'],
    );
    assert.match(acts.rows[0]!.body, /Friendly reminder/);
  });

  test('never twice: a second run the same day and the next days before step 2 do nothing', async () => {
    assert.deepEqual(await stepsRun(d(-199), 'S1'), []);
    assert.deepEqual(await stepsRun(d(-190), 'S1'), []);
    assert.deepEqual(await stepsRun(d(-185), 'S1'), [2]);
    assert.deepEqual(await stepsRun(d(-185), 'S1'), []);
  });

  test('a late start runs the first pending step only, then one step per day in order', async () => {
    // S2's invoice arrives 200 days past due (e.g. a late import): every step's trigger is passed.
    await invoice('S2', 'INV-S2', d(-200), '700.00');
    const job = strategiesJob.handler(
      { db: t.db, log, signal: new AbortController().signal },
      {
        as_of: d(-3),
      },
    ) as Promise<{ runs: { account_id: string; step_no: number }[] }>;
    assert.deepEqual(
      (await job).runs.filter((r) => r.account_id === 'S2').map((r) => r.step_no),
      [1],
    );
    assert.deepEqual(await stepsRun(d(-3), 'S2'), []);
    assert.deepEqual(await stepsRun(d(-2), 'S2'), [2]);
    assert.deepEqual(await stepsRun(d(-1), 'S2'), [3]);
    assert.deepEqual(await stepsRun(T, 'S2'), [4]);
    assert.deepEqual(await stepsRun(d(1), 'S2'), [5]);
    assert.deepEqual(await stepsRun(d(2), 'S2'), [6]);
    assert.deepEqual(await stepsRun(d(3), 'S2'), []);
    assert.deepEqual(
      (await stepsOf('S2')).map((r) => [r.step_no, r.run_date]),
      [
        [1, d(-3)],
        [2, d(-2)],
        [3, d(-1)],
        [4, T],
        [5, d(1)],
        [6, d(2)],
      ],
    );
    const acts = await t.db.query<{ kind: string; body: string }>(
      `select kind, body from activities where account_id = 'S2' order by occurred_at, activity_id`,
    );
    assert.deepEqual(
      acts.rows.map((a) => a.kind),
      ['email', 'email', 'task', 'task', 'task', 'email'],
    );
    assert.match(acts.rows[2]!.body, /step 3: call .*: task for the collections team, due /);
    assert.match(acts.rows[3]!.body, /step 4: escalate to sales .*: task for the sales team, due /);
    assert.match(acts.rows[4]!.body, /step 5: recommend credit hold .*: task for the credit team, due /);
    // The task steps opened tasks in the teams' queues, each with its SLA in business days.
    const tasks = await t.db.query<{
      kind: string;
      queue: string;
      sla_business_days: number;
      opened_on: string;
    }>(
      `select kind, queue, sla_business_days, opened_on from tasks where account_id = 'S2' order by opened_on`,
    );
    assert.deepEqual(
      tasks.rows.map((r) => [r.kind, r.queue, r.sla_business_days, r.opened_on]),
      [
        ['call', 'collections', 2, d(-1)],
        ['escalate_to_sales', 'sales', 5, T],
        ['credit_hold_recommendation', 'credit', 3, d(1)],
      ],
    );
    const emails = await t.db.query<{ subject: string }>(
      `select subject from emails where account_id = 'S2' order by created_at, subject`,
    );
    assert.equal(emails.rows.length, 3);
    assert.ok(emails.rows.some((e) => e.subject === 'Final demand: EUR 700.00'));
  });

  test('an account without past-due items gets nothing', async () => {
    assert.deepEqual(await stepsOf('S3'), []);
  });

  test('strategy e-mails ask for the past due after the customer’s credits; covered, they send nothing', async () => {
    await addAccount(t.db, 'S4', { name: 'Credit Owed SE', billing_email: 'ap@s4.test' });
    await addAccount(t.db, 'S5', { name: 'Covered Oy', billing_email: 'ap@s5.test' });
    await invoice('S4', 'INV-S4', d(-10), '1000.00');
    await invoice('S5', 'INV-S5', d(-10), '200.00');
    // S4: an unapplied payment of 250.00 in its favour; S5: a credit memo of 300.00 covering everything.
    await t.db.query(
      `insert into ar_payments (account_id, payment_id, received_date, currency, amount)
       values ('S4', 'PAY-S4', $1, 'EUR', 250.00)`,
      [d(-12)],
    );
    await t.db.query(
      `insert into ar_documents (account_id, document_id, type, document_date, due_date, currency, amount)
       values ('S5', 'CM-S5', 'credit_memo', $1, $1, 'EUR', 300.00)`,
      [d(-12)],
    );
    // One run does both accounts' first step.
    const { runs } = await runStrategies(t.db, { asOf: d(-9) });
    assert.deepEqual(
      runs
        .filter((r) => r.account_id === 'S4' || r.account_id === 'S5')
        .map((r) => [r.account_id, r.step_no]),
      [
        ['S4', 1],
        ['S5', 1],
      ],
    );
    const mail = await t.db.query<{ account_id: string; subject: string }>(
      `select account_id, subject from emails where account_id in ('S4', 'S5')`,
    );
    assert.deepEqual(
      mail.rows.map((r) => [r.account_id, r.subject]),
      [['S4', 'Friendly reminder: EUR 750.00 past due']],
    );
    const note = await t.db.query<{ body: string }>(`select body from activities where account_id = 'S5'`);
    assert.match(note.rows[0]!.body, /not sent, the credits in the customer's favour \(EUR 300\.00\) cover/);
  });
});
