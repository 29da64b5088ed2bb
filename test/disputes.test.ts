import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { runStrategies, worklist } from '../src/modules/collections/index.ts';
import { addAccount, addUser, Browser, createTestApp, type TestApp } from './helpers/app.ts';

/**
 * Disputes through the API: each category routed to its team with the team's SLA in business days (the
 * account's country calendar), what is refused and why, assigning and routing, resolution through an
 * adjustment approved by someone else (the proposer cannot approve it), a refused adjustment back in review,
 * rejection and withdrawal, what collections does with a disputed invoice, the teams' SLAs, the export.
 *
 * Today is pinned to Tuesday 2026-12-22 (DE): five business days are 23, 24, 28, 29, 30 (25 and 26 are
 * public holidays, 27 a Sunday) → due 2026-12-30; ten → 2027-01-07.
 */
let t: TestApp;
let admin: Browser;
let collector: Browser;
let om: Browser;
let billing: Browser;
let distribution: Browser;
let manager: Browser;
let approver: Browser;
let low: Browser;
const T = '2026-12-22';
const savedToday = process.env.CLEARHOUSE_TODAY;

type Detail = {
  dispute_id: string;
  team: string;
  state: string;
  assignee: string | null;
  due_date: string;
  sla_business_days: number;
  routed_on: string;
  opened_on: string;
  closed_on: string | null;
  sla_state: string;
  business_days_left: number | null;
  adjustment_id: string | null;
  awaiting_approval: boolean;
  resolution: string | null;
  document: { open_amount: string } | null;
  adjustment: { adjustment_id: string; status: string; reason_code: string; kind: string } | null;
  timeline: { action: string; text: string; note: string | null }[];
  may: Record<string, boolean>;
};

async function invoice(account: string, id: string, amount: string, type = 'invoice', due = '2026-12-10') {
  await t.db.query(
    `insert into ar_documents (account_id, document_id, type, document_date, due_date, currency, amount)
     values ($1, $2, $3, '2026-11-10', $4, (select currency from accounts where account_id = $1), $5)`,
    [account, id, type, due, amount],
  );
}

async function openOf(id: string): Promise<string> {
  const { rows } = await t.db.query<{ open: string }>(
    `select (d.amount - coalesce((select sum(e.amount) from ar_application_entries e
       where e.document_id = d.document_id), 0))::text as open from ar_documents d where d.document_id = $1`,
    [id],
  );
  return rows[0]!.open;
}

async function open(body: Record<string, unknown>, who = collector): Promise<Detail> {
  const res = await who.post('/api/disputes', body);
  assert.equal(res.statusCode, 201, res.body);
  return res.json();
}

async function ok(res: { statusCode: number; body: string }, status = 200): Promise<Detail> {
  assert.equal(res.statusCode, status, res.body);
  return JSON.parse(res.body);
}

async function limit(userId: string, amount: string) {
  const res = await admin.put(`/api/approval-limits/${userId}`, { limits: [{ currency: 'EUR', amount }] });
  assert.equal(res.statusCode, 200, res.body);
}

before(async () => {
  process.env.CLEARHOUSE_TODAY = T;
  t = await createTestApp();
  await addAccount(t.db, 'DSP-DE', { name: 'Dresden Druck GmbH', billing_email: 'ap@dresden.test' });
  await addAccount(t.db, 'DSP-D', { name: 'Dunning Test AG', billing_email: 'ap@dunning.test' });
  const users: [string, Parameters<typeof addUser>[2]][] = [
    ['admin', ['administrator']],
    ['cora', ['collector']],
    ['olga', ['order_management']],
    ['bill', ['billing']],
    ['dan', ['distribution']],
    ['mia', ['manager']],
    ['abe', ['approver']],
    ['lou', ['approver']],
  ];
  const b: Record<string, Browser> = {};
  const ids: Record<string, string> = {};
  for (const [name, roles] of users) {
    const u = await addUser(t.db, `${name}@corp.test`, roles);
    b[name] = await Browser.signedIn(t.app, u.email, u.password);
    ids[name] = u.userId;
  }
  admin = b.admin!;
  collector = b.cora!;
  om = b.olga!;
  billing = b.bill!;
  distribution = b.dan!;
  manager = b.mia!;
  approver = b.abe!;
  low = b.lou!;
  await limit(ids.mia!, '50000.00');
  await limit(ids.abe!, '50000.00');
  await limit(ids.lou!, '10.00');
  await invoice('DSP-DE', 'INV-P', '1000.00');
  await invoice('DSP-DE', 'INV-Q', '500.00');
  await invoice('DSP-DE', 'INV-B', '300.00');
  await invoice('DSP-DE', 'INV-M', '200.00');
  await invoice('DSP-DE', 'INV-Z', '80.00');
  await invoice('DSP-DE', 'CM-Z', '20.00', 'credit_memo');
  await invoice('DSP-D', 'INV-D', '700.00');
});

