import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import type { Actor, PoolDb } from '../src/db/db.ts';
import { createTestDatabase, type TestDatabase } from '../src/db/test-database.ts';
import {
  claimLog,
  claimQueue,
  ensureHolidayCalendars,
  type SlaState,
  setClaimUrgent,
  slaInputsJoin,
  slaOf,
  slaSql,
} from '../src/modules/claims/index.ts';
import { runImport } from '../src/modules/imports/index.ts';
import '../src/modules/index.ts';

/**
 * The desk's claim queue: ordered by SLA in the database (breached first, then fewest business days left,
 * urgent first on the same day), and the SQL SLA held to the SLA functions it mirrors.
 */

const analyst: Actor = { userId: null, name: 'analyst', roles: ['rebate_analyst'], accounts: '*' };
const partnerOf = (account: string): Actor => ({
  userId: null,
  name: `partner ${account}`,
  roles: ['partner'],
  accounts: [account],
});

const asOf = '2026-05-12'; // a Tuesday; in Germany 1 May (Labour Day) was a holiday, in the US it was not

async function load(db: PoolDb, files: Record<string, string>) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ch-queue-'));
  try {
    for (const [name, content] of Object.entries(files)) {
      fs.writeFileSync(path.join(dir, name), content);
      const r = await runImport(db, { path: path.join(dir, name), source: 'cli', activatePrograms: true });
      assert.equal(r.status, 'loaded', `${name}: ${JSON.stringify(r.errors)}`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const program = (id: string, sla: number | null) => ({
  program_id: id,
  name: `Program ${id}`,
  type: 'sell_out',
  currency: 'EUR',
  country: 'DE',
  start_date: '2025-01-01',
  end_date: '2027-12-31',
  claim_window_days: 60,
  per_unit_amount: '10.00',
  ...(sla === null ? {} : { sla_business_days: sla }),
});

interface Row {
  claim: string;
  account: string;
  program: string;
  submitted: string;
  status: string;
  urgent?: boolean;
  paid_on?: string;
  decided_at?: string;
}

describe('the claim queue by SLA', () => {
  let tdb: TestDatabase;
  let db: PoolDb;

  // SO10 has a 10-business-day target, SB the default 30. Expected figures worked by hand as of 12 May 2026.
  const rows: (Row & { state: SlaState | null; left: number | null })[] = [
    // 15 business days since Mon 20 Apr (1 May off): 5 past the target.
    {
      claim: 'Q1',
      account: 'P-DE',
      program: 'SO10',
      submitted: '2026-04-20',
      status: 'validated',
      state: 'breached',
      left: -5,
    },
    // Urgent: half the target (5); 9 business days gone.
    {
      claim: 'Q3',
      account: 'P-DE',
      program: 'SO10',
      submitted: '2026-04-28',
      status: 'in_review',
      urgent: true,
      state: 'breached',
      left: -4,
    },
    // Due today (0 left), urgent: before Q2, due today too but not urgent.
    {
      claim: 'Q5',
      account: 'P-DE',
      program: 'SO10',
      submitted: '2026-05-05',
      status: 'validated',
      urgent: true,
      state: 'due_soon',
      left: 0,
    },
    {
      claim: 'Q2',
      account: 'P-DE',
      program: 'SO10',
      submitted: '2026-04-27',
      status: 'validated',
      state: 'due_soon',
      left: 0,
    },
    // The same day as Q8, but 1 May is a business day in the US: one day less left.
    {
      claim: 'Q7',
      account: 'P-US',
      program: 'SO10',
      submitted: '2026-04-30',
      status: 'submitted',
      state: 'due_soon',
      left: 2,
    },
    // 3 left each: the older submission first.
    {
      claim: 'Q8',
      account: 'P-DE',
      program: 'SO10',
      submitted: '2026-04-30',
      status: 'validated',
      state: 'due_soon',
      left: 3,
    },
    {
      claim: 'Q4',
      account: 'P-DE',
      program: 'SO10',
      submitted: '2026-05-01',
      status: 'validated',
      state: 'due_soon',
      left: 3,
    },
    // Approved, waiting for payment: the clock still runs.
    {
      claim: 'Q12',
      account: 'P-DE',
      program: 'SO10',
      submitted: '2026-05-06',
      status: 'approved',
      decided_at: '2026-05-07 10:00',
      state: 'on_track',
      left: 6,
    },
    {
      claim: 'Q6',
      account: 'P-DE',
      program: 'SB',
      submitted: '2026-05-08',
      status: 'validated',
      state: 'on_track',
      left: 28,
    },
    // Stopped clocks last, newest first.
    {
      claim: 'Q9',
      account: 'P-DE',
      program: 'SO10',
      submitted: '2026-04-01',
      status: 'paid',
      paid_on: '2026-04-10',
      decided_at: '2026-04-10 12:00',
      state: 'met',
      left: null,
    },
    {
      claim: 'Q10',
      account: 'P-US',
      program: 'SO10',
      submitted: '2026-03-02',
      status: 'rejected',
      decided_at: '2026-03-20 12:00',
      state: 'missed',
      left: null,
    },
  ];
  const draft: Row = {
    claim: 'Q11',
    account: 'P-DE',
    program: 'SO10',
    submitted: '2026-04-01',
    status: 'draft',
  };

  before(async () => {
    tdb = await createTestDatabase();
    db = tdb.db;
    await load(db, {
      'accounts.csv': 'account_id,name,country,currency\nP-DE,Partner DE,DE,EUR\nP-US,Partner US,US,EUR\n',
      'programs.json': JSON.stringify([program('SO10', 10), program('SB', null)]),
    });
    for (const r of [...rows, draft]) {
      await db.query(
        `insert into claims (account_id, claim_id, program_id, submitted_date, currency, status, urgent, paid_on,
           decided_at, program_version)
         values ($1, $2, $3, $4, 'EUR', $5, $6, $7, $8, 1)`,
        [
          r.account,
          r.claim,
          r.program,
          r.submitted,
          r.status,
          r.urgent ?? false,
          r.paid_on ?? null,
          r.decided_at ?? null,
        ],
      );
      await db.query(
        `insert into claim_lines (account_id, claim_id, line_no, claimed_amount) values ($1, $2, 1, 10.00)`,
        [r.account, r.claim],
      );
    }
  });

  after(() => tdb.drop());

  test('breached first, then fewest business days left, urgent first on the same day; stopped clocks last', async () => {
    const queue = await claimQueue(db.as(analyst), {}, asOf);
    assert.deepEqual(
      queue.items.map((x) => [x.claim_id, x.sla_state, x.business_days_left, x.urgent]),
      rows.map((r) => [r.claim, r.state, r.left, r.urgent ?? false]),
    );
    assert.equal(queue.total, rows.length, 'the draft is not in the queue');
    assert.deepEqual(queue.counts, { on_track: 2, due_soon: 5, breached: 2, met: 1, missed: 1 });
    const q3 = queue.items.find((x) => x.claim_id === 'Q3')!;
    assert.deepEqual([q3.target_business_days, q3.age_business_days, q3.due_date], [5, 9, '2026-05-06']);
    assert.equal(q3.partner_name, 'Partner DE');
    assert.equal(q3.claimed_amount, '10.00');
  });

  const filters: [string, Parameters<typeof claimQueue>[1], string[]][] = [
    ['breached only', { sla_states: ['breached'] }, ['Q1', 'Q3']],
    [
      'open and due soon or on track',
      { sla_states: ['due_soon', 'on_track'] },
      ['Q5', 'Q2', 'Q7', 'Q8', 'Q4', 'Q12', 'Q6'],
    ],
    ['stopped clocks', { sla_states: ['met', 'missed'] }, ['Q9', 'Q10']],
    ['urgent', { urgent: true }, ['Q3', 'Q5']],
    ['one partner', { account_id: 'P-US' }, ['Q7', 'Q10']],
    ['a status', { status: 'validated' }, ['Q1', 'Q5', 'Q2', 'Q8', 'Q4', 'Q6']],
    ['a search', { q: 'partner us' }, ['Q7', 'Q10']],
    ['a page', { limit: 3, offset: 2 }, ['Q5', 'Q2', 'Q7']],
    ['newest submitted first', { sort: 'submitted', limit: 4 }, ['Q6', 'Q12', 'Q5', 'Q4']],
    ['drafts, asked for', { status: 'draft' }, ['Q11']],
    // A grid's own sort and column filters, over the whole queue (ids sort as text).
    ['a grid sort', { order: 'claim_id:desc', limit: 3 }, ['Q9', 'Q8', 'Q7']],
    ['a grid sort, then the SLA order', { order: 'urgent:desc', limit: 3 }, ['Q3', 'Q5', 'Q1']],
    ['a grid column filter', { filters: { partner: 'partner us' } }, ['Q7', 'Q10']],
    ['a column filter with the SLA state', { filters: { claim_id: 'q1' }, sla_states: ['breached'] }, ['Q1']],
  ];
  for (const [name, query, expected] of filters) {
    test(`filters: ${name}`, async () => {
      const queue = await claimQueue(db.as(analyst), query, asOf);
      assert.deepEqual(
        queue.items.map((x) => x.claim_id),
        expected,
      );
      if (query?.limit === undefined) assert.equal(queue.total, expected.length);
    });
  }

  test('a page keeps the total and the counts of every state', async () => {
    const page = await claimQueue(db.as(analyst), { sla_states: ['due_soon'], limit: 2, offset: 4 }, asOf);
    assert.deepEqual(
      page.items.map((x) => x.claim_id),
      ['Q4'],
    );
    assert.equal(page.total, 5);
    assert.equal(page.counts.breached, 2, 'counts ignore the SLA-state filter');
  });

  test('the due date and the amounts sort the whole queue, open and stopped clocks alike', async () => {
    const all = (await claimQueue(db.as(analyst), {}, asOf)).items;
    assert.ok(all.some((x) => x.sla_state === 'met') && all.some((x) => x.business_days_left !== null));
    const columns: [string, (x: (typeof all)[number]) => string | number | null][] = [
      ['due_date', (x) => x.due_date],
      ['claimed_amount', (x) => Number(x.claimed_amount)],
      ['lines', (x) => x.lines],
    ];
    for (const [column, value] of columns) {
      for (const direction of ['asc', 'desc'] as const) {
        const sorted = await claimQueue(db.as(analyst), { order: `${column}:${direction}` }, asOf);
        const expected = all.map(value).sort((a, b) => (a! < b! ? -1 : a! > b! ? 1 : 0));
        if (direction === 'desc') expected.reverse();
        assert.deepEqual(sorted.items.map(value), expected, `${column} ${direction}`);
        assert.equal(sorted.total, all.length);
      }
    }
  });

  test('a grid column the queue cannot sort or filter by is refused by name', async () => {
    await assert.rejects(
      claimQueue(db.as(analyst), { order: 'findings:asc' }, asOf),
      /cannot sort or filter by findings/,
    );
    await assert.rejects(
      claimQueue(db.as(analyst), { filters: { business_days_left: '3' } }, asOf),
      /business_days_left/,
    );
  });

  test('a draft has no SLA', async () => {
    const [d] = (await claimQueue(db.as(analyst), { status: 'draft' }, asOf)).items;
    assert.deepEqual([d!.sla_state, d!.business_days_left, d!.due_date], [null, null, null]);
  });

  test('a partner sees its own claims in the same order', async () => {
    const queue = await claimQueue(db.as(partnerOf('P-US')), {}, asOf);
    assert.deepEqual(
      queue.items.map((x) => x.claim_id),
      ['Q7', 'Q10'],
    );
    assert.deepEqual(queue.counts, { on_track: 0, due_soon: 1, breached: 0, met: 0, missed: 1 });
  });

  test('marking a claim urgent moves it up: half the target', async () => {
    await setClaimUrgent(db.as(analyst), 'Q2', true);
    try {
      const queue = await claimQueue(db.as(analyst), { sla_states: ['breached'] }, asOf);
      // Q2 now has 5 business days for its 10 gone: -5, like Q1, and urgent first.
      assert.deepEqual(
        queue.items.map((x) => [x.claim_id, x.business_days_left]),
        [
          ['Q2', -5],
          ['Q1', -5],
          ['Q3', -4],
        ],
      );
    } finally {
      await setClaimUrgent(db.as(analyst), 'Q2', false);
    }
    await assert.rejects(setClaimUrgent(db.as(analyst), 'Q11', true), { code: 'conflict' });
  });

  test('the claim log filters and pages by SLA state in the database', async () => {
    const log = await claimLog(db.as(analyst), { sla_state: 'due_soon', limit: 2, offset: 1 }, asOf);
    assert.equal(log.total, 5);
    assert.deepEqual(
      log.items.map((x) => [x.claim_id, x.sla_state]),
      [
        ['Q4', 'due_soon'],
        ['Q8', 'due_soon'],
      ],
    );
    const all = await claimLog(db.as(analyst), {}, asOf);
    assert.equal(all.total, rows.length, 'no draft in the log');
  });
});

describe('the SLA in SQL is the SLA of slaOf', () => {
  let tdb: TestDatabase;
  let db: PoolDb;
  const countries = ['DE', 'US', 'FR', 'GB', 'JP', 'BR'];
  const targets = [null, 1, 3, 5, 10, 15, 30, 60];

  before(async () => {
    tdb = await createTestDatabase();
    db = tdb.db;
    await load(db, {
      'accounts.csv': `account_id,name,country,currency\n${countries.map((c) => `A-${c},Partner ${c},${c},EUR`).join('\n')}\n`,
      'programs.json': JSON.stringify(targets.map((t) => program(`T${t ?? 'X'}`, t))),
    });
  });

  after(() => tdb.drop());

  test('for random dates, countries, targets, urgency and stopped clocks', async () => {
    const day = fc
      .integer({ min: 0, max: 3 * 365 })
      .map((n) => new Date(Date.UTC(2025, 0, 1) + n * 86_400_000).toISOString().slice(0, 10));
    const claim = fc.record({
      country: fc.constantFrom(...countries),
      target: fc.constantFrom(...targets),
      submitted: day,
      urgent: fc.boolean(),
      stopAfter: fc.option(fc.integer({ min: 0, max: 120 }), { nil: null }),
    });
    const cases = fc.sample(claim, { numRuns: 600, seed: 42 });
    const asOfs = ['2025-03-01', '2026-01-02', '2026-12-24', '2027-06-30'];
    await db.query(
      `insert into claims (account_id, claim_id, program_id, submitted_date, currency, status, urgent, paid_on,
         decided_at, program_version)
       select 'A-' || x.country, 'R' || x.n, 'T' || coalesce(x.target::text, 'X'), x.submitted, 'EUR',
         case when x.stop_after is null then 'validated' else 'paid' end, x.urgent,
         x.submitted + x.stop_after, x.submitted + x.stop_after, 1
       from jsonb_to_recordset($1::jsonb) as x(n int, country text, target int, submitted date, urgent boolean,
         stop_after int)`,
      [
        JSON.stringify(
          cases.map((c, n) => ({
            n,
            country: c.country,
            target: c.target,
            submitted: c.submitted,
            urgent: c.urgent,
            stop_after: c.stopAfter,
          })),
        ),
      ],
    );
    for (const at of asOfs) {
      await ensureHolidayCalendars(db, at);
      const { rows } = await db.query<{
        claim_id: string;
        sla_state: string;
        target_business_days: number;
        age_business_days: number;
        business_days_left: number | null;
        due_date: string;
      }>(
        `select c.claim_id, sla.sla_state, sla.target_business_days, sla.age_business_days, sla.business_days_left,
           sla.due_date::text as due_date
         from claims c ${slaInputsJoin} ${slaSql('$1::date')} order by c.claim_id`,
        [at],
      );
      const byId = new Map(rows.map((r) => [r.claim_id, r]));
      cases.forEach((c, n) => {
        const stopped =
          c.stopAfter === null
            ? null
            : new Date(Date.parse(`${c.submitted}T00:00:00Z`) + c.stopAfter * 86_400_000)
                .toISOString()
                .slice(0, 10);
        const expected = slaOf(
          {
            country: c.country,
            submitted_date: c.submitted,
            urgent: c.urgent,
            sla_business_days: c.target,
            stopped_on: stopped,
          },
          at,
        );
        const got = byId.get(`R${n}`)!;
        assert.deepEqual(
          {
            sla_state: got.sla_state,
            target_business_days: got.target_business_days,
            age_business_days: got.age_business_days,
            business_days_left: got.business_days_left,
            due_date: got.due_date,
          },
          {
            sla_state: expected.sla_state,
            target_business_days: expected.target_business_days,
            age_business_days: expected.age_business_days,
            business_days_left: expected.business_days_left,
            due_date: expected.due_date,
          },
          `${JSON.stringify(c)} as of ${at}`,
        );
      });
    }
  });
});
