import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runImport } from '../src/modules/imports/index.ts';
import { addUser, Browser, createTestApp, type TestApp } from './helpers/app.ts';

/** The claims API end to end: submit as JSON, validate, read findings, resolve, approve, reject, isolation. */

let t: TestApp;
let dir: string;
let analyst: Browser;
let partner1: Browser;
let partner2: Browser;

const data: [string, string][] = [
  [
    'accounts.csv',
    `account_id,name,country,currency
P-1,Partner one,DE,EUR
P-2,Partner two,DE,EUR`,
  ],
  ['products.csv', 'sku,name,category,list_price,currency\nX-100,Mono laser,laser-mono,199.00,EUR'],
  ['end_customers.csv', 'end_customer_id,name,country\nEC-1,Hospital,DE'],
  [
    'programs.json',
    JSON.stringify([
      {
        program_id: 'SB',
        name: 'Special bids',
        type: 'special_bid',
        currency: 'EUR',
        country: 'DE',
        partners: ['P-1', 'P-2'],
        start_date: '2026-01-01',
        end_date: '2026-12-31',
        claim_window_days: 90,
      },
    ]),
  ],
  [
    'deals.csv',
    `deal_id,program_id,account_id,end_customer_id,sku,authorized_unit_amount,currency,max_qty,start_date,end_date
D-1,SB,P-1,EC-1,X-100,20.00,EUR,10,2026-01-01,2026-12-31
D-2,SB,P-2,EC-1,X-100,20.00,EUR,10,2026-01-01,2026-12-31`,
  ],
  [
    'sell_in.csv',
    `invoice_id,line_no,account_id,invoice_date,sku,qty,unit_price,currency
INV-1,1,P-1,2026-02-01,X-100,10,150.00,EUR
INV-2,1,P-2,2026-02-01,X-100,10,150.00,EUR`,
  ],
  [
    'sell_out.csv',
    `account_id,sell_out_ref,sale_date,sku,qty,unit_price,currency,end_customer_id,partner_invoice_no,serial_numbers
P-1,SO-1,2026-03-01,X-100,5,200.00,EUR,EC-1,PI-1,
P-1,SO-3,2026-03-02,X-100,2,200.00,EUR,EC-1,PI-3,
P-2,SO-2,2026-03-01,X-100,5,200.00,EUR,EC-1,PI-2,`,
  ],
];

const claim = (over: Record<string, unknown> = {}, line: Record<string, unknown> = {}) => ({
  claim_id: 'C-1',
  account_id: 'P-1',
  program_id: 'SB',
  submitted_date: '2026-03-10',
  currency: 'EUR',
  lines: [
    {
      line_no: 1,
      sku: 'X-100',
      qty: 5,
      claimed_unit_amount: '25.00',
      claimed_amount: '125.00',
      sale_date: '2026-03-01',
      end_customer_id: 'EC-1',
      deal_id: 'D-1',
      sell_out_ref: 'SO-1',
      ...line,
    },
  ],
  ...over,
});

before(async () => {
  t = await createTestApp();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clearhouse-claims-api-'));
  for (const [name, content] of data) {
    const p = path.join(dir, name);
    fs.writeFileSync(p, content);
    const r = await runImport(t.db, { path: p, source: 'cli', activatePrograms: true });
    assert.equal(r.status, 'loaded', `${name}: ${JSON.stringify(r.errors)}`);
  }
  const a = await addUser(t.db, 'ana@corp.test', ['rebate_analyst']);
  const p1 = await addUser(t.db, 'pia@one.test', ['partner'], 'P-1');
  const p2 = await addUser(t.db, 'paul@two.test', ['partner'], 'P-2');
  analyst = await Browser.signedIn(t.app, a.email, a.password);
  partner1 = await Browser.signedIn(t.app, p1.email, p1.password);
  partner2 = await Browser.signedIn(t.app, p2.email, p2.password);
});

