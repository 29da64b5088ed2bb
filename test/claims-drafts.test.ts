import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import pino from 'pino';
import { today } from '../src/core/dates.ts';
import { runImport } from '../src/modules/imports/index.ts';
import { type Jobs, startJobs } from '../src/modules/platform/index.ts';
import { addUser, Browser, createTestApp, type TestApp } from './helpers/app.ts';

/**
 * Drafts (SPEC D: draft → submitted) through the API: saved and edited without being validated, invisible to
 * other organisations, submitted once (today or on a given date) with every transition in the audit trail;
 * and the claim queue route.
 */

let t: TestApp;
let dir: string;
let analyst: Browser;
let partner1: Browser;
let partner2: Browser;
let jobs: Jobs;

/** The job queue's own tables, as their owner (the application role may not read them). */
async function asOwner<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: t.tdb.ownerUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
/** Validation runs queued and not yet started (the job queue runs here without workers). */
const queuedValidations = () =>
  asOwner(async (c) =>
    Number(
      (
        await c.query<{ n: string }>(
          `select count(*) as n from pgboss.job where name = 'claims.validate' and state = 'created'`,
        )
      ).rows[0]!.n,
    ),
  );
const clearQueue = () => asOwner((c) => c.query(`delete from pgboss.job where name = 'claims.validate'`));

const data: [string, string][] = [
  ['accounts.csv', 'account_id,name,country,currency\nP-1,Partner one,DE,EUR\nP-2,Partner two,DE,EUR'],
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
        claim_window_days: 365,
      },
    ]),
  ],
  [
    'deals.csv',
    `deal_id,program_id,account_id,end_customer_id,sku,authorized_unit_amount,currency,max_qty,start_date,end_date
D-1,SB,P-1,EC-1,X-100,20.00,EUR,10,2026-01-01,2026-12-31`,
  ],
  [
    'sell_in.csv',
    'invoice_id,line_no,account_id,invoice_date,sku,qty,unit_price,currency\nINV-1,1,P-1,2026-02-01,X-100,10,150.00,EUR',
  ],
  [
    'sell_out.csv',
    `account_id,sell_out_ref,sale_date,sku,qty,unit_price,currency,end_customer_id,partner_invoice_no,serial_numbers
P-1,SO-1,2026-03-01,X-100,5,200.00,EUR,EC-1,PI-1,
P-1,SO-2,2026-03-02,X-100,5,200.00,EUR,EC-1,PI-2,`,
  ],
];

const line = (over: Record<string, unknown> = {}) => ({
  line_no: 1,
  sku: 'X-100',
  qty: 5,
  claimed_unit_amount: '25.00',
  claimed_amount: '125.00',
  sale_date: '2026-03-01',
  end_customer_id: 'EC-1',
  deal_id: 'D-1',
  sell_out_ref: 'SO-1',
  ...over,
});

const claim = (claimId: string, over: Record<string, unknown> = {}) => ({
  claim_id: claimId,
  account_id: 'P-1',
  program_id: 'SB',
  submitted_date: '2026-03-10',
  currency: 'EUR',
  lines: [line()],
  ...over,
});

const audit = async (claimId: string) =>
  (await analyst.get(`/api/audit/claim/${claimId}?account_id=P-1`))
    .json()
    .items.map((e: { action: string; actor_name: string; before: unknown; after: unknown }) => e)
    .reverse();

before(async () => {
  t = await createTestApp();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clearhouse-drafts-'));
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
  jobs = await startJobs({ ownerUrl: t.tdb.ownerUrl, db: t.db, log: pino({ level: 'silent' }), work: false });
});

