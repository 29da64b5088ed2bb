import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { PoolDb } from '../src/db/db.ts';
import { loadPrograms } from '../src/modules/contracts/index.ts';
import type { Role } from '../src/modules/identity/index.ts';
import { addAccount, addUser, Browser, createTestApp, type TestApp } from './helpers/app.ts';

let t: TestApp;
const browsers: Record<string, Browser> = {};
const users: Record<string, string> = {};

async function signIn(key: string, roles: Role[], accountId?: string): Promise<void> {
  const u = await addUser(t.db, `${key}@${accountId ? 'partner' : 'corp'}.test`, roles, accountId);
  users[key] = u.userId;
  browsers[key] = await Browser.signedIn(t.app, u.email, u.password);
}
const as = (key: string) => browsers[key]!;

/** The import engine hands numbers over as their source text; these items are written that way. */
function load(items: unknown[], activate = false, db: PoolDb = t.db) {
  return db.tx((tx) => loadPrograms(tx, items, { activate }));
}

const base = {
  name: 'Program',
  currency: 'EUR',
  country: 'DE',
  start_date: '2026-01-01',
  end_date: '2026-12-31',
};
const volumeTier = (id: string, extra: Record<string, unknown> = {}) => ({
  ...base,
  program_id: id,
  type: 'volume_tier',
  basis: 'revenue',
  retroactive: true,
  tiers: [
    { from: '0', rate: '0.01' },
    { from: '100000', rate: '0.02' },
  ],
  ...extra,
});
const sellOut = (id: string, extra: Record<string, unknown> = {}) => ({
  ...base,
  program_id: id,
  type: 'sell_out',
  per_unit_amount: '12.50',
  ...extra,
});

async function versions(programId: string) {
  const { rows } = await t.db.query<{ version: number; status: string; approved_by: string | null }>(
    'select version, status, approved_by from program_versions where program_id = $1 order by version',
    [programId],
  );
  return rows.map((r) => [r.version, r.status]);
}

async function auditActions(programId: string): Promise<string[]> {
  const { rows } = await t.db.query<{ action: string }>(
    `select action from audit_events where entity_type = 'program' and entity_id = $1 order by event_id`,
    [programId],
  );
  return rows.map((r) => r.action);
}

before(async () => {
  t = await createTestApp();
  await addAccount(t.db, 'P-1');
  await addAccount(t.db, 'P-1-AT', { parent_account_id: 'P-1', country: 'AT' });
  await addAccount(t.db, 'P-2');
  await addAccount(t.db, 'P-3', { country: 'FR' });
  await t.db.query(
    `insert into products (sku, name, category, list_price, currency) values
       ('X-100', 'Laser mono 100', 'laser-mono', 199, 'EUR'),
       ('X-200', 'Laser mono 200', 'laser-mono', 299, 'EUR'),
       ('C-500', 'Laser colour 500', 'laser-color', 599, 'EUR')`,
  );
  await t.db.query(
    `insert into end_customers (end_customer_id, name, country) values ('EC-1', 'Stadtwerke Köln', 'DE')`,
  );
  await signIn('admin', ['administrator']);
  await signIn('analyst', ['rebate_analyst']);
  await signIn('approver', ['approver']);
  await signIn('manager', ['manager']);
  await signIn('collector', ['collector']);
  await signIn('p1', ['partner'], 'P-1');
  await signIn('p2', ['partner'], 'P-2');
  await signIn('p3', ['partner'], 'P-3');
});

after(() => t.close());

