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
 * Everything is one set-based query (see agingSql for its shape and why).
 */
import { today } from '../../core/dates.ts';
import { type Db, PoolDb } from '../../db/db.ts';
import { keptAnswer, scopeKey } from '../../db/kept-answers.ts';
import { ratesOn, sumInReporting } from '../fx/index.ts';
import { isPartner, requireRole } from '../identity/index.ts';
import {
  type ExportColumn,
  type ExportSheet,
  toCsv,
  type WorkbookTitle,
  withAccountNames,
  writeXlsx,
} from '../platform/export.ts';
import { bucketLabel } from './bucket-words.ts';
import { type AgingBasis, type AgingGroup, type AgingQuery, agingQuery } from './schemas.ts';

export { bucketLabel };

export const defaultBoundaries: readonly number[] = [30, 60, 90, 120];

/** Internal roles that read receivables; partners read their own organisation's (row security). */
export const receivablesReaders = [
  'administrator',
  'collector',
  'manager',
  'credit',
  'rebate_analyst',
  'approver',
  'sales',
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
      select e.account_id, e.document_id as id, sum(e.amount) as applied from ar_application_entries e
      where e.applied_date <= $1::date${only('e')} group by e.account_id, e.document_id
    ),
    applied_from as (
      select e.account_id, e.payment_id as id, sum(e.amount) as applied from ar_application_entries e
      where e.applied_date <= $1::date${only('e')} group by e.account_id, e.payment_id
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
      left join applied_to t on t.account_id = d.account_id and t.id = d.document_id and d.type <> 'credit_memo'
      left join applied_from f on f.account_id = d.account_id and f.id = d.document_id
        and d.type = 'credit_memo'
      where d.document_date <= $1::date${only('d')}
      union all
      select 'payment', p.payment_id, p.account_id, p.received_date, null::date, p.currency, -p.amount,
        -(p.amount - coalesce(f.applied, 0)), p.received_date
      from ar_payments p
      left join applied_from f on f.account_id = p.account_id and f.id = p.payment_id
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
  /**
   * Every row summed into the reporting currency at the rates of the as-of date (the buckets and total), the
   * rates used, and the currencies left out for want of a rate. Rows stay in their own currency.
   */
  reporting: {
    currency: string;
    rates: Record<string, string>;
    missing: string[];
    totals: Record<string, string>;
  };
}

