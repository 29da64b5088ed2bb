/**
 * Promises to pay: an amount by a date, for some of the account's items (none = any payment). Creating one
 * also writes a 'promise' activity. The collections.promises job decides each open promise once: kept as
 * soon as the applications to its items (or the account's payments when it lists none) dated from the day
 * it was made to the promised date + grace cover the amount; broken once that day has passed without.
 */
import { Decimal } from 'decimal.js';
import { z } from 'zod';
import { today } from '../../core/dates.ts';
import { AppError } from '../../core/errors.ts';
import type { Db } from '../../db/db.ts';
import { recordAudit } from '../platform/index.ts';
import { insertActivity, requireAccount, requireCollections, requireItems } from './activities.ts';

/** Days after the promised date a payment still keeps the promise. */
export const promiseGraceDays = 3;

export interface PromiseRow {
  promise_id: string;
  account_id: string;
  amount: string;
  currency: string;
  made_on: string;
  promised_date: string;
  document_ids: string[];
  status: 'open' | 'kept' | 'broken' | 'cancelled';
  covered_amount: string | null;
  decided_at: string | null;
  note: string;
  created_at: string;
  created_by: string | null;
}

const columns = `promise_id::text, account_id, amount::text, currency, made_on, promised_date, document_ids,
  status, covered_amount::text, decided_at, note, created_at, created_by`;
const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : (v as string | null));
const toRow = (r: PromiseRow): PromiseRow => ({
  ...r,
  decided_at: iso(r.decided_at),
  created_at: iso(r.created_at)!,
});

const dateText = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD');
const amountText = z
  .string()
  .trim()
  .regex(/^\d{1,16}(\.\d{1,2})?$/, { message: 'a positive amount with at most 2 decimals', abort: true })
  .refine((v) => new Decimal(v).gt(0), 'must be more than zero');

export const promiseInput = z.object({
  amount: amountText,
  promised_date: dateText,
  document_ids: z.array(z.string().trim().min(1).max(200)).max(500).default([]),
  currency: z
    .string()
    .trim()
    .regex(/^[A-Za-z]{3}$/)
    .optional(),
  note: z.string().trim().max(10_000).default(''),
});
export type PromiseInput = z.input<typeof promiseInput>;

export async function createPromise(db: Db, accountId: string, raw: PromiseInput): Promise<PromiseRow> {
  requireCollections(db, true);
  const input = promiseInput.parse(raw);
  const madeOn = today();
  if (input.promised_date < madeOn)
    throw new AppError('validation_failed', 'A promise to pay is for today or a later date.', {
      issues: [{ field: 'promised_date', message: 'in the past' }],
    });
  const ids = [...new Set(input.document_ids)];
  return db.tx(async (tx) => {
    const account = await requireAccount(tx, accountId);
    await requireItems(tx, accountId, ids);
    const { rows } = await tx.query<PromiseRow>(
      `insert into promises (account_id, amount, currency, made_on, promised_date, document_ids, note)
       values ($1, $2::numeric, upper($3), $4, $5, $6::text[], $7) returning ${columns}`,
      [
        accountId,
        input.amount,
        input.currency ?? account.currency,
        madeOn,
        input.promised_date,
        ids,
        input.note,
      ],
    );
    const p = toRow(rows[0]!);
    const items = ids.length > 0 ? ` for ${ids.join(', ')}` : '';
    await insertActivity(tx, {
      accountId,
      kind: 'promise',
      body: `Promised ${p.currency} ${p.amount} by ${p.promised_date}${items}${p.note ? `: ${p.note}` : ''}`,
      documentId: ids.length === 1 ? ids[0] : null,
      promiseId: p.promise_id,
    });
    await recordAudit(tx, {
      entityType: 'promise',
      entityId: p.promise_id,
      accountId,
      action: 'created',
      after: p,
    });
    return p;
  });
}

export async function listPromises(
  db: Db,
  accountId: string,
): Promise<{ account_id: string; promises: PromiseRow[] }> {
  requireCollections(db, false);
  return db.tx(async (tx) => {
    await requireAccount(tx, accountId);
    const { rows } = await tx.query<PromiseRow>(
      `select ${columns} from promises where account_id = $1 order by promised_date desc, created_at desc`,
      [accountId],
    );
    return { account_id: accountId, promises: rows.map(toRow) };
  });
}

export interface PromiseDecision {
  promise_id: string;
  account_id: string;
  status: 'kept' | 'broken';
  covered_amount: string;
}

/**
 * Decides the open promises as of a day (default today), each once: one statement updates the promises
 * still open (a concurrent run finds them decided) and writes a 'status' activity for each it changed.
 */
export async function decidePromises(db: Db, asOf: string = today()): Promise<PromiseDecision[]> {
  requireCollections(db, true);
  const { rows } = await db.query<PromiseDecision>(
    `with candidates as (
       select p.account_id, p.promise_id, p.amount, p.currency, p.promised_date,
         least($1::date, p.promised_date + $2::int) as until,
         case when cardinality(p.document_ids) = 0 then
           (select coalesce(sum(y.amount), 0) from ar_payments y
            where y.account_id = p.account_id and y.currency = p.currency
              and y.received_date between p.made_on and least($1::date, p.promised_date + $2::int))
         else
           (select coalesce(sum(e.amount), 0) from ar_application_entries e
            where e.account_id = p.account_id and e.document_id = any(p.document_ids)
              and e.applied_date between p.made_on and least($1::date, p.promised_date + $2::int))
         end as covered
       from promises p where p.status = 'open' and p.made_on <= $1::date
     ),
     decided as (
       update promises p
       set status = case when c.covered >= c.amount then 'kept' else 'broken' end,
         covered_amount = greatest(c.covered, 0), decided_at = now()
       from candidates c
       where p.account_id = c.account_id and p.promise_id = c.promise_id and p.status = 'open'
         and (c.covered >= c.amount or $1::date > c.promised_date + $2::int)
       returning p.account_id, p.promise_id, p.status, p.covered_amount, p.amount, p.currency, p.promised_date
     ),
     logged as (
       insert into activities (account_id, kind, body, promise_id, actor, actor_id)
       select d.account_id, 'status',
         'Promise of ' || d.currency || ' ' || d.amount::text || ' by ' || d.promised_date::text || ' ' ||
           d.status || ' (' || d.covered_amount::text || ' paid)',
         d.promise_id, $3, $4
       from decided d
     )
     select promise_id::text, account_id, status, covered_amount::text from decided
     order by account_id, promise_id`,
    [asOf, promiseGraceDays, db.actor.name, db.actor.userId],
  );
  return rows;
}
