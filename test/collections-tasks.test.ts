import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { addAccount, addUser, Browser, createTestApp, type TestApp } from './helpers/app.ts';

/**
 * Escalation of payment delays to the sales owner as a task with an SLA in business days of the account's
 * country, the tasks queue of the sales and credit teams (what is routed to them, overdue flagged), and
 * completing a task with its outcome in the timeline. Dates are pinned with CLEARHOUSE_TODAY.
 *
 * Opened Wednesday 2026-12-23 in DE with 5 business days: 24 (Thu) 1; 25 and 26 are public holidays, 27 a
 * Sunday; 28 (Mon) 2, 29 3, 30 4, 31 (Thu) 5 → due 2026-12-31. On 2027-01-05 it is 2 business days
 * overdue (1 January is a holiday: 4 and 5 January count).
 */
let t: TestApp;
let collector: Browser;
let sales: Browser;
let credit: Browser;
let manager: Browser;
const savedToday = process.env.CLEARHOUSE_TODAY;

before(async () => {
  process.env.CLEARHOUSE_TODAY = '2026-12-23';
  t = await createTestApp();
  await addAccount(t.db, 'T1', {
    name: 'Tasman Trading GmbH',
    collector: 'cole@corp.test',
    sales_owner: 'sam@corp.test',
    billing_email: 'ap@tasman.test',
  });
  await addAccount(t.db, 'T2', { name: 'No Owner AG', collector: 'cole@corp.test' });
  await t.db.query(
    `insert into ar_documents (account_id, document_id, type, document_date, due_date, currency, amount) values
       ('T1', 'T-INV-1', 'invoice', '2026-09-01', '2026-10-01', 'EUR', '4200.00')`,
  );
  const c = await addUser(t.db, 'cole@corp.test', ['collector']);
  const s = await addUser(t.db, 'sam@corp.test', ['sales']);
  const k = await addUser(t.db, 'kim@corp.test', ['credit']);
  const m = await addUser(t.db, 'mia@corp.test', ['manager']);
  collector = await Browser.signedIn(t.app, c.email, c.password);
  sales = await Browser.signedIn(t.app, s.email, s.password);
  credit = await Browser.signedIn(t.app, k.email, k.password);
  manager = await Browser.signedIn(t.app, m.email, m.password);
});
after(async () => {
  if (savedToday === undefined) delete process.env.CLEARHOUSE_TODAY;
  else process.env.CLEARHOUSE_TODAY = savedToday;
  await t.close();
});

