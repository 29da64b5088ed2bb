import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { Money } from '../src/core/money.ts';
import type { Actor, PoolDb } from '../src/db/db.ts';
import { createTestDatabase, type TestDatabase } from '../src/db/test-database.ts';
import '../src/modules/index.ts';
import { approveAdjustment, requestAdjustment, runMonthEnd } from '../src/modules/adjustments/index.ts';
import { setApprovalLimits } from '../src/modules/approvals/index.ts';
import { journal, journalCsv } from '../src/modules/journal/index.ts';
import { aging } from '../src/modules/receivables/index.ts';
import { addAccount, addUser } from './helpers/app.ts';

/**
 * The month end (non-compliance charges written off once, on a month's last day only, dated that day) and the
 * journal over a generated month: every day balances, and every document's change over the month is exactly
 * what the journal posted to receivables for it. The CLI does the same.
 */

let tdb: TestDatabase;
let db: PoolDb;
let collector: Actor;
let approver: Actor;
const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '..');

async function doc(
  account: string,
  id: string,
  type: string,
  date: string,
  amount: string,
  currency = 'USD',
) {
  await db.query(
    `insert into ar_documents (account_id, document_id, type, document_date, due_date, currency, amount)
     values ($1, $2, $3, $4, $4::date + 30, $5, $6)`,
    [account, id, type, date, currency, amount],
  );
}
async function pay(account: string, id: string, date: string, amount: string, currency = 'USD') {
  await db.query(
    `insert into ar_payments (account_id, payment_id, received_date, amount, currency) values ($1, $2, $3, $4, $5)`,
    [account, id, date, amount, currency],
  );
}
async function apply(account: string, from: string, to: string, date: string, amount: string) {
  await db.query(
    `insert into ar_applications (account_id, payment_id, document_id, applied_date, amount) values ($1, $2, $3, $4, $5)`,
    [account, from, to, date, amount],
  );
}

async function onDay<T>(day: string, fn: () => Promise<T>): Promise<T> {
  const saved = process.env.CLEARHOUSE_TODAY;
  process.env.CLEARHOUSE_TODAY = day;
  try {
    return await fn();
  } finally {
    if (saved === undefined) delete process.env.CLEARHOUSE_TODAY;
    else process.env.CLEARHOUSE_TODAY = saved;
  }
}

before(async () => {
  tdb = await createTestDatabase();
  db = tdb.db;
  for (const a of ['ME-A', 'ME-B', 'GEN-1', 'GEN-2', 'GEN-3', 'GEN-4'])
    await addAccount(db, a, { currency: 'USD' });
  const c = await addUser(db, 'me-collector@corp.test', ['collector']);
  const p = await addUser(db, 'me-approver@corp.test', ['approver']);
  collector = { userId: c.userId, name: 'collector', roles: ['collector'], accounts: '*' };
  approver = { userId: p.userId, name: 'approver', roles: ['approver'], accounts: '*' };
  await setApprovalLimits(db, p.userId, {
    limits: [
      { currency: 'USD', amount: '100000' },
      { currency: 'EUR', amount: '100000' },
    ],
  });
});

after(() => tdb.drop());

