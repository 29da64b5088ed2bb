/**
 * Working a dispute: assigning it within its team or routing it to another team (the new team's SLA from
 * that day), comments, and the two endings that need no approval: rejected by the team with a reason (the
 * invoice stays owed), or withdrawn when the customer drops it.
 */
import { today } from '../../core/dates.ts';
import { AppError, notFound } from '../../core/errors.ts';
import type { Db } from '../../db/db.ts';
import { addBusinessDays } from '../calendar/index.ts';
import { hasAnyRole } from '../identity/index.ts';
import { recordAudit, recordAuditMany } from '../platform/index.ts';
import { type Dispute, type DisputeDetail, getDispute, readDispute } from './dispute-queries.ts';
import { checkAssignee, fail } from './open-dispute.ts';
import { disputeOpeners, disputeTeamRoles, mayWork, requireDisputes } from './roles.ts';
import {
  type AssignDisputeInput,
  activeStates,
  assignDisputeInput,
  type CloseDisputeInput,
  type CommentInput,
  closeDisputeInput,
  commentInput,
} from './schemas.ts';
import { teamLabels } from './timeline.ts';

/** The dispute, its row locked for the change; 404 when the caller cannot see it. */
export async function lockDispute(tx: Db, disputeId: string): Promise<Dispute> {
  await tx.query('select 1 from disputes where dispute_id = $1 for update', [disputeId]);
  const d = await readDispute(tx, disputeId);
  if (!d) throw notFound(`The dispute ${disputeId}`);
  return d;
}

export function requireActive(d: Dispute, what: string): void {
  if (!activeStates.includes(d.state))
    throw new AppError(
      'conflict',
      `${d.dispute_id} is ${d.state.replaceAll('_', ' ')}: it cannot be ${what} any more.`,
    );
}

export function requireNoPendingAdjustment(d: Dispute, what: string): void {
  if (d.awaiting_approval)
    throw new AppError(
      'conflict',
      `${d.dispute_id} waits for the approval of ${d.adjustment_id}: it cannot be ${what} until that is approved or refused.`,
      { details: { adjustment_id: d.adjustment_id } },
    );
}

export function requireWorker(db: Db, d: Dispute): void {
  if (!mayWork(db.actor.roles, d.team))
    throw new AppError(
      'forbidden',
      `${d.dispute_id} is with the ${teamLabels[d.team]} team: its members, a manager or an administrator work it.`,
    );
}

export async function assignDispute(
  db: Db,
  disputeId: string,
  raw: AssignDisputeInput,
): Promise<DisputeDetail> {
  requireDisputes(db);
  const input = assignDisputeInput.parse(raw);
  if (input.team === undefined && input.assignee === undefined)
    fail([{ field: 'team', message: 'name a team to route it to, or an assignee' }]);
  return db.tx(async (tx) => {
    const d = await lockDispute(tx, disputeId);
    requireActive(d, 'reassigned');
    const on = today();
    if (input.team !== undefined && input.team !== d.team) {
      if (!mayWork(tx.actor.roles, d.team) && !hasAnyRole(tx.actor.roles, disputeOpeners))
        throw new AppError(
          'forbidden',
          `${d.dispute_id} is with the ${teamLabels[d.team]} team: its members, collectors or a manager route it.`,
        );
      requireNoPendingAdjustment(d, 'routed to another team');
      const team = input.team;
      const assignee = input.assignee ? await checkAssignee(tx, input.assignee, team) : null;
      const { rows } = await tx.query<{ sla: number; country: string | null }>(
        `select t.sla_business_days as sla, (select country from accounts where account_id = $2) as country
         from dispute_teams t where t.team = $1`,
        [team, d.account_id],
      );
      const sla = rows[0]!.sla;
      const due = addBusinessDays(rows[0]!.country ?? '', on, sla);
      const state = assignee ? 'in_review' : 'open';
      await tx.query(
        `update disputes set team = $2, assignee = $3, state = $4, routed_on = $5, sla_business_days = $6,
           due_date = $7, updated_at = now()
         where dispute_id = $1`,
        [disputeId, team, assignee, state, on, sla, due],
      );
      await recordAudit(tx, {
        entityType: 'dispute',
        entityId: disputeId,
        accountId: d.account_id,
        action: 'routed',
        before: { team: d.team, assignee: d.assignee, state: d.state, due_date: d.due_date },
        after: { team, assignee, state, due_date: due, note: input.note ?? null },
      });
      return getDispute(tx, disputeId);
    }
    if (input.assignee === undefined) fail([{ field: 'team', message: `it is with ${d.team} already` }]);
    requireWorker(tx, d);
    const assignee = input.assignee === null ? null : await checkAssignee(tx, input.assignee, d.team);
    if (assignee === d.assignee) return getDispute(tx, disputeId);
    const state = assignee || d.awaiting_approval ? 'in_review' : 'open';
    await tx.query(
      'update disputes set assignee = $2, state = $3, updated_at = now() where dispute_id = $1',
      [disputeId, assignee, state],
    );
    await recordAudit(tx, {
      entityType: 'dispute',
      entityId: disputeId,
      accountId: d.account_id,
      action: 'assigned',
      before: { assignee: d.assignee, state: d.state },
      after: { assignee, state, note: input.note ?? null },
    });
    return getDispute(tx, disputeId);
  });
}

