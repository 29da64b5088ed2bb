import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { decideClaims, writeClaimExports } from '../src/modules/claims/index.ts';
import { runImport } from '../src/modules/imports/index.ts';
import { addUser, Browser, createTestApp, type TestApp } from './helpers/app.ts';

/**
 * Partners see only their own world (issue 21, items 2 and 13): another organisation's claim, deal or end
 * customer is, to a partner, indistinguishable from one that does not exist (same status, same words); a
 * claim id is the partner's own number, so two partners may use the same one; and an override of a
 * rejecting finding waits for an approver other than the analyst before the claim can be approved.
 */
let t: TestApp;
let dir: string;
let analyst: Browser;
let approver: Browser;
let admin: Browser;
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
  ['end_customers.csv', 'end_customer_id,name,country\nEC-1,Hospital,DE\nEC-FR,Bank,FR\nEC-IT,Insurer,IT'],
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
      {
        program_id: 'SO',
        name: 'Sell-out',
        type: 'sell_out',
        currency: 'EUR',
        country: 'DE',
        start_date: '2026-01-01',
        end_date: '2026-12-31',
        claim_window_days: 90,
        per_unit_amount: '10.00',
        end_customer_countries: ['DE'],
      },
      {
        program_id: 'BUD',
        name: 'Shared budget',
        type: 'sell_out',
        currency: 'EUR',
        country: 'DE',
        partners: ['P-1', 'P-2'],
        start_date: '2026-01-01',
        end_date: '2026-12-31',
        claim_window_days: 90,
        per_unit_amount: '10.00',
        budget: '30.00',
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
INV-1,1,P-1,2026-02-01,X-100,50,150.00,EUR
INV-2,1,P-2,2026-02-01,X-100,50,150.00,EUR`,
  ],
  [
    'sell_out.csv',
    `account_id,sell_out_ref,sale_date,sku,qty,unit_price,currency,end_customer_id,partner_invoice_no,serial_numbers
P-1,SO-1,2026-03-01,X-100,5,200.00,EUR,EC-1,PI-1,
P-1,SO-4,2026-03-04,X-100,1,200.00,EUR,EC-FR,PI-4,
P-1,SO-5,2026-03-05,X-100,1,200.00,EUR,EC-IT,PI-5,
P-1,SO-6,2026-03-06,X-100,2,200.00,EUR,EC-1,PI-6,
P-2,SO-1,2026-03-01,X-100,5,200.00,EUR,EC-1,PI-2,`,
  ],
];

const unitLine = (over: Record<string, unknown> = {}) => ({
  line_no: 1,
  sku: 'X-100',
  qty: 1,
  claimed_unit_amount: '20.00',
  claimed_amount: '20.00',
  sale_date: '2026-03-01',
  end_customer_id: 'EC-1',
  deal_id: 'D-1',
  sell_out_ref: 'SO-1',
  ...over,
});

const claim = (claimId: string, accountId: string, lines: Record<string, unknown>[], programId = 'SB') => ({
  claim_id: claimId,
  account_id: accountId,
  program_id: programId,
  submitted_date: '2026-03-10',
  currency: 'EUR',
  lines,
});

type Finding = { rule_code: string; detail: string; evidence: Record<string, unknown>; effect: string };
const findings = async (who: Browser, claimId: string): Promise<Finding[]> => {
  const res = await who.get(`/api/claims/${claimId}`);
  assert.equal(res.statusCode, 200, res.body);
  return res.json().lines[0].findings;
};
const finding = async (who: Browser, claimId: string, code: string): Promise<Finding> => {
  const f = (await findings(who, claimId)).find((x) => x.rule_code === code);
  assert.ok(f, `${claimId} has no ${code}`);
  return f;
};

before(async () => {
  t = await createTestApp();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clearhouse-claims-isolation-'));
  for (const [name, content] of data) {
    const p = path.join(dir, name);
    fs.writeFileSync(p, content);
    const r = await runImport(t.db, { path: p, source: 'cli', activatePrograms: true });
    assert.equal(r.status, 'loaded', `${name}: ${JSON.stringify(r.errors)}`);
  }
  const users = {
    analyst: await addUser(t.db, 'ana@corp.test', ['rebate_analyst']),
    approver: await addUser(t.db, 'otto@corp.test', ['approver']),
    admin: await addUser(t.db, 'adam@corp.test', ['administrator']),
    p1: await addUser(t.db, 'pia@one.test', ['partner'], 'P-1'),
    p2: await addUser(t.db, 'paul@two.test', ['partner'], 'P-2'),
  };
  analyst = await Browser.signedIn(t.app, users.analyst.email, users.analyst.password);
  approver = await Browser.signedIn(t.app, users.approver.email, users.approver.password);
  admin = await Browser.signedIn(t.app, users.admin.email, users.admin.password);
  partner1 = await Browser.signedIn(t.app, users.p1.email, users.p1.password);
  partner2 = await Browser.signedIn(t.app, users.p2.email, users.p2.password);
});

after(async () => {
  await t.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('a claim id is the partner’s own number', () => {
  test('two partners submit the same claim id: each gets its own claim, neither learns of the other', async () => {
    const one = await partner1.post('/api/claims', claim('SAME-1', 'P-1', [unitLine()]));
    assert.equal(one.statusCode, 201, one.body);
    const two = await partner2.post('/api/claims', claim('SAME-1', 'P-2', [unitLine({ deal_id: 'D-2' })]));
    assert.equal(two.statusCode, 201, two.body);
    assert.equal(two.json().outcome, 'created');
    assert.ok(!two.body.includes('P-1'), two.body);
    // The same again from P-2 changes nothing of P-1's.
    assert.equal(
      (await partner2.post('/api/claims', claim('SAME-1', 'P-2', [unitLine({ deal_id: 'D-2' })]))).json()
        .outcome,
      'unchanged',
    );

    const run = await analyst.post('/api/claims/validate');
    assert.equal(run.statusCode, 200, run.body);
    const mine = (await partner1.get('/api/claims/SAME-1')).json();
    const theirs = (await partner2.get('/api/claims/SAME-1')).json();
    assert.equal(mine.claim.account_id, 'P-1');
    assert.equal(theirs.claim.account_id, 'P-2');
    // Each validated against its own sell-out line SO-1 (both partners have one of that reference).
    assert.equal(mine.claim.status, 'validated');
    assert.equal(theirs.claim.status, 'validated');
    assert.deepEqual(mine.lines[0].findings, []);
    assert.deepEqual(theirs.lines[0].findings, []);
    assert.equal((await partner1.get('/api/claims/SAME-1/versions')).json().items.length, 0);
  });

  test('the desk names a claim id used by several partners with its account', async () => {
    const ambiguous = await analyst.get('/api/claims/SAME-1');
    assert.equal(ambiguous.statusCode, 400, ambiguous.body);
    assert.equal(ambiguous.json().error.issues[0].field, 'account_id');
    assert.equal((await analyst.get('/api/claims/SAME-1?account_id=P-2')).json().claim.account_id, 'P-2');
    const urgent = await analyst.post('/api/claims/SAME-1/urgent?account_id=P-2', { urgent: true });
    assert.equal(urgent.statusCode, 200, urgent.body);
    assert.equal((await partner1.get('/api/claims/SAME-1')).json().claim.urgent, false);
    const audit = await analyst.get('/api/audit/claim/SAME-1?account_id=P-2');
    assert.equal(audit.statusCode, 200, audit.body);
    assert.ok(audit.json().items.every((e: { account_id: string }) => e.account_id === 'P-2'));
    const queue = (await analyst.get('/api/claim-queue?q=SAME-1')).json();
    assert.deepEqual(queue.items.map((c: { account_id: string }) => c.account_id).sort(), ['P-1', 'P-2']);
  });

  test('exports carry the account beside the claim id', async () => {
    const out = fs.mkdtempSync(path.join(dir, 'out-'));
    await writeClaimExports(t.db, out);
    const results = fs.readFileSync(path.join(out, 'claim_results.csv'), 'utf8').trim().split('\n');
    assert.equal(
      results[0],
      'claim_id,line_no,status,claimed_qty,claimed_amount,approved_qty,approved_unit_amount,approved_amount,rule_codes,account_id',
    );
    const same = results.filter((r) => r.startsWith('SAME-1,'));
    assert.deepEqual(
      same.map((r) => r.split(',').at(-1)),
      ['P-1', 'P-2'],
    );
    const header = fs.readFileSync(path.join(out, 'claim_findings.csv'), 'utf8').split('\n')[0];
    assert.equal(header, 'claim_id,line_no,rule_code,effect,detail,account_id');
  });

  test('claim_documents.csv names the claim by its account where the claim id is ambiguous', async () => {
    const load = async (csv: string) => {
      const p = path.join(fs.mkdtempSync(path.join(dir, 'docs-')), 'claim_documents.csv');
      fs.writeFileSync(p, csv);
      return runImport(t.db, { path: p, source: 'cli' });
    };
    const ambiguous = await load('claim_id,document_type,file_name\nSAME-1,proof_of_sale,a.pdf');
    assert.equal(ambiguous.status, 'rejected');
    assert.match(JSON.stringify(ambiguous.errors), /several partners: give the account_id/);
    const named = await load('claim_id,document_type,file_name,account_id\nSAME-1,proof_of_sale,a.pdf,P-2');
    assert.equal(named.status, 'loaded', JSON.stringify(named.errors));
    const docs = (await analyst.get('/api/claims/SAME-1?account_id=P-2')).json().documents;
    assert.deepEqual(
      docs.map((d: { file_name: string }) => d.file_name),
      ['a.pdf'],
    );
    assert.deepEqual((await partner1.get('/api/claims/SAME-1')).json().documents, []);
  });
});

describe('another organisation’s objects are indistinguishable from ones that do not exist', () => {
  before(async () => {
    const lines = [
      ['OTHER-DEAL', [unitLine({ deal_id: 'D-2' })]],
      ['NO-DEAL', [unitLine({ deal_id: 'D-NONE' })]],
    ] as const;
    for (const [id, l] of lines) {
      const res = await partner1.post('/api/claims', claim(id, 'P-1', [...l]));
      assert.equal(res.statusCode, 201, res.body);
    }
    const so = (ref: string, ec: string, date: string) =>
      unitLine({
        deal_id: null,
        sell_out_ref: ref,
        end_customer_id: ec,
        sale_date: date,
        claimed_unit_amount: '10.00',
        claimed_amount: '10.00',
      });
    for (const [id, l] of [
      ['EC-ABROAD', so('SO-4', 'EC-FR', '2026-03-04')],
      ['EC-ELSEWHERE', so('SO-5', 'EC-IT', '2026-03-05')],
    ] as const) {
      const res = await partner1.post('/api/claims', claim(id, 'P-1', [l], 'SO'));
      assert.equal(res.statusCode, 201, res.body);
    }
    assert.equal((await analyst.post('/api/claims/validate')).statusCode, 200);
  });

  test('another partner’s deal reads exactly as a deal that does not exist', async () => {
    const other = await finding(partner1, 'OTHER-DEAL', 'DEAL_UNKNOWN');
    const none = await finding(partner1, 'NO-DEAL', 'DEAL_UNKNOWN');
    assert.equal(other.detail, 'There is no deal D-2.');
    assert.equal(other.detail.replace('D-2', 'D-NONE'), none.detail);
    assert.deepEqual(
      (await findings(partner1, 'OTHER-DEAL')).map((f) => [f.rule_code, f.effect]),
      (await findings(partner1, 'NO-DEAL')).map((f) => [f.rule_code, f.effect]),
    );
    assert.ok(!JSON.stringify(await findings(partner1, 'OTHER-DEAL')).includes('P-2'));
  });

  test('END_CUSTOMER_MISMATCH never tells where an end customer is', async () => {
    // End customers are the company's records: a partner is told only that one is outside the program.
    const fr = await finding(partner1, 'EC-ABROAD', 'END_CUSTOMER_MISMATCH');
    const it = await finding(partner1, 'EC-ELSEWHERE', 'END_CUSTOMER_MISMATCH');
    assert.equal(fr.detail, 'End customer EC-FR is not in a country the program covers (DE).');
    assert.equal(fr.detail.replace('EC-FR', 'EC-IT'), it.detail);
    assert.deepEqual(JSON.parse(JSON.stringify(fr.evidence).replace('EC-FR', 'EC-IT')), it.evidence);
    for (const f of [fr, it]) assert.ok(!/"(FR|IT)"/.test(JSON.stringify(f)), JSON.stringify(f));
  });
});

describe('a budget shared by partners', () => {
  test('BUDGET_EXCEEDED tells a partner what its line could get, never the budget or what others used', async () => {
    const line = {
      sale_date: '2026-03-01',
      deal_id: null,
      sell_out_ref: 'SO-1',
      qty: 2,
      claimed_unit_amount: '10.00',
    };
    const p2 = await partner2.post('/api/claims', {
      ...claim('BUD-2', 'P-2', [unitLine({ ...line, claimed_amount: '20.00' })], 'BUD'),
      submitted_date: '2026-03-09',
    });
    assert.equal(p2.statusCode, 201, p2.body);
    const p1 = await partner1.post(
      '/api/claims',
      claim('BUD-1', 'P-1', [unitLine({ ...line, claimed_amount: '20.00' })], 'BUD'),
    );
    assert.equal(p1.statusCode, 201, p1.body);
    assert.equal((await analyst.post('/api/claims/validate')).statusCode, 200);

    const seen = await partner1.get('/api/claims/BUD-1');
    assert.equal(seen.statusCode, 200, seen.body);
    const body = seen.json();
    assert.equal(body.lines[0].approved_amount, '10.00');
    assert.equal(body.budget, null);
    const f = await finding(partner1, 'BUD-1', 'BUDGET_EXCEEDED');
    assert.deepEqual(f.evidence, { left: '10.00', amount: '20.00' });
    assert.equal(f.detail, "The program's budget has 10.00 left for this line; the line needs 20.00.");
    // The desk sees the budget itself on the claim.
    const desk = (await analyst.get('/api/claims/BUD-1?account_id=P-1')).json();
    assert.equal(desk.budget.amount, '30.00');
  });
});

describe('approvers approve overrides', () => {
  const url = (claimId: string, action: string, query = '') =>
    `/api/claims/${claimId}/lines/1/findings/DUPLICATE_CLAIM/${action}${query}`;
  const override = {
    resolution: 'overridden',
    reason_code: 'contract_exception',
    comment: 'credited twice by mistake upstream',
  };

  before(async () => {
    // SO-6 has 2 units: DUP-A takes both, DUP-B claims one more of it (DUPLICATE_CLAIM).
    const line = (qty: number) =>
      unitLine({ qty, claimed_amount: (20 * qty).toFixed(2), sell_out_ref: 'SO-6', sale_date: '2026-03-06' });
    assert.equal((await partner1.post('/api/claims', claim('DUP-A', 'P-1', [line(2)]))).statusCode, 201);
    const b = await partner1.post('/api/claims', {
      ...claim('DUP-B', 'P-1', [line(1)]),
      submitted_date: '2026-03-11',
    });
    assert.equal(b.statusCode, 201, b.body);
    assert.equal((await analyst.post('/api/claims/validate')).statusCode, 200);
    assert.equal((await finding(analyst, 'DUP-B', 'DUPLICATE_CLAIM')).effect, 'reject');
  });

  test('an analyst alone cannot override DUPLICATE_CLAIM and get the claim approved', async () => {
    const resolved = await analyst.post(url('DUP-B', 'resolve'), override);
    assert.equal(resolved.statusCode, 200, resolved.body);
    assert.equal(resolved.json().finding.line_status, 'approved');
    const f = (await analyst.get('/api/claims/DUP-B')).json().lines[0].findings[0];
    assert.equal(f.override_approval, 'pending');

    const approve = await analyst.post('/api/claims/DUP-B/approve');
    assert.equal(approve.statusCode, 409, approve.body);
    assert.match(approve.json().error.message, /override waiting for an approver: DUPLICATE_CLAIM on line 1/);
    // Nor in bulk (the CLI's `claims approve --all` and jobs use the same use case).
    const bulk = await decideClaims(t.db, undefined);
    assert.ok(!bulk.decided.some((d) => d.claim_id === 'DUP-B'));
    assert.deepEqual(
      bulk.skipped.map((s) => [s.claim_id, s.reason]),
      [['DUP-B', 'override waiting for an approver: DUPLICATE_CLAIM on line 1']],
    );
    assert.equal((await analyst.get('/api/claims/DUP-B')).json().claim.status, 'in_review');
  });

  test('the analyst cannot approve the override; a partner cannot; an approver can', async () => {
    assert.equal((await analyst.post(url('DUP-B', 'approve-override'))).statusCode, 403);
    assert.equal((await partner1.post(url('DUP-B', 'approve-override'))).statusCode, 403);
    const ok = await approver.post(url('DUP-B', 'approve-override'));
    assert.equal(ok.statusCode, 200, ok.body);
    assert.equal(ok.json().approval.override_approved_by, 'otto');
    const again = await approver.post(url('DUP-B', 'approve-override'));
    assert.equal(again.statusCode, 409, again.body);
    const f = (await partner1.get('/api/claims/DUP-B')).json().lines[0].findings[0];
    assert.equal(f.override_approval, 'approved');
    const approved = await analyst.post('/api/claims/DUP-B/approve');
    assert.equal(approved.statusCode, 200, approved.body);
    assert.equal(approved.json().decision.status, 'approved');
    const audit = (await analyst.get('/api/audit/claim/DUP-B'))
      .json()
      .items.map((e: { action: string }) => e.action);
    assert.ok(audit.includes('override_approved'), audit.join());
  });

  test('administrators set which rules need an approver per country', async () => {
    const listed = await analyst.get('/api/override-approval-rules');
    assert.equal(listed.statusCode, 200, listed.body);
    assert.equal(listed.json().items[0].country, '*');
    assert.ok(listed.json().items[0].rule_codes.includes('DUPLICATE_CLAIM'));
    assert.equal((await analyst.put('/api/override-approval-rules/DE', { rule_codes: [] })).statusCode, 403);
    const bad = await admin.put('/api/override-approval-rules/DE', { rule_codes: ['NOT_A_RULE'] });
    assert.equal(bad.statusCode, 400, bad.body);
    const set = await admin.put('/api/override-approval-rules/de', { rule_codes: ['deal_unknown'] });
    assert.equal(set.statusCode, 200, set.body);
    assert.deepEqual(set.json().rules.rule_codes, ['DEAL_UNKNOWN']);
    assert.equal(set.json().rules.country, 'DE');

    // DE partners: DEAL_UNKNOWN overrides now wait for an approver, DUPLICATE_CLAIM ones no longer do.
    const created = await partner1.post(
      '/api/claims',
      claim('LATE-DEAL', 'P-1', [unitLine({ deal_id: 'D-NONE' })]),
    );
    assert.equal(created.statusCode, 201, created.body);
    assert.equal((await analyst.post('/api/claims/validate')).statusCode, 200);
    const dealOverride = await analyst.post(
      '/api/claims/LATE-DEAL/lines/1/findings/DEAL_UNKNOWN/resolve',
      override,
    );
    assert.equal(dealOverride.statusCode, 200, dealOverride.body);
    const f = (await analyst.get('/api/claims/LATE-DEAL')).json().lines[0].findings;
    assert.equal(
      f.find((x: { rule_code: string }) => x.rule_code === 'DEAL_UNKNOWN').override_approval,
      'pending',
    );

    assert.equal((await admin.delete('/api/override-approval-rules/DE')).statusCode, 204);
    assert.equal((await admin.delete('/api/override-approval-rules/*')).statusCode, 409);
    assert.equal((await admin.delete('/api/override-approval-rules/DE')).statusCode, 404);
  });
});
