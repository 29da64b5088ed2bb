/**
 * Decisions on validated claims: approve at the proposed amounts (one claim, or in bulk), reject. A decided
 * claim keeps its result: later validation runs replay its consumption instead of recomputing it, and it
 * can no longer be changed by a resubmission. Approving twice changes nothing the second time.
 */
import { AppError } from '../../core/errors.ts';
import type { Db } from '../../db/db.ts';
import { requireRole } from '../identity/index.ts';
import { enqueue } from '../platform/index.ts';
import { type ClaimKey, type ClaimRef, claimNotFound, findClaim, findClaims } from './claim-ref.ts';
import { inKeys } from './intake.ts';
import { overridePendingSql, pendingOverrides, pendingText } from './overrides.ts';

const deciders = ['approver', 'manager', 'rebate_analyst', 'administrator'] as const;

export interface Decided {
  claim_id: string;
  account_id: string;
  status: string;
}

/**
 * Approves validated claims with no line waiting for review, at their proposed amounts: `approved` when
 * every line is paid as claimed, `partially_approved` when some is adjusted or rejected, `rejected` when
 * nothing is left. `claims` limits it to those claims (a claim id alone where it names one claim the caller
 * may see, or with its account). A claim with an override waiting for an approver (`overrides.ts`) is not
 * approved: it is returned among `skipped` with the reason.
 */
export async function approveClaims(db: Db, claims?: readonly ClaimKey[]): Promise<Decided[]> {
  return (await decideClaims(db, claims)).decided;
}

export interface Skipped {
  claim_id: string;
  account_id: string;
  reason: string;
}

/** `approveClaims`, telling which ready claims were left and why (overrides waiting for an approver). */
export async function decideClaims(
  db: Db,
  claims?: readonly ClaimKey[],
): Promise<{ decided: Decided[]; skipped: Skipped[] }> {
  requireRole(db.actor, deciders);
  const result = await db.tx(async (tx) => {
    const refs: ClaimRef[] | null = claims ? await findClaims(tx, claims) : null;
    const keys = refs ? [refs.map((r) => r.account_id), refs.map((r) => r.claim_id)] : [];
    const { rows: waiting } = await tx.query<{ account_id: string; claim_id: string }>(
      `select distinct c.account_id, c.claim_id from claims c
       join claim_findings f on f.account_id = c.account_id and f.claim_id = c.claim_id
       where c.status in ('validated', 'in_review') and ${overridePendingSql('f')}
         ${refs ? `and ${inKeys('c', '$1', '$2')}` : ''}
       order by c.account_id, c.claim_id`,
      keys,
    );
    const pending = await pendingOverrides(tx, waiting);
    const skipped = waiting.map((w) => ({
      ...w,
      reason: `override waiting for an approver: ${pendingText(pending.get(`${w.account_id}\u0000${w.claim_id}`) ?? [])}`,
    }));
    const { rows } = await tx.query<Decided & { account_id: string; before: string }>(
      `with ready as (
         select c.account_id, c.claim_id, c.status as before,
           case when bool_and(l.status = 'rejected') then 'rejected'
                when bool_and(l.status = 'approved') then 'approved'
                else 'partially_approved' end as decision
         from claims c join claim_lines l on l.account_id = c.account_id and l.claim_id = c.claim_id
         where c.status in ('validated', 'in_review') ${refs ? `and ${inKeys('c', '$2', '$3')}` : ''}
           and not exists (select 1 from claim_findings f where f.account_id = c.account_id
                             and f.claim_id = c.claim_id and ${overridePendingSql('f')})
         group by c.account_id, c.claim_id, c.status
         having bool_and(l.status is not null and l.status <> 'review')
       )
       update claims c set status = r.decision, decided_at = now(), decided_by = $1, updated_at = now()
       from ready r where c.account_id = r.account_id and c.claim_id = r.claim_id
       returning c.account_id, c.claim_id, c.status, r.before`,
      [tx.actor.name, ...keys],
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
    return {
      decided: rows.map((r) => ({ claim_id: r.claim_id, account_id: r.account_id, status: r.status })),
      skipped,
    };
  });
  // A decision changes the partner's answer: the EDI module's job sends trading partners a new 849.
  if (result.decided.length > 0) await enqueue('edi.respond', {}, { singletonKey: 'edi.respond' });
  return result;
}

export async function approveClaim(db: Db, key: ClaimKey): Promise<Decided> {
  requireRole(db.actor, deciders);
  const ref = await findClaim(db, key);
  const claimId = ref.claim_id;
  const {
    decided: [decided],
    skipped,
  } = await decideClaims(db, [ref]);
  if (decided) return decided;
  if (skipped[0]) {
    throw new AppError('conflict', `Claim ${claimId} cannot be approved yet: ${skipped[0].reason}.`);
  }
  const { rows } = await db.query<{ status: string; waiting: boolean }>(
    `select c.status, exists (select 1 from claim_lines l where l.account_id = c.account_id and l.claim_id = c.claim_id
       and (l.status = 'review' or l.status is null)) as waiting
     from claims c where c.account_id = $1 and c.claim_id = $2`,
    [ref.account_id, claimId],
  );
  const claim = rows[0];
  if (!claim) throw claimNotFound(claimId);
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
export async function closeClaims(db: Db, claims?: readonly ClaimKey[]): Promise<Decided[]> {
  requireRole(db.actor, deciders);
  return db.tx(async (tx) => {
    const refs: ClaimRef[] | null = claims ? [] : null;
    for (const key of claims ?? []) refs!.push(await findClaim(tx, key));
    const { rows } = await tx.query<Decided & { account_id: string }>(
      `update claims c set status = 'closed', updated_at = now()
       where c.status = 'paid' ${refs ? `and ${inKeys('c', '$1', '$2')}` : ''}
       returning c.account_id, c.claim_id, c.status`,
      refs ? [refs.map((r) => r.account_id), refs.map((r) => r.claim_id)] : [],
    );
    if (rows.length > 0) {
      await tx.query(
        `insert into audit_events (account_id, entity_type, entity_id, action, actor_id, actor_name, before, after)
         select r.account_id, 'claim', r.claim_id, 'closed', $2, $3, '{"status":"paid"}', '{"status":"closed"}'
         from jsonb_to_recordset($1::jsonb) as r(account_id text, claim_id text)`,
        [JSON.stringify(rows), tx.actor.userId, tx.actor.name],
      );
    }
    if (refs?.length === 1 && rows.length === 0) {
      const ref = refs[0]!;
      const { rows: found } = await tx.query<{ status: string }>(
        'select status from claims where account_id = $1 and claim_id = $2',
        [ref.account_id, ref.claim_id],
      );
      if (!found[0]) throw claimNotFound(ref.claim_id);
      if (found[0].status !== 'closed') {
        throw new AppError(
          'conflict',
          `Claim ${ref.claim_id} is ${found[0].status.replace('_', ' ')}; only paid claims are closed.`,
        );
      }
    }
    return rows.map((r) => ({ claim_id: r.claim_id, account_id: r.account_id, status: r.status }));
  });
}
