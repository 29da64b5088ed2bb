import { AppError, notFound } from '../../core/errors.ts';
import type { Db } from '../../db/db.ts';
import { recordAudit } from '../platform/audit.ts';
import { requireRole } from './authorize.ts';
import { generatePassword, hashPassword } from './passwords.ts';
import { isPartner } from './roles.ts';
import { revokeCredentials } from './sessions.ts';
import { findUser, selectUsers, type UserRow } from './user-queries.ts';
import {
  type CreateUserInput,
  createUserInput,
  type UpdateUserInput,
  updateUserInput,
} from './user-schemas.ts';

function auditView(u: UserRow): Record<string, unknown> {
  return { email: u.email, name: u.name, roles: u.roles, account_id: u.account_id, active: u.active };
}

function checkRoleShape(roles: readonly string[], accountId: string | null | undefined): void {
  if (isPartner(roles)) {
    if (roles.length > 1) {
      throw new AppError('validation_failed', 'A partner user has the partner role only.', {
        issues: [{ field: 'roles', message: 'partner cannot be combined with other roles' }],
      });
    }
    if (!accountId) {
      throw new AppError('validation_failed', 'A partner user needs the account of its organisation.', {
        issues: [{ field: 'account_id', message: 'required for a partner user' }],
      });
    }
  } else if (accountId) {
    throw new AppError('validation_failed', 'Only partner users belong to an account.', {
      issues: [{ field: 'account_id', message: 'only for partner users' }],
    });
  }
}

async function checkAccount(db: Db, accountId: string | null | undefined): Promise<void> {
  if (!accountId) return;
  const { rowCount } = await db.query('select 1 from accounts where account_id = $1', [accountId]);
  if (!rowCount) {
    throw new AppError('validation_failed', `Account ${accountId} does not exist.`, {
      issues: [{ field: 'account_id', message: 'no such account' }],
    });
  }
}

export async function listUsers(db: Db): Promise<UserRow[]> {
  requireRole(db.actor, ['administrator']);
  return selectUsers(db);
}

export async function getUser(db: Db, userId: string): Promise<UserRow> {
  const user = await findUser(db, userId);
  if (!user) throw notFound('The user');
  return user;
}

/** Creates a user; returns the password (generated when none was given) so it can be shown once. */
export async function createUser(db: Db, raw: CreateUserInput): Promise<{ user: UserRow; password: string }> {
  requireRole(db.actor, ['administrator']);
  const input = createUserInput.parse(raw);
  checkRoleShape(input.roles, input.account_id);
  const password = input.password ?? generatePassword();
  const passwordHash = await hashPassword(password);
  return db.tx(async (tx) => {
    await checkAccount(tx, input.account_id);
    const { rows } = await tx.query<{ user_id: string }>(
      `insert into users (email, name, roles, account_id, password_hash) values ($1, $2, $3, $4, $5)
       on conflict (email) do nothing returning user_id`,
      [input.email, input.name, input.roles, input.account_id ?? null, passwordHash],
    );
    if (!rows[0]) throw new AppError('conflict', `A user with the e-mail ${input.email} already exists.`);
    const user = (await findUser(tx, rows[0].user_id))!;
    await recordAudit(tx, {
      entityType: 'user',
      entityId: user.user_id,
      accountId: user.account_id,
      action: 'created',
      after: auditView(user),
    });
    return { user, password };
  });
}

export async function updateUser(db: Db, userId: string, raw: UpdateUserInput): Promise<UserRow> {
  requireRole(db.actor, ['administrator']);
  const input = updateUserInput.parse(raw);
  return db.tx(async (tx) => {
    const before = await findUser(tx, userId);
    if (!before) throw notFound('The user');
    const roles = input.roles ?? before.roles;
    const accountId = input.account_id === undefined ? before.account_id : input.account_id;
    checkRoleShape(roles, accountId);
    await checkAccount(tx, accountId);
    if (before.user_id === tx.actor.userId && input.active === false) {
      throw new AppError('bad_request', 'You cannot deactivate yourself.');
    }
    await tx.query(
      `update users set name = $2, roles = $3, account_id = $4, active = $5, updated_at = now() where user_id = $1`,
      [userId, input.name ?? before.name, roles, accountId, input.active ?? before.active],
    );
    if (input.active === false) await tx.query('delete from sessions where user_id = $1', [userId]);
    const after = (await findUser(tx, userId))!;
    await recordAudit(tx, {
      entityType: 'user',
      entityId: userId,
      accountId: after.account_id,
      action: 'updated',
      before: auditView(before),
      after: auditView(after),
    });
    return after;
  });
}

/**
 * Sets a new generated password, signs the user out everywhere, revokes its API tokens and lifts a sign-in
 * lockout of its e-mail, so that the new password works at once.
 */
export async function resetPassword(db: Db, userId: string): Promise<string> {
  requireRole(db.actor, ['administrator']);
  const password = generatePassword();
  const passwordHash = await hashPassword(password);
  await db.tx(async (tx) => {
    const user = await findUser(tx, userId);
    if (!user) throw notFound('The user');
    await tx.query('update users set password_hash = $2, updated_at = now() where user_id = $1', [
      userId,
      passwordHash,
    ]);
    const revoked = await revokeCredentials(tx, userId, { unlock: true });
    await recordAudit(tx, {
      entityType: 'user',
      entityId: userId,
      accountId: user.account_id,
      action: 'password_reset',
      after: { sessions_ended: revoked.sessions, api_tokens_revoked: revoked.tokens },
    });
  });
  return password;
}
