/**
 * Clearing credits against invoices: a customer's open credit memos, unapplied cash and on-account amounts
 * applied to its open invoices of the same currency — by a collector (pick and apply), or oldest-first by the
 * daily job for accounts whose policy says so. Entries, never edits (ar_applications and its journal);
 * reversible. Cash of a bank credit still waiting in the exception queue is left to the person.
 */

import { z } from 'zod';
import { today } from '../../core/dates.ts';
import { AppError, notFound } from '../../core/errors.ts';
import { Money as Decimal } from '../../core/money.ts';
import type { Db } from '../../db/db.ts';
import { recordAudit } from '../platform/index.ts';
import { requireCashDesk } from './roles.ts';

const amount = z.string().regex(/^\d{1,15}(\.\d{1,2})?$/, 'an amount like 1234.50');

export const clearInput = z.object({
  source_id: z.string().min(1),
  lines: z
    .array(z.object({ document_id: z.string().min(1), amount }))
    .min(1)
    .max(500),
});
export type ClearInput = z.infer<typeof clearInput>;

/** Open credits of accounts (credit memos, payments not waiting for a person), as SQL over `$acct`. */
const sourcesSql = (where: string) => `
  select s.account_id, s.source_id, s.kind, s.source_date, s.currency,
    s.amount - coalesce((select sum(e.amount) from ar_application_entries e where e.payment_id = s.source_id), 0)
      as open_amount
  from ar_application_sources s
  where ${where}
    and not exists (select 1 from bank_credits c where c.payment_ref = s.source_id and c.status <> 'applied')`;

const documentsSql = (where: string) => `
  select d.account_id, d.document_id, d.type, d.document_date, d.due_date, d.currency,
    d.amount - coalesce((select sum(e.amount) from ar_application_entries e where e.document_id = d.document_id), 0)
      as open_amount
  from ar_documents d
  where d.type in ('invoice', 'debit_memo', 'non_compliance_charge') and ${where}`;

export interface OpenCredit {
  source_id: string;
  kind: 'payment' | 'credit_memo';
  source_date: string;
  currency: string;
  open_amount: string;
}
export interface OpenInvoice {
  document_id: string;
  type: string;
  document_date: string;
  due_date: string;
  currency: string;
  open_amount: string;
}
export interface ClearingView {
  account_id: string;
  auto_clear_credits: boolean;
  credits: OpenCredit[];
  invoices: OpenInvoice[];
  clearings: {
    clearing_id: string;
    source_id: string;
    document_id: string;
    amount: string;
    applied_date: string;
    mode: 'manual' | 'auto';
    created_at: string;
    reversed_at: string | null;
  }[];
}

/** An account's open credits beside its open invoices, its policy and its clearings. */
export async function clearingView(db: Db, accountId: string): Promise<ClearingView> {
  requireCashDesk(db);
  return db.tx(async (tx) => {
    const acct = await tx.query(`select 1 from accounts where account_id = $1`, [accountId]);
    if (!acct.rows[0]) throw notFound(`The account ${accountId}`);
    const policy = await tx.query<{ auto_clear_credits: boolean }>(
      `select auto_clear_credits from cash_account_policies where account_id = $1`,
      [accountId],
    );
    const credits = await tx.query<OpenCredit>(
      `select source_id, kind, source_date, currency, open_amount::text from (${sourcesSql('s.account_id = $1')}) x
       where open_amount > 0 order by source_date, source_id`,
      [accountId],
    );
    const invoices = await tx.query<OpenInvoice>(
      `select document_id, type, document_date, due_date, currency, open_amount::text
       from (${documentsSql('d.account_id = $1')}) x where open_amount > 0 order by due_date, document_id`,
      [accountId],
    );
    const clearings = await tx.query<ClearingView['clearings'][number]>(
      `select clearing_id::text, source_id, document_id, amount::text, applied_date, mode, created_at, reversed_at
       from cash_clearings where account_id = $1 order by clearing_id desc limit 200`,
      [accountId],
    );
    return {
      account_id: accountId,
      auto_clear_credits: policy.rows[0]?.auto_clear_credits ?? false,
      credits: credits.rows,
      invoices: invoices.rows,
      clearings: clearings.rows,
    };
  });
}