describe('programs.json validation', () => {
  test('every problem of every item is reported with its item, field and a reason a finance user can act on', async () => {
    const result = await load([
      sellOut('SO-OK'),
      volumeTier('VT-BAD', {
        partners: ['P-1', 'P-9'],
        end_date: '2025-12-31',
        tiers: [
          { from: '0', rate: '0.01' },
          { from: '50000', rate: '2' },
        ],
      }),
      {
        program_id: 'X-1',
        type: 'rebate',
        currency: 'EURO',
        start_date: '2026-02-30',
        end_date: '2026-12-31',
      },
      sellOut('SO-OK', { colour: 'blue', tiers: [], per_unit_amount: '1,50' }),
      {
        ...base,
        program_id: 'GR-1',
        type: 'growth',
        tiers: [
          { from: '0.05', rate: '0.01' },
          { from: '0.02', rate: '0.02', upto: '0.1' },
        ],
      },
      'oops',
      sellOut('SO-2', {
        budget: '1000.005',
        claim_window_days: 'ninety',
        eligible_skus: ['X-100', 'NOPE'],
        payment_method: 'paypal',
        percent_of_sell_out: '0.03',
      }),
      { ...base, country: undefined, program_id: 'PP-1', type: 'price_protection' },
      sellOut('SO-3', { per_unit_amount: undefined }),
      volumeTier('VT-UNITS', {
        basis: 'units',
        tiers: [
          { from: '0', rate: '0.01' },
          { from: '10.5', rate: '0.02' },
        ],
      }),
    ]);
    assert.deepEqual(result.counts, { inserted: 0, updated: 0, unchanged: 0 });
    const got = result.issues.map((i) => [i.line, i.column, i.value, i.reason]);
    assert.deepEqual(got, [
      [2, 'end_date', '2025-12-31', 'end_date is before start_date'],
      [
        2,
        'tiers[1].rate',
        '2',
        'must be a fraction between 0 and 1 on a revenue basis, e.g. 0.02 for 2 % (on a units basis a rate is an amount per unit, e.g. "1.50")',
      ],
      [2, 'partners', 'P-9', 'unknown account P-9'],
      [3, 'name', null, 'is required'],
      [
        3,
        'type',
        'rebate',
        'must be one of special_bid, sell_out, volume_tier, growth, price_protection, mdf',
      ],
      [3, 'currency', 'EURO', 'must be an ISO 4217 currency code such as EUR'],
      [3, 'start_date', '2026-02-30', 'must be a real calendar date written YYYY-MM-DD, e.g. 2026-01-31'],
      [3, 'country', null, 'give the enrolled partners, or a country to enrol every partner there'],
      [4, 'colour', 'blue', 'unknown field: programs.json has no such field'],
      [4, 'tiers', '[]', 'does not apply to a sell_out program (only to volume_tier, growth)'],
      [
        4,
        'per_unit_amount',
        '1,50',
        'must be a decimal string like "12.50" (a "." for decimals, no thousands separators)',
      ],
      [4, 'program_id', 'SO-OK', 'duplicate program_id in the file (also item 1)'],
      [5, 'basis', null, 'is required for a growth program'],
      [5, 'tiers[1].upto', '0.1', 'unknown field'],
      [5, 'baseline', null, 'is required for a growth program'],
      [5, 'tiers[0].from', '0.05', 'the first tier must start from "0" (bands have no gaps)'],
      [
        5,
        'tiers[1].from',
        '0.02',
        "must be above the previous tier's from (0.05); list tiers in ascending order",
      ],
      [
        6,
        null,
        'oops',
        'each program must be a JSON object with program_id, name, type, currency, start_date and end_date',
      ],
      [7, 'claim_window_days', 'ninety', 'must be a whole number of days between 0 and 3650, e.g. 90'],
      [7, 'budget', '1000.005', 'must have at most 2 decimals'],
      [7, 'payment_method', 'paypal', 'must be one of credit_memo, ach, check, wire'],
      [7, 'percent_of_sell_out', '0.03', 'give per_unit_amount or percent_of_sell_out, not both'],
      [7, 'eligible_skus', 'NOPE', 'unknown product NOPE'],
      [8, 'protection_window_days', null, 'is required for a price_protection program'],
      [8, 'country', null, 'give the enrolled partners, or a country to enrol every partner there'],
      [
        9,
        'per_unit_amount',
        null,
        'a sell_out program needs per_unit_amount (an amount per unit) or percent_of_sell_out (a fraction of the sell-out value)',
      ],
      [10, 'tiers[1].from', '10.5', 'must be a whole number of units when basis is units'],
    ]);
    assert.equal((await t.db.query('select 1 from programs')).rowCount, 0, 'nothing written');
  });

  test('terms are stored canonically: numbers as normalised strings, sets sorted, keys sorted', async () => {
    const result = await load([
      volumeTier('VT-CANON', {
        claim_window_days: '090',
        budget: '250000',
        partners: ['P-2', 'P-1', 'P-2'],
        tiers: [
          { rate: '0.010', from: '0' },
          { from: '100000.00', rate: '0.02' },
        ],
      }),
    ]);
    assert.deepEqual(result, { counts: { inserted: 1, updated: 0, unchanged: 0 }, issues: [] });
    const { rows } = await t.db.query(
      `select terms, claim_window_days, budget from program_versions where program_id = 'VT-CANON'`,
    );
    assert.equal(rows[0]!.claim_window_days, 90);
    assert.equal(rows[0]!.budget, '250000.00');
    const terms = rows[0]!.terms;
    assert.equal(terms.claim_window_days, '90');
    assert.deepEqual(terms.partners, ['P-1', 'P-2']);
    assert.deepEqual(terms.tiers, [
      { from: '0', rate: '0.01' },
      { from: '100000', rate: '0.02' },
    ]);
    const partners = await t.db.query(
      `select account_id from program_partners where program_id = 'VT-CANON' order by account_id`,
    );
    assert.deepEqual(
      partners.rows.map((r) => r.account_id),
      ['P-1', 'P-2'],
    );
    // The same program written differently is the same program.
    const again = await load([
      volumeTier('VT-CANON', {
        claim_window_days: '90',
        budget: '250000.00',
        partners: ['P-1', 'P-2'],
        tiers: [
          { from: '0', rate: '0.01' },
          { from: '100000', rate: '0.020' },
        ],
      }),
    ]);
    assert.deepEqual(again.counts, { inserted: 0, updated: 0, unchanged: 1 });
  });

  test('a program keeps its type', async () => {
    const result = await load([sellOut('VT-CANON')]);
    assert.deepEqual(
      result.issues.map((i) => [i.line, i.column, i.reason]),
      [
        [
          1,
          'type',
          'VT-CANON is a volume_tier program; its type cannot change (give the new program its own program_id)',
        ],
      ],
    );
  });

  test('only writers load programs, and only an approver or manager loads them straight into force', async () => {
    const actor = (roles: string[]) => t.db.as({ userId: null, name: 'someone', roles, accounts: '*' });
    await assert.rejects(load([sellOut('SO-R')], false, actor(['collector'])), { code: 'forbidden' });
    await assert.rejects(load([sellOut('SO-R')], true, actor(['rebate_analyst'])), { code: 'forbidden' });
    const ok = await load([sellOut('SO-R')], false, actor(['rebate_analyst']));
    assert.deepEqual(ok.counts, { inserted: 1, updated: 0, unchanged: 0 });
  });
});

