import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { addDays } from '../src/core/dates.ts';
import { createStrategy, runStrategies, updateStrategy } from '../src/modules/collections/index.ts';
import { addAccount, createTestApp, type TestApp } from './helpers/app.ts';

/**
 * Collection strategies while the items change in the middle of a cycle, table-driven: every scenario is an
 * account whose invoices, payments and applications appear on given days, with the daily job run every day
 * for six weeks. Whatever happens, a cycle's steps run in order from step 1 without a gap (never skipped) and
 * each at most once (never twice); a new cycle begins only after a day with nothing past due.
 *
 * The strategy (segment "midcycle"): 1 courtesy reminder at 1 day past due, 2 past-due notice at 10, 3 call
 * at 20, 4 final demand 5 days after the call.
 */
let t: TestApp;
const B = '2026-03-02';
const day = (n: number) => addDays(B, n);

type Event =
  | { on: number; invoice: string; due: number; amount: string; dated?: number }
  | { on: number; pay: string; to: string; amount: string };

interface Scenario {
  name: string;
  account: string;
  events: Event[];
  /** [step_no, day the step ran, cycle (the due date that started it)] in order. */
  expected: [number, number, number][];
}

const scenarios: Scenario[] = [
  {
    name: 'a new invoice falls past due in the middle of the cycle',
    account: 'MC-NEW',
    events: [
      { on: -30, invoice: 'NEW-1', due: 0, amount: '100.00' },
      { on: -20, invoice: 'NEW-2', due: 5, amount: '250.00' },
    ],
    expected: [
      [1, 1, 0],
      [2, 10, 0],
      [3, 20, 0],
      [4, 25, 0],
    ],
  },
  {
    name: 'a partial payment leaves the item past due: the cycle goes on',
    account: 'MC-PART',
    events: [
      { on: -30, invoice: 'PART-1', due: 0, amount: '100.00' },
      { on: 3, pay: 'PART-P1', to: 'PART-1', amount: '40.00' },
      { on: 12, pay: 'PART-P2', to: 'PART-1', amount: '59.99' },
    ],
    expected: [
      [1, 1, 0],
      [2, 10, 0],
      [3, 20, 0],
      [4, 25, 0],
    ],
  },
  {
    name: 'the oldest item paid while a newer one is already past due keeps the cycle',
    account: 'MC-OLDEST',
    events: [
      { on: -30, invoice: 'OLD-1', due: 0, amount: '100.00' },
      { on: -30, invoice: 'OLD-2', due: 12, amount: '80.00' },
      { on: 14, pay: 'OLD-P1', to: 'OLD-1', amount: '100.00' },
    ],
    expected: [
      [1, 1, 0],
      [2, 10, 0],
      [3, 20, 0],
      [4, 25, 0],
    ],
  },
  {
    name: 'an item paid, then a new one falls past due: a new cycle from step 1',
    account: 'MC-AGAIN',
    events: [
      { on: -30, invoice: 'AGAIN-1', due: 0, amount: '100.00' },
      { on: 12, pay: 'AGAIN-P1', to: 'AGAIN-1', amount: '100.00' },
      { on: 0, invoice: 'AGAIN-2', due: 15, amount: '70.00' },
    ],
    expected: [
      [1, 1, 0],
      [2, 10, 0],
      [1, 16, 15],
      [2, 25, 15],
      [3, 35, 15],
      [4, 40, 15],
    ],
  },
  {
    name: 'paid on the day it falls past due, the next one a day later: still one cycle',
    account: 'MC-EDGE',
    events: [
      { on: -30, invoice: 'EDGE-1', due: 0, amount: '100.00' },
      { on: -30, invoice: 'EDGE-2', due: 10, amount: '100.00' },
      // EDGE-1 is past due on days 1–10 (paid on day 11), EDGE-2 from day 11: no day without past due.
      { on: 11, pay: 'EDGE-P1', to: 'EDGE-1', amount: '100.00' },
    ],
    expected: [
      [1, 1, 0],
      [2, 10, 0],
      [3, 20, 0],
      [4, 25, 0],
    ],
  },
  {
    name: 'one day with nothing past due is enough to end the cycle',
    account: 'MC-GAP',
    events: [
      { on: -30, invoice: 'GAP-1', due: 0, amount: '100.00' },
      { on: -30, invoice: 'GAP-2', due: 11, amount: '100.00' },
      // GAP-1 is past due on days 1–10 (paid on day 11), GAP-2 from day 12: day 11 is clear.
      { on: 11, pay: 'GAP-P1', to: 'GAP-1', amount: '100.00' },
    ],
    expected: [
      [1, 1, 0],
      [2, 10, 0],
      [1, 12, 11],
      [2, 21, 11],
      [3, 31, 11],
      [4, 36, 11],
    ],
  },
  {
    name: 'an invoice imported already 30 days past due: the steps one a day, in order',
    account: 'MC-LATE',
    events: [{ on: 5, invoice: 'LATE-1', due: -25, amount: '300.00', dated: -55 }],
    expected: [
      [1, 5, -25],
      [2, 6, -25],
      [3, 7, -25],
      [4, 12, -25],
    ],
  },
  {
    name: 'a credit memo applied closes the item; an invoice falling past due later starts over',
    account: 'MC-CREDIT',
    events: [
      { on: -30, invoice: 'CR-1', due: 0, amount: '100.00' },
      { on: 4, invoice: 'CR-CM', due: 4, amount: '100.00' },
      { on: 4, pay: 'CR-CM', to: 'CR-1', amount: '100.00' },
      { on: -10, invoice: 'CR-2', due: 8, amount: '20.00' },
    ],
    expected: [
      [1, 1, 0],
      [1, 9, 8],
      [2, 18, 8],
      [3, 28, 8],
      [4, 33, 8],
    ],
  },
];