describe('month end', () => {
  before(async () => {
    await doc('ME-A', 'NCC-1', 'non_compliance_charge', '2026-10-05', '100.00');
    await doc('ME-A', 'NCC-2', 'non_compliance_charge', '2026-10-06', '50.00'); // paid on 10-20
    await doc('ME-A', 'NCC-3', 'non_compliance_charge', '2026-10-07', '100.00'); // 30 paid on the last day
    await doc('ME-B', 'NCC-4', 'non_compliance_charge', '2026-11-02', '75.00'); // after the month end
    await doc('ME-B', 'NCC-5', 'non_compliance_charge', '2026-10-10', '40.00'); // paid on 11-03, recorded already
    await doc('ME-B', 'NCC-6', 'non_compliance_charge', '2026-10-11', '20.00', 'EUR');
    await doc('ME-A', 'INV-ME', 'invoice', '2026-10-01', '500.00'); // an invoice is never written off by it
    await pay('ME-A', 'PAY-ME1', '2026-10-20', '50.00');
    await pay('ME-A', 'PAY-ME2', '2026-10-31', '30.00');
    await pay('ME-B', 'PAY-ME3', '2026-11-03', '40.00');
    await apply('ME-A', 'PAY-ME1', 'NCC-2', '2026-10-20', '50.00');
    await apply('ME-A', 'PAY-ME2', 'NCC-3', '2026-10-31', '30.00');
    await apply('ME-B', 'PAY-ME3', 'NCC-5', '2026-11-03', '40.00');
  });

  test('a day that is not a month’s last writes off nothing', async () => {
    const r = await runMonthEnd(db, { as_of: '2026-10-30' });
    assert.equal(r.last_day, false);
    assert.equal(r.charges, 0);
  });

  test('the last day writes off exactly the charges open that day, at their open amount, dated that day', async () => {
    const before30 = await aging(db, { as_of: '2026-10-30' });
    const [a, b] = await Promise.all([
      runMonthEnd(db, { as_of: '2026-10-31' }),
      runMonthEnd(db, { as_of: '2026-10-31' }),
    ]);
    const first = a!.charges > 0 ? a! : b!;
    const second = a!.charges > 0 ? b! : a!;
    assert.equal(first.last_day, true);
    assert.deepEqual(first.written_off.map((w) => [w.document_id, w.amount, w.currency]).sort(), [
      ['NCC-1', '100.00', 'USD'],
      ['NCC-3', '70.00', 'USD'],
      ['NCC-6', '20.00', 'EUR'],
    ]);
    assert.equal(first.adjustment_ids.length, 2, 'one worksheet per currency');
    assert.equal(second.charges, 0, 'a run at the same time writes off nothing more');
    const { rows } = await db.query(
      `select p.document_id, p.entry_date, a.status, a.reason_code from adjustment_postings p
       join adjustments a on a.adjustment_id = p.adjustment_id where a.source_type = 'month_end' order by 1`,
    );
    assert.deepEqual(
      rows.map((r) => [r.document_id, r.entry_date, r.status, r.reason_code]),
      [
        ['NCC-1', '2026-10-31', 'approved', 'NCC_MONTH_END'],
        ['NCC-3', '2026-10-31', 'approved', 'NCC_MONTH_END'],
        ['NCC-6', '2026-10-31', 'approved', 'NCC_MONTH_END'],
      ],
    );
    assert.deepEqual(
      (await aging(db, { as_of: '2026-10-30' })).rows,
      before30.rows,
      'earlier agings unchanged',
    );
    const { rows: left } = await db.query<{ document_id: string }>(
      `select d.document_id from ar_documents d where d.type = 'non_compliance_charge'
         and d.amount > coalesce((select sum(e.amount) from ar_application_entries e
                                  where e.document_id = d.document_id and e.applied_date <= '2026-10-31'), 0)
         and d.document_date <= '2026-10-31' order by 1`,
    );
    assert.deepEqual(
      left.map((r) => r.document_id),
      ['NCC-5'],
      'only the charge paid later is open that day',
    );
  });

  test('running again writes off nothing more', async () => {
    const again = await runMonthEnd(db, { as_of: '2026-10-31' });
    assert.equal(again.charges, 0);
    const { rows } = await db.query(`select count(*)::int as n from adjustment_postings`);
    assert.equal(rows[0]!.n, 3);
  });

  test('the journal has each write-off as 6810 / 1200 on the last day', async () => {
    const j = await journal(db, { from: '2026-10-31', to: '2026-10-31' });
    const wo = j.rows.filter((r) => r.kind === 'write_off');
    assert.deepEqual(wo.map((r) => [r.document_id, r.gl_debit, r.gl_credit, r.amount, r.currency]).sort(), [
      ['NCC-1', '6810', '1200', '100.00', 'USD'],
      ['NCC-3', '6810', '1200', '70.00', 'USD'],
      ['NCC-6', '6810', '1200', '20.00', 'EUR'],
    ]);
  });
});