after(async () => {
  if (savedToday === undefined) delete process.env.CLEARHOUSE_TODAY;
  else process.env.CLEARHOUSE_TODAY = savedToday;
  await t.close();
});

const ids: Record<string, string> = {};

describe('opening and routing', () => {
  test('each category goes to the team that owns it, due after that team’s SLA in business days', async () => {
    const cases: [string, string, string, string][] = [
      ['INV-P', 'pricing', 'order_management', '2026-12-30'],
      ['INV-Q', 'quantity', 'distribution', '2027-01-07'],
      ['INV-B', 'billing_error', 'billing', '2026-12-30'],
      ['INV-M', 'missing_pod', 'distribution', '2027-01-07'],
    ];
    for (const [doc, category, team, due] of cases) {
      const d = await open({
        document_id: doc,
        category,
        amount: '150.00',
        description: `Customer disputes ${category}`,
        customer_reference: `CUST-${doc}`,
      });
      assert.match(d.dispute_id, /^DSP-\d{6}$/);
      assert.deepEqual(
        [d.team, d.state, d.opened_on, d.routed_on, d.due_date, d.sla_state],
        [team, 'open', T, T, due, 'on_track'],
        doc,
      );
      assert.equal(d.timeline[0]!.action, 'opened');
      ids[doc] = d.dispute_id;
    }
    // The invoice's own timeline (item and Account 360) shows it.
    const timeline = (await collector.get('/api/accounts/DSP-DE/timeline?document_id=INV-P')).json() as {
      entries: { kind: string }[];
    };
    assert.ok(timeline.entries.some((e) => e.kind === 'dispute_opened'));
    // The list by team, with the counts per team.
    const list = (await om.get('/api/disputes?team=order_management')).json() as {
      items: { dispute_id: string }[];
      counts: { team: string; open: number }[];
    };
    assert.deepEqual(
      list.items.map((i) => i.dispute_id),
      [ids['INV-P']],
    );
    assert.deepEqual(
      list.counts.map((c) => [c.team, c.open]),
      [
        ['billing', 1],
        ['distribution', 2],
        ['order_management', 1],
      ],
    );
    const byDoc = (await collector.get('/api/disputes?document_id=INV-Q')).json() as {
      items: { dispute_id: string }[];
    };
    assert.deepEqual(
      byDoc.items.map((i) => i.dispute_id),
      [ids['INV-Q']],
    );
  });

  test('refused with a clear reason: more than is open, a credit memo, a second dispute, a team member opening', async () => {
    const over = await collector.post('/api/disputes', {
      document_id: 'INV-Z',
      category: 'pricing',
      amount: '80.01',
      description: 'too much',
    });
    assert.equal(over.statusCode, 400, over.body);
    assert.equal(over.json().error.issues[0].field, 'amount');
    assert.match(over.json().error.message, /80\.01 is more than the 80\.00 EUR open on INV-Z/);
    const memo = await collector.post('/api/disputes', {
      document_id: 'CM-Z',
      category: 'pricing',
      amount: '1.00',
      description: 'x',
    });
    assert.equal(memo.statusCode, 400, memo.body);
    assert.match(memo.json().error.message, /credit memo: only invoices and debit memos/);
    const unknown = await collector.post('/api/disputes', {
      document_id: 'NOPE',
      category: 'pricing',
      amount: '1.00',
      description: 'x',
    });
    assert.equal(unknown.statusCode, 400, unknown.body);
    const twice = await collector.post('/api/disputes', {
      document_id: 'INV-P',
      category: 'quantity',
      amount: '1.00',
      description: 'again',
    });
    assert.equal(twice.statusCode, 409, twice.body);
    assert.match(twice.json().error.message, new RegExp(`in dispute already \\(${ids['INV-P']}\\)`));
    const byTeam = await billing.post('/api/disputes', {
      document_id: 'INV-Z',
      category: 'pricing',
      amount: '1.00',
      description: 'x',
    });
    assert.equal(byTeam.statusCode, 403, byTeam.body);
    const decimals = await collector.post('/api/disputes', {
      document_id: 'INV-Z',
      category: 'pricing',
      amount: '1.005',
      description: 'x',
    });
    assert.equal(decimals.statusCode, 400, decimals.body);
  });

  test('the team takes it; another team cannot; routed to billing it takes billing’s SLA from today', async () => {
    const id = ids['INV-P']!;
    assert.equal(
      (await distribution.post(`/api/disputes/${id}/assign`, { assignee: 'dan@corp.test' })).statusCode,
      403,
    );
    const wrong = await om.post(`/api/disputes/${id}/assign`, { assignee: 'bill@corp.test' });
    assert.equal(wrong.statusCode, 400, wrong.body);
    assert.match(wrong.json().error.message, /not in the Order management team/);
    const taken = await ok(await om.post(`/api/disputes/${id}/assign`, { assignee: 'olga@corp.test' }));
    assert.deepEqual([taken.assignee, taken.state], ['olga@corp.test', 'in_review']);
    assert.equal(taken.may.propose, true);

    // The quantity dispute is really a billing error: the collector routes it to billing.
    const q = ids['INV-Q']!;
    const routed = await ok(
      await collector.post(`/api/disputes/${q}/assign`, { team: 'billing', note: 'wrong VAT line' }),
    );
    assert.deepEqual(
      [routed.team, routed.state, routed.assignee, routed.routed_on, routed.due_date],
      ['billing', 'open', null, T, '2026-12-30'],
    );
    assert.match(routed.timeline.at(-1)!.text, /Routed from Distribution to Billing/);
    // Distribution no longer works it.
    assert.equal((await distribution.post(`/api/disputes/${q}/reject`, { reason: 'x' })).statusCode, 403);
  });
});