describe('tasks', () => {
  let taskId = '';

  test('a collector escalates a payment delay to the sales owner, due in 5 business days', async () => {
    const res = await collector.post('/api/accounts/T1/tasks', {
      kind: 'escalate_to_sales',
      note: 'Three reminders unanswered; please talk to their purchasing.',
      document_ids: ['T-INV-1'],
    });
    assert.equal(res.statusCode, 201, res.body);
    const task = res.json().task;
    taskId = task.task_id;
    assert.equal(task.queue, 'sales');
    assert.equal(task.assignee, 'sam@corp.test');
    assert.equal(task.opened_on, '2026-12-23');
    assert.equal(task.sla_business_days, 5);
    assert.equal(task.due_date, '2026-12-31');
    assert.equal(task.business_days_left, 5);
    assert.equal(task.overdue, false);
    assert.equal(task.title, 'Escalate to sales: Tasman Trading GmbH (T-INV-1)');
    // Asking again while it is open opens nothing twice.
    const again = await collector.post('/api/accounts/T1/tasks', { kind: 'escalate_to_sales' });
    assert.equal(again.statusCode, 409, again.body);
    assert.match(again.json().error.message, /due 2026-12-31/);
    // An account without a sales owner says so, on the field to fix.
    const none = await collector.post('/api/accounts/T2/tasks', { kind: 'escalate_to_sales' });
    assert.equal(none.statusCode, 400, none.body);
    assert.deepEqual(none.json().error.issues, [
      { field: 'assignee', message: 'the account has no sales owner' },
    ]);
    // An item of another account is refused by name.
    const wrong = await collector.post('/api/accounts/T2/tasks', { kind: 'call', document_ids: ['T-INV-1'] });
    assert.equal(wrong.statusCode, 400, wrong.body);
    // The escalation is in the account's timeline and the item's.
    const timeline = (await collector.get('/api/accounts/T1/timeline?document_id=T-INV-1')).json().entries;
    assert.ok(
      timeline.some(
        (e: { kind: string; body: string; task_id: string | null }) =>
          e.kind === 'task' && e.task_id === taskId && /task for sam@corp\.test, due 2026-12-31/.test(e.body),
      ),
      JSON.stringify(timeline),
    );
  });

  test('the sales team sees what is routed to it; the credit team does not', async () => {
    const mine = await sales.get('/api/tasks?for=me');
    assert.equal(mine.statusCode, 200, mine.body);
    assert.deepEqual(
      mine.json().items.map((x: { task_id: string }) => x.task_id),
      [taskId],
    );
    const creditQueue = await credit.get('/api/tasks?for=me');
    assert.equal(creditQueue.statusCode, 200, creditQueue.body);
    assert.deepEqual(creditQueue.json().items, []);
    // A credit-hold recommendation goes to the credit queue, for nobody in particular.
    const hold = await collector.post('/api/accounts/T1/tasks', { kind: 'credit_hold_recommendation' });
    assert.equal(hold.statusCode, 201, hold.body);
    assert.equal(hold.json().task.queue, 'credit');
    assert.equal(hold.json().task.assignee, null);
    assert.equal(hold.json().task.due_date, '2026-12-29'); // 3 business days: 24, 28, 29
    const now = (await credit.get('/api/tasks?for=me')).json().items;
    assert.deepEqual(
      now.map((x: { kind: string }) => x.kind),
      ['credit_hold_recommendation'],
    );
    const all = (await manager.get('/api/tasks?queue=sales')).json().items;
    assert.equal(all.length, 1);
  });

  test('past the due date the task is flagged overdue with the business days it is late', async () => {
    process.env.CLEARHOUSE_TODAY = '2027-01-05';
    const overdue = await sales.get('/api/tasks?for=me&overdue=true');
    assert.equal(overdue.statusCode, 200, overdue.body);
    const [task] = overdue.json().items;
    assert.equal(task.task_id, taskId);
    assert.equal(task.overdue, true);
    assert.equal(task.business_days_left, -2);
    assert.equal(overdue.json().counts.overdue, 1);
  });

  test('completing a task records its outcome in the timeline; only its team or a manager may', async () => {
    const refused = await credit.post(`/api/tasks/${taskId}/complete`, { outcome: 'no_action' });
    assert.equal(refused.statusCode, 403, refused.body);
    const bad = await sales.post(`/api/tasks/${taskId}/complete`, { outcome: 'paid_by_magic' });
    assert.equal(bad.statusCode, 400, bad.body);
    assert.equal(bad.json().error.issues[0].field, 'outcome');
    const done = await sales.post(`/api/tasks/${taskId}/complete`, {
      outcome: 'payment_promised',
      note: 'Their CFO promised payment by Friday.',
    });
    assert.equal(done.statusCode, 200, done.body);
    assert.equal(done.json().task.status, 'done');
    assert.equal(done.json().task.outcome, 'payment_promised');
    assert.equal(done.json().task.overdue, false);
    const again = await sales.post(`/api/tasks/${taskId}/complete`, { outcome: 'no_action' });
    assert.equal(again.statusCode, 409, again.body);
    const entries = (await collector.get('/api/accounts/T1/timeline')).json().entries;
    const outcome = entries.find((e: { body: string }) => /done: payment promised/.test(e.body));
    assert.ok(outcome, JSON.stringify(entries));
    assert.match(outcome.body, /\(2 business days late\)\. Their CFO promised payment by Friday\.$/);
    assert.equal(outcome.actor, 'sam');
    // Done tasks leave the open queue and stay in the history.
    assert.deepEqual((await sales.get('/api/tasks?for=me')).json().items, []);
    const history = (await sales.get('/api/tasks?for=me&status=done')).json().items;
    assert.equal(history.length, 1);
  });
});
