/**
 * The Top 40 (CONTROLS.md "Reviews"; FORMATS.md `top40.csv`): the 40 accounts with the largest past-due amount
 * on the as-of date, in the reporting currency.
 *
 * The buckets are the aging's own (`aging` by account from receivables: by due date, credits and unapplied cash
 * negative): each bucket of each account and currency is converted at the latest `fx_rates.csv` rate on or
 * before the as-of date and rounded half away from zero to the cent (PostgreSQL's `round(numeric, 2)`), then
 * summed over the account's currencies; `past_due` is the sum of the rounded buckets. Accounts with nothing or a
 * negative amount past due never appear; ties go by `account_id`.
 */
import { monthEnd, previousMonth, today } from '../../core/dates.ts';
import type { Db } from '../../db/db.ts';
import { type AccountStatus, accountStatuses } from '../credit/index.ts';
import { fxRateSql, missingRates, reportingCurrency } from '../fx/index.ts';
import { requireRole } from '../identity/index.ts';
import { type ExportColumn, toCsv, writeXlsx } from '../platform/export.ts';
import {
  agingSumsSql,
  bucketsFor,
  defaultBoundaries,
  openItemsSql,
  thresholds,
} from '../receivables/index.ts';
import { reviewReaders, type Top40Query, top40Query } from './schemas.ts';

export const pastDueBuckets = ['d1_30', 'd31_60', 'd61_90', 'd91_120', 'd121_plus'] as const;
type PastDueBucket = (typeof pastDueBuckets)[number];

/** A row of top40.csv. */
export interface Top40Row extends Record<PastDueBucket, string> {
  rank: number;
  account_id: string;
  name: string;
  country: string;
  past_due: string;
  collector: string | null;
  oldest_due_date: string | null;
}

export interface ReviewComment {
  comment: string;
  written_by: string;
  written_at: string;
}

/** A Top 40 account as the review page shows it: its row, last action, open promise and the comment. */
export interface Top40Account extends Top40Row {
  last_action: AccountStatus['latest_note'];
  open_promise: AccountStatus['open_promises'][number] | null;
  review_comment: ReviewComment | null;
}

export interface Top40 {
  as_of: string;
  currency: string;
  accounts: Top40Account[];
}

/** The review date a Top 40 defaults to: the last month end (the one the WD8 review looks at). */
export const lastMonthEnd = (day: string = today()) => monthEnd(previousMonth(day.slice(0, 7)));

const top40Size = 40;

/**
 * SQL for the aging's sums (receivables' `agingSumsSql`, by due date) per account and currency on `on`, each
 * bucket converted into the reporting currency at the latest rate on or before `on` and rounded half away from
 * zero to the cent; `rate` is null for a currency with no rate by then (the caller names it, never leaves it out).
 */
export function convertedAgingSql(on: string, bounds: string): string {
  return `select g.account_id, g.currency, r.rate,
      ${agingBuckets.map((b) => `round(g.${b.key} / 100.0 * r.rate, 2) as ${b.key}`).join(', ')}
    from (${agingSumsSql('due_date', agingBuckets, on, bounds)}) g
    cross join lateral (select ${fxRateSql('g.currency', on)} as rate) r`;
}

export const agingBuckets = bucketsFor(defaultBoundaries);

/** The Top 40 rows of top40.csv as of a day: the aging's sums converted, summed per account and ranked, in one query. */
export async function top40Rows(
  db: Db,
  asOf: string,
  opts: { country?: string | undefined } = {},
): Promise<Top40Row[]> {
  const sums = pastDueBuckets.map((b) => `sum(c.${b}) as ${b}`);
  const { rows: answer } = await db.query<{
    missing: string[] | null;
    rows: Omit<Top40Row, 'oldest_due_date'>[];
  }>(
    `with c as (${convertedAgingSql('$1::date', '$2::int[]')}),
     s as (
       select c.account_id, ${sums.join(', ')}, ${pastDueBuckets.map((b) => `sum(c.${b})`).join(' + ')} as past_due
       from c where c.rate is not null group by c.account_id
     ),
     top as (
       select (row_number() over (order by s.past_due desc, s.account_id))::int as rank, s.account_id, a.name,
         a.country, s.past_due::numeric(18, 2)::text as past_due,
         ${pastDueBuckets.map((b) => `s.${b}::numeric(18, 2)::text as ${b}`).join(', ')}, a.collector
       from s join accounts a on a.account_id = s.account_id
       where s.past_due > 0 and ($3::text is null or a.country = $3)
       order by s.past_due desc, s.account_id
       limit ${top40Size}
     )
     select (select array_agg(distinct c.currency::text order by c.currency::text) from c where c.rate is null) as missing,
       coalesce((select json_agg(t order by t.rank) from top t), '[]'::json) as rows`,
    [asOf, thresholds(defaultBoundaries), opts.country ?? null],
  );
  const { missing, rows } = answer[0]!;
  if (missing?.length) throw missingRates(missing.map((currency) => ({ currency, on: asOf })));
  // The oldest past-due item of each of the 40 (openItemsSql reads $1 as the date and $2 as the basis).
  const { rows: oldest } = await db.query<{ account_id: string; oldest_due_date: string }>(
    `with ${openItemsSql('any($3::text[])')}
     select account_id, to_char(min(due_date), 'YYYY-MM-DD') as oldest_due_date from items
     where open_amount > 0 and due_date < $1::date group by account_id`,
    [asOf, 'due_date', rows.map((r) => r.account_id)],
  );
  const oldestOf = new Map(oldest.map((o) => [o.account_id, o.oldest_due_date]));
  return rows.map((r) => ({ ...r, oldest_due_date: oldestOf.get(r.account_id) ?? null }));
}