describe('resolution through an approved adjustment', () => {
  let adjustmentId = '';

  test('the team proposes a credit adjustment: pending, with the category’s reason and the dispute as source', async () => {
    const id = ids['INV-P']!;
    const d = await ok(
      await om.post(`/api/disputes/${id}/adjustment`, {
        kind: 'credit_adjustment',
        amount: '150.00',
        comment: 'Price list 2026-Q4 applies: 10 % less',
      }),
      201,
    );
    assert.equal(d.state, 'in_review');
    assert.equal(d.awaiting_approval, true);
    assert.equal(d.adjustment?.status, 'pending');
    assert.equal(d.adjustment?.reason_code, 'PRICING_ERROR');
    adjustmentId = d.adjustment_id!;
    const a = (await om.get(`/api/adjustments/${adjustmentId}`)).json();
    assert.deepEqual([a.source_type, a.source_id, a.kind], ['dispute', id, 'credit_adjustment']);
    // While it waits, the dispute is neither rejected, withdrawn nor settled again.
    assert.equal((await om.post(`/api/disputes/${id}/reject`, { reason: 'x' })).statusCode, 409);
    assert.equal((await collector.post(`/api/disputes/${id}/withdraw`, { reason: 'x' })).statusCode, 409);
    const again = await om.post(`/api/disputes/${id}/adjustment`, {
      kind: 'credit_adjustment',
      amount: '1.00',
      comment: 'x',
    });
    assert.equal(again.statusCode, 409, again.body);
    assert.equal(await openOf('INV-P'), '1000.00', 'nothing posted while pending');
  });

  test('nobody approves their own: the proposer (a manager with a limit) cannot; a low limit cannot; another approver does', async () => {
    // A manager proposes on the billing-error dispute and may not approve it.
    const id = ids['INV-B']!;
    const d = await ok(
      await manager.post(`/api/disputes/${id}/adjustment`, {
        kind: 'credit_adjustment',
        amount: '100.00',
        comment: 'Freight billed twice',
      }),
      201,
    );
    const own = await manager.post(`/api/adjustments/${d.adjustment_id}/approve`);
    assert.equal(own.statusCode, 403, own.body);
    assert.match(own.json().error.message, /You requested this yourself/);
    assert.equal((await low.post(`/api/adjustments/${d.adjustment_id}/approve`)).statusCode, 403);
    const mine = (await manager.get(`/api/disputes/${id}`)).json() as Detail & {
      adjustment: { cannot_decide: string | null };
    };
    assert.match(mine.adjustment.cannot_decide ?? '', /yourself/);

    // The order-management proposal is approved by an approver: posted, the dispute resolved.
    const res = await approver.post(`/api/adjustments/${adjustmentId}/approve`, { comment: 'ok' });
    assert.equal(res.statusCode, 200, res.body);
    const p = await ok(await om.get(`/api/disputes/${ids['INV-P']}`));
    assert.deepEqual(
      [p.state, p.closed_on, p.adjustment_id, p.awaiting_approval, p.sla_state],
      ['resolved_adjusted', T, adjustmentId, false, 'met'],
    );
    assert.equal(p.timeline.at(-1)!.action, 'resolved');
    assert.equal(await openOf('INV-P'), '850.00');
    assert.equal(p.document?.open_amount, '850.00');
    const active = (await collector.get('/api/disputes')).json() as { items: { dispute_id: string }[] };
    assert.ok(!active.items.some((i) => i.dispute_id === ids['INV-P']));
    // Resolved is final (comments may still be added).
    const commented = await ok(
      await om.post(`/api/disputes/${ids['INV-P']}/comments`, { body: 'Thanks all' }),
      201,
    );
    assert.deepEqual(
      commented.timeline.map((e) => e.action),
      ['opened', 'assigned', 'adjustment_proposed', 'resolved', 'commented'],
      'oldest first',
    );
    assert.equal((await om.post(`/api/disputes/${ids['INV-P']}/reject`, { reason: 'x' })).statusCode, 409);
  });

  test('a refused adjustment puts the dispute back in review; then the team rejects it and the invoice stays owed', async () => {
    const id = ids['INV-B']!;
    const before = (await billing.get(`/api/disputes/${id}`)).json() as Detail;
    const refused = await approver.post(`/api/adjustments/${before.adjustment_id}/refuse`, {
      comment: 'Freight was agreed in the contract',
    });
    assert.equal(refused.statusCode, 200, refused.body);
    const d = await ok(await billing.get(`/api/disputes/${id}`));
    assert.deepEqual([d.state, d.adjustment_id, d.awaiting_approval], ['in_review', null, false]);
    const last = d.timeline.at(-1)!;
    assert.equal(last.action, 'adjustment_refused');
    assert.equal(last.note, 'Freight was agreed in the contract');
    assert.equal(await openOf('INV-B'), '300.00');

    const noReason = await billing.post(`/api/disputes/${id}/reject`, { reason: ' ' });
    assert.equal(noReason.statusCode, 400, noReason.body);
    const rejected = await ok(
      await billing.post(`/api/disputes/${id}/reject`, {
        reason: 'Freight per contract §4; invoice is right',
      }),
    );
    assert.deepEqual(
      [rejected.state, rejected.closed_on, rejected.resolution],
      ['rejected', T, 'Freight per contract §4; invoice is right'],
    );
    assert.equal(await openOf('INV-B'), '300.00');
    const timeline = (await collector.get('/api/accounts/DSP-DE/timeline?document_id=INV-B')).json() as {
      entries: { kind: string }[];
    };
    assert.ok(timeline.entries.some((e) => e.kind === 'dispute_rejected'));
  });

  test('a rebill from the routed team; the customer withdraws another dispute', async () => {
    const q = ids['INV-Q']!;
    const d = await ok(
      await billing.post(`/api/disputes/${q}/adjustment`, {
        kind: 'rebill',
        corrected_amount: '420.00',
        reason_code: 'DISPUTE',
        comment: 'VAT line removed',
      }),
      201,
    );
    assert.equal(d.adjustment?.kind, 'rebill');
    assert.equal((await approver.post(`/api/adjustments/${d.adjustment_id}/approve`)).statusCode, 200);
    const r = await ok(await billing.get(`/api/disputes/${q}`));
    assert.equal(r.state, 'resolved_adjusted');
    assert.equal(await openOf('INV-Q'), '0.00');

    const m = ids['INV-M']!;
    const w = await ok(
      await collector.post(`/api/disputes/${m}/withdraw`, { reason: 'POD found by the customer' }),
    );
    assert.deepEqual([w.state, w.resolution], ['withdrawn', 'POD found by the customer']);
    // The document can be disputed again once the dispute is over.
    await open({ document_id: 'INV-M', category: 'pricing', amount: '20.00', description: 'a new one' });
  });
});

