/**
 * The approval chain (CONTROLS.md): a request of amount A needs approvals from distinct users whose limit in
 * its currency is at least A, none of them the requester: one up to the second-level threshold, two above
 * it. A refusal ends it. The request row is locked while a decision is taken, so two approvers at once, a
 * retry or a double click are decided one after the other: the first completes the request, the next finds
 * it no longer pending (409). When the last approval arrives, the subject's handler posts in the same
 * transaction, so a request is posted exactly once or not decided at all.
 */
import { today } from '../../core/dates.ts';
import { AppError, notFound } from '../../core/errors.ts';
import { Money } from '../../core/money.ts';
import type { Db } from '../../db/db.ts';
import { type Role, requireRole } from '../identity/index.ts';
import { recordAudit } from '../platform/index.ts';
import { secondLevelThreshold } from './limits.ts';

/** Who may decide requests at all (each still within their own limit). */
export const approvers: readonly Role[] = ['approver', 'manager', 'administrator'];

export interface ApprovalRequest {
  request_id: string;
  subject_type: string;
  subject_id: string;
  account_id: string;
  title: string;
  currency: string;
  amount: string;
  approvals_needed: number;
  status: 'pending' | 'approved' | 'refused';
  requested_by: string | null;
  requested_by_name: string;
  requested_at: string;
  decided_at: string | null;
}

export interface ApprovalDecision {
  user_id: string;
  user_name: string;
  decision: 'approve' | 'refuse';
  comment: string | null;
  decided_at: string;
}

/** What a subject (an adjustment, later a credit limit) does when its request is decided. */
export interface ApprovalSubject {
  /** Posts the subject; runs in the deciding transaction, dated `on`. */
  onApproved(tx: Db, request: ApprovalRequest, on: string): Promise<void>;
  onRefused(tx: Db, request: ApprovalRequest): Promise<void>;
  /** Checks that may refuse an approval before it is recorded (say, documents a reason requires). */
  beforeApprove?(tx: Db, request: ApprovalRequest): Promise<void>;
}

const subjects = new Map<string, ApprovalSubject>();

export function registerApprovalSubject(type: string, subject: ApprovalSubject): void {
  subjects.set(type, subject);
}

const requestColumns = `r.request_id::text, r.subject_type, r.subject_id, r.account_id, r.title, r.currency::text,
  r.amount::text, r.approvals_needed, r.status, r.requested_by::text, r.requested_by_name,
  to_char(r.requested_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as requested_at,
  to_char(r.decided_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as decided_at`;

export interface OpenRequestInput {
  subjectType: string;
  subjectId: string;
  accountId: string;
  title: string;
  currency: string;
  amount: string;
}

/** Opens the request for a subject (inside the subject's own transaction). */
export async function openApprovalRequest(tx: Db, input: OpenRequestInput): Promise<ApprovalRequest> {
  const threshold = await secondLevelThreshold(tx, input.currency);
  const needed = new Money(input.amount).greaterThan(threshold) ? 2 : 1;
  const { rows } = await tx.query<ApprovalRequest>(
    `insert into approval_requests as r (subject_type, subject_id, account_id, title, currency, amount,
       approvals_needed, requested_by, requested_by_name)
     values ($1, $2, $3, $4, $5, $6::numeric, $7, $8::uuid, $9)
     returning ${requestColumns}`,
    [
      input.subjectType,
      input.subjectId,
      input.accountId,
      input.title,
      input.currency,
      input.amount,
      needed,
      tx.actor.userId,
      tx.actor.name,
    ],
  );
  return rows[0]!;
}

export async function findApprovalRequest(
  db: Db,
  subjectType: string,
  subjectId: string,
): Promise<{ request: ApprovalRequest; decisions: ApprovalDecision[] } | undefined> {
  const { rows } = await db.query<ApprovalRequest>(
    `select ${requestColumns} from approval_requests r where r.subject_type = $1 and r.subject_id = $2`,
    [subjectType, subjectId],
  );
  const request = rows[0];
  if (!request) return undefined;
  return { request, decisions: await decisionsOf(db, request.request_id) };
}

async function decisionsOf(db: Db, requestId: string): Promise<ApprovalDecision[]> {
  const { rows } = await db.query<ApprovalDecision>(
    `select user_id::text, user_name, decision, comment,
       to_char(decided_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as decided_at
     from approval_decisions where request_id = $1 order by decided_at, user_name`,
    [requestId],
  );
  return rows;
}

export interface DecisionInput {
  decision: 'approve' | 'refuse';
  comment?: string | null | undefined;
}

export interface Decided {
  request: ApprovalRequest;
  decisions: ApprovalDecision[];
  /** True when this decision completed the request (approved and posted, or refused). */
  completed: boolean;
}

/** Why this actor may not decide this request, or null when they may. */
export async function mayDecide(tx: Db, request: ApprovalRequest): Promise<string | null> {
  if (request.requested_by && request.requested_by === tx.actor.userId)
    return 'You requested this yourself: someone else must approve or refuse it.';
  if (!tx.actor.userId) return 'Only a signed-in approver can decide a request.';
  const { rows } = await tx.query<{ amount: string | null }>(
    `select (select amount::text from approval_limits where user_id = $1::uuid and currency = $2) as amount`,
    [tx.actor.userId, request.currency],
  );
  const limit = rows[0]?.amount ?? null;
  if (limit === null)
    return `You have no approval limit in ${request.currency}: an administrator sets approval limits.`;
  if (new Money(limit).lessThan(request.amount))
    return `Your approval limit of ${limit} ${request.currency} is below the ${request.amount} ${request.currency} requested.`;
  return null;
}

