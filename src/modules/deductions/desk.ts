/**
 * What every action on a deduction shares: who may act on it (the team of its queue, managers and
 * administrators; partners never), the deduction read and locked for the change, and its open amount (its
 * deduction document's amount less what was applied to it).
 */
import { AppError, notFound } from '../../core/errors.ts';
import type { Db, Row } from '../../db/db.ts';
import { type Role, requireInternal, requireRole } from '../identity/index.ts';
import { type DeductionQueue, roleOfQueue } from './categories.ts';

/** Roles that work every queue besides the queue's own team. */
export const deductionLeads: readonly Role[] = ['manager', 'administrator'];

/** The roles that may act on a deduction of `queue`. */
export function workersOf(queue: DeductionQueue): Role[] {
  return [roleOfQueue[queue] as Role, ...deductionLeads];
}

/** Partners are refused before anything is read, so another organisation's deduction is not even named. */
export function requireDeductionDesk(db: Db): void {
  requireInternal(db.actor);
}

export interface DeductionForAction {
  account_id: string;
  deduction_id: string;
  status: string;
  queue: DeductionQueue;
  category: string;
  validation: string | null;
  finding: string | null;
  amount: string;
  invalid_amount: string;
  valid_amount: string;
  currency: string;
  /** What is still open on the deduction document (0 when it has none). */
  open_amount: string;
  adjustment_id: string | null;
  /** The status of the adjustment last requested for it. */
  adjustment_status: string | null;
  country: string;
}

/**
 * Reads the deduction for a change, locked until the transaction ends (two people acting at once are
 * ordered), and checks the actor works its queue.
 */
export async function deductionForAction(
  tx: Db,
  deductionId: string,
  /** Any of the company's own users (a comment), not only the queue's team. */
  opts: { anyDeskUser?: boolean } = {},
): Promise<DeductionForAction> {
  requireDeductionDesk(tx);
  const { rows } = await tx.query<DeductionForAction>(
    `select d.account_id, d.deduction_id, d.status, d.queue, d.category, d.validation, d.finding,
       d.amount::text, d.invalid_amount::text, d.valid_amount::text, d.currency,
       coalesce((select x.amount - coalesce((select sum(e.amount) from ar_application_entries e
           where e.account_id = x.account_id and e.document_id = x.document_id), 0)
         from ar_documents x where x.document_id = d.deduction_id and x.type = 'deduction'), 0)::text
         as open_amount,
       d.adjustment_id, (select a.status from adjustments a where a.adjustment_id = d.adjustment_id)
         as adjustment_status,
       coalesce((select c.country from accounts c where c.account_id = d.account_id), 'US') as country
     from deductions d where d.deduction_id = $1
     for update of d`,
    [deductionId],
  );
  const d = rows[0];
  if (!d) throw notFound(`The deduction ${deductionId}`);
  if (!opts.anyDeskUser) requireRole(tx.actor, workersOf(d.queue));
  return d;
}

/** 409 unless the deduction is in one of `statuses`, naming what it is. */
export function requireStatus(d: DeductionForAction, statuses: readonly string[], action: string): void {
  if (!statuses.includes(d.status))
    throw new AppError(
      'conflict',
      `${d.deduction_id} is ${d.status.replaceAll('_', ' ')}: it cannot be ${action}.`,
      {
        details: { status: d.status },
      },
    );
  if (d.adjustment_status === 'pending')
    throw new AppError(
      'conflict',
      `${d.deduction_id} waits for the approval of ${d.adjustment_id}: decide that first.`,
      { details: { adjustment_id: d.adjustment_id } },
    );
}

/**
 * The same transaction acting for the deduction's team where another module asks for a desk role the team
 * does not hold (requesting an adjustment, queueing an e-mail): the deduction's own check (its queue's team,
 * managers, administrators) already allowed the action, and the audit trail still names the person. The
 * control on the money stays the approval, which the requester can never give.
 */
export function actingForTeam(tx: Db, role: Role): Db {
  const actor = { ...tx.actor, roles: [...new Set([...tx.actor.roles, role])] };
  const view: Db = {
    actor,
    client: tx.client,
    query: <R extends Row>(text: string, values?: readonly unknown[]) => tx.query<R>(text, values),
    tx: (fn) => tx.tx(() => fn(view)),
  };
  return view;
}
