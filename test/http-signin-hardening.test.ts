import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { signInLimits } from '../src/modules/identity/index.ts';
import { addUser, Browser, createTestApp, type TestApp } from './helpers/app.ts';

/**
 * Sign-in throttling holds under concurrency (the attempt is counted in the database before the password is
 * checked), a password change ends every other session and API token, and an administrator's password reset
 * lifts the lockout.
 */
let t: TestApp;
let admin: Browser;

before(async () => {
  t = await createTestApp();
  const a = await addUser(t.db, 'root@corp.test', ['administrator']);
  admin = await Browser.signedIn(t.app, a.email, a.password);
});
after(() => t.close());

const signIn = (email: string, password: string, ip: string) =>
  t.app.inject({
    method: 'POST',
    url: '/api/auth/sign-in',
    payload: { email, password },
    remoteAddress: ip,
  });

async function checked(email: string): Promise<number> {
  const { rows } = await t.tdb.pool.query<{ n: string }>(
    'select count(*) as n from signin_attempts where email = $1',
    [email],
  );
  return Number(rows[0]!.n);
}

test('20 parallel wrong passwords for one e-mail: only the allowed number are checked', async () => {
  const victim = await addUser(t.db, 'victim@corp.test', ['collector']);
  const results = await Promise.all(
    Array.from({ length: 20 }, (_, i) => signIn(victim.email, `wrong-password-${i}`, '10.0.0.1')),
  );
  const codes = results.map((r) => r.statusCode);
  assert.equal(codes.filter((c) => c === 401).length, signInLimits.perEmail, codes.join(','));
  assert.equal(codes.filter((c) => c === 429).length, 20 - signInLimits.perEmail, codes.join(','));
  assert.equal(await checked(victim.email), signInLimits.perEmail, 'passwords checked');
  // Locked: even the right password is refused now, from anywhere.
  assert.equal((await signIn(victim.email, victim.password, '10.0.0.2')).statusCode, 429);
});

test('parallel wrong passwords from one address across e-mails: the per-address limit holds', async () => {
  const results = await Promise.all(
    Array.from({ length: signInLimits.perIp + 10 }, (_, i) =>
      signIn(`nobody-${i}@corp.test`, 'wrong-password', '10.0.0.3'),
    ),
  );
  const codes = results.map((r) => r.statusCode);
  assert.equal(codes.filter((c) => c === 401).length, signInLimits.perIp, codes.join(','));
  assert.equal(codes.filter((c) => c === 429).length, 10);
});

test('a successful sign-in clears the e-mail’s failures', async () => {
  const u = await addUser(t.db, 'typo@corp.test', ['collector']);
  for (let i = 0; i < signInLimits.perEmail - 1; i++) {
    assert.equal((await signIn(u.email, 'wrong-password', '10.0.0.4')).statusCode, 401);
  }
  assert.equal((await signIn(u.email, u.password, '10.0.0.4')).statusCode, 200);
  for (let i = 0; i < signInLimits.perEmail; i++) {
    assert.equal((await signIn(u.email, 'wrong-password', '10.0.0.4')).statusCode, 401);
  }
  assert.equal((await signIn(u.email, u.password, '10.0.0.4')).statusCode, 429);
});

test('an administrator’s password reset unlocks a locked-out user and ends its sessions and tokens', async () => {
  const u = await addUser(t.db, 'locked@corp.test', ['collector']);
  const session = await Browser.signedIn(t.app, u.email, u.password);
  const secret = (await session.post('/api/tokens', { name: 'feed' })).json().secret as string;
  const token = Browser.withToken(t.app, secret);
  assert.equal((await token.get('/api/auth/session')).statusCode, 200);
  for (let i = 0; i < signInLimits.perEmail; i++) await signIn(u.email, 'wrong-password', '10.0.0.5');
  assert.equal((await signIn(u.email, u.password, '10.0.0.5')).statusCode, 429, 'locked out');

  const reset = await admin.post(`/api/users/${u.userId}/reset-password`);
  assert.equal(reset.statusCode, 200);
  const res = await signIn(u.email, reset.json().password, '10.0.0.5');
  assert.equal(res.statusCode, 200, `the new password works at once: ${res.body}`);
  assert.equal((await session.get('/api/auth/session')).statusCode, 401, 'old session ended');
  assert.equal((await token.get('/api/auth/session')).statusCode, 401, 'API token revoked');
});

test('changing one’s password ends every other session and every API token, not the current session', async () => {
  const u = await addUser(t.db, 'changer@corp.test', ['collector']);
  const here = await Browser.signedIn(t.app, u.email, u.password);
  const elsewhere = await Browser.signedIn(t.app, u.email, u.password);
  const secret = (await elsewhere.post('/api/tokens', { name: 'script' })).json().secret as string;
  const token = Browser.withToken(t.app, secret);
  const bystander = await addUser(t.db, 'bystander@corp.test', ['collector']);
  const other = await Browser.signedIn(t.app, bystander.email, bystander.password);

  const changed = await here.post('/api/auth/password', {
    current_password: u.password,
    new_password: 'a-brand-new-password',
  });
  assert.equal(changed.statusCode, 204, changed.body);
  assert.equal((await here.get('/api/auth/session')).statusCode, 200, 'the current session stays');
  assert.equal((await elsewhere.get('/api/auth/session')).statusCode, 401, 'other sessions end');
  assert.equal((await token.get('/api/auth/session')).statusCode, 401, 'API tokens are revoked');
  assert.equal((await other.get('/api/auth/session')).statusCode, 200, 'other users are untouched');
  const tokens = (await here.get('/api/tokens')).json().items as { revoked_at: string | null }[];
  assert.ok(
    tokens.every((x) => x.revoked_at),
    'the token list shows them revoked',
  );
  assert.equal((await signIn(u.email, 'a-brand-new-password', '10.0.0.6')).statusCode, 200);
});

test('the current password of a password change is throttled like a sign-in', async () => {
  const u = await addUser(t.db, 'oracle@corp.test', ['collector']);
  const b = await Browser.signedIn(t.app, u.email, u.password);
  const codes = (
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        b.post('/api/auth/password', { current_password: `guess-number-${i}`, new_password: 'x'.repeat(20) }),
      ),
    )
  ).map((r) => r.statusCode);
  assert.equal(codes.filter((c) => c === 400).length, signInLimits.perEmail, codes.join(','));
  assert.equal(codes.filter((c) => c === 429).length, 10 - signInLimits.perEmail, codes.join(','));
});