/**
 * Approves or refuses a subject's request as the actor. 404 when the request does not exist (or cannot be
 * seen), 409 when it is no longer pending or the actor decided it already, 403 for the requester and for a
 * user whose limit in the currency is below the amount.
 */
export async function decideApproval(
  db: Db,
  subjectType: string,
  subjectId: string,
  input: DecisionInput,
): Promise<Decided> {
  requireRole(db.actor, approvers);
  const comment = input.comment?.trim() || null;
  if (input.decision === 'refuse' && !comment)
    throw new AppError('validation_failed', 'comment: say why the request is refused', {
      issues: [{ field: 'comment', message: 'say why the request is refused' }],
    });
  if (comment && comment.length > 2000)
    throw new AppError('validation_failed', 'comment: at most 2,000 characters', {
      issues: [{ field: 'comment', message: 'at most 2,000 characters' }],
    });
  const subject = subjects.get(subjectType);
  if (!subject) throw new Error(`no approval subject ${subjectType} is registered`);
  return db.tx(async (tx) => {
    const { rows } = await tx.query<ApprovalRequest>(
      `select ${requestColumns} from approval_requests r
       where r.subject_type = $1 and r.subject_id = $2 for update`,
      [subjectType, subjectId],
    );
    const request = rows[0];
    if (!request) throw notFound(`The request ${subjectId}`);
    if (request.status !== 'pending')
      throw new AppError(
        'conflict',
        `The request ${subjectId} is no longer pending: it was ${request.status}.`,
        {
          details: { status: request.status },
        },
      );
    const refusal = await mayDecide(tx, request);
    if (refusal) throw new AppError('forbidden', refusal);
    const mine = await tx.query(
      'select 1 from approval_decisions where request_id = $1 and user_id = $2::uuid',
      [request.request_id, tx.actor.userId],
    );
    if (mine.rowCount)
      throw new AppError(
        'conflict',
        `You have already approved ${subjectId}: it waits for a second approver.`,
      );
    if (input.decision === 'approve') await subject.beforeApprove?.(tx, request);
    await tx.query(
      `insert into approval_decisions (request_id, user_id, user_name, decision, comment)
       values ($1, $2::uuid, $3, $4, $5)`,
      [request.request_id, tx.actor.userId, tx.actor.name, input.decision, comment],
    );
    const { rows: counted } = await tx.query<{ approvals: number }>(
      `select count(*)::int as approvals from approval_decisions where request_id = $1 and decision = 'approve'`,
      [request.request_id],
    );
    const approvals = counted[0]!.approvals;
    const status =
      input.decision === 'refuse'
        ? 'refused'
        : approvals >= request.approvals_needed
          ? 'approved'
          : 'pending';
    if (status !== 'pending')
      await tx.query(`update approval_requests set status = $2, decided_at = now() where request_id = $1`, [
        request.request_id,
        status,
      ]);
    const after: ApprovalRequest = { ...request, status };
    await recordAudit(tx, {
      entityType: subjectType,
      entityId: subjectId,
      accountId: request.account_id,
      action:
        input.decision === 'approve' ? (status === 'approved' ? 'approved' : 'approval_recorded') : 'refused',
      before: { status: request.status },
      after: {
        status,
        decision: input.decision,
        comment,
        approvals,
        approvals_needed: request.approvals_needed,
      },
    });
    if (status === 'approved') await subject.onApproved(tx, after, today());
    if (status === 'refused') await subject.onRefused(tx, after);
    const { rows: fresh } = await tx.query<ApprovalRequest>(
      `select ${requestColumns} from approval_requests r where r.request_id = $1`,
      [request.request_id],
    );
    return {
      request: fresh[0]!,
      decisions: await decisionsOf(tx, request.request_id),
      completed: status !== 'pending',
    };
  });
}

export interface InboxEntry extends ApprovalRequest {
  approvals: number;
  waiting_hours: number;
}

/** What waits for the actor: pending requests they may decide (within their limit, not their own, not yet decided by them). */
export async function approvalInbox(db: Db): Promise<InboxEntry[]> {
  requireRole(db.actor, approvers);
  if (!db.actor.userId) return [];
  const { rows } = await db.query<InboxEntry>(
    `select ${requestColumns},
       (select count(*)::int from approval_decisions d where d.request_id = r.request_id and d.decision = 'approve')
         as approvals,
       floor(extract(epoch from now() - r.requested_at) / 3600)::int as waiting_hours
     from approval_requests r
     join approval_limits l on l.user_id = $1::uuid and l.currency = r.currency and l.amount >= r.amount
     where r.status = 'pending' and r.requested_by is distinct from $1::uuid
       and not exists (select 1 from approval_decisions d where d.request_id = r.request_id and d.user_id = $1::uuid)
     order by r.requested_at, r.request_id`,
    [db.actor.userId],
  );
  return rows;
}