/** A deterministic pseudo-random month of activity on GEN-1..4 (a linear congruential generator). */
describe('the journal over a generated month', () => {
  let seed = 20261101;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const dayOf = (d: number) => `2026-11-${String(d).padStart(2, '0')}`;
  const cents = (min: number, max: number) =>
    new Money(Math.floor(min * 100 + rand() * (max - min) * 100)).div(100).toFixed(2);

  before(async () => {
    const accounts = ['GEN-1', 'GEN-2', 'GEN-3', 'GEN-4'];
    const docs: { id: string; account: string; amount: Money; open: Money; date: number }[] = [];
    for (let i = 1; i <= 60; i++) {
      const account = pick(accounts);
      const date = 1 + Math.floor(rand() * 20);
      const amount = cents(50, 2000);
      const id = `G-INV-${i}`;
      // Some invoices from before the month, so that opening balances are not all zero.
      await doc(
        account,
        id,
        i % 5 === 0 ? 'debit_memo' : 'invoice',
        i <= 10 ? `2026-10-${10 + (i % 10)}` : dayOf(date),
        amount,
      );
      docs.push({
        id,
        account,
        amount: new Money(amount),
        open: new Money(amount),
        date: i <= 10 ? 0 : date,
      });
    }
    // Payments applied to documents on later days, some in full, some in part.
    for (let i = 1; i <= 40; i++) {
      const d = pick(docs.filter((x) => x.open.gt(0)));
      const day = Math.max(d.date, 1) + Math.floor(rand() * 8);
      if (day > 30) continue;
      const amount = rand() < 0.5 ? d.open : d.open.mul(rand()).toDecimalPlaces(2).plus(0.01);
      const payment = `G-PAY-${i}`;
      await pay(d.account, payment, dayOf(day), amount.toFixed(2));
      await apply(d.account, payment, d.id, dayOf(day), amount.toFixed(2));
      d.open = d.open.minus(amount);
    }
    // An application corrected (a reversal and a new entry) and one removed (a reversal).
    await db.query(`update ar_applications set amount = amount / 2 where payment_id = 'G-PAY-3'`);
    await db.query(`delete from ar_applications where payment_id = 'G-PAY-7'`);
    // A settlement credit memo, and another reversed with its batch.
    await db.query(
      `insert into claims (account_id, claim_id, program_id, submitted_date, currency, status)
       values ('GEN-1', 'CL-G1', 'P-G', '2026-10-01', 'USD', 'paid'), ('GEN-2', 'CL-G2', 'P-G', '2026-10-01', 'USD', 'approved')`,
    );
    await db.query(
      `insert into payment_batches (batch_id, method, currency, status, as_of, payment_count, total_amount)
       values ('PB-G', 'credit_memo', 'USD', 'final', '2026-11-12', 2, 300)`,
    );
    await db.query(
      `insert into settlement_payments (account_id, claim_id, batch_id, method, currency, amount, status, as_of,
         paid_on, document_id, reversal_document_id)
       values ('GEN-1', 'CL-G1', 'PB-G', 'credit_memo', 'USD', 120, 'paid', '2026-11-12', '2026-11-12', 'CM-PB-G-CL-G1', null),
              ('GEN-2', 'CL-G2', 'PB-G', 'credit_memo', 'USD', 180, 'reversed', '2026-11-12', null, 'CM-PB-G-CL-G2',
               'RV-CM-PB-G-CL-G2')`,
    );
    await doc('GEN-1', 'CM-PB-G-CL-G1', 'credit_memo', '2026-11-12', '120.00');
    await doc('GEN-2', 'CM-PB-G-CL-G2', 'credit_memo', '2026-11-12', '180.00');
    await doc('GEN-2', 'RV-CM-PB-G-CL-G2', 'debit_memo', '2026-11-18', '180.00');
    await apply('GEN-2', 'CM-PB-G-CL-G2', 'RV-CM-PB-G-CL-G2', '2026-11-18', '180.00');
    // Adjustments of every kind, approved on days of the month.
    const openNow = async (id: string) =>
      new Money(
        (
          await db.query<{ open: string }>(
            `select (d.amount - coalesce((select sum(e.amount) from ar_application_entries e
               where e.document_id = d.document_id), 0))::text as open from ar_documents d where d.document_id = $1`,
            [id],
          )
        ).rows[0]!.open,
      );
    const kinds = ['write_off', 'absorption', 'credit_adjustment', 'rebill', 'debit_adjustment'] as const;
    const reasons = {
      write_off: 'BAD_DEBT',
      absorption: 'DEDUCTION_ACCEPTED',
      credit_adjustment: 'PRICING_ERROR',
      rebill: 'QUANTITY_ERROR',
      debit_adjustment: 'DISPUTE',
    };
    let made = 0;
    for (const d of docs) {
      if (made >= 15) break;
      const open = await openNow(d.id);
      if (open.lte(1)) continue;
      const kind = kinds[made % kinds.length]!;
      const day = dayOf(Math.min(30, Math.max(d.date, 1) + 3 + (made % 5)));
      const amount = open.mul(0.5).toDecimalPlaces(2).toFixed(2);
      const requested = await onDay(day, () =>
        requestAdjustment(db.as(collector), {
          kind,
          document_id: d.id,
          ...(kind === 'rebill' ? { corrected_amount: cents(10, 500) } : { amount }),
          reason_code: reasons[kind],
          comment: `generated ${kind}`,
        }),
      );
      await onDay(day, () => approveAdjustment(db.as(approver), requested.adjustment_id));
      made++;
    }
    assert.equal(made, 15);
    await runMonthEnd(db, { as_of: '2026-11-30' });
  });

  test('every row posts one amount to two accounts, and each day’s debits equal its credits', async () => {
    const j = await journal(db, { from: '2026-11-01', to: '2026-11-30' });
    const kinds = new Set(j.rows.map((r) => r.kind));
    for (const k of [
      'cash',
      'reversal',
      'credit_memo',
      'write_off',
      'absorption',
      'credit_adjustment',
      'rebill',
      'debit_adjustment',
    ])
      assert.ok(kinds.has(k), `the month has ${k} rows`);
    const byDay = new Map<string, Map<string, Money>>();
    for (const r of j.rows) {
      assert.ok(new Money(r.amount).gt(0), `${r.entry_id}: amount ${r.amount}`);
      assert.ok(
        r.gl_debit && r.gl_credit && r.gl_debit !== r.gl_credit,
        `${r.entry_id}: ${r.gl_debit}/${r.gl_credit}`,
      );
      const day = byDay.get(r.entry_date) ?? new Map<string, Money>();
      day.set(r.gl_debit, (day.get(r.gl_debit) ?? new Money(0)).plus(r.amount));
      day.set(r.gl_credit, (day.get(r.gl_credit) ?? new Money(0)).minus(r.amount));
      byDay.set(r.entry_date, day);
    }
    assert.ok(byDay.size >= 15, `activity on ${byDay.size} days`);
    for (const [day, accounts] of byDay) {
      const net = [...accounts.values()].reduce((s, v) => s.plus(v), new Money(0));
      assert.ok(net.isZero(), `${day}: debits and credits differ by ${net}`);
    }
    const ids = new Set(j.rows.map((r) => r.entry_id));
    assert.equal(ids.size, j.rows.length, 'entry ids are unique');
  });

  test('each document’s change over the month is exactly what the journal posted to receivables for it', async () => {
    // What each document owed at the start of the month: invoices the ERP issued during it owe their amount
    // from the start (the ERP journals invoices), documents a posting created owe nothing before it.
    const { rows } = await db.query<{ document_id: string; change: string }>(
      `select d.document_id,
         ((case when exists (select 1 from adjustment_postings p where p.created_document_id = d.document_id) then 0
                else d.amount - coalesce((select sum(e.amount) from ar_application_entries e
                  where e.document_id = d.document_id and e.applied_date <= '2026-10-31'), 0) end)
          - (d.amount - coalesce((select sum(e.amount) from ar_application_entries e
              where e.document_id = d.document_id and e.applied_date <= '2026-11-30'), 0)))::text as change
       from ar_documents d
       where d.account_id like 'GEN-%' and d.type <> 'credit_memo' and d.document_id not like 'RV-%'`,
    );
    const j = await journal(db, { from: '2026-11-01', to: '2026-11-30' });
    const posted = new Map<string, Money>();
    for (const r of j.rows) {
      if (!r.document_id) continue;
      const signed =
        r.gl_credit === '1200'
          ? new Money(r.amount)
          : r.gl_debit === '1200'
            ? new Money(r.amount).neg()
            : new Money(0);
      posted.set(r.document_id, (posted.get(r.document_id) ?? new Money(0)).plus(signed));
    }
    const mismatches = rows
      .filter((r) => !new Money(r.change).eq(posted.get(r.document_id) ?? 0))
      .map(
        (r) =>
          `${r.document_id}: open fell by ${r.change}, the journal credits ${posted.get(r.document_id) ?? 0}`,
      );
    assert.deepEqual(mismatches, []);
  });

  test('clearhouse journal export and month-end run do what the API does', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clearhouse-journal-'));
    const out = path.join(dir, 'journal.csv');
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: tdb.ownerUrl,
      CLEARHOUSE_HOME: dir,
      LOG_LEVEL: 'warn',
    };
    delete env.NODE_TEST_CONTEXT;
    const bin = path.join(root, 'bin', 'clearhouse.js');
    await run(
      process.execPath,
      [bin, 'journal', 'export', '--from', '2026-11-01', '--to', '2026-11-30', '--out', out],
      { env, cwd: root },
    );
    const csv = fs.readFileSync(out, 'utf8');
    const j = await journal(db, { from: '2026-11-01', to: '2026-11-30' });
    assert.equal(csv, journalCsv(j.rows));
    assert.equal(
      csv.split('\n')[0],
      'entry_id,entry_date,kind,account_id,document_id,gl_debit,gl_credit,amount,currency,reference',
    );
    const me = await run(process.execPath, [bin, '--json', 'month-end', 'run', '--as-of', '2026-11-30'], {
      env,
      cwd: root,
    });
    assert.equal(JSON.parse(me.stdout).charges, 0, 'the month end already ran for 2026-11-30');
    const added = await run(
      process.execPath,
      [
        bin,
        'users',
        'add',
        '--email',
        'cli-approver@corp.test',
        '--role',
        'approver',
        '--password',
        'a-long-enough-password',
        '--approval-limit',
        'USD:5000',
        '--approval-limit',
        'eur:2500.50',
      ],
      { env, cwd: root },
    );
    assert.match(added.stdout, /Approval limit: 5000\.00 USD/);
    const { rows: limits } = await db.query(
      `select l.currency::text, l.amount::text from approval_limits l join users u on u.user_id = l.user_id
       where u.email = 'cli-approver@corp.test' order by 1`,
    );
    assert.deepEqual(limits, [
      { currency: 'EUR', amount: '2500.50' },
      { currency: 'USD', amount: '5000.00' },
    ]);
    const bad = await run(
      process.execPath,
      [bin, 'users', 'add', '--email', 'x@corp.test', '--role', 'approver', '--approval-limit', 'USD5000'],
      { env, cwd: root },
    ).then(
      () => assert.fail('a malformed limit must fail'),
      (err: { code: number; stderr: string }) => err,
    );
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /--approval-limit USD5000: write CURRENCY:AMOUNT/);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
