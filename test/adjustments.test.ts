import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { today } from '../src/core/dates.ts';
import { aging } from '../src/modules/receivables/index.ts';
import { addAccount, addUser, Browser, createTestApp, type TestApp } from './helpers/app.ts';

/**
 * Adjustments through the API: the approval chain branch by branch (requester, limit too low, no limit, one
 * approval, two above the second-level threshold, refusal, no longer pending), what each kind posts, posting
 * exactly once under concurrent approvals, documents a reason requires, and what the aging shows.
 */

let t: TestApp;
let collector: Browser;
let low: Browser;
let high: Browser;
let high2: Browser;
let admin: Browser;
const day = today();

async function limit(userId: string, currency: string, amount: string) {
  const res = await admin.request('PUT', `/api/approval-limits/${userId}`, {
    payload: { limits: [{ currency, amount }] },
  });
  assert.equal(res.statusCode, 200, res.body);
}

async function doc(id: string, type: string, amount: string, date = '2026-01-10', account = 'ADJ-A') {
  await t.db.query(
    `insert into ar_documents (account_id, document_id, type, document_date, due_date, currency, amount)
     values ($1, $2, $3, $4, $4::date + 30, 'USD', $5)`,
    [account, id, type, date, amount],
  );
}

async function open(id: string): Promise<string> {
  const { rows } = await t.db.query<{ open: string }>(
    `select (d.amount - coalesce((select sum(e.amount) from ar_application_entries e
       where e.document_id = d.document_id), 0))::text as open from ar_documents d where d.document_id = $1`,
    [id],
  );
  return rows[0]!.open;
}

async function request(b: Browser, body: Record<string, unknown>) {
  const res = await b.post('/api/adjustments', body);
  assert.equal(res.statusCode, 201, res.body);
  return res.json() as { adjustment_id: string; status: string };
}

before(async () => {
  t = await createTestApp();
  await addAccount(t.db, 'ADJ-A', { currency: 'USD', country: 'US' });
  await addAccount(t.db, 'ADJ-B', { currency: 'USD', country: 'US' });
  const a = await addUser(t.db, 'adj-admin@corp.test', ['administrator']);
  admin = await Browser.signedIn(t.app, a.email, a.password);
  const c = await addUser(t.db, 'adj-collector@corp.test', ['collector']);
  collector = await Browser.signedIn(t.app, c.email, c.password);
  const l = await addUser(t.db, 'adj-low@corp.test', ['approver']);
  low = await Browser.signedIn(t.app, l.email, l.password);
  const h = await addUser(t.db, 'adj-high@corp.test', ['approver']);
  high = await Browser.signedIn(t.app, h.email, h.password);
  const h2 = await addUser(t.db, 'adj-high2@corp.test', ['manager']);
  high2 = await Browser.signedIn(t.app, h2.email, h2.password);
  await limit(l.userId, 'USD', '100.00');
  await limit(h.userId, 'USD', '50000.00');
  await limit(h2.userId, 'USD', '50000.00');
  await doc('INV-W1', 'invoice', '500.00');
  await doc('INV-W2', 'invoice', '40000.00');
  await doc('INV-W3', 'invoice', '300.00');
  await doc('INV-C1', 'invoice', '1000.00');
  await doc('INV-R1', 'invoice', '800.00');
  await doc('INV-D1', 'invoice', '100.00');
  await doc('INV-S1', 'invoice', '12.00', '2026-01-10', 'ADJ-A');
  await doc('INV-S2', 'invoice', '8.50', '2026-01-10', 'ADJ-B');
  await doc('INV-X1', 'invoice', '200.00');
  await doc('INV-X2', 'invoice', '200.00');
  await doc('INV-E1', 'invoice', '90.00');
  // A payment applied in part: R1 has 600 open.
  await t.db.query(
    `insert into ar_payments (account_id, payment_id, received_date, amount, currency)
     values ('ADJ-A', 'PAY-R1', '2026-01-20', 200.00, 'USD')`,
  );
  await t.db.query(
    `insert into ar_applications (account_id, payment_id, document_id, applied_date, amount)
     values ('ADJ-A', 'PAY-R1', 'INV-R1', '2026-01-20', 200.00)`,
  );
});

after(() => t.close());

