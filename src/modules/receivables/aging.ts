/**
 * Aging as of a date (FORMATS.md, aging.csv): what was open on that date, bucketed by days past due.
 *
 * - Documents and payments dated after the as-of date do not exist yet; applications count when dated on
 *   or before it (the application journal, so past dates reproduce what was open then).
 * - An open document is aged from its due date (or its document date on the invoice-date basis): as_of −
 *   date ≤ 0 is not_due, then the buckets. Unapplied payments and open credit memos are negative, aged from
 *   their own date.
 * - One row per group (account by default; collector, country or currency) and currency with anything open;
 *   total is the sum of the buckets.
 *
 * Everything is one set-based query: the journal is summed per document and per payment with hash
 * aggregates, joined to the documents and payments dated on or before the day, and pivoted into buckets.
 */
import { today } from '../../core/dates.ts';
import type { Db } from '../../db/db.ts';
import { isPartner, requireRole } from '../identity/index.ts';
import { type ExportColumn, toCsv, writeXlsx } from '../platform/export.ts';
import { type AgingBasis, type AgingGroup, type AgingQuery, agingQuery } from './schemas.ts';

export const defaultBoundaries: readonly number[] = [30, 60, 90, 120];

/** Internal roles that read receivables; partners read their own organisation's (row security). */
export const receivablesReaders = [
  'administrator',
  'collector',
  'manager',
  'credit',
  'rebate_analyst',
  'approver',
] as const;

export function requireReceivablesReader(db: Db): void {
  if (isPartner(db.actor.roles)) return;
  requireRole(db.actor, receivablesReaders);
}

export interface AgingBucket {
  key: string;
  /** Days past due, inclusive; null = unbounded (not_due has no lower bound, the last no upper). */
  from: number | null;
  to: number | null;
}

/** not_due, d1_30, d31_60, …, d121_plus for boundaries 30,60,90,120. */
export function bucketsFor(boundaries: readonly number[]): AgingBucket[] {
  const list: AgingBucket[] = [{ key: 'not_due', from: null, to: 0 }];
  let from = 1;
  for (const b of boundaries) {
    list.push({ key: `d${from}_${b}`, from, to: b });
    from = b + 1;
  }
  list.push({ key: `d${from}_plus`, from, to: null });
  return list;
}

/** Lower bounds for width_bucket: 0 = not due, 1 = first bucket, … */
export const thresholds = (boundaries: readonly number[]): number[] => [1, ...boundaries.map((b) => b + 1)];

/**
 * The open items on $1 (date) as rows (kind, item_id, account_id, item_date, due_date, currency, amount,
 * open_amount, age_date), signed: documents positive, credit memos and payments negative. $2 is the basis
 * ('due_date' or 'invoice_date'); `account` names a parameter restricting to one account.
 */
export function openItemsSql(account?: string): string {
  const only = (alias: string) => (account ? ` and ${alias}.account_id = ${account}` : '');
  return `applied_to as (
      select e.document_id as id, sum(e.amount) as applied from ar_application_entries e
      where e.applied_date <= $1::date${only('e')} group by e.document_id
    ),
    applied_from as (
      select e.payment_id as id, sum(e.amount) as applied from ar_application_entries e
      where e.applied_date <= $1::date${only('e')} group by e.payment_id
    ),
    items as (
      select d.type as kind, d.document_id as item_id, d.account_id, d.document_date as item_date, d.due_date,
        d.currency,
        case when d.type = 'credit_memo' then -d.amount else d.amount end as amount,
        case when d.type = 'credit_memo' then -(d.amount - coalesce(f.applied, 0))
          else d.amount - coalesce(t.applied, 0) end as open_amount,
        case when d.type = 'credit_memo' or $2::text = 'invoice_date' then d.document_date
          else d.due_date end as age_date
      from ar_documents d
      left join applied_to t on t.id = d.document_id and d.type <> 'credit_memo'
      left join applied_from f on f.id = d.document_id and d.type = 'credit_memo'
      where d.document_date <= $1::date${only('d')}
      union all
      select 'payment', p.payment_id, p.account_id, p.received_date, null::date, p.currency, -p.amount,
        -(p.amount - coalesce(f.applied, 0)), p.received_date
      from ar_payments p
      left join applied_from f on f.id = p.payment_id
      where p.received_date <= $1::date${only('p')}
    )`;
}