describe('versioning', () => {
  test('unchanged, draft replaced, activated, new version, activation supersedes', async () => {
    const id = 'VT-VERS';
    assert.deepEqual((await load([volumeTier(id)])).counts, { inserted: 1, updated: 0, unchanged: 0 });
    assert.deepEqual((await load([volumeTier(id)])).counts, { inserted: 0, updated: 0, unchanged: 1 });
    assert.deepEqual(await versions(id), [[1, 'draft']]);

    // A changed draft that was never approved is replaced in place.
    assert.deepEqual((await load([volumeTier(id, { budget: '5000.00' })])).counts, {
      inserted: 0,
      updated: 1,
      unchanged: 0,
    });
    assert.deepEqual(await versions(id), [[1, 'draft']]);

    // The operator's activating load brings the waiting draft into force.
    assert.deepEqual((await load([volumeTier(id, { budget: '5000.00' })], true)).counts, {
      inserted: 0,
      updated: 1,
      unchanged: 0,
    });
    assert.deepEqual(await versions(id), [[1, 'active']]);

    // A change to a version in force is a new version, a draft until approved.
    await load([volumeTier(id, { budget: '6000.00' })]);
    assert.deepEqual(await versions(id), [
      [1, 'active'],
      [2, 'draft'],
    ]);
    // Changed again and activated: the draft is replaced and comes into force; version 1 is superseded.
    assert.deepEqual((await load([volumeTier(id, { budget: '7000.00' })], true)).counts, {
      inserted: 0,
      updated: 1,
      unchanged: 0,
    });
    assert.deepEqual(await versions(id), [
      [1, 'superseded'],
      [2, 'active'],
    ]);
    const { rows } = await t.db.query(
      `select p.latest_version, p.active_version, v.budget, v.approved_by, v.activated_by, s.superseded_at
       from programs p join program_versions v on v.program_id = p.program_id and v.version = 2
       join program_versions s on s.program_id = p.program_id and s.version = 1 where p.program_id = $1`,
      [id],
    );
    assert.equal(rows[0]!.latest_version, 2);
    assert.equal(rows[0]!.active_version, 2);
    assert.equal(rows[0]!.budget, '7000.00');
    assert.equal(rows[0]!.approved_by, 'test');
    assert.equal(rows[0]!.activated_by, 'test');
    assert.ok(rows[0]!.superseded_at instanceof Date);
    assert.deepEqual(await auditActions(id), [
      'created',
      'draft_replaced',
      'approved',
      'activated',
      'version_created',
      'draft_replaced',
      'approved',
      'superseded',
      'activated',
    ]);
    const trail = await t.db.query(
      `select before, after from audit_events where entity_id = $1 and action = 'draft_replaced' order by event_id`,
      [id],
    );
    assert.equal(trail.rows[0]!.before.budget, undefined);
    assert.equal(trail.rows[0]!.after.budget, '5000.00');
  });
});