describe('collections leaves a disputed invoice alone', () => {
  test('the worklist shows it in dispute; the strategy waits until the dispute ends', async () => {
    const d = await open({
      document_id: 'INV-D',
      category: 'pricing',
      amount: '700.00',
      description: 'all of it',
    });
    const row = (await worklist(t.db)).rows.find((r) => r.account_id === 'DSP-D')!;
    assert.deepEqual(
      [row.past_due_amount, row.disputed_amount, row.priority, row.next_action],
      ['700.00', '700.00', '0.00', 'wait — in dispute'],
    );
    const runs = async () =>
      (await runStrategies(t.db, { asOf: T })).runs.filter((r) => r.account_id === 'DSP-D');
    assert.deepEqual(await runs(), []);
    const waiting = (await collector.get('/api/accounts/DSP-D/strategy')).json();
    assert.equal(waiting.cycle.all_in_dispute, true);
    await ok(await om.post(`/api/disputes/${d.dispute_id}/reject`, { reason: 'Price per contract' }));
    const after = (await worklist(t.db)).rows.find((r) => r.account_id === 'DSP-D')!;
    assert.deepEqual([after.disputed_amount, after.next_action], ['0.00', 'courtesy reminder']);
    assert.deepEqual(
      (await runs()).map((r) => r.step_no),
      [1],
    );
  });
});

