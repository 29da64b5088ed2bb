import { createHash, randomBytes } from 'node:crypto';
import { AppError } from '../../core/errors.ts';
import type { Actor, Db } from '../../db/db.ts';
import { recordAudit } from '../platform/audit.ts';
import { decoyHash, hashPassword, verifyPassword } from './passwords.ts';
import { isPartner } from './roles.ts';
import { findUser, findUserByEmail, partnerAccounts, type UserRow } from './user-queries.ts';
import { changePasswordInput } from './user-schemas.ts';

/**
 * Server-side sessions and API tokens. The browser holds a random session token in an httpOnly cookie;
 * the database keeps only its SHA-256, so a stolen database copy signs nobody in. Every cookie session
 * has a CSRF token that unsafe requests must echo in a header.
 */
const sha256 = (value: string): Buffer => createHash('sha256').update(value).digest();

/** Sign-in throttling, counted in the database so that every API process sees the same attempts. */
export const signInLimits = { windowMinutes: 15, perEmail: 5, perIp: 30 };

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
  const { rows: counts } = await db.query<{ by_email: string; by_ip: string }>(
    `select count(*) filter (where email = $1) as by_email, count(*) filter (where ip = $2) as by_ip
     from signin_attempts
     where not succeeded and attempted_at > now() - make_interval(mins => $3)
       and (email = $1 or ip = $2)`,
    [email, input.ip, signInLimits.windowMinutes],
  );
  const c = counts[0]!;
  if (Number(c.by_email) >= signInLimits.perEmail || Number(c.by_ip) >= signInLimits.perIp) {
    throw new AppError(
      'rate_limited',
      `Too many failed sign-ins. Try again in ${signInLimits.windowMinutes} minutes or ask an administrator to reset your password.`,
    );
  }
  const user = await findUserByEmail(db, email);
  const ok = user?.password_hash
    ? await verifyPassword(user.password_hash, input.password)
    : (await verifyPassword(await decoyHash(), input.password)) && false;
  await db.query('insert into signin_attempts (email, ip, succeeded) values ($1, $2, $3)', [
    email,
    input.ip,
    Boolean(ok && user?.active),
  ]);
  if (!ok || !user?.active) {
    throw new AppError('unauthenticated', 'The e-mail or password is not right, or the user is inactive.');
  }
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

async function actorFor(db: Db, user: UserRow): Promise<Actor> {
  const accounts = isPartner(user.roles) ? await partnerAccounts(db, user.account_id!) : '*';
  return { userId: user.user_id, name: user.name, roles: user.roles, accounts };
}

export async function authenticateSession(db: Db, sessionToken: string): Promise<Authenticated | undefined> {
  const { rows } = await db.query<{ user_id: string; csrf_token: string }>(
    `update sessions set last_seen_at = now() where token_hash = $1 and expires_at > now()
     returning user_id, csrf_token`,
    [sha256(sessionToken)],
  );
  if (!rows[0]) return undefined;
  const user = await findUser(db, rows[0].user_id);
  if (!user?.active) return undefined;
  return { user, actor: await actorFor(db, user), csrfToken: rows[0].csrf_token };
}

const tokenPrefix = 'ch_';

export async function authenticateToken(db: Db, token: string): Promise<Authenticated | undefined> {
  if (!token.startsWith(tokenPrefix)) return undefined;
  const { rows } = await db.query<{ user_id: string }>(
    `update api_tokens set last_used_at = now()
     where token_hash = $1 and revoked_at is null and (expires_at is null or expires_at > now())
     returning user_id`,
    [sha256(token)],
  );
  if (!rows[0]) return undefined;
  const user = await findUser(db, rows[0].user_id);
  if (!user?.active) return undefined;
  return { user, actor: await actorFor(db, user), csrfToken: undefined };
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

export async function changeOwnPassword(
  db: Db,
  raw: { current_password: string; new_password: string },
): Promise<void> {
  const input = changePasswordInput.parse(raw);
  const user = await findUser(db, db.actor.userId ?? '');
  if (!user) throw new AppError('unauthenticated', 'Sign in first.');
  const { rows } = await db.query<{ password_hash: string | null }>(
    'select password_hash from users where user_id = $1',
    [user.user_id],
  );
  if (!rows[0]?.password_hash || !(await verifyPassword(rows[0].password_hash, input.current_password))) {
    throw new AppError('validation_failed', 'The current password is not right.', {
      issues: [{ field: 'current_password', message: 'not right' }],
    });
  }
  await db.query('update users set password_hash = $2, updated_at = now() where user_id = $1', [
    user.user_id,
    await hashPassword(input.new_password),
  ]);
  await recordAudit(db, {
    entityType: 'user',
    entityId: user.user_id,
    accountId: user.account_id,
    action: 'password_changed',
  });
}

export async function purgeExpiredSessions(db: Db): Promise<{ sessions: number; attempts: number }> {
  const s = await db.query('delete from sessions where expires_at < now()');
  const a = await db.query(`delete from signin_attempts where attempted_at < now() - interval '30 days'`);
  return { sessions: s.rowCount ?? 0, attempts: a.rowCount ?? 0 };
}