/** The Top 40 with what the review needs beside each account. */
export async function top40(
  db: Db,
  raw: Top40Query = {},
  opts: { country?: string | undefined } = {},
): Promise<Top40> {
  requireRole(db.actor, reviewReaders);
  const q = top40Query.parse(raw);
  const asOf = q.as_of ?? lastMonthEnd();
  const rows = await top40Rows(db, asOf, opts);
  const ids = rows.map((r) => r.account_id);
  const statuses = new Map((await accountStatuses(db, asOf, ids)).map((s) => [s.account_id, s]));
  const { rows: comments } = await db.query<ReviewComment & { account_id: string }>(
    `select account_id, comment, written_by,
       to_char(written_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as written_at
     from review_comments where as_of = $1 and account_id = any($2::text[])`,
    [asOf, ids],
  );
  const byAccount = new Map(comments.map(({ account_id, ...c }) => [account_id, c]));
  return {
    as_of: asOf,
    currency: reportingCurrency(),
    accounts: rows.map((r) => {
      const s = statuses.get(r.account_id);
      return {
        ...r,
        last_action: s?.latest_note ?? null,
        open_promise: s?.open_promises[0] ?? null,
        review_comment: byAccount.get(r.account_id) ?? null,
      };
    }),
  };
}

/** top40.csv's columns, exactly as FORMATS.md names them. */
export const top40Columns: readonly ExportColumn[] = [
  { key: 'rank', header: 'rank', type: 'int' },
  { key: 'account_id', header: 'account_id' },
  { key: 'name', header: 'name' },
  { key: 'past_due', header: 'past_due', type: 'amount' },
  { key: 'd1_30', header: 'd1_30', type: 'amount', label: '1–30 days' },
  { key: 'd31_60', header: 'd31_60', type: 'amount', label: '31–60 days' },
  { key: 'd61_90', header: 'd61_90', type: 'amount', label: '61–90 days' },
  { key: 'd91_120', header: 'd91_120', type: 'amount', label: '91–120 days' },
  { key: 'd121_plus', header: 'd121_plus', type: 'amount', label: 'Over 120' },
  { key: 'collector', header: 'collector' },
  { key: 'oldest_due_date', header: 'oldest_due_date', type: 'date' },
];

export function top40Csv(rows: readonly Top40Row[]): string {
  return toCsv(top40Columns, rows);
}

/** The review's columns on a spreadsheet or a printed page: the CSV's, then the last action, promise, comment. */
export const top40ReviewColumns: readonly ExportColumn[] = [
  ...top40Columns.map((c) => (c.key === 'name' ? { ...c, label: 'Account name' } : c)),
  { key: 'last_action_text', header: 'Last action' },
  { key: 'open_promise_text', header: 'Open promise' },
  { key: 'comment_text', header: 'Comment for the review' },
];

/** The Top 40 accounts as rows of the review's columns (last action, promise and comment in words). */
export function top40ReviewRows(accounts: readonly Top40Account[]): object[] {
  return accounts.map((a) => ({
    ...a,
    last_action_text: a.last_action
      ? `${a.last_action.occurred_at.slice(0, 10)} ${a.last_action.kind} (${a.last_action.actor}): ${a.last_action.body}`
      : '',
    open_promise_text: a.open_promise
      ? `${a.open_promise.amount} ${a.open_promise.currency} by ${a.open_promise.promised_date}`
      : '',
    comment_text: a.review_comment ? `${a.review_comment.comment} (${a.review_comment.written_by})` : '',
  }));
}

export const top40Title = (t: Pick<Top40, 'as_of' | 'currency'>) => ({
  title: 'Top 40 past-due accounts',
  period: `As of ${t.as_of}, in ${t.currency}`,
});

export async function top40Xlsx(t: Top40): Promise<Buffer> {
  return writeXlsx(
    [{ name: 'Top 40', columns: top40ReviewColumns, rows: top40ReviewRows(t.accounts) }],
    top40Title(t),
  );
}

export const top40FileName = (asOf: string, ext: 'csv' | 'xlsx') => `top40-${asOf}.${ext}`;
