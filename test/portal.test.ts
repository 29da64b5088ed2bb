import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { validateClaims } from '../src/modules/claims/index.ts';
import { addUser, Browser, createTestApp, type TestApp } from './helpers/app.ts';
import { loadPortalFixture } from './helpers/portal-fixture.ts';

/**
 * The partner portal (issue 19): what a partner owes (its statement as JSON, the same statement as the PDF and
 * XLSX), the disputes it raises on its own invoices (routed like the desk's), and the claim form's look-ups —
 * each tried by two partners, neither of which learns anything of the other.
 */
process.env.CLEARHOUSE_TODAY = '2026-04-15';
let t: TestApp;
let dir: string;
let admin: Browser;
let partner1: Browser;
let partner2: Browser;

before(async () => {
  t = await createTestApp();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clearhouse-portal-'));
  await loadPortalFixture(t.db, dir);
  const users = {
    admin: await addUser(t.db, 'adam@corp.test', ['administrator']),
    p1: await addUser(t.db, 'pia@one.test', ['partner'], 'P-1'),
    p2: await addUser(t.db, 'paul@two.test', ['partner'], 'P-2'),
  };
  admin = await Browser.signedIn(t.app, users.admin.email, users.admin.password);
  partner1 = await Browser.signedIn(t.app, users.p1.email, users.p1.password);
  partner2 = await Browser.signedIn(t.app, users.p2.email, users.p2.password);
});

