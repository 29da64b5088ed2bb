import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pino from 'pino';
import { addDays, today } from '../src/core/dates.ts';
import {
  addComment,
  createPromise,
  listPromises,
  listTimeline,
  logCall,
  promisesJob,
  worklist,
} from '../src/modules/collections/index.ts';
import { recordAudit } from '../src/modules/platform/index.ts';
import { addAccount, addUser, Browser, createTestApp, type TestApp } from './helpers/app.ts';

/**
 * Collections: the timeline (activities, e-mails and item changes, newest first), promises decided once by
 * the daily job, and the worklist's order and next actions on a small hand-built data set (dates relative
 * to today, the comments give the arithmetic).
 */
let t: TestApp;
let ann: Browser;
let manager: Browser;
const T = today();
const d = (n: number) => addDays(T, n);
const log = pino({ level: 'silent' });
const runJob = (asOf: string) =>
  promisesJob.handler({ db: t.db, log, signal: new AbortController().signal }, { as_of: asOf }) as Promise<{
    kept: number;
    broken: number;
    decisions: { account_id: string; status: string; covered_amount: string }[];
  }>;
const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();

async function invoice(account: string, id: string, due: string, amount: string) {
  await t.db.query(
    `insert into ar_documents (account_id, document_id, type, document_date, due_date, currency, amount)
     values ($1, $2, 'invoice', $3::date - 30, $3, 'EUR', $4)`,
    [account, id, due, amount],
  );
}

before(async () => {
  t = await createTestApp();
  for (const [id, collector] of [
    ['C1', 'ann@corp.test'],
    ['C2', 'ann@corp.test'],
    ['C3', 'bob@corp.test'],
    ['C4', 'ann@corp.test'],
    ['C5', 'ann@corp.test'],
    ['C6', 'bob@corp.test'],
  ] as const)
    await addAccount(t.db, id, { collector });
  await invoice('C1', 'INV-C1', d(-100), '500.00'); // 100 days: 500 × 3 = 1500
  await invoice('C2', 'INV-C2', d(-20), '2000.00'); // 20 days: 2000 × 1, + 1000 once its promise breaks
  await invoice('C3', 'INV-C3', d(-45), '300.00'); // 45 days: 300 × 1.5 = 450 (bob's)
  await invoice('C4', 'INV-C4', d(10), '900.00'); // not due: not on the worklist
  await invoice('C5', 'INV-C5', d(-70), '400.00'); // 70 days: 400 × 2 = 800, open promise
  await invoice('C6', 'INV-K', d(20), '300.00'); // kept by a payment
  const a = await addUser(t.db, 'ann@corp.test', ['collector']);
  const m = await addUser(t.db, 'mia@corp.test', ['manager']);
  ann = await Browser.signedIn(t.app, a.email, a.password);
  manager = await Browser.signedIn(t.app, m.email, m.password);
});
after(() => t.close());

describe('timeline', () => {
  test('activities, e-mails and item changes of the account, newest first; per item only the item', async () => {
    await addComment(t.db, 'C1', 'Customer asked for a copy', { occurred_at: hoursAgo(48) });
    await t.db.query(
      `insert into emails (account_id, kind, from_address, to_addresses, subject, body, created_at)
       values ('C1', 'message', 'ar@corp.test', '{ap@c1.test}', 'Past due', 'Please pay', $1)`,
      [hoursAgo(36)],
    );
    const call = await logCall(t.db, 'C1', 'left_message', 'Voicemail', {
      document_id: 'INV-C1',
      occurred_at: hoursAgo(24),
    });
    assert.equal(call.outcome, 'left_message');
    await recordAudit(t.db, {
      entityType: 'ar_document',
      entityId: 'INV-C1',
      accountId: 'C1',
      action: 'updated',
      after: { reference: 'R-9' },
    });
    const all = await listTimeline(t.db, 'C1');
    assert.deepEqual(
      all.entries.map((e) => [e.source, e.kind, e.document_id]),
      [
        ['audit', 'updated', 'INV-C1'],
        ['activity', 'call', 'INV-C1'],
        ['email', 'message', null],
        ['activity', 'comment', null],
      ],
    );
    assert.equal(all.entries[2]!.subject, 'Past due');
    assert.equal(all.entries[1]!.body, 'Voicemail');
    const item = await listTimeline(t.db, 'C1', { document_id: 'INV-C1' });
    assert.deepEqual(
      item.entries.map((e) => e.source),
      ['audit', 'activity'],
    );
    // Through the API: a collector records a call; an item of another account is refused.
    const res = await ann.post('/api/accounts/C1/activities', {
      kind: 'call',
      outcome: 'reached',
      body: 'Will pay Friday',
    });
    assert.equal(res.statusCode, 201, res.body);
    const bad = await ann.post('/api/accounts/C1/activities', {
      kind: 'comment',
      body: 'x',
      document_id: 'INV-C2',
    });
    assert.equal(bad.statusCode, 400, bad.body);
    const noOutcome = await ann.post('/api/accounts/C1/activities', { kind: 'call' });
    assert.equal(noOutcome.statusCode, 400, noOutcome.body);
    const viaApi = (await ann.get('/api/accounts/C1/timeline')).json();
    assert.equal(viaApi.entries[0].outcome, 'reached');
    assert.equal((await ann.get('/api/accounts/NOPE/timeline')).statusCode, 404);
  });
});