async function apply(account: string, e: Event): Promise<void> {
  if ('invoice' in e) {
    const type = e.invoice.endsWith('-CM') ? 'credit_memo' : 'invoice';
    const dated = day(e.dated ?? Math.min(e.due - 30, e.on));
    await t.db.query(
      `insert into ar_documents (account_id, document_id, type, document_date, due_date, currency, amount)
       values ($1, $2, $3, $4, $5, 'EUR', $6)`,
      [account, e.invoice, type, type === 'credit_memo' ? day(e.due) : dated, day(e.due), e.amount],
    );
    return;
  }
  if (!e.pay.endsWith('-CM'))
    await t.db.query(
      `insert into ar_payments (account_id, payment_id, received_date, currency, amount)
       values ($1, $2, $3, 'EUR', $4)`,
      [account, e.pay, day(e.on), e.amount],
    );
  await t.db.query(
    `insert into ar_applications (account_id, payment_id, document_id, applied_date, amount)
     values ($1, $2, $3, $4, $5)`,
    [account, e.pay, e.to, day(e.on), e.amount],
  );
}

before(async () => {
  t = await createTestApp();
  await createStrategy(t.db, {
    strategy_id: 'midcycle',
    name: 'Mid-cycle test strategy',
    segment: 'midcycle',
    steps: [
      {
        kind: 'courtesy_reminder',
        trigger: 'days_past_due',
        days: 1,
        subject: 'Reminder {{days_past_due}}',
        body: 'Dear {{account_name}}',
      },
      {
        kind: 'past_due_notice',
        trigger: 'days_past_due',
        days: 10,
        subject: 'Notice {{days_past_due}}',
        body: 'Dear {{account_name}}',
      },
      { kind: 'call', trigger: 'days_past_due', days: 20 },
      {
        kind: 'final_demand',
        trigger: 'days_after_previous',
        days: 5,
        subject: 'Final demand',
        body: 'Pay now',
      },
    ],
  });
  for (const s of scenarios)
    await addAccount(t.db, s.account, {
      segment: 'midcycle',
      billing_email: `ap@${s.account.toLowerCase()}.test`,
    });
  // Six weeks, day by day: the day's events first (imports arrive before the nightly job), then the job.
  const events = scenarios.flatMap((s) => s.events.map((e) => ({ account: s.account, e })));
  for (const { account, e } of events.filter((x) => x.e.on < 0)) await apply(account, e);
  for (let n = 0; n <= 42; n++) {
    for (const { account, e } of events.filter((x) => x.e.on === n)) await apply(account, e);
    await runStrategies(t.db, { asOf: day(n) });
  }
});
after(() => t.close());

const runsOf = async (account: string) =>
  (
    await t.db.query<{ step_no: number; run_date: string; cycle: string; kind: string }>(
      'select step_no, run_date, cycle, kind from strategy_runs where account_id = $1 order by run_date',
      [account],
    )
  ).rows;