export async function commentOnDispute(db: Db, disputeId: string, raw: CommentInput): Promise<DisputeDetail> {
  requireDisputes(db, [...disputeOpeners, ...disputeTeamRoles]);
  const input = commentInput.parse(raw);
  return db.tx(async (tx) => {
    const d = await readDispute(tx, disputeId);
    if (!d) throw notFound(`The dispute ${disputeId}`);
    const { rows } = await tx.query<{ comment_id: string }>(
      `insert into dispute_comments (account_id, dispute_id, body, author, author_id)
       values ($1, $2, $3, $4, $5::uuid) returning comment_id::text`,
      [d.account_id, disputeId, input.body, tx.actor.name, tx.actor.userId],
    );
    await recordAudit(tx, {
      entityType: 'dispute',
      entityId: disputeId,
      accountId: d.account_id,
      action: 'commented',
      after: { comment_id: rows[0]!.comment_id, body: input.body },
    });
    return getDispute(tx, disputeId);
  });
}

async function closeDispute(
  db: Db,
  disputeId: string,
  raw: CloseDisputeInput,
  ending: 'rejected' | 'withdrawn',
): Promise<DisputeDetail> {
  requireDisputes(db);
  const input = closeDisputeInput.parse(raw);
  return db.tx(async (tx) => {
    const d = await lockDispute(tx, disputeId);
    const verb = ending === 'rejected' ? 'rejected' : 'withdrawn';
    requireActive(d, verb);
    if (ending === 'rejected') requireWorker(tx, d);
    else if (!mayWork(tx.actor.roles, d.team) && !hasAnyRole(tx.actor.roles, disputeOpeners))
      throw new AppError('forbidden', 'Collectors, the dispute’s team and managers withdraw disputes.');
    requireNoPendingAdjustment(d, verb);
    const on = today();
    await tx.query(
      `update disputes set state = $2, closed_on = $3, resolution = $4, updated_at = now() where dispute_id = $1`,
      [disputeId, ending, on, input.reason],
    );
    await recordAuditMany(tx, [
      {
        entityType: 'dispute',
        entityId: disputeId,
        accountId: d.account_id,
        action: ending,
        before: { state: d.state },
        after: { state: ending, closed_on: on, reason: input.reason },
      },
      {
        entityType: 'ar_document',
        entityId: d.document_id,
        accountId: d.account_id,
        action: `dispute_${ending}`,
        after: {
          dispute_id: disputeId,
          reason: input.reason,
          text: `Dispute ${disputeId} ${verb}: ${input.reason}`,
        },
      },
    ]);
    return getDispute(tx, disputeId);
  });
}

/** The team finds the invoice right: the dispute ends and the invoice stays owed as it is. */
export function rejectDispute(db: Db, disputeId: string, raw: CloseDisputeInput): Promise<DisputeDetail> {
  return closeDispute(db, disputeId, raw, 'rejected');
}

/** The customer drops the dispute. */
export function withdrawDispute(db: Db, disputeId: string, raw: CloseDisputeInput): Promise<DisputeDetail> {
  return closeDispute(db, disputeId, raw, 'withdrawn');
}
