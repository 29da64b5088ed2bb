/**
 * Disputes as the customer sees them: a partner raises one from the portal on an invoice or debit memo of its
 * own account (the same checks and the same routing by category as the collections desk's, so the dispute
 * lands in the owning team's queue with its SLA) and follows its disputes: what, how much, where it stands
 * and by when it is answered. The desk's working details (assignee, comments, adjustments) stay the desk's.
 * Everything runs under the caller's row security: another organisation's account or invoice does not exist.
 */
import { z } from 'zod';
import { notFound } from '../../core/errors.ts';
import type { Db } from '../../db/db.ts';
import { isPartner, type Role, requireRole } from '../identity/index.ts';
import { insertDispute } from './open-dispute.ts';
import { disputeOpeners, disputeReaders } from './roles.ts';
import { type DisputeCategory, type DisputeState, openDisputeInput } from './schemas.ts';

/** What a customer says about an invoice: the desk's input without the team or the person to route it to. */
export const raiseDisputeInput = openDisputeInput.omit({ team: true, assignee: true }).strict();
export type RaiseDisputeInput = z.input<typeof raiseDisputeInput>;

export const accountDisputesQuery = z.object({
  /** `active` (open and being reviewed) or `all` (the default). */
  state: z.enum(['active', 'all']).default('all'),
});

export interface AccountDispute {
  dispute_id: string;
  account_id: string;
  document_id: string;
  category: DisputeCategory;
  currency: string;
  amount: string;
  description: string;
  customer_reference: string | null;
  /** The team working it, in words. */
  team_name: string;
  state: DisputeState;
  opened_on: string;
  /** When the team answers by (its SLA in business days). */
  due_date: string;
  closed_on: string | null;
  opened_by: string;
}

/** Partners for their own accounts (row security), the desk's dispute readers (or openers) for any. */
function requireAccountReader(db: Db, roles: readonly Role[] = disputeReaders): void {
  if (isPartner(db.actor.roles)) return;
  requireRole(db.actor, roles);
}

async function visibleAccount(db: Db, accountId: string): Promise<void> {
  const { rows } = await db.query('select 1 from accounts where account_id = $1', [accountId]);
  if (!rows[0]) throw notFound(`The account ${accountId}`);
}

const select = `select d.dispute_id, d.account_id, d.document_id, d.category, d.currency::text, d.amount::text,
    d.description, d.customer_reference, t.name as team_name, d.state, d.opened_on, d.due_date, d.closed_on,
    d.opened_by
  from disputes d join dispute_teams t on t.team = d.team`;

/** The account's disputes, active first, newest first. */
export async function listAccountDisputes(
  db: Db,
  accountId: string,
  raw: z.input<typeof accountDisputesQuery> = {},
): Promise<AccountDispute[]> {
  requireAccountReader(db);
  const q = accountDisputesQuery.parse(raw);
  return db.tx(async (tx) => {
    await visibleAccount(tx, accountId);
    const { rows } = await tx.query<AccountDispute>(
      `${select}
       where d.account_id = $1 and ($2 = 'all' or d.state in ('open', 'in_review'))
       order by d.state in ('open', 'in_review') desc, d.opened_on desc, d.dispute_id desc`,
      [accountId, q.state],
    );
    return rows;
  });
}

/** A partner (or the collections desk) raises a dispute on one of the account's invoices or debit memos. */
export async function raiseDispute(
  db: Db,
  accountId: string,
  raw: RaiseDisputeInput,
): Promise<AccountDispute> {
  requireAccountReader(db, disputeOpeners);
  const input = raiseDisputeInput.parse(raw);
  return db.tx(async (tx) => {
    await visibleAccount(tx, accountId);
    const id = await insertDispute(tx, input, accountId);
    const { rows } = await tx.query<AccountDispute>(`${select} where d.dispute_id = $1`, [id]);
    return rows[0]!;
  });
}
