import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runStrategies } from '../src/modules/collections/index.ts';
import { addAccount, addUser, Browser, createTestApp, type TestApp } from './helpers/app.ts';

/**
 * Administering collection strategies over HTTP: the seeded default, strategies per segment and country
 * with every kind of step and trigger, refusals that name the field, the most specific strategy winning for
 * each account (and shown for the account), edits that keep step ids, deletion.
 */
let t: TestApp;
let admin: Browser;
let collector: Browser;

const email = (kind: string, days: number, subject = 'Reminder {{days_past_due}}') => ({
  kind,
  trigger: 'days_past_due',
  days,
  subject,
  body: 'Dear {{account_name}}, {{currency}} {{amount_past_due}} is past due.',
});

before(async () => {
  t = await createTestApp();
  await addAccount(t.db, 'K-DE', { segment: 'key', country: 'DE' });
  await addAccount(t.db, 'K-US', { segment: 'key', country: 'US', currency: 'USD' });
  await addAccount(t.db, 'S-DE', { segment: 'smb', country: 'DE' });
  await addAccount(t.db, 'X-FR', { country: 'FR' });
  const a = await addUser(t.db, 'admin@corp.test', ['administrator']);
  const c = await addUser(t.db, 'cole@corp.test', ['collector']);
  admin = await Browser.signedIn(t.app, a.email, a.password);
  collector = await Browser.signedIn(t.app, c.email, c.password);
});
after(() => t.close());

const put = (b: Browser, url: string, payload: unknown) => b.request('PUT', url, { payload });
const strategyOf = async (account: string) =>
  (await collector.get(`/api/accounts/${account}/strategy`)).json();