describe('promises', () => {
  test('kept by a payment applied before the date; decided once', async () => {
    const p = await createPromise(t.db, 'C6', {
      amount: '300.00',
      promised_date: d(5),
      document_ids: ['INV-K'],
    });
    assert.equal(p.status, 'open');
    await t.db.query(
      `insert into ar_payments (account_id, payment_id, received_date, amount, currency)
       values ('C6', 'PAY-K', $1, '300.00', 'EUR')`,
      [d(2)],
    );
    await t.db.query(
      `insert into ar_applications (account_id, payment_id, document_id, applied_date, amount)
       values ('C6', 'PAY-K', 'INV-K', $1, '300.00')`,
      [d(2)],
    );
    // The day before the payment: not covered yet, not past date + grace: still open.
    assert.deepEqual((await runJob(d(1))).decisions, []);
    const run = await runJob(d(3));
    assert.deepEqual(run.decisions, [
      { promise_id: p.promise_id, account_id: 'C6', status: 'kept', covered_amount: '300.00' },
    ]);
    assert.equal((await runJob(d(4))).decisions.length, 0);
    const [kept] = (await listPromises(t.db, 'C6')).promises;
    assert.equal(kept!.status, 'kept');
    const kinds = (await listTimeline(t.db, 'C6')).entries.map((e) => e.kind);
    assert.deepEqual(kinds, ['status', 'promise']);
  });

  test('broken once the date + 3 days of grace has passed; running the job twice decides it once', async () => {
    const res = await ann.post('/api/accounts/C2/promises', {
      amount: '2000.00',
      promised_date: T,
      document_ids: ['INV-C2'],
    });
    assert.equal(res.statusCode, 201, res.body);
    const id = res.json().promise.promise_id;
    assert.equal(
      (await ann.post('/api/accounts/C2/promises', { amount: 5, promised_date: T })).statusCode,
      400,
    );
    assert.equal(
      (await ann.post('/api/accounts/C2/promises', { amount: '5.00', promised_date: d(-1) })).statusCode,
      400,
    );
    assert.deepEqual((await runJob(d(3))).decisions, []); // the last day of grace
    const first = await runJob(d(4));
    assert.deepEqual(first.decisions, [
      { promise_id: id, account_id: 'C2', status: 'broken', covered_amount: '0.00' },
    ]);
    const second = await runJob(d(4));
    assert.deepEqual(second.decisions, []);
    const status = (await listTimeline(t.db, 'C2')).entries.filter((e) => e.kind === 'status');
    assert.equal(status.length, 1);
    assert.match(status[0]!.body, /broken/);
    const list = (await ann.get('/api/accounts/C2/promises')).json();
    assert.equal(list.promises[0].status, 'broken');
    assert.equal(list.promises[0].amount, '2000.00');
  });
});

describe('worklist', () => {
  test('priority order and next actions; a collector sees their own accounts, a manager all', async () => {
    await createPromise(t.db, 'C5', { amount: '400.00', promised_date: d(10), document_ids: ['INV-C5'] });
    const all = await worklist(t.db);
    assert.deepEqual(
      all.rows.map((r) => [
        r.account_id,
        r.past_due_amount,
        r.oldest_days_past_due,
        r.priority,
        r.next_action,
      ]),
      [
        ['C2', '2000.00', 20, '3000.00', 'call — broken promise'],
        ['C1', '500.00', 100, '1500.00', 'escalate to sales'],
        ['C5', '400.00', 70, '800.00', 'wait — promise to pay'],
        ['C3', '300.00', 45, '450.00', 'send past-due notice'],
      ],
    );
    assert.equal(all.rows[0]!.broken_promises, 1);
    assert.equal(all.rows[2]!.open_promise?.amount, '400.00');
    assert.ok(all.rows[1]!.last_activity_at);

    const mine = (await ann.get('/api/collections/worklist')).json();
    assert.deepEqual(
      mine.rows.map((r: { account_id: string }) => r.account_id),
      ['C2', 'C1', 'C5'],
    );
    // A collector cannot look at someone else's list; a manager can.
    const asBob = (await ann.get('/api/collections/worklist?collector=bob@corp.test')).json();
    assert.deepEqual(
      asBob.rows.map((r: { account_id: string }) => r.account_id),
      ['C2', 'C1', 'C5'],
    );
    const bobs = (await manager.get('/api/collections/worklist?collector=bob@corp.test')).json();
    assert.deepEqual(
      bobs.rows.map((r: { account_id: string }) => r.account_id),
      ['C3'],
    );

    // Working the account after the broken promise: back to the action its age calls for.
    await logCall(t.db, 'C2', 'reached', 'Will pay next week');
    const after = await worklist(t.db, { collector: 'ann@corp.test' });
    assert.equal(after.rows[0]!.account_id, 'C2');
    assert.equal(after.rows[0]!.next_action, 'send past-due notice');
  });
});