describe('approval and activation through the API', () => {
  const id = 'SO-FLOW';

  test('drafts, four eyes, and only an approver activates', async () => {
    const created = await as('analyst').post('/api/programs', sellOut(id, { claim_window_days: 90 }));
    assert.equal(created.statusCode, 201, created.body);
    assert.equal(created.json().outcome, 'created');
    assert.equal(created.json().program.version.status, 'draft');
    assert.equal(created.json().program.terms.claim_window_days, '90');

    const same = await as('analyst').post('/api/programs', sellOut(id, { claim_window_days: '90' }));
    assert.equal(same.statusCode, 200);
    assert.equal(same.json().outcome, 'unchanged');

    assert.equal((await as('collector').post('/api/programs', sellOut('SO-C'))).statusCode, 403);
    assert.equal((await as('analyst').post(`/api/programs/${id}/versions/1/approve`)).statusCode, 403);
    const early = await as('approver').post(`/api/programs/${id}/versions/1/activate`);
    assert.equal(early.statusCode, 409);
    assert.match(early.json().error.message, /approve it first/);

    const approved = await as('approver').post(`/api/programs/${id}/versions/1/approve`);
    assert.equal(approved.statusCode, 200, approved.body);
    assert.equal(approved.json().version.status, 'approved');
    assert.equal(approved.json().version.approved_by, 'approver');
    assert.equal((await as('approver').post(`/api/programs/${id}/versions/1/approve`)).statusCode, 409);

    assert.equal((await as('analyst').post(`/api/programs/${id}/versions/1/activate`)).statusCode, 403);
    assert.equal((await as('admin').post(`/api/programs/${id}/versions/1/activate`)).statusCode, 403);
    const activated = await as('approver').post(`/api/programs/${id}/versions/1/activate`);
    assert.equal(activated.statusCode, 200, activated.body);
    assert.equal(activated.json().version.status, 'active');
  });

  test('the person who prepared a draft cannot approve it', async () => {
    const v2 = await as('manager').post(
      '/api/programs',
      sellOut(id, { claim_window_days: 90, budget: '1000' }),
    );
    assert.equal(v2.statusCode, 201, v2.body);
    assert.equal(v2.json().outcome, 'version_created');
    assert.equal(v2.json().program.version.version, 2);
    const own = await as('manager').post(`/api/programs/${id}/versions/2/approve`);
    assert.equal(own.statusCode, 403);
    assert.match(own.json().error.message, /another approver/);

    // An administrator may approve (not activate); then the manager brings it into force.
    assert.equal((await as('admin').post(`/api/programs/${id}/versions/2/approve`)).statusCode, 200);
    assert.equal((await as('manager').post(`/api/programs/${id}/versions/2/activate`)).statusCode, 200);
    const detail = (await as('analyst').get(`/api/programs/${id}`)).json().program;
    assert.equal(detail.active_version, 2);
    assert.equal(detail.version.version, 2);
    assert.deepEqual(
      detail.versions.map((v: { version: number; status: string }) => [v.version, v.status]),
      [
        [2, 'active'],
        [1, 'superseded'],
      ],
    );
    assert.deepEqual(detail.budget, { amount: '1000.00', used: '0.00', left: '1000.00', currency: 'EUR' });
    const v1 = (await as('analyst').get(`/api/programs/${id}/versions/1`)).json().program;
    assert.equal(v1.version.status, 'superseded');
    assert.equal(v1.budget.amount, null);

    const audit = (await as('admin').get(`/api/audit/program/${id}`)).json().items;
    assert.deepEqual(audit.map((e: { action: string }) => e.action).reverse(), [
      'created',
      'approved',
      'activated',
      'version_created',
      'approved',
      'superseded',
      'activated',
    ]);
  });

  test('a version older than the one in force cannot be activated', async () => {
    const pid = 'SO-OLD';
    await as('analyst').post('/api/programs', sellOut(pid));
    await as('approver').post(`/api/programs/${pid}/versions/1/approve`);
    await as('approver').post(`/api/programs/${pid}/versions/1/activate`);
    await as('analyst').post('/api/programs', sellOut(pid, { budget: '10' }));
    await as('approver').post(`/api/programs/${pid}/versions/2/approve`);
    await as('analyst').post('/api/programs', sellOut(pid, { budget: '20' }));
    await as('approver').post(`/api/programs/${pid}/versions/3/approve`);
    assert.equal((await as('approver').post(`/api/programs/${pid}/versions/3/activate`)).statusCode, 200);
    // Version 2 was approved but overtaken: withdrawn, and it can no longer come into force.
    assert.deepEqual(await versions(pid), [
      [1, 'superseded'],
      [2, 'withdrawn'],
      [3, 'active'],
    ]);
    const late = await as('approver').post(`/api/programs/${pid}/versions/2/activate`);
    assert.equal(late.statusCode, 409);
  });

  test('the API reports every problem of a program per field, and wants amounts as strings', async () => {
    const res = await as('analyst').post(
      '/api/programs',
      volumeTier('VT-API', { per_unit_amount: 12.5, tiers: [{ from: '0', rate: 0.02 }] }),
    );
    assert.equal(res.statusCode, 400);
    assert.deepEqual(res.json().error.issues, [
      { field: 'per_unit_amount', message: 'does not apply to a volume_tier program (only to sell_out)' },
      { field: 'tiers[0].rate', message: 'must be a decimal string like "0.02"' },
    ]);
    assert.equal((await t.db.query(`select 1 from programs where program_id = 'VT-API'`)).rowCount, 0);
  });
});

