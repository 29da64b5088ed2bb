import { AppError, notFound } from '../../core/errors.ts';
import { Money } from '../../core/money.ts';
import type { Db } from '../../db/db.ts';
import { requireRole } from '../identity/index.ts';
import { recordAudit, recordAuditMany } from '../platform/index.ts';
import {
  type CreateAccountInput,
  createAccountInput,
  type UpdateAccountInput,
  updateAccountInput,
} from './account-schemas.ts';

/** An account: a customer or partner (sold-to / bill-to); the web app uses this type too (import type). */
export interface AccountRow {
  account_id: string;
  name: string;
  country: string;
  currency: string;
  payment_terms_days: number;
  /** Decimal string in the account's currency; null means no limit set. */
  credit_limit: string | null;
  parent_account_id: string | null;
  collector: string | null;
  rebate_analyst: string | null;
  billing_email: string | null;
  claims_email: string | null;
  segment: string | null;
  /** E-mail of the sales owner: payment delays are escalated to them. */
  sales_owner: string | null;
  bank_routing_number: string | null;
  bank_account_number: string | null;
  created_at: Date;
  updated_at: Date;
}

const editors = ['administrator', 'rebate_analyst', 'collector', 'manager'] as const;

const columns = [
  'name',
  'country',
  'currency',
  'payment_terms_days',
  'credit_limit',
  'parent_account_id',
  'collector',
  'rebate_analyst',
  'billing_email',
  'claims_email',
  'segment',
  'sales_owner',
  'bank_routing_number',
  'bank_account_number',
] as const;

function auditView(a: AccountRow): Record<string, unknown> {
  const { created_at: _c, updated_at: _u, ...rest } = a;
  return rest;
}

export async function listAccounts(db: Db): Promise<AccountRow[]> {
  const { rows } = await db.query<AccountRow>('select * from accounts order by account_id');
  return rows;
}

export async function findAccount(db: Db, accountId: string): Promise<AccountRow | undefined> {
  const { rows } = await db.query<AccountRow>('select * from accounts where account_id = $1', [accountId]);
  return rows[0];
}

export async function getAccount(db: Db, accountId: string): Promise<AccountRow> {
  const account = await findAccount(db, accountId);
  if (!account) throw notFound(`The account ${accountId}`);
  return account;
}

async function checkParent(db: Db, accountId: string, parentId: string | null | undefined): Promise<void> {
  if (!parentId) return;
  const { rows } = await db.query<{ cycle: boolean }>(
    `select exists (select 1 from account_subtree($1) s where s = $2) as cycle
     from accounts where account_id = $2`,
    [accountId, parentId],
  );
  if (!rows[0]) {
    throw new AppError('validation_failed', `The parent account ${parentId} does not exist.`, {
      issues: [{ field: 'parent_account_id', message: 'no such account' }],
    });
  }
  if (rows[0].cycle) {
    throw new AppError(
      'validation_failed',
      `${parentId} is below ${accountId}; an account cannot be its own ancestor.`,
      {
        issues: [{ field: 'parent_account_id', message: 'would create a cycle' }],
      },
    );
  }
}

export async function createAccount(db: Db, raw: CreateAccountInput): Promise<AccountRow> {
  requireRole(db.actor, editors);
  const input = createAccountInput.parse(raw);
  return db.tx(async (tx) => {
    await checkParent(tx, input.account_id, input.parent_account_id);
    const values = columns.map((c) => input[c] ?? null);
    values[columns.indexOf('payment_terms_days')] = input.payment_terms_days ?? 30;
    const { rowCount } = await tx.query(
      `insert into accounts (account_id, ${columns.join(', ')})
       values ($1, ${columns.map((_, i) => `$${i + 2}`).join(', ')}) on conflict (account_id) do nothing`,
      [input.account_id, ...values],
    );
    if (!rowCount) throw new AppError('conflict', `The account ${input.account_id} already exists.`);
    const account = (await findAccount(tx, input.account_id))!;
    await recordAudit(tx, {
      entityType: 'account',
      entityId: account.account_id,
      accountId: account.account_id,
      action: 'created',
      after: auditView(account),
    });
    return account;
  });
}

function sameAmount(a: string | null, b: string | null): boolean {
  if (a === null || b === null) return a === b;
  return new Money(a).equals(b);
}

export async function updateAccount(db: Db, accountId: string, raw: UpdateAccountInput): Promise<AccountRow> {
  requireRole(db.actor, editors);
  const input = updateAccountInput.parse(raw);
  return db.tx(async (tx) => {
    const before = await findAccount(tx, accountId);
    if (!before) throw notFound(`The account ${accountId}`);
    // Credit limits change only through approved requests (src/modules/credit); the same amount is no change.
    if (input.credit_limit !== undefined && !sameAmount(input.credit_limit ?? null, before.credit_limit))
      throw new AppError(
        'validation_failed',
        `credit_limit: the credit limit of ${accountId} changes only through an approved credit-limit request`,
        {
          issues: [
            {
              field: 'credit_limit',
              message: 'ask for it with a credit-limit request, which an approver decides',
            },
          ],
        },
      );
    const changed = columns.filter((c) => input[c] !== undefined && c !== 'credit_limit');
    if (changed.length === 0) return before;
    if (input.parent_account_id !== undefined) await checkParent(tx, accountId, input.parent_account_id);
    await tx.query(
      `update accounts set ${changed.map((c, i) => `${c} = $${i + 2}`).join(', ')}, updated_at = now()
       where account_id = $1`,
      [accountId, ...changed.map((c) => input[c] ?? null)],
    );
    const after = (await findAccount(tx, accountId))!;
    await recordAudit(tx, {
      entityType: 'account',
      entityId: accountId,
      accountId,
      action: 'updated',
      before: auditView(before),
      after: auditView(after),
    });
    return after;
  });
}

/**
 * Assigns accounts to a collector (an e-mail; null leaves them unassigned) in one statement, with an audit
 * event per account that changed. Assigning again changes nothing: `changed` counts only accounts whose
 * collector was another. Accounts the caller may not see do not exist for it (row security): `missing`.
 */
export async function assignCollector(
  db: Db,
  accountIds: readonly string[],
  collector: string | null,
): Promise<{ changed: string[]; unchanged: string[]; missing: string[] }> {
  requireRole(db.actor, editors);
  const ids = [...new Set(accountIds)].sort();
  return db.tx(async (tx) => {
    const { rows } = await tx.query<{ account_id: string; before: string | null; changed: boolean }>(
      `with old as (
         select account_id, collector from accounts where account_id = any($1::text[]) for update
       ),
       upd as (
         update accounts a set collector = $2, updated_at = now()
         from old where a.account_id = old.account_id and a.collector is distinct from $2
         returning a.account_id
       )
       select old.account_id, old.collector as before, upd.account_id is not null as changed
       from old left join upd on upd.account_id = old.account_id`,
      [ids, collector],
    );
    const changed = rows.filter((r) => r.changed);
    await recordAuditMany(
      tx,
      changed.map((r) => ({
        entityType: 'account',
        entityId: r.account_id,
        accountId: r.account_id,
        action: 'updated',
        before: { collector: r.before },
        after: { collector },
      })),
    );
    const found = new Set(rows.map((r) => r.account_id));
    return {
      changed: changed.map((r) => r.account_id).sort(),
      unchanged: rows
        .filter((r) => !r.changed)
        .map((r) => r.account_id)
        .sort(),
      missing: ids.filter((id) => !found.has(id)),
    };
  });
}
