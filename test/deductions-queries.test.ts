import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { addAccount, addUser, Browser, createTestApp, type TestApp } from './helpers/app.ts';
import { addClaim, addDeduction, addInvoice, applyTo } from './helpers/deductions.ts';

/**
 * The deduction desk's read side on a small hand-made book, seen on 2026-06-15 (a Monday: due soon runs to
 * Thursday the 18th):
 *
 * | id | account | queue   | amount     | taken      | SLA due    | status | open on 06-15          |
 * | X0 | P-A     | rebates | 60.00 EUR  | 2026-04-15 | 2026-06-10 | open   | 60.00 (61 days)        |
 * | X1 | P-A     | rebates | 100.00 EUR | 2026-05-10 | 2026-06-17 | cleared| 0 (cleared 06-01)      |
 * | X2 | P-A     | rebates | 200.00 EUR | 2026-05-20 | 2026-06-30 | denied | 150.00 (50 paid 05-25) |
 * | X3 | P-B     | sales   | 500.00 EUR | 2026-05-05 | 2026-06-20 | open   | 500.00 (41 days)       |
 * | X4 | P-A     | tax     | 70.00 USD  | 2026-06-01 | —          | open   | 70.00 USD              |
 */
let t: TestApp;
let desk: Browser;
let collector: Browser;
let partnerA: Browser;
let letterId = '';

before(async () => {
  process.env.CLEARHOUSE_TODAY = '2026-06-15';
  t = await createTestApp();
  await addAccount(t.db, 'P-A');
  await addAccount(t.db, 'P-B');
  const admin = await addUser(t.db, 'admin@corp.test', ['administrator']);
  const col = await addUser(t.db, 'col@corp.test', ['collector']);
  const pa = await addUser(t.db, 'anna@partner-a.test', ['partner'], 'P-A');
  desk = await Browser.signedIn(t.app, admin.email, admin.password);
  collector = await Browser.signedIn(t.app, col.email, col.password);
  partnerA = await Browser.signedIn(t.app, pa.email, pa.password);

  await addInvoice(t.db, 'P-A', 'INV-A1', '1000.00');
  await addInvoice(t.db, 'P-A', 'INV-A2', '800.00');
  await addInvoice(t.db, 'P-B', 'INV-B1', '900.00');
  await addClaim(t.db, 'P-A', 'CL-1', '100.00', 'approved', { deducted: '40.00' });
  await addClaim(t.db, 'P-A', 'CL-2', '250.00');
  await addClaim(t.db, 'P-A', 'CL-3', '75.00', 'rejected');
  await addClaim(t.db, 'P-B', 'CL-9', '500.00');
  await t.db.query(
    `insert into bank_credits (payment_ref, file_id, statement_no, position, record_no, amount, currency,
       value_date, payer_name, text, account_id, status)
     values ('PAY-REF-1', 'F1', 1, 1, 3, 940.00, 'EUR', '2026-04-15', 'Account P-A', 'INV-A1 less rebate', 'P-A',
       'applied')`,
  );
  await t.db.query(
    `insert into cash_remittances (payment_ref, document_id, account_id, amount_paid, deduction_amount, reason_code)
     values ('PAY-REF-1', 'INV-A1', 'P-A', 940.00, 60.00, 'REB')`,
  );
  await addDeduction(t.db, {
    account: 'P-A',
    id: 'X0',
    amount: '60.00',
    date: '2026-04-15',
    invoice: 'INV-A1',
    paymentRef: 'PAY-REF-1',
    reasonCode: 'REB',
    reference: 'rebate Q1',
    slaDue: '2026-06-10',
    validation: 'unmatched',
    suggestions: [{ claim_ids: ['CL-1'], amount: '60.00', score: 0.9 }],
    assignee: 'col@corp.test',
  });
  await addDeduction(t.db, {
    account: 'P-A',
    id: 'X1',
    amount: '100.00',
    date: '2026-05-10',
    invoice: 'INV-A2',
    slaDue: '2026-06-17',
    status: 'cleared',
    validation: 'valid',
    claimIds: ['CL-2'],
    validAmount: '100.00',
  });
  await applyTo(t.db, 'P-A', 'CM-X1', 'X1', '100.00', '2026-06-01');
  await addDeduction(t.db, {
    account: 'P-A',
    id: 'X2',
    amount: '200.00',
    date: '2026-05-20',
    invoice: 'INV-A2',
    slaDue: '2026-06-30',
    status: 'denied',
    validation: 'invalid',
    finding: 'CLAIM_NOT_FOUND',
    claimIds: ['CL-9', 'CL-3'],
    invalidAmount: '200.00',
    deniedOn: '2026-06-05',
    paybackDue: '2026-06-12',
  });
  await applyTo(t.db, 'P-A', 'PB-X2', 'X2', '50.00', '2026-05-25');
  await addDeduction(t.db, {
    account: 'P-B',
    id: 'X3',
    amount: '500.00',
    date: '2026-05-05',
    invoice: 'INV-B1',
    category: 'price_discount',
    queue: 'sales',
    slaDue: '2026-06-20',
    validation: 'not_applicable',
  });
  await addDeduction(t.db, {
    account: 'P-A',
    id: 'X4',
    amount: '70.00',
    date: '2026-06-01',
    currency: 'USD',
    category: 'tax',
    queue: 'tax',
  });

  const letter = await desk.upload(
    '/api/documents',
    { entity_type: 'deduction', entity_id: 'X2' },
    { name: 'denial.txt', content: 'We deny deduction X2.' },
  );
  assert.equal(letter.statusCode, 201, letter.body);
  letterId = letter.json().document.document_id;
  await t.db.query(`update deductions set denial_document_id = $1 where deduction_id = 'X2'`, [letterId]);
  const note = await desk.upload(
    '/api/documents',
    { entity_type: 'deduction', entity_id: 'X2' },
    { name: 'internal-note.txt', content: 'Sales says no.' },
  );
  assert.equal(note.statusCode, 201, note.body);
});

