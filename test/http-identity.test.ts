import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { signInLimits } from '../src/modules/identity/index.ts';
import { addAccount, addUser, Browser, createTestApp, type TestApp } from './helpers/app.ts';

let t: TestApp;
let admin: { email: string; password: string; userId: string };

before(async () => {
  t = await createTestApp();
  await addAccount(t.db, 'P-1');
  admin = await addUser(t.db, 'root@corp.test', ['administrator']);
});
after(() => t.close());

test('sign-in sets an httpOnly SameSite session cookie and returns a CSRF token', async () => {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/auth/sign-in',
    payload: { email: 'ROOT@corp.test', password: admin.password },
  });
  assert.equal(res.statusCode, 200);
  const cookie = res.cookies.find((c) => c.name === 'ch_session')!;
  assert.equal(cookie.httpOnly, true);
  assert.equal(cookie.sameSite, 'Lax');
  assert.ok(res.json().csrf_token);
  assert.equal(res.json().user.password_hash, undefined);
  const stored = await t.tdb.pool.query(
    `select count(*) as n from sessions where token_hash = sha256(convert_to($1, 'utf8'))`,
    [cookie.value],
  );
  // only the hash is stored; the raw token is not (the pool has no scope, but sessions have no row security)
  assert.equal(stored.rows[0].n, '1');
});

test('changes through a cookie session need the CSRF token; reads do not', async () => {
  const b = await Browser.signedIn(t.app, admin.email, admin.password);
  assert.equal((await b.get('/api/users')).statusCode, 200);
  const res = await b.request('POST', '/api/tokens', {
    payload: { name: 'x' },
    headers: { 'x-csrf-token': 'forged' },
  });
  assert.equal(res.statusCode, 403);
  assert.equal(res.json().error.code, 'csrf_failed');
  assert.equal((await b.post('/api/tokens', { name: 'x' })).statusCode, 201);
});

test('API tokens authenticate without cookies or CSRF, and stop working once revoked', async () => {
  const b = await Browser.signedIn(t.app, admin.email, admin.password);
  const created = (await b.post('/api/tokens', { name: 'erp feed', expires_in_days: 30 })).json();
  assert.match(created.secret, /^ch_/);
  const api = Browser.withToken(t.app, created.secret);
  assert.equal(
    (
      await api.post('/api/accounts', {
        account_id: 'C-9',
        name: 'Via token',
        country: 'US',
        currency: 'USD',
      })
    ).statusCode,
    201,
  );
  assert.equal((await b.delete(`/api/tokens/${created.token.token_id}`)).statusCode, 204);
  const refused = await api.get('/api/accounts');
  assert.equal(refused.statusCode, 401);
  assert.equal((await Browser.withToken(t.app, 'ch_nonsense').get('/api/accounts')).statusCode, 401);
});

test('wrong passwords are refused alike for unknown and known e-mails, then rate limited', async () => {
  const anon = new Browser(t.app);
  const unknown = await anon.post('/api/auth/sign-in', {
    email: 'nobody@corp.test',
    password: 'whatever-it-is',
  });
  assert.equal(unknown.statusCode, 401);
  const victim = await addUser(t.db, 'victim@corp.test', ['collector']);
  for (let i = 0; i < signInLimits.perEmail; i++) {
    const res = await anon.post('/api/auth/sign-in', { email: victim.email, password: 'not-the-password' });
    assert.equal(res.statusCode, 401);
    assert.equal(res.json().error.message, unknown.json().error.message);
  }
  const limited = await anon.post('/api/auth/sign-in', { email: victim.email, password: victim.password });
  assert.equal(limited.statusCode, 429);
  assert.equal(limited.json().error.code, 'rate_limited');
});

