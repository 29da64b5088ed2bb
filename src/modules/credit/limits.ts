/**
 * Credit limits change only through a request approved like an adjustment (CONTROLS.md, approvals): the
 * request names the account, currency and new limit with a comment; the approvals module decides it (nobody
 * approves their own, each approver within their limit, two above the second-level threshold) and, when
 * approved, the new limit is set in the same transaction. The request's amount, which decides who may approve
 * it, is the new limit (at least 0.01, so that lowering a limit to zero still needs an approver).
 */
import { today } from '../../core/dates.ts';
import { AppError, notFound } from '../../core/errors.ts';
import { formatAmount, Money } from '../../core/money.ts';
import type { Db } from '../../db/db.ts';
import {
  type ApprovalDecision,
  type ApprovalRequest,
  type ApprovalSubject,
  decideApproval,
  findApprovalRequest,
  openApprovalRequest,
} from '../approvals/index.ts';
import { requireRole } from '../identity/index.ts';
import { recordAudit } from '../platform/index.ts';
import { type CreditPosition, creditPositions } from './credit-queries.ts';
import { creditReaders, type LimitRequestInput, limitRequesters, limitRequestInput } from './schemas.ts';

export const limitSubject = 'credit_limit';

export interface CreditLimit {
  account_id: string;
  currency: string;
  amount: string;
  request_id: string | null;
  set_at: string;
  set_by: string;
}

export interface LimitRequest {
  request_id: string;
  account_id: string;
  account_name: string | null;
  currency: string;
  current_amount: string | null;
  new_amount: string;
  comment: string;
  status: 'pending' | 'approved' | 'refused';
  requested_by: string | null;
  requested_by_name: string;
  requested_at: string;
  decided_at: string | null;
}

export interface LimitRequestDetail extends LimitRequest {
  approval: ApprovalRequest | null;
  decisions: ApprovalDecision[];
}

