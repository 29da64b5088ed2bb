/**
 * Routing: each undecided deduction's category comes from the customer's reason code, its queue from the
 * category (unless a person moved it), and its SLA due date from the queue's business days, counted in the
 * account's country from the day it reached the queue. A routing rule (routing.ts) sends a category or a
 * customer's reason code to another team.
 */
import type { Db } from '../../db/db.ts';
import { addBusinessDays } from '../calendar/index.ts';
import { categorySql } from './categories.ts';
import { routeQueueSql } from './routing.ts';

/** Routes the open, undecided deductions (of these accounts); returns how many changed. */
export async function routeDeductions(tx: Db, accounts: readonly string[] | null): Promise<number> {
  const { rowCount } = await tx.query(
    `update deductions d set category = r.category, queue = r.queue, queue_since = coalesce(d.queue_since, d.deduction_date),
       sla_due_date = case when r.queue = d.queue then d.sla_due_date end, updated_at = now()
     from (
       select d.account_id, d.deduction_id, ${categorySql} as category,
         case when d.queue_set_by is not null then d.queue else ${routeQueueSql('d', categorySql)} end as queue
       from deductions d
       where d.status = 'open' and (d.validation is null or d.validation = 'unmatched')
         and ($1::text[] is null or d.account_id = any($1))
     ) r
     where d.account_id = r.account_id and d.deduction_id = r.deduction_id
       and (d.category <> r.category or d.queue <> r.queue or d.sla_due_date is null)`,
    [accounts],
  );
  await setSlaDueDates(tx, accounts);
  return rowCount ?? 0;
}

/** The SLA due date of every open deduction without one, by the queue's business days in its country. */
export async function setSlaDueDates(tx: Db, accounts: readonly string[] | null): Promise<void> {
  const { rows } = await tx.query<{ since: string; days: number; country: string }>(
    `select distinct d.queue_since::text as since, q.sla_business_days as days, coalesce(a.country, '') as country
     from deductions d join deduction_queues q on q.queue = d.queue join accounts a on a.account_id = d.account_id
     where d.sla_due_date is null and d.status = 'open' and ($1::text[] is null or d.account_id = any($1))`,
    [accounts],
  );
  if (rows.length === 0) return;
  const due = rows.map((r) => ({ ...r, due: addBusinessDays(r.country, r.since, r.days) }));
  await tx.query(
    `update deductions d set sla_due_date = x.due::date
     from jsonb_to_recordset($1::jsonb) as x(since text, days integer, country text, due text),
       deduction_queues q, accounts a
     where d.sla_due_date is null and d.status = 'open' and q.queue = d.queue and a.account_id = d.account_id
       and d.queue_since = x.since::date and q.sla_business_days = x.days and coalesce(a.country, '') = x.country`,
    [JSON.stringify(due)],
  );
}