test('administrators manage users; every change lands in the audit trail', async () => {
  const b = await Browser.signedIn(t.app, admin.email, admin.password);
  const created = await b.post('/api/users', {
    email: 'Petra@Partner.test',
    name: 'Petra',
    roles: ['partner'],
    account_id: 'P-1',
  });
  assert.equal(created.statusCode, 201, created.body);
  const { user, password } = created.json();
  assert.equal(user.email, 'petra@partner.test');
  assert.equal(user.account_name, 'Account P-1');
  assert.ok(password.length >= 12);

  const bad = await b.post('/api/users', {
    email: 'x@corp.test',
    name: 'X',
    roles: ['partner', 'collector'],
    account_id: 'P-1',
  });
  assert.equal(bad.statusCode, 400);
  assert.equal(bad.json().error.issues[0].field, 'roles');
  const noAccount = await b.post('/api/users', { email: 'y@corp.test', name: 'Y', roles: ['partner'] });
  assert.equal(noAccount.json().error.issues[0].field, 'account_id');
  const duplicate = await b.post('/api/users', {
    email: 'petra@partner.test',
    name: 'P',
    roles: ['collector'],
  });
  assert.equal(duplicate.statusCode, 409);
  const badEmail = await b.post('/api/users', { email: 'not-an-email', name: 'P', roles: ['collector'] });
  assert.equal(badEmail.json().error.issues[0].field, 'email');

  const petra = await Browser.signedIn(t.app, 'petra@partner.test', password);
  assert.equal((await b.patch(`/api/users/${user.user_id}`, { active: false })).statusCode, 200);
  assert.equal((await petra.get('/api/auth/session')).statusCode, 401, 'deactivation ends sessions');
  assert.equal(
    (await new Browser(t.app).post('/api/auth/sign-in', { email: 'petra@partner.test', password }))
      .statusCode,
    401,
  );

  await b.patch(`/api/users/${user.user_id}`, { active: true });
  const reset = (await b.post(`/api/users/${user.user_id}/reset-password`)).json().password;
  assert.equal(
    (await new Browser(t.app).post('/api/auth/sign-in', { email: 'petra@partner.test', password: reset }))
      .statusCode,
    200,
  );

  const trail = (await b.get(`/api/audit/user/${user.user_id}`)).json().items;
  assert.deepEqual(
    trail.map((e: { action: string }) => e.action),
    ['password_reset', 'updated', 'updated', 'created'],
  );
  assert.equal(trail[2].before.active, true);
  assert.equal(trail[2].after.active, false);
  assert.equal(trail[2].actor_name, 'root');
  assert.ok(!JSON.stringify(trail).includes('password_hash'));
});

test('a user changes its own password', async () => {
  const u = await addUser(t.db, 'self@corp.test', ['collector']);
  const b = await Browser.signedIn(t.app, u.email, u.password);
  const short = await b.post('/api/auth/password', { current_password: u.password, new_password: 'short' });
  assert.equal(short.statusCode, 400);
  assert.equal(short.json().error.issues[0].field, 'new_password');
  assert.equal(
    (
      await b.post('/api/auth/password', {
        current_password: u.password,
        new_password: 'a-much-longer-password',
      })
    ).statusCode,
    204,
  );
  assert.equal(
    (
      await new Browser(t.app).post('/api/auth/sign-in', {
        email: u.email,
        password: 'a-much-longer-password',
      })
    ).statusCode,
    200,
  );
});

test('roles are enforced in the use cases: a collector cannot manage users', async () => {
  const c = await addUser(t.db, 'coll@corp.test', ['collector']);
  const b = await Browser.signedIn(t.app, c.email, c.password);
  assert.equal((await b.get('/api/users')).statusCode, 403);
  assert.equal((await b.get('/api/audit')).statusCode, 200, 'internal users read the audit log');
});

test('errors carry a code and never a stack trace', async () => {
  const res = await new Browser(t.app).get('/api/nothing-here');
  assert.equal(res.statusCode, 404);
  assert.deepEqual(Object.keys(res.json().error), ['code', 'message']);
  const unauth = await new Browser(t.app).get('/api/accounts');
  assert.equal(unauth.json().error.code, 'unauthenticated');
});
