import { createHash, randomBytes } from 'node:crypto';
import { AppError } from '../../core/errors.ts';
import { type Actor, type Db, PoolDb } from '../../db/db.ts';
import { recordAudit } from '../platform/audit.ts';
import { decoyHash, hashPassword, verifyPassword } from './passwords.ts';
import { findUser, findUserByEmail, type UserRow, userColumns } from './user-queries.ts';
import { changePasswordInput } from './user-schemas.ts';

/**
 * Server-side sessions and API tokens. The browser holds a random session token in an httpOnly cookie;
 * the database keeps only its SHA-256, so a stolen database copy signs nobody in. Every cookie session
 * has a CSRF token that unsafe requests must echo in a header.
 */
const sha256 = (value: string): Buffer => createHash('sha256').update(value).digest();

/** Sign-in throttling, counted in the database so that every API process sees the same attempts. */
export const signInLimits = { windowMinutes: 15, perEmail: 5, perIp: 30 };

/**
 * Counts one password check against the e-mail (and the IP address, when known) in one atomic upsert before
 * the check is made, and refuses it when either is over its limit in the current window.
 */
async function takeThrottlePlace(db: Db, email: string, ip: string | undefined): Promise<void> {
  const { rows: counts } = await db.query<{ key: string; failures: number }>(
    `insert into signin_throttle as t (key, failures, window_started_at)
     select k, 1, now() from unnest($1::text[]) as k
     on conflict (key) do update set
       failures = case when t.window_started_at > now() - make_interval(mins => $2) then t.failures + 1 else 1 end,
       window_started_at = case when t.window_started_at > now() - make_interval(mins => $2)
                                then t.window_started_at else now() end
     returning key, failures`,
    [ip === undefined ? [`email:${email}`] : [`email:${email}`, `ip:${ip}`], signInLimits.windowMinutes],
  );
  const over = counts.some((c) =>
    c.key.startsWith('email:') ? c.failures > signInLimits.perEmail : c.failures > signInLimits.perIp,
  );
  if (over) {
    throw new AppError(
      'rate_limited',
      `Too many failed sign-ins. Try again in ${signInLimits.windowMinutes} minutes or ask an administrator to reset your password.`,
    );
  }
}

export interface SignedIn {
  user: UserRow;
  sessionToken: string;
  csrfToken: string;
  expiresAt: Date;
}

export async function signIn(
  db: Db,
  input: {
    email: string;
    password: string;
    ip: string;
    userAgent?: string | undefined;
    sessionHours: number;
  },
): Promise<SignedIn> {
  const email = input.email.trim().toLowerCase();
  // Take a place before the (deliberately slow) password check: one atomic upsert counts this attempt as a
  // failure for the e-mail and the IP address and says whether either is over its limit, so that 20 parallel
  // guesses get 5 checks, not 20. A success gives the place back.
  await takeThrottlePlace(db, email, input.ip);
  const user = await findUserByEmail(db, email);
  const ok = user?.password_hash
    ? await verifyPassword(user.password_hash, input.password)
    : (await verifyPassword(await decoyHash(), input.password)) && false;
  const succeeded = Boolean(ok && user?.active);
  await db.query('insert into signin_attempts (email, ip, succeeded) values ($1, $2, $3)', [
    email,
    input.ip,
    succeeded,
  ]);
  if (!succeeded || !user) {
    throw new AppError('unauthenticated', 'The e-mail or password is not right, or the user is inactive.');
  }
  await db.query(
    `with cleared as (delete from signin_throttle where key = 'email:' || $1)
     update signin_throttle set failures = greatest(failures - 1, 0) where key = 'ip:' || $2`,
    [email, input.ip],
  );
  const sessionToken = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  const expiresAt = new Date(Date.now() + input.sessionHours * 3_600_000);
  await db.query(
    `insert into sessions (token_hash, user_id, csrf_token, expires_at, ip, user_agent) values ($1, $2, $3, $4, $5, $6)`,
    [sha256(sessionToken), user.user_id, csrfToken, expiresAt, input.ip, input.userAgent ?? null],
  );
  await db.query('update users set last_sign_in_at = now() where user_id = $1', [user.user_id]);
  const { password_hash: _, ...clean } = user;
  return { user: clean, sessionToken, csrfToken, expiresAt };
}