describe('the approval chain', () => {
  let id: string;
  test('a collector requests a write-off: pending, in the inbox of an approver whose limit covers it', async () => {
    const r = await request(collector, {
      kind: 'write_off',
      document_id: 'INV-W1',
      amount: '120.00',
      reason_code: 'BAD_DEBT',
      comment: 'Customer insolvent',
    });
    id = r.adjustment_id;
    assert.match(id, /^ADJ-\d{6}$/);
    assert.equal(r.status, 'pending');
    const inbox = (await high.get('/api/approvals/inbox')).json() as { items: { subject_id: string }[] };
    assert.ok(inbox.items.some((i) => i.subject_id === id));
    const lowInbox = (await low.get('/api/approvals/inbox')).json() as { items: { subject_id: string }[] };
    assert.ok(!lowInbox.items.some((i) => i.subject_id === id), 'not in the inbox of a limit too low');
    assert.equal(await open('INV-W1'), '500.00', 'nothing posted while pending');
  });

  test('the requester cannot approve it; a low-limit approver cannot approve or refuse it (403)', async () => {
    assert.equal((await collector.post(`/api/adjustments/${id}/approve`)).statusCode, 403);
    const res = await low.post(`/api/adjustments/${id}/approve`);
    assert.equal(res.statusCode, 403, res.body);
    assert.match(res.json().error.message, /below/);
    assert.equal((await low.post(`/api/adjustments/${id}/refuse`, { comment: 'no' })).statusCode, 403);
    assert.equal(await open('INV-W1'), '500.00');
  });

  test('an approver who requested it himself cannot approve it', async () => {
    const r = await request(high, {
      kind: 'write_off',
      document_id: 'INV-W3',
      amount: '50.00',
      reason_code: 'SMALL_BALANCE',
      comment: 'small',
    });
    const res = await high.post(`/api/adjustments/${r.adjustment_id}/approve`);
    assert.equal(res.statusCode, 403, res.body);
    assert.match(res.json().error.message, /requested this yourself/);
    assert.equal((await high2.post(`/api/adjustments/${r.adjustment_id}/approve`)).statusCode, 200);
  });

  test('an approver without a limit in the currency cannot approve', async () => {
    const u = await addUser(t.db, 'adj-nolimit@corp.test', ['approver']);
    const b = await Browser.signedIn(t.app, u.email, u.password);
    const res = await b.post(`/api/adjustments/${id}/approve`);
    assert.equal(res.statusCode, 403);
    assert.match(res.json().error.message, /no approval limit in USD/);
  });

  test('one approval within the limit posts it; the aging shows it from that day, not before', async () => {
    const before = await aging(t.db, { as_of: '2026-06-30' });
    const res = await high.post(`/api/adjustments/${id}/approve`, { comment: 'ok' });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.equal(body.status, 'approved');
    assert.equal(body.posted_on, day);
    assert.deepEqual(
      body.postings.map((p: { posting_id: string; part: string; amount: string }) => [p.part, p.amount]),
      [['write_off', '120.00']],
    );
    assert.equal(await open('INV-W1'), '380.00');
    const again = await aging(t.db, { as_of: '2026-06-30' });
    assert.deepEqual(again.rows, before.rows, 'an aging as of an earlier date is unchanged');
    const now = await aging(t.db, { as_of: day });
    const row = now.rows.find((r) => r.account_id === 'ADJ-A')!;
    const beforeRow = before.rows.find((r) => r.account_id === 'ADJ-A')!;
    assert.ok(Number(row.total) < Number(beforeRow.total));
    const got = (await collector.get(`/api/adjustments/${id}`)).json();
    assert.equal(got.status, 'approved');
    assert.ok(got.history.some((h: { action: string }) => h.action === 'write_off_posted'));
  });

  test('approving or refusing a request no longer pending answers 409', async () => {
    assert.equal((await high2.post(`/api/adjustments/${id}/approve`)).statusCode, 409);
    assert.equal((await high2.post(`/api/adjustments/${id}/refuse`, { comment: 'late' })).statusCode, 409);
    assert.equal(await open('INV-W1'), '380.00');
  });

  test('above the second-level threshold two distinct approvers are needed', async () => {
    const r = await request(collector, {
      kind: 'write_off',
      document_id: 'INV-W2',
      amount: '30000.00',
      reason_code: 'BAD_DEBT',
      comment: 'Insolvency',
    });
    const first = await high.post(`/api/adjustments/${r.adjustment_id}/approve`);
    assert.equal(first.statusCode, 200, first.body);
    assert.equal(first.json().status, 'pending');
    assert.equal(first.json().request.approvals_needed, 2);
    assert.equal(await open('INV-W2'), '40000.00');
    assert.equal((await high.post(`/api/adjustments/${r.adjustment_id}/approve`)).statusCode, 409);
    const second = await high2.post(`/api/adjustments/${r.adjustment_id}/approve`);
    assert.equal(second.statusCode, 200, second.body);
    assert.equal(second.json().status, 'approved');
    assert.equal(await open('INV-W2'), '10000.00');
  });

  test('a refusal ends the request: nothing posts, later approvals answer 409', async () => {
    const r = await request(collector, {
      kind: 'write_off',
      document_id: 'INV-W3',
      amount: '10.00',
      reason_code: 'SMALL_BALANCE',
      comment: 'small',
    });
    assert.equal((await high.post(`/api/adjustments/${r.adjustment_id}/refuse`, {})).statusCode, 400);
    const res = await high.post(`/api/adjustments/${r.adjustment_id}/refuse`, { comment: 'collect it' });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().status, 'refused');
    assert.equal((await high2.post(`/api/adjustments/${r.adjustment_id}/approve`)).statusCode, 409);
    assert.equal(await open('INV-W3'), '250.00');
  });

  test('two approvers at once, and double clicks: posted exactly once', async () => {
    const r = await request(collector, {
      kind: 'write_off',
      document_id: 'INV-X1',
      amount: '60.00',
      reason_code: 'BAD_DEBT',
      comment: 'race',
    });
    const results = await Promise.all([
      high.post(`/api/adjustments/${r.adjustment_id}/approve`),
      high2.post(`/api/adjustments/${r.adjustment_id}/approve`),
      high.post(`/api/adjustments/${r.adjustment_id}/approve`),
      high2.post(`/api/adjustments/${r.adjustment_id}/approve`),
    ]);
    const codes = results.map((x) => x.statusCode).sort();
    assert.deepEqual(codes, [200, 409, 409, 409], results.map((x) => x.body).join('\n'));
    const { rows } = await t.db.query<{ n: string }>(
      `select count(*)::text as n from adjustment_postings where adjustment_id = $1`,
      [r.adjustment_id],
    );
    assert.equal(rows[0]!.n, '1');
    assert.equal(await open('INV-X1'), '140.00');
  });
});