after(async () => {
  await t.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('claims through the API', () => {
  test('a refused claim comes back as issues per line and field', async () => {
    const res = await partner1.post('/api/claims', claim({ claim_id: 'C-BAD' }, { sale_date: '2026-02-30' }));
    assert.equal(res.statusCode, 400, res.body);
    const fields = res.json().error.issues.map((i: { field: string }) => i.field);
    assert.ok(fields.includes('lines.0.sale_date'), res.body);
    const other = await partner1.post('/api/claims', claim({ claim_id: 'C-OTHER', account_id: 'P-2' }));
    assert.equal(other.statusCode, 400, other.body);
    assert.equal((await analyst.get('/api/claims/C-OTHER')).statusCode, 404);
  });

  test('a partner submits; validation finds the unit amount above the deal', async () => {
    const res = await partner1.post('/api/claims', claim());
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.json().outcome, 'created');
    assert.equal(res.json().claim.status, 'submitted');

    assert.equal((await partner1.post('/api/claims/validate')).statusCode, 403);
    const run = await analyst.post('/api/claims/validate');
    assert.equal(run.statusCode, 200, run.body);
    assert.equal(run.json().summary.claims_validated, 1);

    const detail = (await partner1.get('/api/claims/C-1')).json();
    assert.equal(detail.claim.status, 'validated');
    assert.equal(detail.claim.partner_name, 'Partner one');
    const [line] = detail.lines;
    assert.equal(line.status, 'adjusted');
    assert.equal(line.approved_unit_amount, '20.00');
    assert.equal(line.approved_amount, '100.00');
    assert.equal(line.matched_sell_out_ref, 'SO-1');
    assert.deepEqual(
      line.findings.map((f: { rule_code: string; effect: string }) => [f.rule_code, f.effect]),
      [['UNIT_AMOUNT_EXCEEDS_AUTHORIZED', 'adjust']],
    );
    assert.deepEqual(detail.reconciliation, {
      claimed_amount: '125.00',
      calculated_amount: detail.reconciliation.calculated_amount,
      approved_amount: '100.00',
      paid_amount: null,
      variance: '25.00',
      by_rule_code: [{ rule_code: 'UNIT_AMOUNT_EXCEEDS_AUTHORIZED', lines: 1, variance: '25.00' }],
    });

    // The deal shows what the ledger consumed: 5 of its 10 units, by C-1; so does the program.
    const deal = (await analyst.get('/api/deals/D-1')).json().deal;
    assert.deepEqual([deal.used_qty, deal.left_qty], [5, 5]);
    const program = (await analyst.get('/api/programs/SB')).json();
    assert.equal((program.program ?? program).budget.used, '100.00');

    const list = (await analyst.get('/api/claims?status=validated')).json();
    assert.equal(list.total, 1);
    assert.deepEqual(list.items[0].rule_codes, ['UNIT_AMOUNT_EXCEEDS_AUTHORIZED']);
    assert.deepEqual(list.items[0].line_counts, {
      approved: 0,
      adjusted: 1,
      review: 0,
      rejected: 0,
      pending: 0,
    });
    assert.equal(list.items[0].claimed_amount, '125.00');
  });

  test('submitting the same claim again changes nothing; an idempotency key replays the first answer', async () => {
    const again = await partner1.post('/api/claims', claim());
    assert.equal(again.statusCode, 200, again.body);
    assert.equal(again.json().outcome, 'unchanged');
    assert.equal(again.json().claim.version, 1);
    assert.equal(again.json().claim.status, 'validated');

    const body = claim(
      { claim_id: 'C-2' },
      {
        qty: 2,
        claimed_unit_amount: '20.00',
        claimed_amount: '40.00',
        sale_date: '2026-03-02',
        sell_out_ref: 'SO-3',
      },
    );
    const headers = { 'idempotency-key': 'key-c2' };
    const first = await partner1.request('POST', '/api/claims', { payload: body, headers });
    assert.equal(first.statusCode, 201, first.body);
    const second = await partner1.request('POST', '/api/claims', { payload: body, headers });
    assert.equal(second.statusCode, 201, second.body);
    assert.equal(second.headers['idempotent-replayed'], 'true');
    assert.deepEqual(second.json(), first.json());
    const changed = await partner1.request('POST', '/api/claims', {
      payload: { ...body, currency: 'USD' },
      headers,
    });
    assert.equal(changed.statusCode, 409, changed.body);
  });

  test('an analyst overrides the finding; the line is paid as claimed and the claim approved', async () => {
    const url = '/api/claims/C-1/lines/1/findings/UNIT_AMOUNT_EXCEEDS_AUTHORIZED/resolve';
    const payload = {
      resolution: 'overridden',
      reason_code: 'contract_exception',
      comment: 'Deal desk raised it',
    };
    assert.equal((await partner1.post(url, payload)).statusCode, 403);
    const res = await analyst.post(url, payload);
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().finding.resolution, 'overridden');
    assert.equal(res.json().finding.claim_status, 'in_review');
    assert.equal(res.json().finding.line_status, 'approved');

    const detail = (await analyst.get('/api/claims/C-1')).json();
    assert.equal(detail.lines[0].approved_amount, '125.00');
    const f = detail.lines[0].findings[0];
    assert.equal(f.resolution_reason, 'contract_exception: Deal desk raised it');
    assert.equal(f.resolved_by, 'ana');
    assert.deepEqual(detail.reconciliation.by_rule_code, []);

    assert.equal((await partner1.post('/api/claims/C-1/approve')).statusCode, 403);
    const approved = await analyst.post('/api/claims/C-1/approve');
    assert.equal(approved.statusCode, 200, approved.body);
    assert.deepEqual(approved.json().decision, { claim_id: 'C-1', account_id: 'P-1', status: 'approved' });
    const audit = (await partner1.get('/api/audit/claim/C-1'))
      .json()
      .items.map((e: { action: string }) => e.action);
    for (const a of ['submitted', 'validated', 'finding_overridden', 'approved'])
      assert.ok(audit.includes(a), audit.join());
    // A decided claim is frozen.
    const resubmit = await partner1.post('/api/claims', claim({}, { qty: 4, claimed_amount: '100.00' }));
    assert.equal(resubmit.statusCode, 400, resubmit.body);
  });

  test('rejecting a claim needs a reason and pays nothing', async () => {
    assert.equal((await analyst.post('/api/claims/C-2/reject', { reason: ' ' })).statusCode, 400);
    const res = await analyst.post('/api/claims/C-2/reject', { reason: 'Duplicate of a paper claim' });
    assert.equal(res.statusCode, 200, res.body);
    const detail = (await partner1.get('/api/claims/C-2')).json();
    assert.equal(detail.claim.status, 'rejected');
    assert.equal(detail.lines[0].status, 'rejected');
    assert.equal(detail.lines[0].approved_amount, '0.00');
  });

  test('a partner sees only its own claims', async () => {
    const b = await partner2.post(
      '/api/claims',
      claim({ claim_id: 'C-B', account_id: 'P-2' }, { deal_id: 'D-2', sell_out_ref: 'SO-2' }),
    );
    assert.equal(b.statusCode, 201, b.body);
    assert.deepEqual(
      (await partner1.get('/api/claims'))
        .json()
        .items.map((c: { claim_id: string }) => c.claim_id)
        .sort(),
      ['C-1', 'C-2'],
    );
    assert.equal((await partner1.get('/api/claims/C-B')).statusCode, 404);
    assert.equal((await partner2.get('/api/claims/C-1')).statusCode, 404);
    assert.equal((await analyst.get('/api/claims')).json().total, 3);
    // A claim id is the partner's own number: P-1 using the id P-2 used simply creates P-1's claim, and
    // learns nothing of P-2's; P-2's claim is untouched.
    const mine = await partner1.post('/api/claims', claim({ claim_id: 'C-B' }));
    assert.equal(mine.statusCode, 201, mine.body);
    assert.equal(mine.json().outcome, 'created');
    assert.equal(mine.json().claim.account_id, 'P-1');
    assert.ok(!mine.body.includes('P-2'), mine.body);
    assert.equal((await partner1.get('/api/claims/C-B')).json().claim.account_id, 'P-1');
    assert.equal((await partner2.get('/api/claims/C-B')).json().claim.account_id, 'P-2');
    // The desk sees both: the claim id alone is ambiguous, the account names one.
    const ambiguous = await analyst.get('/api/claims/C-B');
    assert.equal(ambiguous.statusCode, 400, ambiguous.body);
    assert.equal(ambiguous.json().error.issues[0].field, 'account_id');
    const ofB = await analyst.get('/api/claims/C-B?account_id=P-2');
    assert.equal(ofB.statusCode, 200, ofB.body);
    assert.equal(ofB.json().claim.account_id, 'P-2');
    assert.equal((await analyst.get('/api/claims/C-B?account_id=P-1')).json().claim.account_id, 'P-1');
    // A partner naming another organisation's account gets what it gets for a claim that does not exist.
    const other = await partner1.get('/api/claims/C-B?account_id=P-2');
    const none = await partner1.get('/api/claims/C-NONE');
    assert.equal(other.statusCode, 404);
    assert.equal(other.json().error.message, none.json().error.message.replace('C-NONE', 'C-B'));
  });

  test('claims.csv upload', async () => {
    const csv = `claim_id,account_id,program_id,submitted_date,currency,line_no,sku,qty,claimed_unit_amount,claimed_amount,sale_date,end_customer_id,deal_id,sell_out_ref,serial_numbers,period_start,period_end
C-U,P-1,SB,2026-03-11,EUR,1,X-100,1,20.00,20.00,2026-03-02,EC-1,D-1,SO-3,,,`;
    const res = await partner1.upload('/api/claims/upload', {}, { name: 'my-claims.csv', content: csv });
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.json().import.kind, 'claims');
    const bad = await partner1.upload(
      '/api/claims/upload',
      {},
      { name: 'claims.csv', content: csv.replace('2026-03-11', 'soon') },
    );
    assert.equal(bad.statusCode, 422, bad.body);
  });
});