/** Sets whether an account's credits are cleared oldest-first by the daily job. */
export async function setClearingPolicy(
  db: Db,
  accountId: string,
  autoClear: boolean,
): Promise<{ account_id: string; auto_clear_credits: boolean }> {
  requireCashDesk(db);
  return db.tx(async (tx) => {
    const acct = await tx.query(`select 1 from accounts where account_id = $1`, [accountId]);
    if (!acct.rows[0]) throw notFound(`The account ${accountId}`);
    await tx.query(
      `insert into cash_account_policies (account_id, auto_clear_credits) values ($1, $2)
       on conflict (account_id) do update set auto_clear_credits = excluded.auto_clear_credits, updated_at = now()`,
      [accountId, autoClear],
    );
    await recordAudit(tx, {
      entityType: 'account',
      entityId: accountId,
      accountId,
      action: 'clearing_policy',
      after: { auto_clear_credits: autoClear },
    });
    return { account_id: accountId, auto_clear_credits: autoClear };
  });
}

/** Applies one open credit of an account to documents it picks. */
export async function clearCredit(
  db: Db,
  accountId: string,
  raw: ClearInput,
): Promise<{ cleared: string; clearing_ids: string[] }> {
  requireCashDesk(db);
  const input = clearInput.parse(raw);
  return db.tx(async (tx) => {
    await tx.query(`select pg_advisory_xact_lock(hashtext('clearhouse.cash.clear:' || $1))`, [accountId]);
    const src = await tx.query<OpenCredit & { account_id: string }>(
      `select account_id, source_id, kind, source_date, currency, open_amount::text
       from (${sourcesSql('s.account_id = $1 and s.source_id = $2')}) x`,
      [accountId, input.source_id],
    );
    const source = src.rows[0];
    if (!source) throw notFound(`The open credit ${input.source_id} of account ${accountId}`);
    const total = input.lines.reduce((a, l) => a.plus(l.amount), new Decimal(0));
    if (total.gt(source.open_amount)) {
      throw new AppError(
        'validation_failed',
        `${total.toFixed(2)} is more than the ${source.open_amount} open on ${input.source_id}.`,
      );
    }
    const docs = await tx.query<OpenInvoice & { requested: string }>(
      `select l.document_id, d.type, d.document_date, d.due_date, d.currency, d.open_amount::text,
         l.amount::text as requested
       from json_to_recordset($3::json) as l(document_id text, amount numeric)
       left join (${documentsSql('d.account_id = $1')}) d on d.document_id = l.document_id
       where $2::text is not null`,
      [accountId, source.currency, JSON.stringify(input.lines)],
    );
    for (const d of docs.rows) {
      if (!d.type) throw notFound(`The open invoice ${d.document_id} of account ${accountId}`);
      if (d.currency !== source.currency) {
        throw new AppError(
          'validation_failed',
          `${d.document_id} is in ${d.currency}, the credit in ${source.currency}.`,
        );
      }
      if (new Decimal(d.requested).gt(d.open_amount) || new Decimal(d.requested).lte(0)) {
        throw new AppError(
          'validation_failed',
          `${d.document_id} has ${d.open_amount} open; ${d.requested} cannot be applied.`,
        );
      }
    }
    const rows = docs.rows.map((d) => ({
      document_id: d.document_id,
      amount: d.requested,
      applied_date: [today(), d.document_date, source.source_date].sort().at(-1)!,
    }));
    const ids = await postClearings(tx, accountId, input.source_id, rows, 'manual');
    await recordAudit(tx, {
      entityType: 'account',
      entityId: accountId,
      accountId,
      action: 'credits_cleared',
      after: { source_id: input.source_id, lines: input.lines },
    });
    return { cleared: total.toFixed(2), clearing_ids: ids };
  });
}

async function postClearings(
  tx: Db,
  accountId: string,
  sourceId: string,
  rows: { document_id: string; amount: string; applied_date: string }[],
  mode: 'manual' | 'auto',
): Promise<string[]> {
  const json = JSON.stringify(rows.map((r) => ({ ...r, source_id: sourceId, account_id: accountId })));
  return postClearingRows(tx, json, mode);
}

async function postClearingRows(tx: Db, json: string, mode: 'manual' | 'auto'): Promise<string[]> {
  await tx.query(
    `insert into ar_applications as a (account_id, payment_id, document_id, applied_date, amount)
     select r.account_id, r.source_id, r.document_id, r.applied_date, r.amount
     from json_to_recordset($1::json) as r(account_id text, source_id text, document_id text, applied_date date,
       amount numeric)
     order by r.account_id, r.source_id, r.document_id
     on conflict (account_id, payment_id, document_id) do update set amount = a.amount + excluded.amount,
       updated_at = now()`,
    [json],
  );
  const ids = await tx.query<{ clearing_id: string }>(
    `insert into cash_clearings (account_id, source_id, document_id, amount, applied_date, mode)
     select r.account_id, r.source_id, r.document_id, r.amount, r.applied_date, $2
     from json_to_recordset($1::json) as r(account_id text, source_id text, document_id text, applied_date date,
       amount numeric)
     returning clearing_id::text`,
    [json, mode],
  );
  return ids.rows.map((r) => r.clearing_id);
}