describe('what each kind posts', () => {
  async function approve(id: string) {
    const res = await high.post(`/api/adjustments/${id}/approve`);
    assert.equal(res.statusCode, 200, res.body);
    return res.json();
  }

  test('a credit adjustment posts a credit memo applied to the document', async () => {
    const r = await request(collector, {
      kind: 'credit_adjustment',
      document_id: 'INV-C1',
      amount: '150.00',
      reason_code: 'PRICING_ERROR',
      comment: 'Wrong price on line 2',
      source_type: 'dispute',
      source_id: 'DSP-1',
    });
    const body = await approve(r.adjustment_id);
    const cm = `CA-${r.adjustment_id}-1`;
    assert.deepEqual(
      body.postings.map((p: Record<string, string>) => [
        p.part,
        p.document_id,
        p.created_document_id,
        p.amount,
      ]),
      [['credit_memo', 'INV-C1', cm, '150.00']],
    );
    const { rows } = await t.db.query(
      `select type, amount::text, reference from ar_documents where document_id = $1`,
      [cm],
    );
    assert.deepEqual(rows[0], { type: 'credit_memo', amount: '150.00', reference: 'INV-C1' });
    assert.equal(await open('INV-C1'), '850.00');
  });

  test('a rebill credits the open amount and issues a new invoice for the corrected amount', async () => {
    const r = await request(collector, {
      kind: 'rebill',
      document_id: 'INV-R1',
      corrected_amount: '550.00',
      reason_code: 'QUANTITY_ERROR',
      comment: 'Rebill at 11 units',
    });
    const got = (await collector.get(`/api/adjustments/${r.adjustment_id}`)).json();
    assert.equal(got.amount, '600.00', 'a rebill requests the open amount');
    await approve(r.adjustment_id);
    assert.equal(await open('INV-R1'), '0.00');
    const ri = `RI-${r.adjustment_id}-1`;
    const { rows } = await t.db.query(
      `select type, amount::text, document_date, due_date - document_date as terms from ar_documents where document_id = $1`,
      [ri],
    );
    assert.deepEqual(rows[0], { type: 'invoice', amount: '550.00', document_date: day, terms: 30 });
  });

  test('a debit adjustment posts a debit memo', async () => {
    const r = await request(collector, {
      kind: 'debit_adjustment',
      document_id: 'INV-D1',
      amount: '25.00',
      reason_code: 'PRICING_ERROR',
      comment: 'Under-billed freight',
    });
    await approve(r.adjustment_id);
    assert.equal(await open(`DA-${r.adjustment_id}-1`), '25.00');
    assert.equal(await open('INV-D1'), '100.00');
  });

  test('a worksheet writes off several small balances of several accounts at once', async () => {
    const r = await request(collector, {
      kind: 'write_off',
      reason_code: 'SMALL_BALANCE',
      comment: 'Small balances under 15.00',
      lines: [
        { document_id: 'INV-S1', amount: '12.00' },
        { document_id: 'INV-S2', amount: '8.50' },
      ],
    });
    const got = (await high.get(`/api/adjustments/${r.adjustment_id}`)).json();
    assert.equal(got.amount, '20.50');
    assert.equal(got.account_id, '');
    assert.equal(got.lines.length, 2);
    await approve(r.adjustment_id);
    assert.equal(await open('INV-S1'), '0.00');
    assert.equal(await open('INV-S2'), '0.00');
  });

  test('more than is open, a credit memo, an unknown document or a reason of another kind are refused with the field', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ kind: 'write_off', document_id: 'INV-E1', amount: '90.01', reason_code: 'BAD_DEBT' }, 'amount'],
      [{ kind: 'write_off', document_id: 'NOPE', amount: '1.00', reason_code: 'BAD_DEBT' }, 'document_id'],
      [
        { kind: 'write_off', document_id: 'INV-E1', amount: '1.00', reason_code: 'PRICING_ERROR' },
        'reason_code',
      ],
      [{ kind: 'rebill', document_id: 'INV-E1', reason_code: 'PRICING_ERROR' }, 'corrected_amount'],
      [{ kind: 'credit_adjustment', document_id: 'INV-E1', amount: '-1', reason_code: 'DISPUTE' }, 'amount'],
      [
        {
          kind: 'credit_adjustment',
          lines: [{ document_id: 'INV-E1', amount: '1.00' }],
          reason_code: 'DISPUTE',
        },
        'lines',
      ],
    ];
    for (const [body, field] of cases) {
      const res = await collector.post('/api/adjustments', { comment: 'x', ...body });
      assert.equal(res.statusCode, 400, `${JSON.stringify(body)}: ${res.body}`);
      assert.ok(
        res.json().error.issues.some((i: { field: string }) => i.field === field),
        `${JSON.stringify(body)}: ${res.body}`,
      );
    }
  });

  test('what became more than open by approval time is not posted (409) and nothing changes', async () => {
    const a = await request(collector, {
      kind: 'write_off',
      document_id: 'INV-X2',
      amount: '150.00',
      reason_code: 'BAD_DEBT',
      comment: 'a',
    });
    const b = await request(collector, {
      kind: 'write_off',
      document_id: 'INV-X2',
      amount: '100.00',
      reason_code: 'BAD_DEBT',
      comment: 'b',
    });
    await approve(a.adjustment_id);
    const res = await high.post(`/api/adjustments/${b.adjustment_id}/approve`);
    assert.equal(res.statusCode, 409, res.body);
    assert.equal(await open('INV-X2'), '50.00');
    assert.equal((await high.get(`/api/adjustments/${b.adjustment_id}`)).json().status, 'pending');
  });

  test('a reason that requires documents cannot be approved until one is attached', async () => {
    const put = await admin.request('PUT', '/api/adjustment-reasons/LEGAL_SETTLEMENT', {
      payload: { description: 'Settled in court', kinds: ['write_off'], documents_required: true },
    });
    assert.equal(put.statusCode, 200, put.body);
    const r = await request(collector, {
      kind: 'write_off',
      document_id: 'INV-E1',
      amount: '40.00',
      reason_code: 'LEGAL_SETTLEMENT',
      comment: 'Court order',
    });
    const refused = await high.post(`/api/adjustments/${r.adjustment_id}/approve`);
    assert.equal(refused.statusCode, 409, refused.body);
    assert.match(refused.json().error.message, /requires supporting documents/);
    const up = await collector.upload(
      '/api/documents',
      { entity_type: 'adjustment', entity_id: r.adjustment_id },
      { name: 'order.txt', content: 'Court order 2026/114\n' },
    );
    assert.equal(up.statusCode, 201, up.body);
    const ok = await high.post(`/api/adjustments/${r.adjustment_id}/approve`);
    assert.equal(ok.statusCode, 200, ok.body);
    assert.equal(ok.json().documents.length, 1);
    assert.equal(await open('INV-E1'), '50.00');
    // The customer's own partner user never reaches the company's supporting documents.
    const p = await addUser(t.db, 'adj-partner@cust.test', ['partner'], 'ADJ-A');
    const partner = await Browser.signedIn(t.app, p.email, p.password);
    const docs = await partner.get(`/api/documents?entity_type=adjustment&entity_id=${r.adjustment_id}`);
    assert.equal(docs.statusCode, 404, docs.body);
    const content = await partner.get(`/api/documents/${ok.json().documents[0].document_id}/content`);
    assert.equal(content.statusCode, 404, content.body);
  });

  test('the document’s adjustments are listed for its page', async () => {
    const res = await collector.get('/api/adjustments?document_id=INV-X2');
    assert.equal(res.statusCode, 200);
    assert.deepEqual(
      res
        .json()
        .items.map((a: { status: string }) => a.status)
        .sort(),
      ['approved', 'pending'],
    );
  });
});

