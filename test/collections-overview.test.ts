import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { addAccount, addUser, Browser, createTestApp, type TestApp } from './helpers/app.ts';

/**
 * Account 360 over HTTP: the account's aging per currency (credits and unapplied cash included), its
 * contacts, strategy, statements sent, promise and task counts, and the partner's claims and credit memos —
 * its own and its child accounts', with what of each credit memo is still open. CLEARHOUSE_TODAY =
 * 2026-03-31.
 *
 * V1 (EUR): INV-V1 1000.00 due 02-14 (45 days, d31_60), 600.00 applied from CM-V1 (its 600.00 all used) →
 * 400.00 open; INV-V2 250.00 due 04-10 (not due); CM-V2 100.00 open credit (03-20, 11 days: d1_30);
 * PAY-V1 50.00 unapplied (03-25, d1_30). Total 400 + 250 − 100 − 50 = 500.00; past due 400.00.
 * V1-DE is V1's child with CM-V3 80.00 from claim CL-V3.
 */
let t: TestApp;
let collector: Browser;
const saved = process.env.CLEARHOUSE_TODAY;

before(async () => {
  process.env.CLEARHOUSE_TODAY = '2026-03-31';
  t = await createTestApp();
  await addAccount(t.db, 'V1', {
    name: 'Vega Retail',
    billing_email: 'ap@vega.test',
    claims_email: 'rebates@vega.test',
    collector: 'cole@corp.test',
    sales_owner: 'sam@corp.test',
    segment: 'key',
  });
  await addAccount(t.db, 'V1-DE', { name: 'Vega Retail Deutschland', parent_account_id: 'V1' });
  await addAccount(t.db, 'W1', { name: 'Someone Else' });
  await t.db.query(
    `insert into claims (account_id, claim_id, program_id, submitted_date, currency, status) values
       ('V1', 'CL-V1', 'SO-2026', '2026-02-10', 'EUR', 'paid'),
       ('V1', 'CL-V2', 'SO-2026', '2026-03-15', 'EUR', 'in_review'),
       ('V1-DE', 'CL-V3', 'SB-2026', '2026-03-01', 'EUR', 'paid'),
       ('W1', 'CL-W1', 'SO-2026', '2026-03-01', 'EUR', 'paid')`,
  );
  await t.db.query(
    `insert into claim_lines (account_id, claim_id, line_no, claimed_amount, approved_amount, status) values
       ('V1', 'CL-V1', 1, '600.00', '600.00', 'approved'),
       ('V1', 'CL-V2', 1, '120.00', null, 'review'),
       ('V1-DE', 'CL-V3', 1, '90.00', '80.00', 'adjusted'),
       ('W1', 'CL-W1', 1, '10.00', '10.00', 'approved')`,
  );
  await t.db.query(
    `insert into ar_documents (account_id, document_id, type, document_date, due_date, currency, amount, reference)
     values
       ('V1', 'INV-V1', 'invoice', '2026-01-15', '2026-02-14', 'EUR', '1000.00', null),
       ('V1', 'INV-V2', 'invoice', '2026-03-11', '2026-04-10', 'EUR', '250.00', null),
       ('V1', 'CM-V1', 'credit_memo', '2026-02-20', '2026-02-20', 'EUR', '600.00', 'CL-V1'),
       ('V1', 'CM-V2', 'credit_memo', '2026-03-20', '2026-03-20', 'EUR', '100.00', 'returns'),
       ('V1-DE', 'CM-V3', 'credit_memo', '2026-03-05', '2026-03-05', 'EUR', '80.00', 'CL-V3'),
       ('W1', 'CM-W1', 'credit_memo', '2026-03-05', '2026-03-05', 'EUR', '10.00', 'CL-W1')`,
  );
  await t.db.query(
    `insert into ar_payments (account_id, payment_id, received_date, amount, currency)
     values ('V1', 'PAY-V1', '2026-03-25', '50.00', 'EUR')`,
  );
  await t.db.query(
    `insert into ar_applications (account_id, payment_id, document_id, applied_date, amount)
     values ('V1', 'CM-V1', 'INV-V1', '2026-02-20', '600.00')`,
  );
  await t.db.query(
    `insert into emails (account_id, kind, dedupe_key, from_address, to_addresses, subject, body, status, sent_at)
     values ('V1', 'statement', 'statement:2026-02', 'ar@corp.test', '{ap@vega.test}',
       'Statement of account V1 as of 2026-02-28', 'Dear Vega', 'sent', '2026-03-01T06:00:00Z')`,
  );
  const c = await addUser(t.db, 'cole@corp.test', ['collector']);
  collector = await Browser.signedIn(t.app, c.email, c.password);
  await collector.post('/api/accounts/V1/tasks', { kind: 'escalate_to_sales', note: 'Slow payer' });
});
after(async () => {
  if (saved === undefined) delete process.env.CLEARHOUSE_TODAY;
  else process.env.CLEARHOUSE_TODAY = saved;
  await t.close();
});

describe('Account 360', () => {
  test('aging, contacts, strategy, statements, counts, and the partner’s claims and credit memos', async () => {
    const res = await collector.get('/api/accounts/V1/overview');
    assert.equal(res.statusCode, 200, res.body);
    const o = res.json();
    assert.equal(o.as_of, '2026-03-31');
    assert.deepEqual(o.aging, [
      {
        currency: 'EUR',
        not_due: '250.00',
        d1_30: '-150.00',
        d31_60: '400.00',
        d61_90: '0.00',
        d91_120: '0.00',
        d121_plus: '0.00',
        total: '500.00',
        past_due: '400.00',
      },
    ]);
    assert.deepEqual(o.contacts, [
      { role: 'billing', email: 'ap@vega.test' },
      { role: 'claims', email: 'rebates@vega.test' },
      { role: 'collector', email: 'cole@corp.test' },
      { role: 'sales owner', email: 'sam@corp.test' },
    ]);
    assert.equal(o.strategy.applies.strategy_id, 'default');
    assert.equal(o.strategy.cycle.cycle, '2026-02-14');
    assert.deepEqual(
      o.statements.map((s: { subject: string; status: string }) => [s.subject, s.status]),
      [['Statement of account V1 as of 2026-02-28', 'sent']],
    );
    assert.deepEqual(o.tasks, { open: 1, overdue: 0 });
    assert.deepEqual(o.promises, { open: 0, broken: 0, kept: 0 });
    // The claims of the partner (the account and its child), newest first — never another partner's.
    assert.deepEqual(
      o.claims.map(
        (c: {
          claim_id: string;
          account_id: string;
          status: string;
          claimed_amount: string;
          approved_amount: string | null;
        }) => [c.claim_id, c.account_id, c.status, c.claimed_amount, c.approved_amount],
      ),
      [
        ['CL-V2', 'V1', 'in_review', '120.00', null],
        ['CL-V3', 'V1-DE', 'paid', '90.00', '80.00'],
        ['CL-V1', 'V1', 'paid', '600.00', '600.00'],
      ],
    );
    // Credit memos with what is still open, linked to the claim they paid.
    assert.deepEqual(
      o.credit_memos.map((m: { document_id: string; open_amount: string; claim_id: string | null }) => [
        m.document_id,
        m.open_amount,
        m.claim_id,
      ]),
      [
        ['CM-V2', '100.00', null],
        ['CM-V3', '80.00', 'CL-V3'],
        ['CM-V1', '0.00', 'CL-V1'],
      ],
    );
    assert.equal((await collector.get('/api/accounts/NOPE/overview')).statusCode, 404);
  });
});