export async function signOut(db: Db, sessionToken: string): Promise<void> {
  await db.query('delete from sessions where token_hash = $1', [sha256(sessionToken)]);
}

export interface Authenticated {
  user: UserRow;
  actor: Actor;
  /** Present for cookie sessions; API tokens need no CSRF token. */
  csrfToken: string | undefined;
}

/**
 * The user behind a session or token hash with the accounts a partner acts for, in one statement (it runs
 * on every request). `last_seen_at` / `last_used_at` are written at most once a minute, so that reading a
 * page writes nothing.
 */
async function authenticate(
  db: Db,
  kind: 'session' | 'token',
  hash: Buffer,
): Promise<Authenticated | undefined> {
  const found =
    kind === 'session'
      ? `touched as (
           update sessions set last_seen_at = now()
           where token_hash = $1 and expires_at > now() and last_seen_at < now() - interval '1 minute'),
         found as (select user_id, csrf_token from sessions where token_hash = $1 and expires_at > now())`
      : `touched as (
           update api_tokens set last_used_at = now()
           where token_hash = $1 and revoked_at is null and (expires_at is null or expires_at > now())
             and (last_used_at is null or last_used_at < now() - interval '1 minute')),
         found as (
           select user_id, null::text as csrf_token from api_tokens
           where token_hash = $1 and revoked_at is null and (expires_at is null or expires_at > now()))`;
  const sql = `with ${found}
     select ${userColumns}, f.csrf_token,
       case when 'partner' = any (u.roles) then array(select account_subtree(u.account_id)) end as accounts
     from found f join users u using (user_id) left join accounts a using (account_id)
     where u.active`;
  type Found = UserRow & { csrf_token: string | null; accounts: string[] | null };
  // Every request runs this: on the pool it goes in one round trip, the hash written as hex digits.
  const { rows } =
    db instanceof PoolDb
      ? await db.queryInline<Found>(sql.replaceAll('$1', `'\\x${hash.toString('hex')}'::bytea`))
      : await db.query<Found>(sql, [hash]);
  const row = rows[0];
  if (!row) return undefined;
  const { csrf_token, accounts, ...user } = row;
  return {
    user,
    actor: { userId: user.user_id, name: user.name, roles: user.roles, accounts: accounts ?? '*' },
    csrfToken: csrf_token ?? undefined,
  };
}

export async function authenticateSession(db: Db, sessionToken: string): Promise<Authenticated | undefined> {
  return authenticate(db, 'session', sha256(sessionToken));
}

const tokenPrefix = 'ch_';

export async function authenticateToken(db: Db, token: string): Promise<Authenticated | undefined> {
  if (!token.startsWith(tokenPrefix)) return undefined;
  return authenticate(db, 'token', sha256(token));
}

export interface ApiTokenRow {
  token_id: string;
  name: string;
  created_at: Date;
  last_used_at: Date | null;
  expires_at: Date | null;
  revoked_at: Date | null;
}

const tokenColumns = 'token_id, name, created_at, last_used_at, expires_at, revoked_at';

export async function createApiToken(
  db: Db,
  input: { name: string; expiresInDays?: number | undefined },
): Promise<{ token: ApiTokenRow; secret: string }> {
  const userId = db.actor.userId;
  if (!userId) throw new AppError('bad_request', 'API tokens belong to a user.');
  const secret = tokenPrefix + randomBytes(32).toString('base64url');
  const expiresAt = input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 86_400_000) : null;
  const { rows } = await db.query<ApiTokenRow>(
    `insert into api_tokens (user_id, name, token_hash, expires_at) values ($1, $2, $3, $4) returning ${tokenColumns}`,
    [userId, input.name, sha256(secret), expiresAt],
  );
  const token = rows[0]!;
  const user = await findUser(db, userId);
  await recordAudit(db, {
    entityType: 'user',
    entityId: userId,
    accountId: user?.account_id ?? null,
    action: 'api_token_created',
    after: { token_id: token.token_id, name: token.name, expires_at: token.expires_at },
  });
  return { token, secret };
}

