/**
 * The deduction dashboard: the deduction aging (what is open as of a date, by days since the deduction was
 * taken, per queue) and days deduction outstanding per queue and month (CONTROLS.md "Measures": ddo =
 * deductions open at the month end E / deductions taken in the month × its D calendar days).
 *
 * "Open as of a date" is read from the receivables journal, so that any past date gives what was open then:
 * the deduction item's amount less what was applied to it (credit memos of a settlement or an adjustment,
 * a payback) on or before the date. There are no exchange rates in Clearhouse, so amounts are per currency:
 * the dashboard is for one currency at a time.
 */
import { z } from 'zod';
import { lastCompleteMonth, monthEnd, monthsEnding, today } from '../../core/dates.ts';
import type { Db } from '../../db/db.ts';
import { requireInternal } from '../identity/index.ts';
import { type DeductionQueue, deductionQueues } from './categories.ts';

export const agingBuckets = [
  { key: 'd0_30', label: '0–30', from: 0, to: 30 },
  { key: 'd31_60', label: '31–60', from: 31, to: 60 },
  { key: 'd61_90', label: '61–90', from: 61, to: 90 },
  { key: 'd91_120', label: '91–120', from: 91, to: 120 },
  { key: 'd121_plus', label: '121+', from: 121, to: null },
] as const;
export type AgingBucketKey = (typeof agingBuckets)[number]['key'];

export interface DeductionAgingRow {
  queue: DeductionQueue;
  count: number;
  total: string;
  /** Open amount per bucket of days since the deduction was taken. */
  buckets: Record<AgingBucketKey, string>;
  counts: Record<AgingBucketKey, number>;
}

export interface DdoPoint {
  queue: DeductionQueue;
  /** `YYYY-MM`. */
  month: string;
  month_end: string;
  days: number;
  open_at_end: string;
  taken: string;
  /** Rounded half away from zero to one decimal; null when nothing was taken in the month. */
  ddo: string | null;
}

export interface DeductionDashboard {
  as_of: string;
  currency: string | null;
  /** Currencies that have deductions (the dashboard shows one at a time). */
  currencies: string[];
  aging: DeductionAgingRow[];
  /** Months oldest first, every queue in every month. */
  ddo: DdoPoint[];
  months: string[];
}

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD');

export const dashboardQuery = z.object({
  as_of: date.optional().describe('the aging date (default today)'),
  currency: z
    .string()
    .regex(/^[A-Za-z]{3}$/, 'a currency code')
    .optional()
    .describe('default: the currency with the most deductions'),
  to_month: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month YYYY-MM')
    .optional()
    .describe('the last month of the DDO series (default: the last complete month on as_of)'),
  months: z.coerce.number().int().min(1).max(36).default(12),
});

const openAt = (e: string) => `(d.amount - coalesce((select sum(x.amount) from ar_application_entries x
    where x.document_id = d.deduction_id and x.applied_date <= ${e}), 0))`;

/** Deductions counted: every deduction but those undone with their payment (their item no longer exists). */
const counted = `d.status <> 'reversed' and d.currency = $1`;

export async function deductionDashboard(
  db: Db,
  raw: z.input<typeof dashboardQuery> = {},
): Promise<DeductionDashboard> {
  requireInternal(db.actor);
  const q = dashboardQuery.parse(raw);
  const asOf = q.as_of ?? today();
  const currencies = (
    await db.query<{ currency: string }>(
      `select currency from deductions where status <> 'reversed' group by currency
       order by count(*) desc, currency`,
    )
  ).rows.map((r) => r.currency);
  const currency = q.currency?.toUpperCase() ?? currencies[0] ?? null;
  const months = monthsEnding(q.to_month ?? lastCompleteMonth(asOf), q.months);
  if (!currency) return { as_of: asOf, currency: null, currencies, aging: [], ddo: [], months };

  const aging = await db.query<{
    queue: DeductionQueue;
    bucket: AgingBucketKey;
    n: number;
    amount: string;
  }>(
    `select d.queue, case ${agingBuckets
      .map(
        (b) =>
          `when $2::date - d.deduction_date ${b.to === null ? `>= ${b.from}` : `<= ${b.to}`} then '${b.key}'`,
      )
      .join(' ')} end as bucket, count(*)::int as n, sum(o.open)::numeric(18, 2)::text as amount
     from deductions d cross join lateral (select ${openAt('$2::date')} as open) o
     where ${counted} and d.deduction_date <= $2::date and o.open > 0
     group by 1, 2`,
    [currency, asOf],
  );
  const zero = () =>
    Object.fromEntries(agingBuckets.map((b) => [b.key, '0.00'])) as Record<AgingBucketKey, string>;
  const rows: DeductionAgingRow[] = deductionQueues.map((queue) => {
    const mine = aging.rows.filter((r) => r.queue === queue);
    const buckets = zero();
    const counts = Object.fromEntries(agingBuckets.map((b) => [b.key, 0])) as Record<AgingBucketKey, number>;
    for (const r of mine) {
      buckets[r.bucket] = r.amount;
      counts[r.bucket] = r.n;
    }
    return { queue, count: mine.reduce((a, r) => a + r.n, 0), total: '0.00', buckets, counts };
  });
  // Totals in SQL as well: the browser and this code never add money as floating point.
  const totals = await db.query<{ queue: string; total: string }>(
    `select d.queue, sum(o.open)::numeric(18, 2)::text as total
     from deductions d cross join lateral (select ${openAt('$2::date')} as open) o
     where ${counted} and d.deduction_date <= $2::date and o.open > 0 group by d.queue`,
    [currency, asOf],
  );
  for (const t of totals.rows) {
    const row = rows.find((r) => r.queue === t.queue);
    if (row) row.total = t.total;
  }

  const ends = months.map(monthEnd);
  const ddo = await db.query<DdoPoint>(
    `with m as (
       select to_char(e, 'YYYY-MM') as month, e::date as month_end,
         (e::date - date_trunc('month', e)::date + 1) as days
       from unnest($2::date[]) as e
     ),
     q as (select unnest($3::text[]) as queue),
     open_at as (
       select m.month, d.queue, sum(greatest(${openAt('m.month_end')}, 0)) as open
       from m join deductions d on d.deduction_date <= m.month_end
       where ${counted}
       group by m.month, d.queue
     ),
     taken as (
       select to_char(d.deduction_date, 'YYYY-MM') as month, d.queue, sum(d.amount) as taken
       from deductions d
       where ${counted} and d.deduction_date >= date_trunc('month', ($2::date[])[1])::date
         and d.deduction_date <= ($2::date[])[array_length($2::date[], 1)]
       group by 1, 2
     )
     select q.queue, m.month, m.month_end, m.days,
       coalesce(o.open, 0)::numeric(18, 2)::text as open_at_end,
       coalesce(t.taken, 0)::numeric(18, 2)::text as taken,
       case when coalesce(t.taken, 0) > 0 then round(coalesce(o.open, 0) / t.taken * m.days, 1)::text end as ddo
     from m cross join q
     left join open_at o on o.month = m.month and o.queue = q.queue
     left join taken t on t.month = m.month and t.queue = q.queue
     order by m.month_end, array_position($3::text[], q.queue)`,
    [currency, ends, [...deductionQueues]],
  );
  return { as_of: asOf, currency, currencies, aging: rows, ddo: ddo.rows, months };
}
