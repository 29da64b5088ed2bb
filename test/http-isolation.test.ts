import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { addAccount, addUser, Browser, createTestApp, type TestApp } from './helpers/app.ts';
import { caseModules } from './isolation/index.ts';
import type { IsolationContext } from './isolation/types.ts';

/**
 * Partner users see only their own organisation. Every API route is listed here with what a partner user
 * of organisation A gets when it reaches for organisation B's data; a route missing from this table fails
 * the suite, so no endpoint can be added without its isolation test.
 */
let t: TestApp;
let partnerA: Browser;
let admin: Browser;
let otherUserId: string;
let ownUserId: string;
let docB: string;
let docA: string;
let tokenOfB: string;
let ctx: IsolationContext;

before(async () => {
  t = await createTestApp();
  await addAccount(t.db, 'P-A');
  await addAccount(t.db, 'P-A-DE', { parent_account_id: 'P-A' });
  await addAccount(t.db, 'P-B');
  const a = await addUser(t.db, 'admin@corp.test', ['administrator']);
  const pa = await addUser(t.db, 'anna@partner-a.test', ['partner'], 'P-A');
  const pb = await addUser(t.db, 'bert@partner-b.test', ['partner'], 'P-B');
  ownUserId = pa.userId;
  otherUserId = pb.userId;
  admin = await Browser.signedIn(t.app, a.email, a.password);
  partnerA = await Browser.signedIn(t.app, pa.email, pa.password);
  const partnerB = await Browser.signedIn(t.app, pb.email, pb.password);
  docB = (
    await admin.upload(
      '/api/documents',
      { entity_type: 'account', entity_id: 'P-B' },
      { name: 'b.txt', content: 'B only' },
    )
  ).json().document.document_id;
  docA = (
    await admin.upload(
      '/api/documents',
      { entity_type: 'account', entity_id: 'P-A-DE' },
      { name: 'a.txt', content: 'for A' },
    )
  ).json().document.document_id;
  tokenOfB = (await partnerB.post('/api/tokens', { name: 'b' })).json().token.token_id;
  await admin.patch('/api/accounts/P-B', { segment: 'key' });
  ctx = { t, admin, partnerA, partnerB };
  for (const m of caseModules) await m.setup(ctx);
});

after(() => t.close());

type Check = (res: LightMyRequestResponse) => void;
const status =
  (code: number): Check =>
  (res) =>
    assert.equal(res.statusCode, code, res.body);

interface Case {
  route: string;
  call: () => Promise<LightMyRequestResponse>;
  expect: Check;
}

const cases: Case[] = [
  { route: 'GET /api/health', call: () => partnerA.get('/api/health'), expect: status(200) },
  { route: 'GET /api/openapi.json', call: () => partnerA.get('/api/openapi.json'), expect: status(200) },
  {
    route: 'POST /api/auth/sign-in',
    call: () =>
      new Browser(t.app).post('/api/auth/sign-in', {
        email: 'bert@partner-b.test',
        password: 'wrong-password',
      }),
    expect: status(401),
  },
  {
    route: 'GET /api/auth/session',
    call: () => partnerA.get('/api/auth/session'),
    expect: (res) => {
      status(200)(res);
      assert.equal(res.json().user.account_id, 'P-A');
    },
  },
  {
    route: 'POST /api/auth/password',
    call: () =>
      partnerA.post('/api/auth/password', {
        current_password: 'not-it-at-all',
        new_password: 'another-long-password',
      }),
    expect: status(400),
  },
  { route: 'GET /api/users', call: () => partnerA.get('/api/users'), expect: status(403) },
  {
    route: 'POST /api/users',
    call: () =>
      partnerA.post('/api/users', { email: 'x@y.test', name: 'x', roles: ['partner'], account_id: 'P-B' }),
    expect: status(403),
  },
  {
    route: 'GET /api/users/:user_id',
    call: () => partnerA.get(`/api/users/${otherUserId}`),
    expect: status(404),
  },
  {
    route: 'PATCH /api/users/:user_id',
    call: () => partnerA.patch(`/api/users/${otherUserId}`, { active: false }),
    expect: status(403),
  },
  {
    route: 'POST /api/users/:user_id/reset-password',
    call: () => partnerA.post(`/api/users/${otherUserId}/reset-password`),
    expect: status(403),
  },
  {
    route: 'GET /api/tokens',
    call: () => partnerA.get('/api/tokens'),
    expect: (res) => {
      status(200)(res);
      assert.ok(!res.json().items.some((x: { token_id: string }) => x.token_id === tokenOfB));
    },
  },
  {
    route: 'POST /api/tokens',
    call: () => partnerA.post('/api/tokens', { name: 'mine' }),
    expect: status(201),
  },
  {
    route: 'DELETE /api/tokens/:token_id',
    call: () => partnerA.delete(`/api/tokens/${tokenOfB}`),
    expect: status(404),
  },
  {
    route: 'GET /api/accounts',
    call: () => partnerA.get('/api/accounts'),
    expect: (res) => {
      status(200)(res);
      assert.deepEqual(
        res.json().items.map((a: { account_id: string }) => a.account_id),
        ['P-A', 'P-A-DE'],
      );
    },
  },
  {
    route: 'GET /api/accounts/:account_id',
    call: () => partnerA.get('/api/accounts/P-B'),
    expect: status(404),
  },
  {
    route: 'POST /api/accounts',
    call: () =>
      partnerA.post('/api/accounts', { account_id: 'P-X', name: 'x', country: 'DE', currency: 'EUR' }),
    expect: status(403),
  },
  {
    route: 'PATCH /api/accounts/:account_id',
    call: () => partnerA.patch('/api/accounts/P-B', { name: 'mine now' }),
    expect: status(403),
  },
  {
    route: 'GET /api/audit/:entity_type/:entity_id',
    call: () => partnerA.get('/api/audit/account/P-B'),
    expect: status(404),
  },
  { route: 'GET /api/audit', call: () => partnerA.get('/api/audit'), expect: status(403) },
  {
    route: 'POST /api/documents',
    call: () =>
      partnerA.upload(
        '/api/documents',
        { entity_type: 'account', entity_id: 'P-B' },
        { name: 'x.txt', content: 'sneaky' },
      ),
    expect: status(404),
  },
  {
    route: 'GET /api/documents',
    call: () => partnerA.get('/api/documents?entity_type=account&entity_id=P-B'),
    expect: status(404),
  },
  {
    route: 'GET /api/documents/:document_id',
    call: () => partnerA.get(`/api/documents/${docB}`),
    expect: status(404),
  },
  {
    route: 'GET /api/documents/:document_id/content',
    call: () => partnerA.get(`/api/documents/${docB}/content`),
    expect: status(404),
  },
  {
    route: 'POST /api/auth/sign-out',
    call: () => new Browser(t.app).post('/api/auth/sign-out'),
    expect: status(204),
  },
];