after(async () => {
  await jobs?.stop();
  await t.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('drafts', () => {
  test('a partner saves a draft: checked like any claim, kept, never validated', async () => {
    const bad = await partner1.post(
      '/api/claims',
      claim('D-BAD', { status: 'draft', lines: [line({ qty: 'x' })] }),
    );
    assert.equal(bad.statusCode, 400, bad.body);
    assert.ok(
      bad.json().error.issues.some((i: { field: string }) => i.field === 'lines.0.qty'),
      bad.body,
    );

    await clearQueue();
    const res = await partner1.post('/api/claims', claim('DR-1', { status: 'draft' }));
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(await queuedValidations(), 0, 'saving a draft queues no validation');
    assert.equal(res.json().outcome, 'created');
    assert.equal(res.json().claim.status, 'draft');

    const run = await analyst.post('/api/claims/validate');
    assert.equal(run.statusCode, 200, run.body);
    const detail = (await partner1.get('/api/claims/DR-1')).json();
    assert.equal(detail.claim.status, 'draft');
    assert.equal(detail.lines[0].status, null);
    assert.deepEqual(detail.lines[0].findings, []);
    assert.equal(detail.sla, null, 'no clock before submission');
  });

  test('a draft is edited in place: lines added, changed and removed, no new version', async () => {
    const two = claim('DR-1', {
      lines: [
        line({ qty: 4, claimed_amount: '100.00' }),
        line({ line_no: 2, sell_out_ref: 'SO-2', sale_date: '2026-03-02', qty: 1, claimed_amount: '25.00' }),
      ],
    });
    const edited = await partner1.post('/api/claims?draft=1', two);
    assert.equal(edited.statusCode, 200, edited.body);
    assert.equal(edited.json().outcome, 'updated');
    const again = await partner1.post('/api/claims?draft=1', two);
    assert.equal(again.json().outcome, 'unchanged');
    let detail = (await partner1.get('/api/claims/DR-1')).json();
    assert.deepEqual(
      detail.lines.map((l: { line_no: number; qty: number }) => [l.line_no, l.qty]),
      [
        [1, 4],
        [2, 1],
      ],
    );
    assert.equal(detail.claim.version, 1);
    assert.equal(detail.claim.claimed_amount, '125.00');

    const one = await partner1.post('/api/claims', { ...claim('DR-1'), status: 'draft' });
    assert.equal(one.json().outcome, 'updated');
    detail = (await partner1.get('/api/claims/DR-1')).json();
    assert.deepEqual(
      detail.lines.map((l: { line_no: number }) => l.line_no),
      [1],
    );
    assert.equal((await partner1.get('/api/claims/DR-1/versions')).json().items.length, 0);
  });

  test('another organisation neither sees nor submits it', async () => {
    assert.equal((await partner2.get('/api/claims/DR-1')).statusCode, 404);
    assert.deepEqual((await partner2.get('/api/claims?status=draft')).json().items, []);
    assert.deepEqual((await partner2.get('/api/claim-queue?status=draft')).json().items, []);
    assert.equal((await partner2.post('/api/claims/DR-1/submit')).statusCode, 404);
    // The same claim id is P-2's own claim: created beside P-1's, which is untouched.
    const same = await partner2.post('/api/claims', claim('DR-1', { account_id: 'P-2', status: 'draft' }));
    assert.equal(same.statusCode, 201, same.body);
    assert.equal(same.json().claim.account_id, 'P-2');
    assert.equal((await partner1.get('/api/claims/DR-1')).json().claim.account_id, 'P-1');
    assert.equal((await partner1.get('/api/claims/DR-1')).json().claim.status, 'draft');
  });

  test('drafts stay out of the queue and the claim log; they cannot be decided', async () => {
    const queue = (await analyst.get('/api/claim-queue')).json();
    assert.ok(!queue.items.some((c: { claim_id: string }) => c.claim_id === 'DR-1'));
    const drafts = (await partner1.get('/api/claim-queue?status=draft')).json();
    assert.deepEqual(
      drafts.items.map((c: { claim_id: string; sla_state: string | null }) => [c.claim_id, c.sla_state]),
      [['DR-1', null]],
    );
    const log = (await analyst.get('/api/claim-log')).json();
    assert.ok(!log.items.some((c: { claim_id: string }) => c.claim_id === 'DR-1'));
    assert.equal((await analyst.post('/api/claims/DR-1/approve?account_id=P-1')).statusCode, 409);
    assert.equal(
      (await analyst.post('/api/claims/DR-1/reject?account_id=P-1', { reason: 'not yet' })).statusCode,
      409,
    );
    assert.equal(
      (await analyst.post('/api/claims/DR-1/urgent?account_id=P-1', { urgent: true })).statusCode,
      409,
    );
  });

  test('submitting sets the submitted date, queues validation like a submission, and happens once', async () => {
    const bad = await partner1.post('/api/claims/DR-1/submit', { submitted_date: '2026-02-30' });
    assert.equal(bad.statusCode, 400, bad.body);
    await clearQueue();
    const res = await partner1.post('/api/claims/DR-1/submit', { submitted_date: '2026-03-12' });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(await queuedValidations(), 1, 'validation is queued as for any submission');
    assert.equal(res.json().outcome, 'submitted');
    assert.equal(res.json().claim.status, 'submitted');
    assert.equal(res.json().claim.submitted_date, '2026-03-12');
    const twice = await partner1.post('/api/claims/DR-1/submit', { submitted_date: '2026-03-20' });
    assert.equal(twice.statusCode, 200, twice.body);
    assert.equal(twice.json().outcome, 'unchanged');
    assert.equal(twice.json().claim.submitted_date, '2026-03-12');

    // A submitted claim is not a draft any more.
    const back = await partner1.post('/api/claims', claim('DR-1', { status: 'draft' }));
    assert.equal(back.statusCode, 400, back.body);
    assert.match(back.json().error.issues[0].message, /submitted already/);

    await analyst.post('/api/claims/validate');
    const detail = (await partner1.get('/api/claims/DR-1')).json();
    assert.equal(detail.claim.status, 'validated');
    assert.deepEqual(
      detail.lines[0].findings.map((f: { rule_code: string }) => f.rule_code),
      ['UNIT_AMOUNT_EXCEEDS_AUTHORIZED'],
    );
    assert.equal(detail.sla.sla_state !== null, true);

    const events = await audit('DR-1');
    assert.deepEqual(
      events.map((e: { action: string }) => e.action),
      ['draft_saved', 'draft_saved', 'draft_saved', 'submitted', 'validated'],
    );
    assert.deepEqual(
      events.slice(0, 4).map((e: { actor_name: string }) => e.actor_name),
      ['pia', 'pia', 'pia', 'pia'],
    );
    const submitted = events.find((e: { action: string }) => e.action === 'submitted');
    assert.deepEqual(submitted.before, { status: 'draft', submitted_date: '2026-03-10' });
    assert.equal(submitted.after.status, 'submitted');
    assert.equal(submitted.after.submitted_date, '2026-03-12');
    const edit = events[1];
    assert.deepEqual([edit.before.lines, edit.after.lines, edit.after.claimed_amount], [1, 2, 125]);
  });

  test('an analyst saves a draft on a partner’s behalf; without a date it is submitted today', async () => {
    const res = await analyst.post(
      '/api/claims',
      claim('DR-2', {
        status: 'draft',
        lines: [
          line({
            sell_out_ref: 'SO-2',
            sale_date: '2026-03-02',
            qty: 1,
            claimed_amount: '20.00',
            claimed_unit_amount: '20.00',
          }),
        ],
      }),
    );
    assert.equal(res.statusCode, 201, res.body);
    assert.ok(
      (await partner1.get('/api/claim-queue?status=draft'))
        .json()
        .items.some((c: { claim_id: string }) => c.claim_id === 'DR-2'),
    );
    const sent = await analyst.post('/api/claims/DR-2/submit');
    assert.equal(sent.statusCode, 200, sent.body);
    assert.equal(sent.json().claim.submitted_date, today());
  });

  test('a draft sent again without the draft flag is submitted with what was sent', async () => {
    await partner1.post('/api/claims', claim('DR-3', { status: 'draft', submitted_date: null }));
    const res = await partner1.post(
      '/api/claims',
      claim('DR-3', {
        submitted_date: '2026-03-15',
        lines: [line({ qty: 2, claimed_amount: '50.00', sell_out_ref: 'SO-2', sale_date: '2026-03-02' })],
      }),
    );
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.json().outcome, 'submitted');
    assert.equal(res.json().claim.status, 'submitted');
    assert.equal(res.json().claim.submitted_date, '2026-03-15');
    assert.equal(res.json().claim.version, 1);
    const events = await audit('DR-3');
    assert.deepEqual(
      events.map((e: { action: string }) => e.action),
      ['draft_saved', 'submitted'],
    );
  });
});

describe('the claim queue route', () => {
  test('takes SLA states comma-separated and refuses unknown ones', async () => {
    const ok = await analyst.get('/api/claim-queue?sla_state=breached,due_soon,on_track&limit=5');
    assert.equal(ok.statusCode, 200, ok.body);
    assert.deepEqual(Object.keys(ok.json().counts).sort(), [
      'breached',
      'due_soon',
      'met',
      'missed',
      'on_track',
    ]);
    const bad = await analyst.get('/api/claim-queue?sla_state=late');
    assert.equal(bad.statusCode, 400, bad.body);
    assert.match(bad.body, /unknown SLA state late/);
  });
});
