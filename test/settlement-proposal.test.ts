import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { approveClaims, validateClaims } from '../src/modules/claims/index.ts';
import { runSettlement } from '../src/modules/settlement/index.ts';
import { addUser, Browser, createTestApp, loadFiles, type TestApp } from './helpers/app.ts';

/**
 * Payment proposals through the API: what a run would pay on a business day (after deductions, with its
 * blockers), claims excluded with a reason, the submit paying exactly the included claims (one paid
 * meanwhile is not paid again and the result says so), batches of every method above the release limit held
 * (credit memos reach receivables only on release), released with a comment by someone else, files only then.
 */
const program = (id: string, method: string) => ({
  program_id: id,
  name: `Sell-out ${method}`,
  type: 'sell_out',
  currency: 'USD',
  country: 'US',
  start_date: '2026-01-01',
  end_date: '2026-12-31',
  per_unit_amount: '2.50',
  payment_method: method,
});

const files: [string, string][] = [
  [
    'accounts.csv',
    `account_id,name,country,currency,bank_routing_number,bank_account_number
PP-A,Partner with a bank,US,USD,011000015,12345678
PP-B,Partner without a bank,US,USD,,
PP-C,Partner paid by memo,US,USD,,`,
  ],
  ['products.csv', 'sku,name\nPP-X,Printer\n'],
  ['programs.json', JSON.stringify([program('PP-ACH', 'ach'), program('PP-CM', 'credit_memo')])],
  [
    'inventory.csv',
    `account_id,sku,as_of_date,on_hand_qty,kind
PP-A,PP-X,2026-01-01,100,opening
PP-B,PP-X,2026-01-01,100,opening
PP-C,PP-X,2026-01-01,100,opening`,
  ],
  [
    'sell_out.csv',
    `account_id,sell_out_ref,sale_date,sku,qty
PP-A,A1,2026-05-01,PP-X,4
PP-A,A2,2026-05-02,PP-X,8
PP-B,B1,2026-05-01,PP-X,2
PP-C,C1,2026-05-01,PP-X,20
PP-C,C2,2026-05-02,PP-X,2`,
  ],
  [
    'claims.csv',
    `claim_id,account_id,program_id,submitted_date,currency,line_no,sku,qty,claimed_unit_amount,claimed_amount,sale_date,sell_out_ref
PP-1,PP-A,PP-ACH,2026-10-20,USD,1,PP-X,4,2.50,10.00,2026-05-01,A1
PP-2,PP-A,PP-ACH,2026-10-20,USD,1,PP-X,8,2.50,20.00,2026-05-02,A2
PP-3,PP-B,PP-ACH,2026-10-20,USD,1,PP-X,2,2.50,5.00,2026-05-01,B1
PP-4,PP-C,PP-CM,2026-10-20,USD,1,PP-X,20,2.50,50.00,2026-05-01,C1
PP-5,PP-C,PP-CM,2026-10-20,USD,1,PP-X,2,2.50,5.00,2026-05-02,C2`,
  ],
];

let t: TestApp;
let dir: string;
let approver: Browser;
let manager: Browser;
let analyst: Browser;
const saved = {
  today: process.env.CLEARHOUSE_TODAY,
  limit: process.env.CLEARHOUSE_SETTLEMENT_RELEASE_LIMIT,
};
const restore = (key: string, value: string | undefined) => {
  if (value === undefined) delete process.env[key];
  else process.env[key] = value;
};

before(async () => {
  process.env.CLEARHOUSE_TODAY = '2026-11-24';
  process.env.CLEARHOUSE_SETTLEMENT_RELEASE_LIMIT = '12.00';
  t = await createTestApp();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ch-settlement-proposal-'));
  await loadFiles(t.db, dir, files);
  await validateClaims(t.db);
  assert.equal((await approveClaims(t.db)).length, 5);
  // A deduction the partner took settled 4.00 of PP-2: the proposal pays what is left.
  await t.db.query(
    `insert into claim_settlements (account_id, claim_id, approved_amount, deducted_amount)
     values ('PP-A', 'PP-2', 20, 4)`,
  );
  const users = {
    approver: await addUser(t.db, 'ava@corp.test', ['approver']),
    manager: await addUser(t.db, 'max@corp.test', ['manager']),
    analyst: await addUser(t.db, 'ana@corp.test', ['rebate_analyst']),
  };
  approver = await Browser.signedIn(t.app, users.approver.email, users.approver.password);
  manager = await Browser.signedIn(t.app, users.manager.email, users.manager.password);
  analyst = await Browser.signedIn(t.app, users.analyst.email, users.analyst.password);
});

after(async () => {
  await t.close();
  fs.rmSync(dir, { recursive: true, force: true });
  restore('CLEARHOUSE_TODAY', saved.today);
  restore('CLEARHOUSE_SETTLEMENT_RELEASE_LIMIT', saved.limit);
});

