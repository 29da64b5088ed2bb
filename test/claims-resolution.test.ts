import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runImport } from '../src/modules/imports/index.ts';
import { addUser, Browser, createTestApp, type TestApp } from './helpers/app.ts';

/**
 * Resolution and the claim's status flow through the API: an analyst accepts, adjusts (down, never above
 * what was claimed) or overrides a finding with a reason code, a comment and — where the rule needs one — a
 * document; a partner corrects a rejected claim and resubmits it as a new version, the old one kept.
 */

let t: TestApp;
let dir: string;
let analyst: Browser;
let approver: Browser;
let partner: Browser;

const data: [string, string][] = [
  ['accounts.csv', 'account_id,name,country,currency\nP-1,Partner one,DE,EUR'],
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
        start_date: '2026-01-01',
        end_date: '2026-12-31',
      },
      {
        program_id: 'DOC',
        name: 'Sell-out with proof',
        type: 'sell_out',
        currency: 'EUR',
        country: 'DE',
        start_date: '2026-01-01',
        end_date: '2026-12-31',
        per_unit_amount: '10.00',
        required_documents: ['proof_of_sale'],
      },
      {
        program_id: 'DOCB',
        name: 'Sell-out with proof and a budget',
        type: 'sell_out',
        currency: 'EUR',
        country: 'DE',
        start_date: '2026-01-01',
        end_date: '2026-12-31',
        per_unit_amount: '10.00',
        budget: '30.00',
        required_documents: ['proof_of_sale'],
      },
    ]),
  ],
  [
    'deals.csv',
    `deal_id,program_id,account_id,end_customer_id,sku,authorized_unit_amount,currency,max_qty,start_date,end_date
D-1,SB,P-1,EC-1,X-100,20.00,EUR,100,2026-01-01,2026-12-31`,
  ],
  [
    'sell_in.csv',
    'invoice_id,line_no,account_id,invoice_date,sku,qty,unit_price,currency\nINV-1,1,P-1,2026-01-05,X-100,100,150.00,EUR',
  ],
  [
    'sell_out.csv',
    `account_id,sell_out_ref,sale_date,sku,qty,unit_price,currency,end_customer_id,partner_invoice_no,serial_numbers
P-1,SO-1,2026-03-01,X-100,5,200.00,EUR,EC-1,,
P-1,SO-2,2026-03-02,X-100,5,200.00,EUR,EC-1,,
P-1,SO-3,2026-03-03,X-100,5,200.00,EUR,EC-1,,
P-1,SO-4,2026-03-04,X-100,5,200.00,EUR,EC-1,,
P-1,SO-5,2026-03-05,X-100,5,200.00,EUR,EC-1,,
P-1,SO-6,2026-03-06,X-100,5,200.00,EUR,EC-1,,
P-1,SO-7,2026-03-07,X-100,5,200.00,EUR,EC-1,,
P-1,SO-8,2026-03-08,X-100,5,200.00,EUR,EC-1,,
P-1,SO-9,2026-03-09,X-100,5,200.00,EUR,EC-1,,`,
  ],
];

/** A one-line claim: 5 units at 25.00 (the deal authorises 20.00), or under DOC at 10.00 without proof. */
const claim = (id: string, ref: string, over: Record<string, unknown> = {}) => {
  const doc = over.program_id === 'DOC' || over.program_id === 'DOCB';
  return {
    claim_id: id,
    account_id: 'P-1',
    program_id: 'SB',
    submitted_date: '2026-03-10',
    currency: 'EUR',
    ...over,
    lines: [
      {
        line_no: 1,
        sku: 'X-100',
        qty: 5,
        claimed_unit_amount: doc ? '10.00' : '25.00',
        claimed_amount: doc ? '50.00' : '125.00',
        sale_date: `2026-03-0${ref.slice(-1)}`,
        end_customer_id: 'EC-1',
        deal_id: doc ? null : 'D-1',
        sell_out_ref: ref,
      },
    ],
  };
};

const resolveUrl = (id: string, code: string) => `/api/claims/${id}/lines/1/findings/${code}/resolve`;

async function submitAndValidate(body: ReturnType<typeof claim>) {
  const res = await partner.post('/api/claims', body);
  assert.equal(res.statusCode, 201, res.body);
  const run = await analyst.post('/api/claims/validate');
  assert.equal(run.statusCode, 200, run.body);
}

async function line(id: string) {
  const detail = (await analyst.get(`/api/claims/${id}`)).json();
  return { claim: detail.claim, line: detail.lines[0], reconciliation: detail.reconciliation };
}

async function auditOf(id: string) {
  return (await analyst.get(`/api/audit/claim/${id}`)).json().items as {
    action: string;
    actor_name: string;
    before: Record<string, unknown> | null;
    after: Record<string, unknown> | null;
    at?: string;
  }[];
}

