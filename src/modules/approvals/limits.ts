/**
 * Approval limits: each user's limit per currency (none by default: a user without a limit approves nothing
 * in that currency), and the second-level threshold above which a request needs two approvals.
 */
import { z } from 'zod';
import { AppError, notFound } from '../../core/errors.ts';
import { formatAmount, isAmountString } from '../../core/money.ts';
import type { Db } from '../../db/db.ts';
import { requireRole } from '../identity/index.ts';
import { recordAudit } from '../platform/index.ts';

export interface ApprovalLimit {
  currency: string;
  amount: string;
}

export interface UserLimits {
  user_id: string;
  email: string;
  name: string;
  roles: string[];
  active: boolean;
  limits: ApprovalLimit[];
}

const currency = z
  .string()
  .trim()
  .transform((c) => c.toUpperCase())
  .pipe(z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 currency code such as USD'));
const amount = z
  .string()
  .trim()
  .refine((a) => isAmountString(a) && !a.startsWith('-'), 'a positive decimal amount such as 5000.00');

export const approvalLimitsInput = z.object({
  limits: z.array(z.object({ currency, amount })).max(50),
});
export type ApprovalLimitsInput = z.input<typeof approvalLimitsInput>;

/** `USD:5000` (the CLI's --approval-limit) as a limit; a clear error naming the flag otherwise. */
export function parseLimitFlag(value: string): ApprovalLimit {
  const m = /^\s*([A-Za-z]{3})\s*:\s*(\d+(?:\.\d+)?)\s*$/.exec(value);
  if (!m)
    throw new AppError(
      'validation_failed',
      `--approval-limit ${value}: write CURRENCY:AMOUNT, e.g. USD:5000`,
      {
        issues: [{ field: 'approval_limit', message: 'CURRENCY:AMOUNT, e.g. USD:5000' }],
      },
    );
  const code = m[1]!.toUpperCase();
  return { currency: code, amount: formatAmount(m[2]!, code) };
}

export async function listApprovalLimits(db: Db): Promise<UserLimits[]> {
  requireRole(db.actor, ['administrator']);
  const { rows } = await db.query<UserLimits>(
    `select u.user_id::text, u.email, u.name, u.roles, u.active,
       coalesce((select jsonb_agg(jsonb_build_object('currency', l.currency, 'amount', l.amount::text)
                 order by l.currency)
                 from approval_limits l where l.user_id = u.user_id), '[]') as limits
     from users u where u.account_id is null order by u.email`,
  );
  return rows;
}

/** Replaces a user's limits (one per currency); audited on the user. */
export async function setApprovalLimits(
  db: Db,
  userId: string,
  raw: ApprovalLimitsInput,
): Promise<ApprovalLimit[]> {
  requireRole(db.actor, ['administrator']);
  const input = approvalLimitsInput.parse(raw);
  const seen = new Set<string>();
  for (const [i, l] of input.limits.entries()) {
    if (seen.has(l.currency))
      throw new AppError('validation_failed', `limits.${i}.currency: ${l.currency} is given twice`, {
        issues: [{ field: `limits.${i}.currency`, message: `${l.currency} is given twice` }],
      });
    seen.add(l.currency);
  }
  return db.tx(async (tx) => {
    const { rows: users } = await tx.query<{ account_id: string | null }>(
      'select account_id from users where user_id::text = $1',
      [userId],
    );
    if (!users[0]) throw notFound('The user');
    if (users[0].account_id && input.limits.length > 0)
      throw new AppError(
        'validation_failed',
        'Partner users approve nothing: they have no approval limits.',
        {
          issues: [{ field: 'limits', message: 'not for partner users' }],
        },
      );
    const before = await limitsOf(tx, userId);
    await tx.query('delete from approval_limits where user_id::text = $1', [userId]);
    if (input.limits.length > 0)
      await tx.query(
        `insert into approval_limits (user_id, currency, amount, updated_by)
         select $1::uuid, l.currency, l.amount::numeric, $3
         from jsonb_to_recordset($2::jsonb) as l(currency text, amount text)`,
        [userId, JSON.stringify(input.limits), tx.actor.name],
      );
    const after = await limitsOf(tx, userId);
    await recordAudit(tx, {
      entityType: 'user',
      entityId: userId,
      accountId: null,
      action: 'approval_limits_changed',
      before: { approval_limits: before },
      after: { approval_limits: after },
    });
    return after;
  });
}

export async function limitsOf(db: Db, userId: string): Promise<ApprovalLimit[]> {
  const { rows } = await db.query<ApprovalLimit>(
    `select currency::text, amount::text from approval_limits where user_id::text = $1 order by currency`,
    [userId],
  );
  return rows;
}

/** The amount above which a request in this currency needs a second approval. */
export async function secondLevelThreshold(db: Db, code: string): Promise<string> {
  const { rows } = await db.query<{ second_level: string }>(
    `select second_level::text from approval_thresholds where currency in ($1, '*')
     order by currency = '*' limit 1`,
    [code],
  );
  return rows[0]?.second_level ?? '25000.00';
}

export interface ApprovalThreshold {
  /** An ISO 4217 code, or `*` for every currency without a row of its own. */
  currency: string;
  second_level: string;
}

export const approvalThresholdInput = z.object({ second_level: amount });
export type ApprovalThresholdInput = z.input<typeof approvalThresholdInput>;

const thresholdCurrency = z
  .string()
  .trim()
  .transform((c) => c.toUpperCase())
  .pipe(z.string().regex(/^(\*|[A-Z]{3})$/, 'an ISO 4217 currency code such as USD, or * for the default'));

/** The second-level thresholds: `*` (every currency's default) and any currency's own. */
export async function listApprovalThresholds(db: Db): Promise<ApprovalThreshold[]> {
  requireRole(db.actor, ['administrator', 'manager', 'approver']);
  const { rows } = await db.query<ApprovalThreshold>(
    `select currency, second_level::text from approval_thresholds order by currency = '*' desc, currency`,
  );
  return rows;
}

/**
 * Sets the amount above which a request in `currency` (or, for `*`, in every currency without its own)
 * needs two approvals. Requests already made keep the number of approvals they were made with.
 */
export async function setApprovalThreshold(
  db: Db,
  rawCurrency: string,
  raw: ApprovalThresholdInput,
): Promise<ApprovalThreshold> {
  requireRole(db.actor, ['administrator']);
  const code = thresholdCurrency.parse(rawCurrency);
  const input = approvalThresholdInput.parse(raw);
  const value = formatAmount(input.second_level, code === '*' ? 'USD' : code);
  return db.tx(async (tx) => {
    const before = await tx.query<{ second_level: string }>(
      'select second_level::text from approval_thresholds where currency = $1',
      [code],
    );
    await tx.query(
      `insert into approval_thresholds (currency, second_level) values ($1, $2::numeric)
       on conflict (currency) do update set second_level = excluded.second_level`,
      [code, value],
    );
    await recordAudit(tx, {
      entityType: 'approval_threshold',
      entityId: code,
      accountId: null,
      action: 'approval_threshold_changed',
      before: before.rows[0] ? { second_level: before.rows[0].second_level } : null,
      after: { second_level: value },
    });
    return { currency: code, second_level: value };
  });
}

/** Removes a currency's own threshold (it falls back to `*`); the default itself stays. */
export async function removeApprovalThreshold(db: Db, rawCurrency: string): Promise<void> {
  requireRole(db.actor, ['administrator']);
  const code = thresholdCurrency.parse(rawCurrency);
  if (code === '*')
    throw new AppError('validation_failed', 'The default threshold (*) can be changed but not removed.', {
      issues: [{ field: 'currency', message: 'the default stays' }],
    });
  await db.tx(async (tx) => {
    const { rows } = await tx.query<{ second_level: string }>(
      'delete from approval_thresholds where currency = $1 returning second_level::text',
      [code],
    );
    if (!rows[0]) throw notFound('The threshold');
    await recordAudit(tx, {
      entityType: 'approval_threshold',
      entityId: code,
      accountId: null,
      action: 'approval_threshold_removed',
      before: { second_level: rows[0].second_level },
      after: null,
    });
  });
}
