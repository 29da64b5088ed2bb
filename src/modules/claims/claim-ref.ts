/**
 * Which claim a caller means. A claim id is the partner's own number, unique within the partner
 * (FORMATS.md): two partners may use the same one. A claim is therefore named by its claim id and, where
 * the id alone is ambiguous, the account that claimed it. Look-ups run under the caller's row security, so
 * a partner's claim id resolves within its own organisation, and another organisation's claim is, to it, a
 * claim that does not exist (the same 404, the same words).
 */
import { AppError } from '../../core/errors.ts';
import type { Db } from '../../db/db.ts';

/** A claim as use cases are given it: its id, or its id with the claiming account. */
export type ClaimKey = string | { claim_id: string; account_id?: string | null | undefined };

/** A claim named without ambiguity. */
export interface ClaimRef {
  account_id: string;
  claim_id: string;
}

export const claimIdOf = (key: ClaimKey): string => (typeof key === 'string' ? key : key.claim_id);

/** The claim does not exist for the caller: the one answer for unknown ids and other organisations' claims. */
export const claimNotFound = (claimId: string) =>
  new AppError('not_found', `The claim ${claimId} does not exist.`);

/**
 * The one visible claim a key names: 404 when there is none, 400 when the id names claims of several
 * accounts the caller may see and no account was given.
 */
export async function findClaim(db: Db, key: ClaimKey): Promise<ClaimRef> {
  const claimId = claimIdOf(key);
  const accountId = typeof key === 'string' ? null : (key.account_id ?? null);
  const { rows } = await db.query<{ account_id: string }>(
    `select account_id from claims where claim_id = $1 and ($2::text is null or account_id = $2)
     order by account_id limit 2`,
    [claimId, accountId],
  );
  if (rows.length === 0) throw claimNotFound(claimId);
  if (rows.length > 1) {
    throw new AppError(
      'validation_failed',
      `The claim id ${claimId} names claims of several partners; say which with account_id.`,
      {
        issues: [{ field: 'account_id', message: 'required: the claim id names claims of several partners' }],
      },
    );
  }
  return { account_id: rows[0]!.account_id, claim_id: claimId };
}

/**
 * The visible claims many keys name, in one query: keys naming no visible claim are left out (a bulk
 * decision skips them); a claim id without an account that names claims of several accounts is refused.
 */
export async function findClaims(db: Db, keys: readonly ClaimKey[]): Promise<ClaimRef[]> {
  if (keys.length === 0) return [];
  const ids = keys.map(claimIdOf);
  const accounts = keys.map((k) => (typeof k === 'string' ? null : (k.account_id ?? null)));
  const { rows } = await db.query<ClaimRef & { n: number }>(
    `select c.account_id, c.claim_id, count(*) over (partition by k.i)::int as n
     from unnest($1::text[], $2::text[]) with ordinality as k(claim_id, account_id, i)
     join claims c on c.claim_id = k.claim_id and (k.account_id is null or c.account_id = k.account_id)
     order by k.i, c.account_id`,
    [ids, accounts],
  );
  const ambiguous = rows.find((r) => r.n > 1);
  if (ambiguous) {
    throw new AppError(
      'validation_failed',
      `The claim id ${ambiguous.claim_id} names claims of several partners; say which with account_id.`,
      {
        issues: [{ field: 'account_id', message: 'required: the claim id names claims of several partners' }],
      },
    );
  }
  const seen = new Set<string>();
  return rows
    .filter((r) => {
      const key = `${r.account_id}\u0000${r.claim_id}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .map(({ account_id, claim_id }) => ({ account_id, claim_id }));
}