export async function listApiTokens(db: Db): Promise<ApiTokenRow[]> {
  const { rows } = await db.query<ApiTokenRow>(
    `select ${tokenColumns} from api_tokens where user_id = $1 order by created_at desc`,
    [db.actor.userId],
  );
  return rows;
}

export async function revokeApiToken(db: Db, tokenId: string): Promise<void> {
  const { rows } = await db.query<{ name: string }>(
    `update api_tokens set revoked_at = coalesce(revoked_at, now()) where token_id = $1 and user_id = $2 returning name`,
    [tokenId, db.actor.userId],
  );
  if (!rows[0]) throw new AppError('not_found', 'The API token was not found.');
  const user = await findUser(db, db.actor.userId!);
  await recordAudit(db, {
    entityType: 'user',
    entityId: db.actor.userId!,
    accountId: user?.account_id ?? null,
    action: 'api_token_revoked',
    before: { token_id: tokenId, name: rows[0].name },
  });
}

/**
 * Ends every session and API token of a user except the session `keepSessionToken` (the one changing its own
 * password), and clears the e-mail's sign-in throttle when `unlock`. Returns what was ended.
 */
export async function revokeCredentials(
  db: Db,
  userId: string,
  opts: { keepSessionToken?: string | undefined; unlock?: boolean } = {},
): Promise<{ sessions: number; tokens: number }> {
  const keep = opts.keepSessionToken ? sha256(opts.keepSessionToken) : null;
  const s = await db.query(
    'delete from sessions where user_id = $1 and ($2::bytea is null or token_hash <> $2)',
    [userId, keep],
  );
  const t = await db.query(
    'update api_tokens set revoked_at = now() where user_id = $1 and revoked_at is null',
    [userId],
  );
  if (opts.unlock) {
    await db.query(
      `delete from signin_throttle where key = (select 'email:' || email from users where user_id = $1)`,
      [userId],
    );
  }
  return { sessions: s.rowCount ?? 0, tokens: t.rowCount ?? 0 };
}

/**
 * Changes the signed-in user's password. Every other session and every API token of the user ends: whoever
 * held the old password (or a token made with it) holds nothing now. The session making the change stays.
 */
export async function changeOwnPassword(
  db: Db,
  raw: { current_password: string; new_password: string },
  opts: { sessionToken?: string | undefined } = {},
): Promise<void> {
  const input = changePasswordInput.parse(raw);
  const user = await findUser(db, db.actor.userId ?? '');
  if (!user) throw new AppError('unauthenticated', 'Sign in first.');
  const { rows } = await db.query<{ password_hash: string | null }>(
    'select password_hash from users where user_id = $1',
    [user.user_id],
  );
  // The current password is guessed no faster here than at sign-in (a stolen session must not be an oracle).
  await takeThrottlePlace(db, user.email, undefined);
  if (!rows[0]?.password_hash || !(await verifyPassword(rows[0].password_hash, input.current_password))) {
    throw new AppError('validation_failed', 'The current password is not right.', {
      issues: [{ field: 'current_password', message: 'not right' }],
    });
  }
  await db.query(`delete from signin_throttle where key = 'email:' || $1`, [user.email]);
  const passwordHash = await hashPassword(input.new_password);
  await db.tx(async (tx) => {
    await tx.query('update users set password_hash = $2, updated_at = now() where user_id = $1', [
      user.user_id,
      passwordHash,
    ]);
    const revoked = await revokeCredentials(tx, user.user_id, { keepSessionToken: opts.sessionToken });
    await recordAudit(tx, {
      entityType: 'user',
      entityId: user.user_id,
      accountId: user.account_id,
      action: 'password_changed',
      after: { sessions_ended: revoked.sessions, api_tokens_revoked: revoked.tokens },
    });
  });
}

export async function purgeExpiredSessions(db: Db): Promise<{ sessions: number; attempts: number }> {
  const s = await db.query('delete from sessions where expires_at < now()');
  const a = await db.query(`delete from signin_attempts where attempted_at < now() - interval '30 days'`);
  await db.query('delete from signin_throttle where window_started_at < now() - make_interval(mins => $1)', [
    signInLimits.windowMinutes,
  ]);
  return { sessions: s.rowCount ?? 0, attempts: a.rowCount ?? 0 };
}