after(async () => {
  delete process.env.CLEARHOUSE_TODAY;
  await t.close();
});

const ids = (res: { json(): unknown }) =>
  (res.json() as { items: { deduction_id: string }[] }).items.map((r) => r.deduction_id);

describe('the list', () => {
  test('a queue, worked by SLA: open ones first, breached first', async () => {
    const res = await collector.get('/api/deductions?queue=rebates');
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(ids(res), ['X0', 'X1', 'X2']);
    const x0 = res.json().items[0];
    assert.equal(x0.sla_state, 'breached');
    assert.equal(x0.sla_days_left, -5);
    assert.equal(x0.age_days, 61);
    assert.equal(x0.open_amount, '60.00');
    assert.equal(x0.assignee, 'col@corp.test');
    assert.equal(res.json().items[1].sla_state, null, 'a cleared deduction has no SLA state');
    assert.equal(res.json().total, 3);
  });

  test('filters: SLA state, validation, payback overdue, open by age, text, account, category, status', async () => {
    assert.deepEqual(ids(await desk.get('/api/deductions?sla=breached')), ['X0']);
    assert.deepEqual(ids(await desk.get('/api/deductions?sla=on_track,due_soon')), ['X3']);
    assert.deepEqual(ids(await desk.get('/api/deductions?validation=pending')), ['X4']);
    assert.deepEqual(ids(await desk.get('/api/deductions?validation=invalid,unmatched&sort=date&dir=asc')), [
      'X0',
      'X2',
    ]);
    assert.deepEqual(ids(await desk.get('/api/deductions?payback_overdue=true')), ['X2']);
    assert.deepEqual(ids(await desk.get('/api/deductions?open=true&age_from=31&age_to=60')), ['X3']);
    assert.deepEqual(ids(await desk.get('/api/deductions?open=false')), ['X1']);
    assert.deepEqual(ids(await desk.get('/api/deductions?q=INV-A1')), ['X0']);
    assert.deepEqual(ids(await desk.get('/api/deductions?account_id=P-B')), ['X3']);
    assert.deepEqual(ids(await desk.get('/api/deductions?category=tax')), ['X4']);
    assert.deepEqual(ids(await desk.get('/api/deductions?status=denied,cleared&sort=amount')), ['X2', 'X1']);
    assert.deepEqual(
      ids(await desk.get('/api/deductions?taken_from=2026-05-01&taken_to=2026-05-31&sort=date&dir=asc')),
      ['X3', 'X1', 'X2'],
    );
    const all = await desk.get('/api/deductions');
    assert.deepEqual(all.json().counts, { breached: 1, due_soon: 0, on_track: 1 });
    assert.equal(all.json().as_of, '2026-06-15');
  });

  test('paging keeps the total', async () => {
    const res = await desk.get('/api/deductions?limit=2&offset=2');
    assert.equal(res.json().total, 5);
    assert.equal(res.json().items.length, 2);
  });

  test('bad filters are refused, not guessed', async () => {
    assert.equal((await desk.get('/api/deductions?queue=nope')).statusCode, 400);
    assert.equal((await desk.get('/api/deductions?sla=late')).statusCode, 400);
    assert.equal((await desk.get('/api/deductions?taken_from=June')).statusCode, 400);
  });
});