after(async () => {
  await t.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('what a partner owes', () => {
  test('the statement as JSON: invoices, credits, payments and applications, balance and aging', async () => {
    const res = await partner1.get('/api/ar/statement?account_id=P-1&as_of=2026-04-15&from=2026-04-01');
    assert.equal(res.statusCode, 200, res.body);
    const s = res.json();
    const eur = s.statements[0];
    assert.equal(eur.currency, 'EUR');
    assert.equal(eur.opening_balance, '1000.00');
    // + invoice 500, − credit memo 120, − payment 400; the application moves money between items
    assert.equal(eur.closing_balance, '980.00');
    assert.deepEqual(
      eur.activity.map((l: { kind: string; item_id: string }) => `${l.kind} ${l.item_id}`),
      ['invoice AR-2', 'credit_memo CM-1', 'payment PAY-1', 'application PAY-1'],
    );
    const open = Object.fromEntries(
      eur.open_items.map((i: { item_id: string; open_amount: string }) => [i.item_id, i.open_amount]),
    );
    assert.deepEqual(open, { 'AR-1': '700.00', 'AR-2': '500.00', 'CM-1': '-120.00', 'PAY-1': '-100.00' });
    assert.equal(eur.aging.total, '980.00');
    assert.equal(eur.aging.d31_60, '700.00');

    // The PDF and XLSX are the same statement.
    const pdf = await partner1.get('/api/ar/statement.pdf?account_id=P-1&as_of=2026-04-15&from=2026-04-01');
    assert.equal(pdf.statusCode, 200);
    assert.equal(pdf.rawPayload.subarray(0, 5).toString(), '%PDF-');
    const xlsx = await partner1.get('/api/ar/statement.xlsx?account_id=P-1&as_of=2026-04-15');
    assert.equal(xlsx.statusCode, 200);
    assert.equal(xlsx.rawPayload.subarray(0, 2).toString(), 'PK');
  });

  test('another partner’s statement does not exist for a partner', async () => {
    const other = await partner2.get('/api/ar/statement?account_id=P-1&as_of=2026-04-15');
    const none = await partner2.get('/api/ar/statement?account_id=P-404&as_of=2026-04-15');
    assert.equal(other.statusCode, 404);
    assert.equal(none.statusCode, 404);
    assert.equal(
      other.json().error.message.replace('P-1', 'X'),
      none.json().error.message.replace('P-404', 'X'),
    );
  });
});

describe('a dispute raised from the portal', () => {
  let disputeId = '';

  test('is routed by its category to the owning team, with its SLA, and the desk sees it', async () => {
    const res = await partner1.post('/api/accounts/P-1/disputes', {
      document_id: 'AR-1',
      category: 'pricing',
      amount: '50.00',
      description: 'The price list says 950.00',
      customer_reference: 'OUR-77',
    });
    assert.equal(res.statusCode, 201, res.body);
    const d = res.json().dispute;
    disputeId = d.dispute_id;
    assert.equal(d.team_name, 'Order management');
    assert.equal(d.state, 'open');
    assert.equal(d.opened_on, '2026-04-15');
    assert.equal(d.due_date, '2026-04-22'); // five business days
    assert.equal(d.amount, '50.00');
    assert.ok(!('assignee' in d), 'the desk’s working details stay the desk’s');

    const desk = (await admin.get(`/api/disputes/${disputeId}`)).json();
    assert.equal(desk.team, 'order_management');
    assert.equal(desk.opened_by, 'pia');
    assert.equal(desk.document_id, 'AR-1');

    const mine = (await partner1.get('/api/accounts/P-1/disputes')).json().items;
    assert.deepEqual(
      mine.map((x: { dispute_id: string }) => x.dispute_id),
      [disputeId],
    );
  });

  test('one at a time per invoice; at most what is open; no routing by the partner', async () => {
    const again = await partner1.post('/api/accounts/P-1/disputes', {
      document_id: 'AR-1',
      category: 'quantity',
      amount: '1.00',
      description: 'again',
    });
    assert.equal(again.statusCode, 409, again.body);
    const tooMuch = await partner1.post('/api/accounts/P-1/disputes', {
      document_id: 'AR-2',
      category: 'quantity',
      amount: '500.01',
      description: 'more than open',
    });
    assert.equal(tooMuch.statusCode, 400, tooMuch.body);
    const routed = await partner1.post('/api/accounts/P-1/disputes', {
      document_id: 'AR-2',
      category: 'quantity',
      amount: '5.00',
      description: 'x',
      team: 'billing',
    });
    assert.equal(routed.statusCode, 400, routed.body);
    const credit = await partner1.post('/api/accounts/P-1/disputes', {
      document_id: 'CM-1',
      category: 'pricing',
      amount: '5.00',
      description: 'x',
    });
    assert.equal(credit.statusCode, 400, credit.body);
  });

  test('another partner’s invoice and account are as absent as ones that do not exist', async () => {
    const body = (document_id: string) => ({
      document_id,
      category: 'pricing',
      amount: '1.00',
      description: 'not mine',
    });
    const theirs = await partner2.post('/api/accounts/P-2/disputes', body('AR-2'));
    const none = await partner2.post('/api/accounts/P-2/disputes', body('AR-404'));
    assert.equal(theirs.statusCode, 400);
    assert.equal(none.statusCode, 400);
    assert.equal(
      theirs.json().error.message.replace('AR-2', 'X'),
      none.json().error.message.replace('AR-404', 'X'),
    );
    assert.equal((await partner2.post('/api/accounts/P-1/disputes', body('AR-2'))).statusCode, 404);
    assert.equal((await partner2.get('/api/accounts/P-1/disputes')).statusCode, 404);
    assert.deepEqual((await partner2.get('/api/accounts/P-2/disputes')).json().items, []);
    assert.equal((await partner2.get(`/api/disputes/${disputeId}`)).statusCode, 403);
  });
});

describe('the claim form’s look-ups', () => {
  test('a claim number made for the partner, unique within it; the program’s type and documents', async () => {
    const form = (await partner1.get('/api/claim-form?account_id=P-1&program_id=SB')).json();
    assert.equal(form.suggested_claim_id, 'P-1-20260415-01');
    assert.equal(form.claim_id_taken, null);
    assert.equal(form.program.type, 'special_bid');
    assert.deepEqual(form.program.required_documents, ['proof_of_sale']);

    const sent = await partner1.post('/api/claims', {
      claim_id: form.suggested_claim_id,
      account_id: 'P-1',
      program_id: 'SB',
      currency: 'EUR',
      lines: [
        {
          line_no: 1,
          sku: 'X-100',
          qty: 2,
          claimed_unit_amount: '20.00',
          claimed_amount: '40.00',
          sale_date: '2026-03-01',
          end_customer_id: 'EC-1',
          deal_id: 'D-1',
          sell_out_ref: 'SO-1',
        },
      ],
    });
    assert.equal(sent.statusCode, 201, sent.body);
    const next = (await partner1.get('/api/claim-form?account_id=P-1&claim_id=P-1-20260415-01')).json();
    assert.equal(next.suggested_claim_id, 'P-1-20260415-02');
    assert.equal(next.claim_id_taken, true);
    // Partner two may use the same number: it is not taken for it, and it learns nothing of partner one's.
    const two = (await partner2.get('/api/claim-form?account_id=P-2&claim_id=P-1-20260415-01')).json();
    assert.equal(two.claim_id_taken, false);
    assert.equal(two.suggested_claim_id, 'P-2-20260415-01');
  });

  test('end customers: only those the partner’s own sell-out and deals name', async () => {
    const ids = async (who: Browser, account: string, q = '') =>
      (await who.get(`/api/claim-form/end-customers?account_id=${account}&q=${q}`))
        .json()
        .items.map((e: { end_customer_id: string }) => e.end_customer_id);
    assert.deepEqual(await ids(partner1, 'P-1'), ['EC-ONE', 'EC-1']);
    assert.deepEqual(await ids(partner2, 'P-2'), ['EC-TWO']);
    assert.deepEqual(await ids(partner1, 'P-1', 'EC-TWO'), []);
    assert.deepEqual(await ids(partner1, 'P-1', 'Brewery'), []);
    assert.deepEqual(await ids(partner1, 'P-1', 'bakery'), ['EC-ONE']);
    assert.equal((await partner1.get('/api/claim-form/end-customers?account_id=P-2')).statusCode, 404);
  });

  test('sell-out lines: the partner’s own with units left, matching SKU, date and end customer', async () => {
    await validateClaims(t.db);
    const lines = async (who: Browser, query: string) =>
      (await who.get(`/api/claim-form/sell-out?${query}`)).json().items as {
        sell_out_ref: string;
        left_qty: number;
        credited_qty: number;
      }[];
    const so1 = await lines(partner1, 'account_id=P-1&sku=X-100&sale_date=2026-03-01&end_customer_id=EC-1');
    assert.deepEqual(
      so1.map((l) => [l.sell_out_ref, l.credited_qty, l.left_qty]),
      [['SO-1', 2, 3]],
    );
    assert.deepEqual(
      (await lines(partner1, 'account_id=P-1&sku=X-100')).map((l) => l.sell_out_ref),
      ['SO-2', 'SO-1'],
    );
    assert.deepEqual(await lines(partner1, 'account_id=P-1&sku=X-100&end_customer_id=EC-TWO'), []);
    // Partner two's own SO-1 is untouched by partner one's claim.
    assert.deepEqual(
      (await lines(partner2, 'account_id=P-2&sku=X-100')).map((l) => [l.sell_out_ref, l.left_qty]),
      [['SO-1', 5]],
    );
    assert.equal((await partner2.get('/api/claim-form/sell-out?account_id=P-1&sku=X-100')).statusCode, 404);
  });
});