const iso = (c: string) => `to_char(${c} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;
const requestColumns = `r.request_id, r.account_id, a.name as account_name, r.currency::text,
  r.current_amount::text, r.new_amount::text, r.comment, r.status, r.requested_by::text, r.requested_by_name,
  ${iso('r.requested_at')} as requested_at, ${iso('r.decided_at')} as decided_at`;

export async function getLimitRequest(db: Db, requestId: string): Promise<LimitRequestDetail> {
  requireRole(db.actor, creditReaders);
  const { rows } = await db.query<LimitRequest>(
    `select ${requestColumns} from credit_limit_requests r left join accounts a on a.account_id = r.account_id
     where r.request_id = $1`,
    [requestId],
  );
  const request = rows[0];
  if (!request) throw notFound(`The credit-limit request ${requestId}`);
  const found = await findApprovalRequest(db, limitSubject, requestId);
  return { ...request, approval: found?.request ?? null, decisions: found?.decisions ?? [] };
}

export async function listLimitRequests(db: Db, opts: { accountId?: string } = {}): Promise<LimitRequest[]> {
  requireRole(db.actor, creditReaders);
  const { rows } = await db.query<LimitRequest>(
    `select ${requestColumns} from credit_limit_requests r left join accounts a on a.account_id = r.account_id
     where ($1::text is null or r.account_id = $1)
     order by r.requested_at desc, r.request_id desc limit 500`,
    [opts.accountId ?? null],
  );
  return rows;
}

export interface AccountCredit {
  account_id: string;
  limits: CreditLimit[];
  positions: CreditPosition[];
  requests: LimitRequest[];
}

/** An account's own limits, its credit position per currency today (with the hierarchy) and its requests. */
export async function accountCredit(
  db: Db,
  accountId: string,
  asOf: string = today(),
): Promise<AccountCredit> {
  requireRole(db.actor, creditReaders);
  const { rowCount } = await db.query('select 1 from accounts where account_id = $1', [accountId]);
  if (!rowCount) throw notFound(`The account ${accountId}`);
  const { rows: limits } = await db.query<CreditLimit>(
    `select account_id, currency::text, amount::text, request_id, ${iso('set_at')} as set_at, set_by
     from credit_limits where account_id = $1 order by currency`,
    [accountId],
  );
  return {
    account_id: accountId,
    limits,
    positions: await creditPositions(db, asOf, accountId),
    requests: await listLimitRequests(db, { accountId }),
  };
}

/** Asks for a new limit; nothing changes until the request is approved. */
export async function requestLimitChange(db: Db, raw: LimitRequestInput): Promise<LimitRequestDetail> {
  requireRole(db.actor, limitRequesters);
  const input = limitRequestInput.parse(raw);
  const id = await db.tx(async (tx) => {
    const { rows: accounts } = await tx.query<{ currency: string; current: string | null }>(
      `select a.currency::text,
         (select l.amount::text from credit_limits l where l.account_id = a.account_id
            and l.currency = coalesce($2, a.currency)) as current
       from accounts a where a.account_id = $1`,
      [input.account_id, input.currency ?? null],
    );
    const account = accounts[0];
    if (!account)
      throw new AppError('validation_failed', `account_id: ${input.account_id} is not an account`, {
        issues: [{ field: 'account_id', message: 'no such account' }],
      });
    const currency = input.currency ?? account.currency;
    const wanted = formatAmount(new Money(input.credit_limit), currency);
    if (account.current !== null && new Money(account.current).equals(wanted))
      throw new AppError('validation_failed', `credit_limit: the limit is ${account.current} already`, {
        issues: [{ field: 'credit_limit', message: 'the same as the current limit' }],
      });
    const { rows: pending } = await tx.query<{ request_id: string }>(
      `select request_id from credit_limit_requests where account_id = $1 and currency = $2 and status = 'pending'`,
      [input.account_id, currency],
    );
    if (pending[0])
      throw new AppError(
        'conflict',
        `${pending[0].request_id} already asks to change the ${currency} limit of ${input.account_id}: it must be decided first.`,
      );
    const { rows: ids } = await tx.query<{ id: string }>(
      `select 'CL-' || lpad(nextval('credit_limit_request_numbers')::text, 6, '0') as id`,
    );
    const requestId = ids[0]!.id;
    await tx.query(
      `insert into credit_limit_requests (account_id, request_id, currency, current_amount, new_amount, comment,
         requested_by, requested_by_name)
       values ($1, $2, $3, $4::numeric, $5::numeric, $6, $7::uuid, $8)`,
      [
        input.account_id,
        requestId,
        currency,
        account.current,
        wanted,
        input.comment,
        tx.actor.userId,
        tx.actor.name,
      ],
    );
    const approvalAmount = new Money(wanted).gt(0) ? wanted : '0.01';
    await openApprovalRequest(tx, {
      subjectType: limitSubject,
      subjectId: requestId,
      accountId: input.account_id,
      title: `Credit limit of ${input.account_id} in ${currency}: ${account.current ?? 'none'} → ${wanted}`,
      currency,
      amount: approvalAmount,
    });
    await recordAudit(tx, {
      entityType: 'credit_limit_request',
      entityId: requestId,
      accountId: input.account_id,
      action: 'requested',
      after: { currency, current_amount: account.current, new_amount: wanted, comment: input.comment },
    });
    return requestId;
  });
  return getLimitRequest(db, id);
}

export const limitApprovals: ApprovalSubject = {
  async onApproved(tx, request) {
    const { rows } = await tx.query<{
      account_id: string;
      currency: string;
      new_amount: string;
      old: string | null;
    }>(
      `update credit_limit_requests r set status = 'approved', decided_at = now()
       where r.request_id = $1 and r.status = 'pending'
       returning r.account_id, r.currency::text, r.new_amount::text,
         (select l.amount::text from credit_limits l where l.account_id = r.account_id and l.currency = r.currency) as old`,
      [request.subject_id],
    );
    const r = rows[0];
    if (!r) return;
    await tx.query(
      `insert into credit_limits (account_id, currency, amount, request_id, set_at, set_by)
       values ($1, $2, $3::numeric, $4, now(), $5)
       on conflict (account_id, currency) do update
         set amount = excluded.amount, request_id = excluded.request_id, set_at = now(), set_by = excluded.set_by`,
      [r.account_id, r.currency, r.new_amount, request.subject_id, tx.actor.name],
    );
    // The account's own-currency limit is mirrored on the account (accounts.credit_limit); its trigger lets
    // only an approval change it.
    await tx.query(`select set_config('clearhouse.credit_limit_change', 'approved', true)`);
    await tx.query(
      `update accounts set credit_limit = $3::numeric, updated_at = now()
       where account_id = $1 and currency = $2 and credit_limit is distinct from $3::numeric`,
      [r.account_id, r.currency, r.new_amount],
    );
    await tx.query(`select set_config('clearhouse.credit_limit_change', '', true)`);
    await recordAudit(tx, {
      entityType: 'credit_limit_request',
      entityId: request.subject_id,
      accountId: r.account_id,
      action: 'limit_set',
      before: { amount: r.old },
      after: { amount: r.new_amount, currency: r.currency },
    });
  },
  async onRefused(tx, request) {
    await tx.query(
      `update credit_limit_requests set status = 'refused', decided_at = now()
       where request_id = $1 and status = 'pending'`,
      [request.subject_id],
    );
  },
};

export async function approveLimitRequest(
  db: Db,
  requestId: string,
  input: { comment?: string | undefined } = {},
): Promise<LimitRequestDetail> {
  await decideApproval(db, limitSubject, requestId, { decision: 'approve', comment: input.comment });
  return getLimitRequest(db, requestId);
}

export async function refuseLimitRequest(
  db: Db,
  requestId: string,
  input: { comment?: string | undefined } = {},
): Promise<LimitRequestDetail> {
  await decideApproval(db, limitSubject, requestId, { decision: 'refuse', comment: input.comment });
  return getLimitRequest(db, requestId);
}