describe('one deduction with its evidence', () => {
  test('an unmatched deduction: suggestions with the claims’ unsettled amounts, invoice, payment, timeline', async () => {
    const res = await collector.get('/api/deductions/X0');
    assert.equal(res.statusCode, 200, res.body);
    const d = res.json();
    assert.equal(d.deduction.queue, 'rebates');
    assert.equal(d.account.account_id, 'P-A');
    assert.deepEqual(d.claims, []);
    assert.equal(d.suggestions.length, 1);
    assert.deepEqual(d.suggestions[0].claim_ids, ['CL-1']);
    assert.equal(d.suggestions[0].claims[0].approved_amount, '100.00');
    assert.equal(d.suggestions[0].claims[0].deducted_amount, '40.00');
    assert.equal(d.suggestions[0].claims[0].unsettled_amount, '60.00');
    assert.equal(d.invoice.document_id, 'INV-A1');
    assert.equal(d.invoice.open_amount, '940.00');
    assert.equal(d.item.open_amount, '60.00');
    assert.equal(d.payment.credit.payment_ref, 'PAY-REF-1');
    assert.equal(d.payment.remittance[0].deduction_amount, '60.00');
    assert.equal(d.timeline[0].action, 'taken');
    assert.equal(d.timeline[0].at, '2026-04-15');
  });

  test('a denied deduction: its named claims (only the account’s own), the finding in words, documents', async () => {
    const d = (await desk.get('/api/deductions/X2')).json();
    assert.deepEqual(
      d.claims.map((c: { claim_id: string; status: string; unsettled_amount: string }) => [
        c.claim_id,
        c.status,
        c.unsettled_amount,
      ]),
      [['CL-3', 'rejected', '0']],
      'CL-9 is another account’s claim: never shown',
    );
    assert.equal(d.deduction.finding_words, 'We have no claims CL-9, CL-3 on your account.');
    assert.equal(d.deduction.payback_overdue, true);
    assert.equal(d.item.open_amount, '150.00');
    assert.deepEqual(
      d.documents.map((x: { file_name: string; denial_letter: boolean }) => [x.file_name, x.denial_letter]),
      [
        ['denial.txt', true],
        ['internal-note.txt', false],
      ],
    );
    const actions = d.timeline.map((e: { action: string }) => e.action);
    for (const a of ['taken', 'denied', 'payback_due', 'document_attached'])
      assert.ok(actions.includes(a), a);
  });

  test('a missing id is 404', async () => {
    const res = await desk.get('/api/deductions/NOPE');
    assert.equal(res.statusCode, 404);
  });
});

describe('queues and the dashboard', () => {
  test('queue summaries: open count and amounts per currency, due soon, breached, paybacks overdue', async () => {
    const res = await collector.get('/api/deductions/queues');
    assert.equal(res.statusCode, 200, res.body);
    const queues = res.json().queues as {
      queue: string;
      open_count: number;
      breached_count: number;
      payback_overdue_count: number;
      amounts: { currency: string; open_amount: string; breached_amount: string }[];
    }[];
    assert.deepEqual(
      queues.map((q) => q.queue),
      ['rebates', 'sales', 'marketing', 'returns', 'distribution', 'tax', 'collections'],
    );
    const rebates = queues[0]!;
    assert.equal(rebates.open_count, 1);
    assert.equal(rebates.breached_count, 1);
    assert.equal(rebates.payback_overdue_count, 1);
    assert.deepEqual(rebates.amounts, [
      { currency: 'EUR', open_amount: '60.00', due_soon_amount: '0.00', breached_amount: '60.00' },
    ]);
    assert.deepEqual(
      queues[5]!.amounts.map((a) => a.currency),
      ['USD'],
    );
  });

  test('aging by days since taken, as of today and as of a past date', async () => {
    const res = await desk.get('/api/deductions/dashboard?currency=EUR');
    assert.equal(res.statusCode, 200, res.body);
    const aging = res.json().aging as {
      queue: string;
      total: string;
      count: number;
      buckets: Record<string, string>;
    }[];
    const rebates = aging.find((r) => r.queue === 'rebates')!;
    assert.deepEqual(rebates.buckets, {
      d0_30: '150.00',
      d31_60: '0.00',
      d61_90: '60.00',
      d91_120: '0.00',
      d121_plus: '0.00',
    });
    assert.equal(rebates.total, '210.00');
    assert.equal(rebates.count, 2);
    assert.equal(aging.find((r) => r.queue === 'sales')!.buckets.d31_60, '500.00');

    const may = (await desk.get('/api/deductions/dashboard?currency=EUR&as_of=2026-05-31')).json();
    const mayRebates = may.aging.find((r: { queue: string }) => r.queue === 'rebates');
    // X0 46 days, X1 21 days (cleared only on 06-01), X2 11 days less the 50.00 paid on 05-25.
    assert.equal(mayRebates.buckets.d31_60, '60.00');
    assert.equal(mayRebates.buckets.d0_30, '250.00');
  });

  test('DDO per queue and month: open at the month end / taken in the month × days', async () => {
    const res = await desk.get('/api/deductions/dashboard?currency=EUR');
    const d = res.json();
    assert.equal(d.currency, 'EUR');
    assert.deepEqual(d.currencies, ['EUR', 'USD']);
    assert.equal(d.months.length, 12);
    assert.equal(d.months.at(-1), '2026-05', 'the last complete month on 2026-06-15');
    const point = (queue: string, month: string) =>
      d.ddo.find((p: { queue: string; month: string }) => p.queue === queue && p.month === month);
    // April: 60 taken, 60 open on 04-30: 60 / 60 × 30 = 30.0
    assert.deepEqual(point('rebates', '2026-04'), {
      queue: 'rebates',
      month: '2026-04',
      month_end: '2026-04-30',
      days: 30,
      open_at_end: '60.00',
      taken: '60.00',
      ddo: '30.0',
    });
    // May: 300 taken (X1 100 + X2 200); open on 05-31: X0 60 + X1 100 (cleared 06-01) + X2 150 = 310;
    // 310 / 300 × 31 = 32.03 → 32.0
    assert.equal(point('rebates', '2026-05').open_at_end, '310.00');
    assert.equal(point('rebates', '2026-05').taken, '300.00');
    assert.equal(point('rebates', '2026-05').ddo, '32.0');
    assert.equal(point('sales', '2026-05').ddo, '31.0');
    // March: nothing taken, so no measure.
    assert.equal(point('rebates', '2026-03').ddo, null);
    assert.equal(point('tax', '2026-05').open_at_end, '0.00', 'USD is not in the EUR dashboard');
  });
});