before(async () => {
  t = await createTestApp();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clearhouse-claims-resolution-'));
  for (const [name, content] of data) {
    const p = path.join(dir, name);
    fs.writeFileSync(p, content);
    const r = await runImport(t.db, { path: p, source: 'cli', activatePrograms: true });
    assert.equal(r.status, 'loaded', `${name}: ${JSON.stringify(r.errors)}`);
  }
  const a = await addUser(t.db, 'ana@corp.test', ['rebate_analyst']);
  const b = await addUser(t.db, 'abe@corp.test', ['approver']);
  const p = await addUser(t.db, 'pia@one.test', ['partner'], 'P-1');
  analyst = await Browser.signedIn(t.app, a.email, a.password);
  approver = await Browser.signedIn(t.app, b.email, b.password);
  partner = await Browser.signedIn(t.app, p.email, p.password);
});

after(async () => {
  await t.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('resolving findings', () => {
  test('accepting an adjustment keeps it; the claim moves to in review, audited', async () => {
    await submitAndValidate(claim('C-ACC', 'SO-1'));
    const res = await analyst.post(resolveUrl('C-ACC', 'UNIT_AMOUNT_EXCEEDS_AUTHORIZED'), {
      resolution: 'accepted',
      reason_code: 'finding_confirmed',
      comment: 'The deal says 20.00',
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().finding.claim_status, 'in_review');
    const { line: l } = await line('C-ACC');
    assert.equal(l.status, 'adjusted');
    assert.equal(l.approved_amount, '100.00');
    assert.equal(l.findings[0].resolution, 'accepted');
    assert.equal(l.findings[0].x12_reject_reason, '06');
    const audit = await auditOf('C-ACC');
    const accepted = audit.find((e) => e.action === 'finding_accepted');
    assert.ok(accepted, JSON.stringify(audit));
    assert.equal(accepted.actor_name, 'ana');
    assert.deepEqual(
      [accepted.before?.status, accepted.after?.status, accepted.after?.resolution_reason],
      ['validated', 'in_review', 'finding_confirmed: The deal says 20.00'],
    );
  });

  test('adjusting sets the amount down, never above what was claimed; status and reconciliation follow', async () => {
    await submitAndValidate(claim('C-ADJ', 'SO-2'));
    const url = resolveUrl('C-ADJ', 'UNIT_AMOUNT_EXCEEDS_AUTHORIZED');
    const base = { resolution: 'adjusted', reason_code: 'partial_entitlement', comment: 'Half the extra' };
    const above = await analyst.post(url, { ...base, adjusted_amount: '125.01' });
    assert.equal(above.statusCode, 400, above.body);
    assert.equal(above.json().error.issues[0].field, 'adjusted_amount');
    const cents = await analyst.post(url, { ...base, adjusted_amount: '110.005' });
    assert.equal(cents.statusCode, 400, cents.body);
    const missing = await analyst.post(url, base);
    assert.equal(missing.statusCode, 400, missing.body);

    const res = await analyst.post(url, { ...base, adjusted_amount: '112.50' });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().finding.adjusted_amount, '112.50');
    let { line: l, reconciliation: r } = await line('C-ADJ');
    assert.equal(l.status, 'adjusted');
    assert.equal(l.approved_amount, '112.50');
    assert.equal(r.approved_amount, '112.50');
    assert.equal(r.variance, '12.50');
    // Adjusted to the claimed amount: approved in full.
    await analyst.post(url, { ...base, adjusted_amount: '125.00' });
    ({ line: l } = await line('C-ADJ'));
    assert.deepEqual([l.status, l.approved_amount], ['approved', '125.00']);
    // Adjusted to nothing: rejected.
    await analyst.post(url, { ...base, adjusted_amount: '0' });
    ({ line: l } = await line('C-ADJ'));
    assert.deepEqual([l.status, l.approved_amount], ['rejected', '0.00']);
    const adjusted = (await auditOf('C-ADJ')).filter((e) => e.action === 'finding_adjusted');
    assert.deepEqual(adjusted.map((e) => e.after?.adjusted_amount).sort(), ['0', '112.50', '125.00']);
  });

  test('adjusting a quantity finding sets the amount but never credits more units than the sell-out line has', async () => {
    const over = claim('C-QTY', 'SO-9');
    over.lines[0] = { ...over.lines[0]!, qty: 8, claimed_unit_amount: '20.00', claimed_amount: '160.00' };
    await submitAndValidate(over);
    let { line: l } = await line('C-QTY');
    assert.deepEqual([l.status, l.approved_qty, l.approved_amount], ['adjusted', 5, '100.00']);
    const res = await analyst.post(resolveUrl('C-QTY', 'SELL_OUT_QTY_SHORT'), {
      resolution: 'adjusted',
      reason_code: 'partial_entitlement',
      comment: 'Paying what the partner can show',
      adjusted_amount: '150.00',
    });
    assert.equal(res.statusCode, 200, res.body);
    ({ line: l } = await line('C-QTY'));
    assert.deepEqual([l.approved_qty, l.approved_amount], [5, '100.00']);
    // The sell-out line is credited in full: a later claim for it finds nothing left.
    const again = claim('C-QTY2', 'SO-9', { submitted_date: '2026-03-11' });
    again.lines[0] = { ...again.lines[0]!, qty: 1, claimed_unit_amount: '20.00', claimed_amount: '20.00' };
    await submitAndValidate(again);
    ({ line: l } = await line('C-QTY2'));
    assert.deepEqual(
      [l.status, l.findings.map((f: { rule_code: string }) => f.rule_code)],
      ['rejected', ['DUPLICATE_CLAIM']],
    );
  });

  test('an approver may resolve too; a report-only finding has nothing to override', async () => {
    await submitAndValidate({
      ...claim('C-RPT', 'SO-3'),
      lines: [{ ...claim('C-RPT', 'SO-3').lines[0]!, claimed_unit_amount: '20.00', claimed_amount: '99.00' }],
    });
    const { line: l } = await line('C-RPT');
    assert.deepEqual(
      l.findings.map((f: { rule_code: string; effect: string }) => [f.rule_code, f.effect]),
      [['ARITHMETIC_ERROR', 'report']],
    );
    assert.equal(l.status, 'approved');
    const over = await analyst.post(resolveUrl('C-RPT', 'ARITHMETIC_ERROR'), {
      resolution: 'overridden',
      reason_code: 'data_corrected',
    });
    assert.equal(over.statusCode, 409, over.body);
    const ok = await approver.post(resolveUrl('C-RPT', 'ARITHMETIC_ERROR'), {
      resolution: 'accepted',
      reason_code: 'finding_confirmed',
    });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.equal(ok.json().finding.resolved_by, 'abe');
  });

  test('overriding MISSING_DOCUMENT needs a document attached to the claim; accepting it rejects the line', async () => {
    await submitAndValidate(claim('C-DOC', 'SO-4', { program_id: 'DOC' }));
    await submitAndValidate(claim('C-DOC2', 'SO-5', { program_id: 'DOC' }));
    let { line: l } = await line('C-DOC');
    assert.equal(l.status, 'review');
    assert.equal(l.findings[0].x12_reject_reason, '25');
    const url = resolveUrl('C-DOC', 'MISSING_DOCUMENT');
    const body = {
      resolution: 'overridden',
      reason_code: 'document_provided',
      comment: 'Delivery note by mail',
    };
    const without = await analyst.post(url, body);
    assert.equal(without.statusCode, 400, without.body);
    assert.equal(without.json().error.issues[0].field, 'document_id');

    const upload = (claimId: string) =>
      analyst.upload(
        '/api/documents',
        { entity_type: 'claim', entity_id: claimId },
        { name: 'delivery-note.txt', content: `Delivery note for ${claimId}, signed.\n` },
      );
    const other = await upload('C-DOC2');
    assert.equal(other.statusCode, 201, other.body);
    const wrong = await analyst.post(url, { ...body, document_id: other.json().document.document_id });
    assert.equal(wrong.statusCode, 400, wrong.body);

    const mine = await upload('C-DOC');
    const documentId = mine.json().document.document_id as string;
    const res = await analyst.post(url, { ...body, document_id: documentId });
    assert.equal(res.statusCode, 200, res.body);
    ({ line: l } = await line('C-DOC'));
    assert.deepEqual([l.status, l.approved_amount], ['approved', '50.00']);
    assert.equal(l.findings[0].resolution_document_id, documentId);
    const audit = (await auditOf('C-DOC')).find((e) => e.action === 'finding_overridden');
    assert.equal(audit?.after?.document_id, documentId);

    // Accepting the finding confirms the document is missing: the line is not paid.
    const accept = await analyst.post(resolveUrl('C-DOC2', 'MISSING_DOCUMENT'), {
      resolution: 'accepted',
      reason_code: 'finding_confirmed',
    });
    assert.equal(accept.statusCode, 200, accept.body);
    ({ line: l } = await line('C-DOC2'));
    assert.deepEqual([l.status, l.approved_amount], ['rejected', '0.00']);

    // Confirmed, it rejects the line like any rejecting finding: the budget is not checked (nor used).
    await submitAndValidate(claim('C-DOCB', 'SO-8', { program_id: 'DOCB' }));
    ({ line: l } = await line('C-DOCB'));
    assert.deepEqual(
      [l.status, l.approved_amount, l.findings.map((f: { rule_code: string }) => f.rule_code)],
      ['review', '30.00', ['BUDGET_EXCEEDED', 'MISSING_DOCUMENT']],
    );
    await analyst.post(resolveUrl('C-DOCB', 'MISSING_DOCUMENT'), {
      resolution: 'accepted',
      reason_code: 'finding_confirmed',
    });
    ({ line: l } = await line('C-DOCB'));
    assert.deepEqual(
      [l.status, l.approved_amount, l.findings.map((f: { rule_code: string }) => f.rule_code)],
      ['rejected', '0.00', ['MISSING_DOCUMENT']],
    );
  });
});

describe('supporting documents', () => {
  test('a partner attaches the missing document to its claim: validated again at once', async () => {
    await submitAndValidate(claim('C-UP', 'SO-7', { program_id: 'DOC' }));
    assert.equal((await line('C-UP')).line.status, 'review');
    const untyped = await partner.upload(
      '/api/claims/C-UP/documents',
      {},
      { name: 'pos.txt', content: 'x\n' },
    );
    assert.equal(untyped.statusCode, 400, untyped.body);
    assert.equal(untyped.json().error.issues[0].field, 'document_type');
    const res = await partner.upload(
      '/api/claims/C-UP/documents',
      { document_type: 'proof_of_sale' },
      { name: 'pos.txt', content: 'Proof of sale: 5 × X-100 to EC-1, signed.\n' },
    );
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.json().document.document_type, 'proof_of_sale');
    const { line: l } = await line('C-UP');
    assert.deepEqual([l.status, l.approved_amount, l.findings.length], ['approved', '50.00', 0]);
    const audit = await auditOf('C-UP');
    assert.ok(audit.some((e) => e.action === 'document_attached' && e.actor_name === 'pia'));
  });
});

describe('the status flow and versions', () => {
  test('rejected, corrected and resubmitted: a new version, the old one kept and visible to the partner', async () => {
    await submitAndValidate(claim('C-V', 'SO-6'));
    const rejected = await analyst.post('/api/claims/C-V/reject', { reason: 'Unit amount above the deal' });
    assert.equal(rejected.statusCode, 200, rejected.body);
    // The partner corrects the unit amount and submits the claim again.
    const corrected = claim('C-V', 'SO-6', { submitted_date: '2026-03-12' });
    corrected.lines[0]!.claimed_unit_amount = '20.00';
    corrected.lines[0]!.claimed_amount = '100.00';
    const res = await partner.post('/api/claims', corrected);
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.json().outcome, 'resubmitted');
    assert.equal(res.json().claim.version, 2);
    assert.equal(res.json().claim.status, 'submitted');
    await analyst.post('/api/claims/validate');
    const { claim: c, line: l } = await line('C-V');
    assert.deepEqual(
      [c.status, c.version, l.status, l.approved_amount],
      ['validated', 2, 'approved', '100.00'],
    );
    assert.deepEqual(l.findings, []);

    const versions = await partner.get('/api/claims/C-V/versions');
    assert.equal(versions.statusCode, 200, versions.body);
    const [v1] = versions.json().items;
    assert.equal(versions.json().items.length, 1);
    assert.deepEqual(
      [v1.version, v1.status, v1.claimed_amount, v1.approved_amount, v1.superseded_by],
      [1, 'rejected', '125.00', '0.00', 'pia'],
    );
    assert.equal(v1.lines[0].status, 'rejected');
    assert.equal(v1.lines[0].claimed_unit_amount, 25);
    assert.deepEqual(
      v1.lines[0].findings.map((f: { rule_code: string }) => f.rule_code),
      ['UNIT_AMOUNT_EXCEEDS_AUTHORIZED'],
    );

    // Every transition with its actor: submitted, validated, rejected, resubmitted, validated.
    const audit = await auditOf('C-V');
    const flow = audit
      .filter((e) => ['submitted', 'validated', 'rejected', 'resubmitted'].includes(e.action))
      .map((e) => `${e.action}:${e.before?.status ?? ''}→${e.after?.status}`)
      .reverse();
    assert.deepEqual(flow, [
      'submitted:→submitted',
      'validated:submitted→validated',
      'rejected:validated→rejected',
      'resubmitted:rejected→submitted',
      'validated:submitted→validated',
    ]);
    assert.equal(audit.find((e) => e.action === 'resubmitted')?.actor_name, 'pia');

    // An approved claim is final; a claim is closed only once paid.
    assert.equal((await analyst.post('/api/claims/C-V/approve')).statusCode, 200);
    const again = await partner.post('/api/claims', { ...corrected, submitted_date: '2026-03-13' });
    assert.equal(again.statusCode, 400, again.body);
    const close = await analyst.post('/api/claims/C-V/close');
    assert.equal(close.statusCode, 409, close.body);
    assert.equal((await partner.post('/api/claims/C-V/close')).statusCode, 403);
  });
});