/** Reverses one clearing: its amount comes off the application (the journal records the reversal). */
export async function reverseClearing(
  db: Db,
  accountId: string,
  clearingId: string,
): Promise<{ clearing_id: string; reversed: true }> {
  requireCashDesk(db);
  return db.tx(async (tx) => {
    const found = await tx.query<{
      source_id: string;
      document_id: string;
      amount: string;
      reversed_at: string | null;
    }>(
      `select source_id, document_id, amount::text, reversed_at from cash_clearings
       where account_id = $1 and clearing_id = $2::bigint for update`,
      [accountId, /^\d+$/.test(clearingId) ? clearingId : '0'],
    );
    const c = found.rows[0];
    if (!c) throw notFound(`The clearing ${clearingId}`);
    if (c.reversed_at) throw new AppError('conflict', `The clearing ${clearingId} is already reversed.`);
    const app = await tx.query<{ amount: string }>(
      `select amount::text from ar_applications where account_id = $1 and payment_id = $2 and document_id = $3
       for update`,
      [accountId, c.source_id, c.document_id],
    );
    const current = app.rows[0];
    if (!current || new Decimal(current.amount).lt(c.amount)) {
      throw new AppError(
        'conflict',
        `The application of ${c.source_id} to ${c.document_id} has changed since.`,
      );
    }
    if (new Decimal(current.amount).eq(c.amount)) {
      await tx.query(
        `delete from ar_applications where account_id = $1 and payment_id = $2 and document_id = $3`,
        [accountId, c.source_id, c.document_id],
      );
    } else {
      await tx.query(
        `update ar_applications set amount = amount - $4::numeric, updated_at = now()
         where account_id = $1 and payment_id = $2 and document_id = $3`,
        [accountId, c.source_id, c.document_id, c.amount],
      );
    }
    await tx.query(
      `update cash_clearings set reversed_at = now() where account_id = $1 and clearing_id = $2`,
      [accountId, clearingId],
    );
    await recordAudit(tx, {
      entityType: 'account',
      entityId: accountId,
      accountId,
      action: 'clearing_reversed',
      before: { clearing_id: clearingId, ...c },
    });
    return { clearing_id: clearingId, reversed: true };
  });
}

/**
 * The daily job: for every account whose policy says so (or the one given), open credits oldest first are
 * applied to open invoices oldest due date first, per currency — one query over the running sums of both
 * (each pair gets the overlap of its two ranges).
 */
export async function autoClearCredits(
  db: Db,
  opts: { account_id?: string; as_of?: string } = {},
): Promise<{ accounts: number; applications: number; amount: string }> {
  requireCashDesk(db);
  const asOf = opts.as_of ?? today();
  return db.tx(async (tx) => {
    await tx.query(`select pg_advisory_xact_lock(hashtext('clearhouse.cash.autoclear'))`);
    const where = opts.account_id
      ? `account_id = $2`
      : `account_id in (select p.account_id from cash_account_policies p where p.auto_clear_credits)`;
    const params: unknown[] = [asOf];
    if (opts.account_id) params.push(opts.account_id);
    const pairs = await tx.query<{
      account_id: string;
      source_id: string;
      document_id: string;
      amount: string;
      applied_date: string;
    }>(
      `with s as (
         select x.*, sum(x.open_amount) over w - x.open_amount as lo, sum(x.open_amount) over w as hi
         from (${sourcesSql(`s.${where} and s.source_date <= $1::date`)}) x
         where x.open_amount > 0
         window w as (partition by x.account_id, x.currency order by x.source_date, x.source_id)
       ),
       d as (
         select x.*, sum(x.open_amount) over w - x.open_amount as lo, sum(x.open_amount) over w as hi
         from (${documentsSql(`d.${where} and d.document_date <= $1::date`)}) x
         where x.open_amount > 0
         window w as (partition by x.account_id, x.currency order by x.due_date, x.document_id)
       )
       select s.account_id, s.source_id, d.document_id, (least(s.hi, d.hi) - greatest(s.lo, d.lo))::text as amount,
         greatest($1::date, s.source_date, d.document_date) as applied_date
       from s join d on d.account_id = s.account_id and d.currency = s.currency and s.lo < d.hi and d.lo < s.hi
       order by s.account_id, s.source_id, d.document_id`,
      params,
    );
    if (pairs.rows.length > 0) await postClearingRows(tx, JSON.stringify(pairs.rows), 'auto');
    const total = pairs.rows.reduce((a, r) => a.plus(r.amount), new Decimal(0));
    return {
      accounts: new Set(pairs.rows.map((r) => r.account_id)).size,
      applications: pairs.rows.length,
      amount: total.toFixed(2),
    };
  });
}