describe('collection strategies administration', () => {
  test('the seeded default: six steps from a courtesy reminder to a final demand, for every account', async () => {
    const res = await collector.get('/api/collection-strategies');
    assert.equal(res.statusCode, 200, res.body);
    const [d] = res.json().items;
    assert.equal(d.strategy_id, 'default');
    assert.equal(d.is_default, true);
    assert.equal(d.accounts, 4);
    assert.deepEqual(
      d.steps.map((s: { kind: string; when: string; sla_business_days: number | null }) => [
        s.kind,
        s.when,
        s.sla_business_days,
      ]),
      [
        ['courtesy_reminder', '1 day past due', null],
        ['past_due_notice', '15 days past due', null],
        ['call', '30 days past due', 2],
        ['escalate_to_sales', '60 days past due', 5],
        ['credit_hold_recommendation', '90 days past due', 3],
        ['final_demand', '120 days past due', null],
      ],
    );
  });

  test('refusals name the field and the reason', async () => {
    const cases: [string, unknown, number, string][] = [
      [
        'an e-mail step without a subject',
        {
          strategy_id: 'k',
          name: 'Key',
          segment: 'key',
          steps: [{ kind: 'courtesy_reminder', trigger: 'days_past_due', days: 1, body: 'x' }],
        },
        400,
        'steps.0.subject',
      ],
      [
        'days past due going down',
        {
          strategy_id: 'k',
          name: 'Key',
          segment: 'key',
          steps: [email('courtesy_reminder', 10), email('past_due_notice', 5)],
        },
        400,
        'steps.1.days',
      ],
      [
        'an end-of-month step with days',
        {
          strategy_id: 'k',
          name: 'Key',
          segment: 'key',
          steps: [{ kind: 'call', trigger: 'end_of_month', days: 3 }],
        },
        400,
        'steps.0.days',
      ],
      [
        'an SLA on an e-mail step',
        {
          strategy_id: 'k',
          name: 'Key',
          segment: 'key',
          steps: [{ ...email('final_demand', 3), sla_business_days: 2 }],
        },
        400,
        'steps.0.sla_business_days',
      ],
      [
        'neither segment nor country',
        { strategy_id: 'k', name: 'Key', steps: [email('courtesy_reminder', 1)] },
        400,
        'segment',
      ],
      [
        'a country that is not ISO 3166',
        { strategy_id: 'k', name: 'Key', country: 'XX', steps: [email('courtesy_reminder', 1)] },
        400,
        'country',
      ],
      ['no steps', { strategy_id: 'k', name: 'Key', segment: 'key', steps: [] }, 400, 'steps'],
    ];
    for (const [what, body, code, field] of cases) {
      const res = await admin.post('/api/collection-strategies', body);
      assert.equal(res.statusCode, code, `${what}: ${res.body}`);
      assert.ok(
        (res.json().error.issues as { field: string }[]).some((i) => i.field === field),
        `${what}: ${res.body}`,
      );
    }
    // Only administrators write strategies; collectors read them.
    const collectorWrite = await collector.post('/api/collection-strategies', {
      strategy_id: 'k',
      name: 'Key',
      segment: 'key',
      steps: [email('courtesy_reminder', 1)],
    });
    assert.equal(collectorWrite.statusCode, 403, collectorWrite.body);
  });

  test('the most specific strategy wins: segment and country, then segment, then country, then default', async () => {
    const create = async (body: Record<string, unknown>) => {
      const res = await admin.post('/api/collection-strategies', body);
      assert.equal(res.statusCode, 201, res.body);
      return res.json().strategy;
    };
    await create({
      strategy_id: 'key',
      name: 'Key accounts',
      segment: 'key',
      steps: [
        email('courtesy_reminder', 3),
        { kind: 'call', trigger: 'days_after_previous', days: 4, sla_business_days: 1 },
        { kind: 'escalate_to_sales', trigger: 'end_of_month' },
        email('final_demand', 45, 'Final demand'),
      ],
    });
    await create({ strategy_id: 'de', name: 'Germany', country: 'de', steps: [email('past_due_notice', 7)] });
    const keyDe = await create({
      strategy_id: 'key-de',
      name: 'Key accounts in Germany',
      segment: 'key',
      country: 'DE',
      steps: [
        email('courtesy_reminder', 1),
        { kind: 'credit_hold_recommendation', trigger: 'days_past_due', days: 30 },
      ],
    });
    assert.equal(keyDe.steps[1].sla_business_days, 3, 'the default SLA of a credit-hold recommendation');
    const conflict = await admin.post('/api/collection-strategies', {
      strategy_id: 'key-de-2',
      name: 'Again',
      segment: 'key',
      country: 'DE',
      steps: [email('courtesy_reminder', 1)],
    });
    assert.equal(conflict.statusCode, 409, conflict.body);
    assert.match(conflict.json().error.message, /key-de is already the one for segment key and country DE/);

    const expected: Record<string, [string, string]> = {
      'K-DE': ['key-de', 'segment_and_country'],
      'K-US': ['key', 'segment'],
      'S-DE': ['de', 'country'],
      'X-FR': ['default', 'default'],
    };
    for (const [account, [id, by]] of Object.entries(expected)) {
      const s = await strategyOf(account);
      assert.deepEqual([s.applies.strategy_id, s.applies.matched_by], [id, by], account);
    }
    const list = (await collector.get('/api/collection-strategies')).json().items;
    assert.deepEqual(
      list.map((s: { strategy_id: string; accounts: number }) => [s.strategy_id, s.accounts]),
      [
        ['default', 1],
        ['de', 1],
        ['key', 1],
        ['key-de', 1],
      ],
    );
  });

  test('the account shows its cycle: steps done and the next one with the day it is due', async () => {
    await t.db.query(
      `insert into ar_documents (account_id, document_id, type, document_date, due_date, currency, amount)
       values ('K-US', 'K-US-1', 'invoice', '2026-04-01', '2026-05-01', 'USD', 900.00)`,
    );
    for (const day of ['2026-05-03', '2026-05-04', '2026-05-05', '2026-05-06', '2026-05-07', '2026-05-08'])
      await runStrategies(t.db, { asOf: day });
    const res = await collector.get('/api/accounts/K-US/strategy?as_of=2026-05-08');
    assert.equal(res.statusCode, 200, res.body);
    const { cycle } = res.json();
    assert.equal(cycle.cycle, '2026-05-01');
    assert.equal(cycle.days_past_due, 7);
    assert.equal(cycle.strategy_id, 'key');
    assert.deepEqual(
      cycle.done.map((d: { step_no: number; kind: string; run_date: string }) => [
        d.step_no,
        d.kind,
        d.run_date,
      ]),
      [
        [1, 'courtesy_reminder', '2026-05-04'],
        [2, 'call', '2026-05-08'],
      ],
    );
    // Next: the escalation at the end of the month after the call.
    assert.deepEqual(cycle.next, {
      step_no: 3,
      kind: 'escalate_to_sales',
      action: 'task',
      when: 'end of month',
      due_on: '2026-05-31',
    });
    const task = await t.db.query<{ kind: string; due_date: string }>(
      `select kind, due_date from tasks where account_id = 'K-US'`,
    );
    assert.deepEqual(task.rows, [{ kind: 'call', due_date: '2026-05-11' }]); // 1 business day after Friday
  });

  test('an edit keeps the step ids it is sent with; the default keeps no segment; deleting falls back', async () => {
    const before = (await admin.get('/api/collection-strategies/key')).json().strategy;
    const [first, second, third, fourth] = before.steps;
    const res = await put(admin, '/api/collection-strategies/key', {
      name: 'Key accounts (revised)',
      segment: 'key',
      steps: [
        { ...email('courtesy_reminder', 3), step_id: first.step_id },
        { kind: 'call', trigger: 'days_after_previous', days: 2, step_id: second.step_id },
        email('past_due_notice', 20, 'Notice'),
        { kind: 'escalate_to_sales', trigger: 'end_of_month', step_id: third.step_id },
        { ...email('final_demand', 45, 'Final demand'), step_id: fourth.step_id },
      ],
    });
    assert.equal(res.statusCode, 200, res.body);
    const after = res.json().strategy;
    assert.equal(after.name, 'Key accounts (revised)');
    assert.deepEqual(
      after.steps
        .map((s: { step_id: string }) => s.step_id)
        .filter((id: string) => before.steps.some((b: { step_id: string }) => b.step_id === id)),
      [first.step_id, second.step_id, third.step_id, fourth.step_id],
    );
    assert.deepEqual(
      after.steps.map((s: { step_no: number; kind: string }) => [s.step_no, s.kind]),
      [
        [1, 'courtesy_reminder'],
        [2, 'call'],
        [3, 'past_due_notice'],
        [4, 'escalate_to_sales'],
        [5, 'final_demand'],
      ],
    );
    // K-US's cycle had done steps 1 and 2: the notice inserted after them is next.
    assert.equal((await strategyOf('K-US')).cycle.next.kind, 'past_due_notice');
    const foreign = await put(admin, '/api/collection-strategies/key', {
      name: 'Key',
      segment: 'key',
      steps: [
        {
          ...email('courtesy_reminder', 1),
          step_id: (await admin.get('/api/collection-strategies/de')).json().strategy.steps[0].step_id,
        },
      ],
    });
    assert.equal(foreign.statusCode, 400, foreign.body);
    assert.equal(foreign.json().error.issues[0].field, 'steps.0.step_id');

    const defaultWithSegment = await put(admin, '/api/collection-strategies/default', {
      name: 'Default',
      segment: 'key',
      steps: [email('courtesy_reminder', 1)],
    });
    assert.equal(defaultWithSegment.statusCode, 400, defaultWithSegment.body);
    assert.equal((await admin.delete('/api/collection-strategies/default')).statusCode, 409);
    assert.equal((await collector.delete('/api/collection-strategies/key-de')).statusCode, 403);
    assert.equal((await admin.delete('/api/collection-strategies/key-de')).statusCode, 204);
    assert.equal((await admin.get('/api/collection-strategies/key-de')).statusCode, 404);
    assert.equal((await strategyOf('K-DE')).applies.strategy_id, 'key');
    // Every change is in the audit trail.
    const audit = (await admin.get('/api/audit/collection_strategy/key-de')).json();
    assert.deepEqual(audit.items.map((e: { action: string }) => e.action).sort(), ['created', 'deleted']);
  });

  test('the CLI exports the strategies as JSON and sets them back; steps without ids keep theirs', async () => {
    const bin = path.resolve(import.meta.dirname, '..', 'bin', 'clearhouse.js');
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME };
    Object.assign(env, { DATABASE_URL: t.tdb.ownerUrl, CLEARHOUSE_HOME: t.home, LOG_LEVEL: 'warn' });
    const run = (args: string[]) =>
      new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
        execFile(
          process.execPath,
          [bin, '--json', ...args],
          { env, timeout: 60_000 },
          (err, stdout, stderr) =>
            resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
        ),
      );
    const file = path.join(t.home, 'strategies.json');
    const exported = await run(['collections', 'strategies', 'export', '--out', file]);
    assert.equal(exported.code, 0, exported.stderr);
    const list = JSON.parse(fs.readFileSync(file, 'utf8')) as {
      strategy_id: string;
      name: string;
      steps: { step_id?: string; kind: string }[];
    }[];
    const key = list.find((s) => s.strategy_id === 'key')!;
    const ids = key.steps.map((s) => s.step_id);
    // Written by hand: no step ids, a renamed strategy, a new one for a country.
    key.name = 'Key accounts (from a file)';
    for (const st of key.steps) delete st.step_id;
    const fr = { strategy_id: 'fr', name: 'France', country: 'FR', steps: [email('courtesy_reminder', 2)] };
    fs.writeFileSync(file, JSON.stringify([key, fr]));
    const set = await run(['collections', 'strategies', 'set', file]);
    assert.equal(set.code, 0, set.stderr);
    assert.deepEqual(JSON.parse(set.stdout), [
      { strategy_id: 'key', action: 'updated', steps: 5 },
      { strategy_id: 'fr', action: 'created', steps: 1 },
    ]);
    const after = (await admin.get('/api/collection-strategies/key')).json().strategy;
    assert.equal(after.name, 'Key accounts (from a file)');
    assert.deepEqual(
      after.steps.map((s: { step_id: string }) => s.step_id),
      ids,
    );
    assert.equal((await strategyOf('X-FR')).applies.strategy_id, 'fr');
    // A refused file says why and changes nothing.
    fs.writeFileSync(file, JSON.stringify({ strategy_id: 'bad', name: 'Bad', segment: 'x', steps: [] }));
    const bad = await run(['collections', 'strategies', 'set', file]);
    assert.equal(bad.code, 1, bad.stdout);
    assert.match(bad.stderr, /steps/);
    assert.equal((await admin.get('/api/collection-strategies/bad')).statusCode, 404);
  });
});
