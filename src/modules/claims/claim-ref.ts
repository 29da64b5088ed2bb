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