describe('what partners see', () => {
  before(async () => {
    await load(
      [
        sellOut('VIS-NAMED', { partners: ['P-1'] }),
        sellOut('VIS-COUNTRY'),
        sellOut('VIS-FR', { country: 'FR' }),
        sellOut('VIS-CHILD', { partners: ['P-1-AT'], eligible_categories: ['laser-mono'] }),
      ],
      true,
    );
    await load([sellOut('VIS-DRAFT', { partners: ['P-1'] })]);
    await load([sellOut('VIS-NEXT', { partners: ['P-1'] })], true);
    await load([sellOut('VIS-NEXT', { partners: ['P-1'], budget: '99.00' })]);
  });

  const visible = async (key: string) =>
    ((await as(key).get('/api/programs')).json().items as { program_id: string }[])
      .map((p) => p.program_id)
      .filter((p) => p.startsWith('VIS-'));

  test('enrolled by name, by country (their organisation included), never drafts', async () => {
    assert.deepEqual(await visible('p1'), ['VIS-CHILD', 'VIS-COUNTRY', 'VIS-NAMED', 'VIS-NEXT']);
    assert.deepEqual(await visible('p2'), ['VIS-COUNTRY']);
    assert.deepEqual(await visible('p3'), ['VIS-FR']);
    assert.equal((await as('p2').get('/api/programs/VIS-NAMED')).statusCode, 404);
    assert.equal((await as('p1').get('/api/programs/VIS-DRAFT')).statusCode, 404);
    assert.equal((await as('p3').get('/api/programs/VIS-COUNTRY')).statusCode, 404);
  });

  test('a partner sees the version in force, not the draft being prepared', async () => {
    const detail = (await as('p1').get('/api/programs/VIS-NEXT')).json().program;
    assert.equal(detail.version.version, 1);
    assert.equal(detail.latest_version, 1);
    assert.deepEqual(
      detail.versions.map((v: { version: number }) => v.version),
      [1],
    );
    assert.equal((await as('p1').get('/api/programs/VIS-NEXT/versions/2')).statusCode, 404);
    const desk = (await as('analyst').get('/api/programs/VIS-NEXT')).json().program;
    assert.equal(desk.latest_version, 2);
    const item = (await as('p1').get('/api/programs'))
      .json()
      .items.find((p: { program_id: string }) => p.program_id === 'VIS-NEXT');
    assert.deepEqual([item.latest_version, item.latest_status], [1, 'active']);
  });

  test('enrolment and eligible products are resolved', async () => {
    const country = (await as('analyst').get('/api/programs/VIS-COUNTRY')).json().program;
    assert.equal(country.enrolment.every_partner_in, 'DE');
    assert.equal(country.enrolment.label, 'every partner in Germany');
    assert.equal(country.eligible_products.every_product, true);
    assert.equal(country.eligible_products.total, 3);
    const child = (await as('p1').get('/api/programs/VIS-CHILD')).json().program;
    assert.deepEqual(child.enrolment.partners, [{ account_id: 'P-1-AT', name: 'Account P-1-AT' }]);
    assert.deepEqual(
      child.eligible_products.products.map((p: { sku: string }) => p.sku),
      ['X-100', 'X-200'],
    );
    // A partner never reads a program's internal history.
    assert.equal((await as('p1').get('/api/audit/program/VIS-CHILD')).statusCode, 404);
  });

  test('the desk filters by type, status and partner', async () => {
    const ids = async (query: string) =>
      ((await as('collector').get(`/api/programs?${query}`)).json().items as { program_id: string }[])
        .map((p) => p.program_id)
        .filter((p) => p.startsWith('VIS-'));
    assert.deepEqual(await ids('status=draft'), ['VIS-DRAFT', 'VIS-NEXT']);
    assert.deepEqual(await ids('partner=P-3'), ['VIS-FR']);
    assert.deepEqual(await ids('partner=P-1&status=active'), ['VIS-COUNTRY', 'VIS-NAMED', 'VIS-NEXT']);
    assert.deepEqual(await ids('type=volume_tier'), []);
    assert.equal((await as('collector').get('/api/programs?type=rebate')).statusCode, 400);
  });
});