describe('teams', () => {
  test('listed with their SLA; administrators and managers set it; new disputes take it', async () => {
    const teams = (await distribution.get('/api/dispute-teams')).json() as {
      items: { team: string; sla_business_days: number }[];
    };
    assert.deepEqual(
      teams.items.map((x) => [x.team, x.sla_business_days]),
      [
        ['billing', 5],
        ['distribution', 10],
        ['order_management', 5],
      ],
    );
    assert.equal(
      (await collector.put('/api/dispute-teams/billing', { sla_business_days: 2 })).statusCode,
      403,
    );
    assert.equal((await admin.put('/api/dispute-teams/nope', { sla_business_days: 2 })).statusCode, 404);
    assert.equal((await admin.put('/api/dispute-teams/billing', { sla_business_days: 0 })).statusCode, 400);
    const set = await manager.put('/api/dispute-teams/billing', { sla_business_days: 2 });
    assert.equal(set.statusCode, 200, set.body);
    const d = await open({
      document_id: 'INV-Z',
      category: 'billing_error',
      amount: '80.00',
      description: 'x',
    });
    assert.deepEqual([d.team, d.sla_business_days, d.due_date], ['billing', 2, '2026-12-24']);
  });
});

describe('export', () => {
  test('GET /api/disputes/export.csv and `clearhouse disputes export`', { timeout: 120_000 }, async () => {
    const res = await collector.get('/api/disputes/export.csv');
    assert.equal(res.statusCode, 200, res.body);
    const lines = res.body.trim().split('\n');
    assert.equal(
      lines[0],
      'dispute_id,account_id,document_id,category,team,amount,currency,state,opened_on,due_date,resolved_on,adjustment_id',
    );
    const p = (await collector.get(`/api/disputes/${ids['INV-P']}`)).json() as Detail;
    assert.ok(
      lines.includes(
        `${ids['INV-P']},DSP-DE,INV-P,pricing,order_management,150.00,EUR,resolved_adjusted,${T},2026-12-30,${T},${p.adjustment_id}`,
      ),
      res.body,
    );

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ch-disputes-cli-'));
    try {
      const env: NodeJS.ProcessEnv = { ...process.env };
      for (const key of Object.keys(env))
        if (
          key.startsWith('NODE_TEST') ||
          (key.startsWith('CLEARHOUSE_') && !key.startsWith('CLEARHOUSE_TEST'))
        )
          delete env[key];
      delete env.NODE_OPTIONS;
      Object.assign(env, {
        DATABASE_URL: t.tdb.ownerUrl,
        CLEARHOUSE_HOME: path.join(dir, 'home'),
        LOG_LEVEL: 'warn',
      });
      const bin = path.resolve(import.meta.dirname, '..', 'bin', 'clearhouse.js');
      await promisify(execFile)(
        process.execPath,
        [bin, 'disputes', 'export', '--out', path.join(dir, 'out')],
        {
          env,
        },
      );
      assert.equal(fs.readFileSync(path.join(dir, 'out', 'disputes.csv'), 'utf8'), res.body);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