export interface AgingOptions {
  asOf: string;
  basis: AgingBasis;
  boundaries: readonly number[];
  by: AgingGroup;
}

export interface AgingReport {
  as_of: string;
  basis: AgingBasis;
  by: AgingGroup;
  buckets: AgingBucket[];
  /** The CSV columns in order: the group, currency, the buckets, total. */
  columns: string[];
  /** Amounts as decimal strings. By account, rows also carry the account's name. */
  rows: Record<string, string | null>[];
}

const groupColumns: Record<AgingGroup, { select: string[]; names: string[] }> = {
  account: { select: ['i.account_id', 'a.name'], names: ['account_id'] },
  collector: { select: [`coalesce(a.collector, '') as collector`], names: ['collector'] },
  country: { select: ['a.country'], names: ['country'] },
  currency: { select: [], names: [] },
};

export function agingOptions(raw: AgingQuery = {}): AgingOptions {
  const q = agingQuery.parse(raw);
  return {
    asOf: q.as_of ?? today(),
    basis: q.basis ?? 'due_date',
    boundaries: q.buckets ?? defaultBoundaries,
    by: q.by ?? 'account',
  };
}

export async function aging(db: Db, raw: AgingQuery = {}): Promise<AgingReport> {
  requireReceivablesReader(db);
  const o = agingOptions(raw);
  const buckets = bucketsFor(o.boundaries);
  const group = groupColumns[o.by];
  const keyExprs = group.select.map((s) => s.replace(/ as \w+$/, ''));
  const sums = buckets
    .map(
      (b, k) => `coalesce(sum(i.open_amount) filter (where i.b = ${k}), 0)::numeric(18, 2)::text as ${b.key}`,
    )
    .join(',\n      ');
  const { rows } = await db.query<Record<string, string | null>>(
    `with ${openItemsSql()}
     select ${[...group.select, 'i.currency'].join(', ')},
       ${sums},
       sum(i.open_amount)::numeric(18, 2)::text as total
     from (select x.account_id, x.currency, x.open_amount,
             width_bucket($1::date - x.age_date, $3::int[]) as b
           from items x where x.open_amount <> 0) i
     ${o.by === 'currency' ? '' : 'left join accounts a on a.account_id = i.account_id'}
     group by ${[...keyExprs, 'i.currency'].join(', ')}
     order by ${[...keyExprs.filter((k) => k !== 'a.name'), 'i.currency'].join(', ')}`,
    [o.asOf, o.basis, thresholds(o.boundaries)],
  );
  return {
    as_of: o.asOf,
    basis: o.basis,
    by: o.by,
    buckets,
    columns: [...group.names, 'currency', ...buckets.map((b) => b.key), 'total'],
    rows,
  };
}

function exportColumns(report: AgingReport): ExportColumn[] {
  const amounts = new Set([...report.buckets.map((b) => b.key), 'total']);
  return report.columns.map((c) => ({ key: c, header: c, type: amounts.has(c) ? 'amount' : 'text' }));
}

/** aging.csv (FORMATS.md). */
export function agingCsv(report: AgingReport): string {
  return toCsv(exportColumns(report), report.rows);
}

export async function agingXlsx(report: AgingReport): Promise<Buffer> {
  return writeXlsx([{ name: 'aging', columns: exportColumns(report), rows: report.rows }]);
}

export function agingFileName(report: AgingReport, ext: 'csv' | 'xlsx'): string {
  const by = report.by === 'account' ? '' : `-by-${report.by}`;
  return `aging${by}-${report.as_of}.${ext}`;
}