describe('partners', () => {
  test('the list holds only their own deductions, without the desk’s fields or others’ claims', async () => {
    const res = await partnerA.get('/api/deductions');
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(ids(res).sort(), ['X0', 'X1', 'X2', 'X4']);
    for (const r of res.json().items) assert.equal(r.assignee, null);
    const x2 = res.json().items.find((r: { deduction_id: string }) => r.deduction_id === 'X2');
    assert.deepEqual(x2.claim_ids, ['CL-3'], 'CL-9 is not theirs');
    assert.deepEqual(ids(await partnerA.get('/api/deductions?account_id=P-B')), []);
    assert.equal(
      ids(await partnerA.get('/api/deductions?assignee=nobody@corp.test')).length,
      4,
      'no filter by the desk’s assignee',
    );
    assert.deepEqual(ids(await desk.get('/api/deductions?assignee=col@corp.test')), ['X0']);
  });

  test('their deduction: the denial letter and payback date, no payment internals, notes or suggestions', async () => {
    const d = (await partnerA.get('/api/deductions/X2')).json();
    assert.equal(d.deduction.payback_due_date, '2026-06-12');
    assert.deepEqual(d.deduction.claim_ids, ['CL-3']);
    assert.equal(d.deduction.finding_words, 'We have no claim on your account that the deduction names.');
    assert.deepEqual(
      d.documents.map((x: { document_id: string; url: string }) => [x.document_id, x.url]),
      [[letterId, `/api/documents/${letterId}/content`]],
    );
    assert.equal(d.payment, null);
    assert.deepEqual(d.suggestions, []);
    assert.ok(d.timeline.every((e: { kind: string }) => e.kind === 'fact'));
    const letter = await partnerA.get(`/api/documents/${letterId}/content`);
    assert.equal(letter.statusCode, 200);
    const x0 = (await partnerA.get('/api/deductions/X0')).json();
    assert.deepEqual(x0.suggestions, []);
    assert.equal(x0.deduction.assignee, null);
  });

  test('another organisation’s deduction is 404, exactly like a missing one', async () => {
    const theirs = await partnerA.get('/api/deductions/X3');
    const missing = await partnerA.get('/api/deductions/X3-NOPE');
    assert.equal(theirs.statusCode, 404);
    assert.equal(theirs.body.replace('X3', 'ID'), missing.body.replace('X3-NOPE', 'ID'));
  });

  test('the queues and the dashboard are the desk’s', async () => {
    assert.equal((await partnerA.get('/api/deductions/queues')).statusCode, 403);
    assert.equal((await partnerA.get('/api/deductions/dashboard')).statusCode, 403);
  });
});
