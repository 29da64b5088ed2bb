/**
 * Decisions on validated claims: approve at the proposed amounts (one claim, or in bulk), reject. A decided
 * claim keeps its result: later validation runs replay its consumption instead of recomputing it, and it
 * can no longer be changed by a resubmission. Approving twice changes nothing the second time.
 */
import { AppError } from '../../core/errors.ts';
import type { Db } from '../../db/db.ts';
import { requireRole } from '../identity/index.ts';

const deciders = ['approver', 'manager', 'rebate_analyst', 'administrator'] as const;

export interface Decided {
  claim_id: string;
  status: string;
}

/**
 * Approves validated claims with no line waiting for review, at their proposed amounts: `approved` when
 * every line is paid as claimed, `partially_approved` when some is adjusted or rejected, `rejected` when
 * nothing is left. `claimIds` limits it to those claims.
 */
export async function approveClaims(db: Db, claimIds?: readonly string[]): Promise<Decided[]> {
  requireRole(db.actor, deciders);
  return db.tx(async (tx) => {
    const { rows } = await tx.query<Decided & { account_id: string; before: string }>(
      `with ready as (
         select c.account_id, c.claim_id, c.status as before,
           case when bool_and(l.status = 'rejected') then 'rejected'
                when bool_and(l.status = 'approved') then 'approved'
                else 'partially_approved' end as decision
         from claims c join claim_lines l on l.account_id = c.account_id and l.claim_id = c.claim_id
         where c.status in ('validated', 'in_review') and ($1::text[] is null or c.claim_id = any($1))
         group by c.account_id, c.claim_id, c.status
         having bool_and(l.status is not null and l.status <> 'review')
       )
       update claims c set status = r.decision, decided_at = now(), decided_by = $2, updated_at = now()
       from ready r where c.account_id = r.account_id and c.claim_id = r.claim_id
       returning c.account_id, c.claim_id, c.status, r.before`,
      [claimIds ?? null, tx.actor.name],
    );
    if (rows.length > 0) {
      await tx.query(
        `insert into audit_events (account_id, entity_type, entity_id, action, actor_id, actor_name, before, after)
         select r.account_id, 'claim', r.claim_id, r.status, $2, $3, jsonb_build_object('status', r.before),
           jsonb_build_object('status', r.status,
             'approved_amount', (select sum(approved_amount) from claim_lines l
                                 where l.account_id = r.account_id and l.claim_id = r.claim_id))
         from jsonb_to_recordset($1::jsonb) as r(account_id text, claim_id text, status text, before text)`,
        [JSON.stringify(rows), tx.actor.userId, tx.actor.name],
      );
    }
    return rows.map((r) => ({ claim_id: r.claim_id, status: r.status }));
  });
}

export async function approveClaim(db: Db, claimId: string): Promise<Decided> {
  const [decided] = await approveClaims(db, [claimId]);
  if (decided) return decided;
  const { rows } = await db.query<{ status: string; waiting: boolean }>(
    `select c.status, exists (select 1 from claim_lines l where l.account_id = c.account_id and l.claim_id = c.claim_id
       and (l.status = 'review' or l.status is null)) as waiting
     from claims c where c.claim_id = $1`,
    [claimId],
  );
  const claim = rows[0];
  if (!claim) throw new AppError('not_found', `The claim ${claimId} does not exist.`);
  if (claim.waiting) {
    throw new AppError(
      'conflict',
      `Claim ${claimId} has lines waiting for review or validation; resolve them first.`,
    );
  }
  throw new AppError(
    'conflict',
    `Claim ${claimId} is ${claim.status.replace('_', ' ')}; only validated claims are approved.`,
  );
}

/**
 * Closes paid claims (the end of the status flow): nothing about them changes afterwards. `claimIds` limits
 * it to those claims; each closing is audited.
 */
export async function closeClaims(db: Db, claimIds?: readonly string[]): Promise<Decided[]> {
  requireRole(db.actor, deciders);
  return db.tx(async (tx) => {
    const { rows } = await tx.query<Decided & { account_id: string }>(
      `update claims c set status = 'closed', updated_at = now()
       where c.status = 'paid' and ($1::text[] is null or c.claim_id = any($1))
       returning c.account_id, c.claim_id, c.status`,
      [claimIds ?? null],
    );
    if (rows.length > 0) {
      await tx.query(
        `insert into audit_events (account_id, entity_type, entity_id, action, actor_id, actor_name, before, after)
         select r.account_id, 'claim', r.claim_id, 'closed', $2, $3, '{"status":"paid"}', '{"status":"closed"}'
         from jsonb_to_recordset($1::jsonb) as r(account_id text, claim_id text)`,
        [JSON.stringify(rows), tx.actor.userId, tx.actor.name],
      );
    }
    if (claimIds?.length === 1 && rows.length === 0) {
      const { rows: found } = await tx.query<{ status: string }>(
        'select status from claims where claim_id = $1',
        [claimIds[0]],
      );
      if (!found[0]) throw new AppError('not_found', `The claim ${claimIds[0]} does not exist.`);
      if (found[0].status !== 'closed') {
        throw new AppError(
          'conflict',
          `Claim ${claimIds[0]} is ${found[0].status.replace('_', ' ')}; only paid claims are closed.`,
        );
      }
    }
    return rows.map((r) => ({ claim_id: r.claim_id, status: r.status }));
  });
}