const ref = (account_id: string, claim_id: string) => ({ account_id, claim_id });

describe('payment proposals', { timeout: 120_000 }, () => {
  let proposalId: string;

  test('payment dates are business days: a weekend or holiday is refused with the next business day', async () => {
    const sat = (await analyst.get('/api/settlement/payment-date?date=2026-11-28')).json();
    assert.deepEqual([sat.business_day, sat.next_business_day, sat.country], [false, '2026-11-30', 'US']);
    const thanksgiving = (await analyst.get('/api/settlement/payment-date?date=2026-11-26')).json();
    assert.match(thanksgiving.problem, /public holiday in US/);
    assert.equal(thanksgiving.next_business_day, '2026-11-27');
    const refused = await analyst.post('/api/settlement/proposals', { as_of: '2026-11-28' });
    assert.equal(refused.statusCode, 400, refused.body);
    assert.match(refused.json().error.message, /Saturday.*next business day is 2026-11-30/);
    const past = await analyst.post('/api/settlement/proposals', { as_of: '2026-11-23' });
    assert.equal(past.statusCode, 400, past.body);
  });

  test('a proposal lists what a run would pay, after deductions, with blockers and the batches', async () => {
    const res = await analyst.post('/api/settlement/proposals', {});
    assert.equal(res.statusCode, 201, res.body);
    const p = res.json();
    proposalId = p.proposal_id;
    assert.equal(p.as_of, '2026-11-24', 'today is a business day');
    assert.equal(p.status, 'open');
    assert.deepEqual(
      p.lines.map((l: Record<string, unknown>) => [l.claim_id, l.method, l.amount, l.blocker !== null]),
      [
        ['PP-1', 'ach', '10.00', false],
        ['PP-2', 'ach', '16.00', false],
        ['PP-3', 'ach', '5.00', true],
        ['PP-4', 'credit_memo', '50.00', false],
        ['PP-5', 'credit_memo', '5.00', false],
      ],
    );
    assert.match(p.lines[2].blocker, /no bank details/);
    assert.equal(p.lines[0].partner_name, 'Partner with a bank');
    assert.deepEqual(
      p.batches.map((b: Record<string, unknown>) => [b.method, b.claims, b.amount, b.release_required]),
      [
        ['ach', 2, '26.00', true],
        ['credit_memo', 2, '55.00', true],
      ],
    );
    const list = (await analyst.get('/api/settlement/proposals')).json().items;
    assert.deepEqual(
      list.map((x: Record<string, unknown>) => [x.proposal_id, x.claims, x.blocked]),
      [[proposalId, 5, 1]],
    );
  });

  test('claims are excluded with a reason and taken back', async () => {
    const url = `/api/settlement/proposals/${proposalId}`;
    const bare = await analyst.post(`${url}/exclude`, { claims: [ref('PP-A', 'PP-1')] });
    assert.equal(bare.statusCode, 400, bare.body);
    const unknown = await analyst.post(`${url}/exclude`, { claims: [ref('PP-A', 'PP-9')], reason: 'x' });
    assert.equal(unknown.statusCode, 400, unknown.body);
    const res = await analyst.post(`${url}/exclude`, {
      claims: [ref('PP-A', 'PP-1'), ref('PP-C', 'PP-5')],
      reason: 'Partner asked to hold',
    });
    assert.equal(res.statusCode, 200, res.body);
    const p = res.json();
    const pp1 = p.lines.find((l: Record<string, unknown>) => l.claim_id === 'PP-1');
    assert.deepEqual(
      [pp1.excluded, pp1.exclusion_reason, pp1.excluded_by],
      [true, 'Partner asked to hold', 'ana'],
    );
    const back = (await analyst.post(`${url}/include`, { claims: [ref('PP-C', 'PP-5')] })).json();
    assert.deepEqual([back.included, back.excluded], [4, 1]);
    assert.deepEqual(
      back.batches.map((b: Record<string, unknown>) => [b.method, b.claims, b.amount]),
      [
        ['ach', 1, '16.00'],
        ['credit_memo', 2, '55.00'],
      ],
    );
    const { rows } = await t.db.query<{ action: string }>(
      `select action from audit_events where entity_type = 'payment_proposal' and entity_id = $1
       order by event_id`,
      [proposalId],
    );
    assert.deepEqual(
      rows.map((r) => r.action),
      ['created', 'claims_excluded', 'claims_included'],
    );
  });

  test('the submit pays exactly the included claims; one paid meanwhile is not paid again', async () => {
    // Another run pays PP-5 before the proposal is submitted.
    const other = await runSettlement(t.db, { claims: [ref('PP-C', 'PP-5')] });
    assert.deepEqual(
      other.batches.flatMap((b) => b.claim_ids),
      ['PP-5'],
    );
    const res = await approver.post(`/api/settlement/proposals/${proposalId}/submit`);
    assert.equal(res.statusCode, 200, res.body);
    const p = res.json();
    assert.equal(p.status, 'submitted');
    assert.equal(p.submitted_by, 'ava');
    const r = p.result;
    assert.deepEqual(
      r.paid.map((x: Record<string, string>) => [x.claim_id, x.amount, x.proposed_amount]),
      [
        ['PP-2', '16.00', '16.00'],
        ['PP-4', '50.00', '50.00'],
      ],
    );
    assert.deepEqual(
      r.not_paid.map((x: Record<string, string>) => x.claim_id),
      ['PP-3', 'PP-5'],
    );
    assert.match(r.not_paid[0].reason, /no bank details/);
    assert.match(r.not_paid[1].reason, /paid meanwhile/);
    assert.equal(r.excluded, 1);
    // Both batches are above the limit (12.00) and wait for release, the credit memos too.
    assert.deepEqual(
      r.batches.map((b: Record<string, unknown>) => [b.method, b.status, b.release_required, b.total_amount]),
      [
        ['ach', 'draft', true, '16.00'],
        ['credit_memo', 'draft', true, '50.00'],
      ],
    );
    const { rows: claims } = await t.db.query<{ claim_id: string; status: string }>(
      'select claim_id, status from claims order by claim_id',
    );
    assert.deepEqual(
      claims.map((c) => [c.claim_id, c.status]),
      [
        ['PP-1', 'approved'],
        ['PP-2', 'in_payment'],
        ['PP-3', 'approved'],
        ['PP-4', 'in_payment'],
        ['PP-5', 'paid'],
      ],
    );
    const memos = await t.db.query(`select 1 from ar_documents where reference = 'PP-4'`);
    assert.equal(memos.rowCount, 0, 'a held credit memo batch posts nothing yet');
    // Once submitted it is over.
    assert.equal((await approver.post(`/api/settlement/proposals/${proposalId}/submit`)).statusCode, 409);
    const late = await analyst.post(`/api/settlement/proposals/${proposalId}/include`, {
      claims: [ref('PP-A', 'PP-1')],
    });
    assert.equal(late.statusCode, 409, late.body);
  });

  test('a held batch is released by someone else, with a comment; its files only then', async () => {
    const p = (await analyst.get(`/api/settlement/proposals/${proposalId}`)).json();
    const memo = p.result.batches.find((b: Record<string, string>) => b.method === 'credit_memo').batch_id;
    const detail = (await analyst.get(`/api/settlement/batches/${memo}`)).json();
    assert.equal(detail.proposal_id, proposalId);
    const file = detail.stored_files.find((f: Record<string, string>) => f.kind === 'credit_memos').file_name;
    const early = await analyst.get(`/api/settlement/batches/${memo}/files/${file}`);
    assert.equal(early.statusCode, 409, early.body);
    const own = await approver.post(`/api/settlement/batches/${memo}/release`, { comment: 'mine' });
    assert.equal(own.statusCode, 403, own.body);
    assert.match(own.json().error.message, /another approver/);
    const res = await manager.post(`/api/settlement/batches/${memo}/release`, {
      comment: 'Checked the totals',
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().paid_on, '2026-11-24');
    const { rows } = await t.db.query<{ document_date: string; amount: string }>(
      `select document_date, amount::text from ar_documents where reference = 'PP-4'`,
    );
    assert.deepEqual(rows, [{ document_date: '2026-11-24', amount: '50.00' }]);
    assert.equal((await analyst.get(`/api/settlement/batches/${memo}/files/${file}`)).statusCode, 200);
    const { rows: audit } = await t.db.query<{ after: { comment: string } }>(
      `select after from audit_events where entity_id = $1 and action = 'released'`,
      [memo],
    );
    assert.equal(audit[0]!.after.comment, 'Checked the totals');
  });

  test('a proposal whose payment date has passed is expired', async () => {
    const p = (await analyst.post('/api/settlement/proposals', {})).json();
    assert.deepEqual(
      p.lines.map((l: Record<string, string>) => l.claim_id),
      ['PP-1', 'PP-3'],
    );
    process.env.CLEARHOUSE_TODAY = '2026-11-25';
    try {
      const read = (await analyst.get(`/api/settlement/proposals/${p.proposal_id}`)).json();
      assert.equal(read.status, 'expired');
      const res = await analyst.post(`/api/settlement/proposals/${p.proposal_id}/submit`);
      assert.equal(res.statusCode, 409, res.body);
      assert.match(res.json().error.message, /has passed/);
    } finally {
      process.env.CLEARHOUSE_TODAY = '2026-11-24';
    }
  });
});
