import type { Db } from '../../db/db.ts';
import { recordAudit } from '../platform/audit.ts';
import { generatePassword, hashPassword } from './passwords.ts';

/**
 * On first start, when nobody can sign in yet, creates an administrator and returns its password so the
 * caller can print it once. Several processes starting together create exactly one.
 */
export async function ensureFirstAdministrator(
  db: Db,
  email: string,
): Promise<{ email: string; password: string } | undefined> {
  return db.tx(async (tx) => {
    await tx.query(`select pg_advisory_xact_lock(hashtext('clearhouse.first-administrator'))`);
    const { rowCount } = await tx.query('select 1 from users limit 1');
    if (rowCount) return undefined;
    const password = generatePassword();
    const { rows } = await tx.query<{ user_id: string }>(
      `insert into users (email, name, roles, password_hash) values ($1, 'Administrator', '{administrator}', $2)
       returning user_id`,
      [email.toLowerCase(), await hashPassword(password)],
    );
    await recordAudit(tx, {
      entityType: 'user',
      entityId: rows[0]!.user_id,
      accountId: null,
      action: 'created',
      after: { email, roles: ['administrator'], reason: 'first administrator' },
    });
    return { email, password };
  });
}