describe('collection strategies when items change mid-cycle', () => {
  for (const s of scenarios) {
    test(s.name, async () => {
      const runs = await runsOf(s.account);
      assert.deepEqual(
        runs.map((r) => [r.step_no, r.run_date, r.cycle]),
        s.expected.map(([step, on, cycle]) => [step, day(on), day(cycle)]),
      );
      // Never skipped: in every cycle the steps are 1, 2, 3, … in the order they ran.
      const byCycle = new Map<string, number[]>();
      for (const r of runs) byCycle.set(r.cycle, [...(byCycle.get(r.cycle) ?? []), r.step_no]);
      for (const [cycle, steps] of byCycle)
        assert.deepEqual(
          steps,
          steps.map((_, i) => i + 1),
          `cycle ${cycle} ran ${steps.join(',')}`,
        );
      // Never twice: one e-mail per e-mail step run, each with its own key.
      const emails = await t.db.query<{ dedupe_key: string }>(
        'select dedupe_key from emails where account_id = $1',
        [s.account],
      );
      const emailSteps = runs.filter((r) => r.kind !== 'call').length;
      assert.equal(emails.rows.length, emailSteps);
      assert.equal(new Set(emails.rows.map((e) => e.dedupe_key)).size, emailSteps);
    });
  }

  test('running a day again, or a day already done, does nothing more', async () => {
    const before = await t.db.query<{ n: number }>('select count(*)::int as n from strategy_runs');
    for (const n of [10, 20, 42]) await runStrategies(t.db, { asOf: day(n) });
    const after = await t.db.query<{ n: number }>('select count(*)::int as n from strategy_runs');
    assert.equal(after.rows[0]!.n, before.rows[0]!.n);
  });

  test('editing the strategy mid-cycle neither repeats a step done nor runs one inserted before it', async () => {
    await addAccount(t.db, 'MC-EDIT', { segment: 'midcycle', billing_email: 'ap@edit.test' });
    await t.db.query(
      `insert into ar_documents (account_id, document_id, type, document_date, due_date, currency, amount)
       values ('MC-EDIT', 'EDIT-1', 'invoice', $1, $2, 'EUR', 500.00)`,
      [day(30), day(60)],
    );
    for (let n = 61; n <= 71; n++) await runStrategies(t.db, { asOf: day(n) });
    assert.deepEqual(
      (await runsOf('MC-EDIT')).map((r) => r.step_no),
      [1, 2],
    );
    const current = (
      await t.db.query<{ step_id: string; step_no: number }>(
        `select step_id::text, step_no from strategy_steps where strategy_id = 'midcycle' order by step_no`,
      )
    ).rows;
    // Insert a reminder between steps 1 and 2 (done already) and a call task after the notice.
    await updateStrategy(t.db, 'midcycle', {
      name: 'Mid-cycle test strategy',
      segment: 'midcycle',
      steps: [
        {
          step_id: current[0]!.step_id,
          kind: 'courtesy_reminder',
          trigger: 'days_past_due',
          days: 1,
          subject: 'Reminder',
          body: 'Dear',
        },
        {
          kind: 'courtesy_reminder',
          trigger: 'days_past_due',
          days: 5,
          subject: 'Second reminder',
          body: 'Dear',
        },
        {
          step_id: current[1]!.step_id,
          kind: 'past_due_notice',
          trigger: 'days_past_due',
          days: 10,
          subject: 'Notice',
          body: 'Dear',
        },
        { kind: 'escalate_to_sales', trigger: 'days_past_due', days: 12, sla_business_days: 4 },
        { step_id: current[2]!.step_id, kind: 'call', trigger: 'days_past_due', days: 20 },
        {
          step_id: current[3]!.step_id,
          kind: 'final_demand',
          trigger: 'days_after_previous',
          days: 5,
          subject: 'Final',
          body: 'Pay',
        },
      ],
    });
    for (let n = 72; n <= 90; n++) await runStrategies(t.db, { asOf: day(n) });
    const runs = await runsOf('MC-EDIT');
    assert.deepEqual(
      runs.map((r) => [r.kind, r.run_date]),
      [
        ['courtesy_reminder', day(61)],
        ['past_due_notice', day(70)],
        ['escalate_to_sales', day(72)],
        ['call', day(80)],
        ['final_demand', day(85)],
      ],
    );
  });
});