describe('deals', () => {
  before(async () => {
    await load([{ ...base, program_id: 'SB-1', type: 'special_bid', partners: ['P-1', 'P-2'] }], true);
    await t.db.query(
      `insert into deals (account_id, deal_id, program_id, end_customer_id, sku, authorized_unit_amount, currency,
         max_qty, start_date, end_date) values
       ('P-1-AT', 'D-1', 'SB-1', 'EC-1', 'X-100', 12.5, 'EUR', 40, '2026-01-01', '2099-12-31'),
       ('P-1', 'D-2', 'SB-1', null, 'C-500', 7.125, 'EUR', 3, '2020-01-01', '2020-12-31'),
       ('P-2', 'D-3', 'SB-1', 'EC-1', 'X-100', 5, 'EUR', 10, '2026-01-01', '2099-12-31')`,
    );
  });

  test('a deal shows what is authorised, used and left, its validity and its end customer', async () => {
    const res = await as('p1').get('/api/deals/D-1');
    assert.equal(res.statusCode, 200, res.body);
    const deal = res.json().deal;
    assert.deepEqual(
      {
        unit: deal.authorized_unit_amount,
        max: deal.max_qty,
        used: deal.used_qty,
        left: deal.left_qty,
        authorized: deal.authorized_amount,
        leftAmount: deal.left_amount,
        endCustomer: deal.end_customer_name,
        product: deal.product_name,
        program: deal.program?.name,
        claims: deal.claims,
      },
      {
        unit: '12.50',
        max: 40,
        used: 0,
        left: 40,
        authorized: '500.00',
        leftAmount: '500.00',
        endCustomer: 'Stadtwerke Köln',
        product: 'Laser mono 100',
        program: 'Program',
        claims: [],
      },
    );
    const d2 = (await as('analyst').get('/api/deals/D-2')).json().deal;
    assert.equal(d2.authorized_unit_amount, '7.125');
    assert.equal(d2.authorized_amount, '21.375');
    assert.equal(d2.validity, 'expired');
    assert.equal(deal.validity, new Date().getFullYear() >= 2026 ? 'current' : 'upcoming');
  });

  test("partners see their organisation's deals only", async () => {
    const mine = (await as('p1').get('/api/deals')).json().items.map((d: { deal_id: string }) => d.deal_id);
    assert.deepEqual(mine, ['D-1', 'D-2']);
    assert.equal((await as('p2').get('/api/deals/D-1')).statusCode, 404);
    assert.equal((await as('p1').get('/api/deals/D-3')).statusCode, 404);
  });

  test('the desk filters deals by program, account, SKU and date', async () => {
    const ids = async (query: string) =>
      (await as('analyst').get(`/api/deals?${query}`))
        .json()
        .items.map((d: { deal_id: string }) => d.deal_id);
    assert.deepEqual(await ids('program_id=SB-1'), ['D-1', 'D-2', 'D-3']);
    assert.deepEqual(await ids('account_id=P-2'), ['D-3']);
    assert.deepEqual(await ids('sku=X-100'), ['D-1', 'D-3']);
    assert.deepEqual(await ids('active_on=2020-06-30'), ['D-2']);
    assert.deepEqual(await ids('active_on=2027-01-01&sku=X-100&account_id=P-1-AT'), ['D-1']);
    assert.equal((await as('analyst').get('/api/deals?active_on=2020-02-30')).statusCode, 400);
  });
});
