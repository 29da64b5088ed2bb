import type { Db } from '../../db/db.ts';

export interface UserRow {
  user_id: string;
  email: string;
  name: string;
  roles: string[];
  account_id: string | null;
  account_name: string | null;
  active: boolean;
  created_at: Date;
  last_sign_in_at: Date | null;
  /** The user's locale for dates and numbers; null: the browser's. */
  locale: string | null;
}

export const userColumns = `u.user_id, u.email, u.name, u.roles, u.account_id, a.name as account_name, u.active,
  u.created_at, u.last_sign_in_at, u.locale`;

export async function findUser(db: Db, userId: string): Promise<UserRow | undefined> {
  const { rows } = await db.query<UserRow>(
    `select ${userColumns} from users u left join accounts a using (account_id) where u.user_id = $1`,
    [userId],
  );
  return rows[0];
}

export async function findUserByEmail(
  db: Db,
  email: string,
): Promise<(UserRow & { password_hash: string | null }) | undefined> {
  const { rows } = await db.query<UserRow & { password_hash: string | null }>(
    `select ${userColumns}, u.password_hash from users u left join accounts a using (account_id) where u.email = $1`,
    [email.trim().toLowerCase()],
  );
  return rows[0];
}

export async function selectUsers(db: Db): Promise<UserRow[]> {
  const { rows } = await db.query<UserRow>(
    `select ${userColumns} from users u left join accounts a using (account_id) order by u.email`,
  );
  return rows;
}

/** The accounts a partner user acts for: its organisation's account and every account below it. */
export async function partnerAccounts(db: Db, accountId: string): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>('select account_subtree($1) as id', [accountId]);
  return rows.map((r) => r.id);
}
