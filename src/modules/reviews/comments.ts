/**
 * The collector's comment on a Top 40 account for a review (its as-of date): one per account and date, written
 * and rewritten before the review, each change on the account's audit trail with before and after.
 */
import { AppError } from '../../core/errors.ts';
import type { Db } from '../../db/db.ts';
import { requireRole } from '../identity/index.ts';
import { recordAudit } from '../platform/index.ts';
import { type CommentInput, commentInput, commentWriters } from './schemas.ts';
import type { ReviewComment } from './top40.ts';

export async function saveReviewComment(
  db: Db,
  accountId: string,
  raw: CommentInput,
): Promise<ReviewComment & { account_id: string; as_of: string }> {
  requireRole(db.actor, commentWriters);
  const input = commentInput.parse(raw);
  return db.tx(async (tx) => {
    const { rows: accounts } = await tx.query('select 1 from accounts where account_id = $1', [accountId]);
    if (accounts.length === 0) throw new AppError('not_found', `There is no account ${accountId}.`);
    const { rows: before } = await tx.query<ReviewComment>(
      `select comment, written_by from review_comments where account_id = $1 and as_of = $2 for update`,
      [accountId, input.as_of],
    );
    const { rows } = await tx.query<ReviewComment>(
      `insert into review_comments (account_id, as_of, comment, written_by, written_by_id)
       values ($1, $2, $3, $4, $5)
       on conflict (account_id, as_of) do update set comment = excluded.comment,
         written_by = excluded.written_by, written_by_id = excluded.written_by_id, written_at = clock_timestamp()
       returning comment, written_by,
         to_char(written_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as written_at`,
      [accountId, input.as_of, input.comment, tx.actor.name, tx.actor.userId],
    );
    const saved = rows[0]!;
    await recordAudit(tx, {
      entityType: 'account',
      entityId: accountId,
      // The company's own note: on the desk's audit trail of the account, never in the partner's view.
      accountId: '',
      action: 'review_comment',
      before: before[0] ? { as_of: input.as_of, ...before[0] } : null,
      after: { as_of: input.as_of, comment: saved.comment, written_by: saved.written_by },
    });
    return { account_id: accountId, as_of: input.as_of, ...saved };
  });
}