describe('a partner user reaches only its own organisation', () => {
  test('every API route has an isolation case', () => {
    const covered = new Set(cases.map((c) => c.route));
    for (const m of caseModules) for (const c of m.cases(ctx)) covered.add(c.route);
    const missing = t.app.routeList.filter(
      (r) => r.includes(' /api/') && !r.includes(' /api/docs') && !covered.has(r),
    );
    assert.deepEqual(missing, [], 'routes without a partner-isolation case');
  });

  for (const c of cases) {
    test(c.route, async () => c.expect(await c.call()));
  }

  test("every capability's routes", async (tc) => {
    for (const m of caseModules) {
      for (const c of m.cases(ctx)) await tc.test(c.route, async () => c.expect(await c.call()));
    }
  });

  test('its own organisation, child accounts included, is visible', async () => {
    assert.equal((await partnerA.get('/api/accounts/P-A-DE')).statusCode, 200);
    assert.equal((await partnerA.get(`/api/documents/${docA}`)).statusCode, 200);
    const content = await partnerA.get(`/api/documents/${docA}/content`);
    assert.equal(content.statusCode, 200);
    assert.equal(content.body, 'for A');
    const audit = await partnerA.get('/api/audit/account/P-A-DE');
    assert.equal(audit.statusCode, 200);
    assert.ok(audit.json().items.some((e: { action: string }) => e.action === 'document_attached'));
    assert.equal((await partnerA.get(`/api/users/${ownUserId}`)).statusCode, 200);
  });

  test('the company sees both organisations', async () => {
    assert.equal((await admin.get(`/api/documents/${docB}/content`)).body, 'B only');
    const audit = (await admin.get('/api/audit/account/P-B')).json().items;
    assert.deepEqual(
      audit.map((e: { action: string }) => e.action),
      ['updated', 'document_attached'],
    );
  });

  test('row security holds below the API: a partner-scoped connection cannot read other organisations', async () => {
    const scoped = t.db.as({
      userId: ownUserId,
      name: 'anna',
      roles: ['partner'],
      accounts: ['P-A', 'P-A-DE'],
    });
    const counts = await scoped.query<{ accounts: string; documents: string; audit: string }>(
      `select (select count(*) from accounts where account_id = 'P-B') as accounts,
              (select count(*) from documents where account_id = 'P-B') as documents,
              (select count(*) from audit_events where account_id = 'P-B') as audit`,
    );
    assert.deepEqual(counts.rows[0], { accounts: '0', documents: '0', audit: '0' });
  });

  test('a connection with no scope set sees nothing (fails closed)', async () => {
    const { rows } = await t.tdb.pool.query<{ n: string }>('select count(*) as n from accounts');
    assert.equal(rows[0]!.n, '0');
  });
});