describe('month end, journal and administration through the API', () => {
  test('a manager runs the month end for a day; the runs list what each wrote off; a collector may not run it', async () => {
    await doc('NCC-API-1', 'non_compliance_charge', '35.00', '2026-09-10');
    assert.equal((await collector.post('/api/month-end/runs', { as_of: '2026-09-30' })).statusCode, 403);
    assert.equal((await high2.post('/api/month-end/runs', { as_of: '2026-09-31' })).statusCode, 400);
    const res = await high2.post('/api/month-end/runs', { as_of: '2026-09-30' });
    assert.equal(res.statusCode, 201, res.body);
    assert.deepEqual(
      res.json().written_off.map((w: { document_id: string; amount: string }) => [w.document_id, w.amount]),
      [['NCC-API-1', '35.00']],
    );
    const again = await high2.post('/api/month-end/runs', { as_of: '2026-09-30' });
    assert.equal(again.json().charges, 0);
    const runs = (await collector.get('/api/month-end/runs')).json().items;
    assert.equal(runs.length, 2);
  });

  test('the journal as JSON, CSV and XLSX; GL accounts are changed by an administrator only', async () => {
    const j = await high.get(`/api/journal?from=2026-09-01&to=${day}`);
    assert.equal(j.statusCode, 200, j.body);
    const rows = j.json().rows as {
      kind: string;
      gl_debit: string;
      gl_credit: string;
      document_id: string;
    }[];
    assert.ok(rows.some((r) => r.kind === 'write_off' && r.document_id === 'NCC-API-1'));
    assert.ok(
      rows.some((r) => r.kind === 'credit_adjustment' && r.gl_debit === '4910' && r.gl_credit === '1200'),
    );
    assert.ok(
      rows.some((r) => r.kind === 'rebill' && r.gl_debit === '1200' && r.gl_credit === '4910'),
      'the new invoice',
    );
    const csv = await high.get(`/api/journal.csv?from=2026-09-01&to=${day}`);
    assert.equal(csv.statusCode, 200);
    assert.equal(csv.body.split('\n').filter(Boolean).length, rows.length + 1);
    const xlsx = await high.get(`/api/journal.xlsx?from=2026-09-01&to=${day}`);
    assert.equal(xlsx.statusCode, 200);
    assert.match(String(xlsx.headers['content-disposition']), /journal-2026-09-01-.*\.xlsx/);
    assert.equal((await collector.get('/api/journal')).statusCode, 403);
    const put = (b: Browser) =>
      b.request('PUT', '/api/journal/gl-accounts/write_off', {
        payload: { debit_account: '6811', credit_account: '1200' },
      });
    assert.equal((await put(high)).statusCode, 403);
    assert.equal((await put(admin)).statusCode, 200);
    const after = (await high.get(`/api/journal?from=2026-09-01&to=${day}`)).json().rows as typeof rows;
    assert.ok(after.filter((r) => r.kind === 'write_off').every((r) => r.gl_debit === '6811'));
  });

  test('approval limits: administered per currency, refused twice in one currency, listed', async () => {
    const list = (await admin.get('/api/approval-limits')).json().items as {
      email: string;
      limits: unknown[];
    }[];
    assert.deepEqual(list.find((u) => u.email === 'adj-high@corp.test')?.limits, [
      { currency: 'USD', amount: '50000.00' },
    ]);
    const id = (await admin.get('/api/approval-limits'))
      .json()
      .items.find((u: { email: string }) => u.email === 'adj-low@corp.test').user_id;
    const dup = await admin.request('PUT', `/api/approval-limits/${id}`, {
      payload: {
        limits: [
          { currency: 'usd', amount: '1' },
          { currency: 'USD', amount: '2' },
        ],
      },
    });
    assert.equal(dup.statusCode, 400, dup.body);
    assert.equal(
      (await high.request('PUT', `/api/approval-limits/${id}`, { payload: { limits: [] } })).statusCode,
      403,
    );
  });

  test('the second-level threshold per currency: set by an administrator, used by new requests, removed back to *', async () => {
    assert.deepEqual((await admin.get('/api/approval-thresholds')).json().items, [
      { currency: '*', second_level: '25000.00' },
    ]);
    assert.equal(
      (await high.request('PUT', '/api/approval-thresholds/USD', { payload: { second_level: '1.00' } }))
        .statusCode,
      403,
    );
    const set = await admin.request('PUT', '/api/approval-thresholds/usd', {
      payload: { second_level: '150' },
    });
    assert.equal(set.statusCode, 200, set.body);
    assert.deepEqual(set.json(), { currency: 'USD', second_level: '150.00' });
    await doc('INV-T1', 'invoice', '400.00');
    const above = await request(collector, {
      kind: 'write_off',
      document_id: 'INV-T1',
      amount: '200.00',
      reason_code: 'BAD_DEBT',
      comment: 'above the USD threshold',
    });
    const first = await high.post(`/api/adjustments/${above.adjustment_id}/approve`);
    assert.equal(first.json().request.approvals_needed, 2, first.body);
    assert.equal(first.json().status, 'pending');
    assert.equal((await admin.request('DELETE', '/api/approval-thresholds/*')).statusCode, 400);
    assert.equal((await admin.request('DELETE', '/api/approval-thresholds/USD')).statusCode, 204);
    assert.equal((await admin.request('DELETE', '/api/approval-thresholds/USD')).statusCode, 404);
    const within = await request(collector, {
      kind: 'write_off',
      document_id: 'INV-T1',
      amount: '100.00',
      reason_code: 'BAD_DEBT',
      comment: 'back under the default',
    });
    const one = await high.post(`/api/adjustments/${within.adjustment_id}/approve`);
    assert.equal(one.json().status, 'approved', one.body);
  });

  test('requests waiting too long are e-mailed to the approvers who may decide them, once a day', async () => {
    const { remindApprovers } = await import('../src/modules/approvals/index.ts');
    const r = await request(collector, {
      kind: 'write_off',
      document_id: 'INV-W3',
      amount: '5.00',
      reason_code: 'SMALL_BALANCE',
      comment: 'waits',
    });
    await t.db.query(
      `update approval_requests set requested_at = now() - interval '3 days' where subject_id = $1`,
      [r.adjustment_id],
    );
    const first = await remindApprovers(t.db, { olderThanHours: 48 });
    assert.ok(first.emails >= 1);
    const { rows: mails } = await t.db.query<{ to_addresses: string[] }>(
      `select to_addresses from emails where kind = 'approval_reminder' and body like $1`,
      [`%${r.adjustment_id}%`],
    );
    assert.equal(mails.length, 1);
    assert.deepEqual(mails[0]!.to_addresses.sort(), [
      'adj-high2@corp.test',
      'adj-high@corp.test',
      'adj-low@corp.test',
    ]);
    const second = await remindApprovers(t.db, { olderThanHours: 48 });
    assert.equal(second.requests, 0, 'not again the same day');
  });
});
