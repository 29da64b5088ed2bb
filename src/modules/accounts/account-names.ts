import type { Db } from '../../db/db.ts';

/**
 * The names of the accounts among `ids` that the caller may see (row security), for names beside ids in
 * exports. One query, whatever the number of ids.
 */
export async function accountNames(db: Db, ids: Iterable<string>): Promise<Map<string, string>> {
  const list = [...new Set(ids)];
  if (list.length === 0) return new Map();
  const { rows } = await db.query<{ account_id: string; name: string }>(
    'select account_id, name from accounts where account_id = any($1::text[])',
    [list],
  );
  return new Map(rows.map((r) => [r.account_id, r.name]));
}