const groupColumns: Record<AgingGroup, { names: string[] }> = {
  account: { names: ['account_id'] },
  collector: { names: ['collector'] },
  country: { names: ['country'] },
  currency: { names: [] },
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

/**
 * The aging's sums, the heart of its one query (see `agingSql`): one row per account and currency with anything
 * open on the date `on` (SQL, `$1::date` by default), with each bucket's open amount in whole cents (bigint;
 * divide by 100.0) as the columns `buckets` name — `not_due` first. `thresholds` is SQL for the buckets' lower
 * bounds (`thresholds(boundaries)`, `$2::int[]` by default). Other modules that count receivables as the aging
 * does (the measures) read them through this, with their own parameters.
 */
export function agingSumsSql(
  basis: AgingBasis,
  buckets: readonly AgingBucket[],
  on = '$1::date',
  bounds = '$2::int[]',
): string {
  const pivot = buckets
    .map((b, k) => `coalesce(sum(i.cents) filter (where i.b = ${k}), 0) as ${b.key}`)
    .join(',\n        ');
  const appliedBy = (side: 'document_id' | 'payment_id') => `(
          select e.${side} as id, sum((e.amount * 100)::bigint)::bigint as applied from ar_application_entries e
          where e.applied_date <= ${on} group by e.${side}
        )`;
  const ageDate = basis === 'invoice_date' ? 'd.document_date' : 'd.due_date';
  return `
      select i.account_id, i.currency,
        ${pivot}
      from (
        select d.account_id, d.currency, width_bucket(${on} - ${ageDate}, ${bounds}) as b,
          (d.amount * 100)::bigint - coalesce(t.applied, 0) as cents
        from ar_documents d
        left join ${appliedBy('document_id')} t on t.id = d.document_id
        where d.document_date <= ${on} and d.type <> 'credit_memo'
        union all
        select d.account_id, d.currency, width_bucket(${on} - d.document_date, ${bounds}),
          coalesce(f.applied, 0) - (d.amount * 100)::bigint
        from ar_documents d
        left join ${appliedBy('payment_id')} f on f.id = d.document_id
        where d.document_date <= ${on} and d.type = 'credit_memo'
        union all
        select p.account_id, p.currency, width_bucket(${on} - p.received_date, ${bounds}),
          coalesce(f.applied, 0) - (p.amount * 100)::bigint
        from ar_payments p
        left join ${appliedBy('payment_id')} f on f.id = p.payment_id
        where p.received_date <= ${on}
      ) i
      where i.cents <> 0
      group by i.account_id, i.currency
    `;
}

/**
 * The aging's one query. It never carries single items further than it must:
 * - the journal is summed once per document it is applied to and once per payment or credit memo applied
 *   from (an invoice and a payment may share an id, so the two sums stay apart);
 * - each document and payment dated on or before $1 meets the one sum that concerns it in a hash join —
 *   invoices, debit memos and charges what was applied to them, credit memos (read apart, through their
 *   partial index) and payments what was applied from them — becomes its open amount and bucket, and is
 *   summed per account and currency at once, in whole cents (amounts are numeric(18, 2), so this is exact,
 *   and bigint sums keep the hash tables a third of the size of numeric ones); the sums applied are cast back
 *   to bigint (sum of bigint is numeric), so each item's open amount is integer arithmetic, not numeric;
 * - accounts are joined to those sums only (a row per account, not per item), and the other groupings add
 *   the account sums up again.
 * No CTE: every part can run in parallel workers, each scanning its share of the documents.
 */
function agingSql(by: AgingGroup, basis: AgingBasis, buckets: readonly AgingBucket[]): string {
  const amounts = buckets.map((b) => `(g.${b.key} / 100.0)::numeric(18, 2)::text as ${b.key}`).join(', ');
  const total = `((${buckets.map((b) => `g.${b.key}`).join(' + ')}) / 100.0)::numeric(18, 2)::text as total`;
  const sums = `with g as (${agingSumsSql(basis, buckets)})`;
  if (by === 'account')
    return `${sums}
    select g.account_id, a.name, g.currency, ${amounts}, ${total}
    from g left join accounts a on a.account_id = g.account_id
    order by g.account_id, g.currency`;
  const key = { collector: `coalesce(a.collector, '')`, country: 'a.country', currency: null }[by];
  const regrouped = buckets.map((b) => `sum(g.${b.key}) as ${b.key}`).join(', ');
  return `${sums},
    r as (
      select ${key ? `${key} as k, ` : ''}g.currency, ${regrouped}
      from g ${key ? 'left join accounts a on a.account_id = g.account_id' : ''}
      group by ${key ? `${key}, ` : ''}g.currency
    )
    select ${key ? `g.k as ${by}, ` : ''}g.currency, ${amounts}, ${total}
    from r g order by ${key ? 'g.k, ' : ''}g.currency`;
}

/** work_mem for the aging query: its hash aggregates (per account and currency, per item applied) stay in memory. */
const agingWorkMem = '64MB';

export async function aging(db: Db, raw: AgingQuery = {}): Promise<AgingReport> {
  requireReceivablesReader(db);
  const o = agingOptions(raw);
  const buckets = bucketsFor(o.boundaries);
  const group = groupColumns[o.by];
  const sum = async (tx: Db) => {
    // A million items summed per account and per item id: let the hash tables stay in memory for this query.
    await tx.query(`set local work_mem = '${agingWorkMem}'`);
    const { rows } = await tx.query<Record<string, string | null>>(agingSql(o.by, o.basis, buckets), [
      o.asOf,
      thresholds(o.boundaries),
    ]);
    await tx.query('set local work_mem to default');
    return rows;
  };
  // A server keeps the aging it summed and gives it again while nothing it was read from has changed
  // (keptAnswer): read in one snapshot (repeatable read), which is kept with it.
  const rows =
    db instanceof PoolDb
      ? await keptAnswer(db, 'receivable_changes', [scopeKey(db.actor), 'aging', o], () =>
          db.snapshot(async (tx) => {
            const { rows: snap } = await tx.query<{ s: string }>('select pg_current_snapshot()::text as s');
            return { value: await sum(tx), snapshot: snap[0]!.s };
          }),
        )
      : await db.tx(sum);
  // Rates are read apart from the kept answer: new rates change the converted totals at once.
  const fx = await ratesOn(
    db,
    rows.map((r) => r.currency ?? ''),
    o.asOf,
  );
  const totals = Object.fromEntries(
    [...buckets.map((b) => b.key), 'total'].map((key) => [
      key,
      sumInReporting(
        fx,
        rows.map((r) => ({ amount: r[key], currency: r.currency ?? '' })),
      ),
    ]),
  );
  return {
    as_of: o.asOf,
    basis: o.basis,
    by: o.by,
    buckets,
    columns: [...group.names, 'currency', ...buckets.map((b) => b.key), 'total'],
    rows,
    reporting: { currency: fx.currency, rates: fx.rates, missing: fx.missing, totals },
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

const groupWords: Record<AgingGroup, string> = {
  account: 'account',
  collector: 'collector',
  country: 'country',
  currency: 'currency',
};

/** The aging as a spreadsheet sheet: the same columns as aging.csv, in words, with the account's name beside its id. */
export function agingSheet(report: AgingReport): { sheet: ExportSheet; title: WorkbookTitle } {
  const labels = new Map(report.buckets.map((b) => [b.key, bucketLabel(b)]));
  const columns = exportColumns(report).map((c) => ({ ...c, label: labels.get(c.key) }));
  return {
    sheet: {
      name: 'aging',
      columns: withAccountNames(columns),
      rows: report.rows.map((r) => ({ ...r, account_name: r.name })),
    },
    title: {
      title: `Aging by ${groupWords[report.by]}`,
      period: `As of ${report.as_of}, by ${report.basis === 'due_date' ? 'due date' : 'invoice date'}`,
    },
  };
}

/** The aging workbook (agingSheet). */
export async function agingXlsx(report: AgingReport): Promise<Buffer> {
  const { sheet, title } = agingSheet(report);
  return writeXlsx([sheet], title);
}

export function agingFileName(report: AgingReport, ext: 'csv' | 'xlsx'): string {
  const by = report.by === 'account' ? '' : `-by-${report.by}`;
  return `aging${by}-${report.as_of}.${ext}`;
}
