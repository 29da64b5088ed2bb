/**
 * Statements of account (PDF and XLSX): for one account, from a period start (default the first day of the
 * as-of month) to the as-of date, one statement per currency:
 *
 * - the opening balance: everything open the day before the period starts, signed like the aging
 *   (invoices, debit memos and non-compliance charges positive; credit memos and unapplied payments
 *   negative) — it is the aging total of that day;
 * - the period's activity in date order: documents (charges or credits) and payments change the balance;
 *   applications of payments and credit memos are listed but do not (they move money between open items);
 * - the closing balance = opening + activity, which is the aging total of the as-of date;
 * - the open items on the as-of date with days past due and bucket, and the buckets summed — the same query
 *   as the aging (`openItemsSql`), so the statement always agrees with it.
 *
 * Row security decides who may have a statement: another organisation's account does not exist.
 */
import type { Decimal } from 'decimal.js';
import { addDays, isBusinessDate, today } from '../../core/dates.ts';
import { invalid, notFound } from '../../core/errors.ts';
import { Money } from '../../core/money.ts';
import type { Db } from '../../db/db.ts';
import { type ExportColumn, writeXlsx } from '../platform/export.ts';
import { configuredCompanyName } from '../platform/index.ts';
import { safeFileName } from '../platform/pdf.ts';
import {
  bucketLabel,
  bucketsFor,
  defaultBoundaries,
  openItemsSql,
  requireReceivablesReader,
  thresholds,
} from './aging.ts';
import {
  type AccountStatement,
  type ActivityLine,
  type CurrencyStatement,
  kindLabels,
  type StatementAccount,
  type StatementOpenItem,
} from './statement-pdf.ts';

export {
  type AccountStatement,
  type ActivityKind,
  type ActivityLine,
  type CurrencyStatement,
  kindLabels,
  type PdfOptions,
  type StatementAccount,
  type StatementOpenItem,
  statementPdf,
} from './statement-pdf.ts';

export interface StatementOptions {
  account_id: string;
  as_of?: string | undefined;
  from?: string | undefined;
  currency?: string | undefined;
}

/** The first day of the date's month. */
export const monthStart = (date: string): string => `${date.slice(0, 8)}01`;

const sum = (values: readonly string[]) => values.reduce((s, v) => s.plus(v), new Money(0));
const fixed2 = (d: Decimal) => d.toFixed(2);

export async function accountStatement(db: Db, opts: StatementOptions): Promise<AccountStatement> {
  const asOf = opts.as_of ?? today();
  const [statement] = await accountStatements(db, [opts.account_id], {
    as_of: asOf,
    from: opts.from,
    currency: opts.currency,
  });
  if (!statement) throw notFound(`The account ${opts.account_id}`);
  return statement;
}

/**
 * The statements of many accounts, read set-based: one query per kind (the accounts, their opening balances,
 * open items and activity) for all of them, each statement then made from its account's rows. Accounts that do
 * not exist (or are not visible) are left out; the statements come in the order of `accountIds`.
 */
export async function accountStatements(
  db: Db,
  accountIds: readonly string[],
  opts: Omit<StatementOptions, 'account_id'> = {},
): Promise<AccountStatement[]> {
  requireReceivablesReader(db);
  const asOf = opts.as_of ?? today();
  if (!isBusinessDate(asOf)) throw invalid('as_of', 'must be a date written YYYY-MM-DD');
  const from = opts.from ?? monthStart(asOf);
  if (!isBusinessDate(from)) throw invalid('from', 'must be a date written YYYY-MM-DD');
  if (from > asOf) throw invalid('from', 'must be on or before the as-of date');
  const currency = opts.currency?.toUpperCase();
  const openingDate = addDays(from, -1);
  const buckets = bucketsFor(defaultBoundaries);
  const limits = thresholds(defaultBoundaries);
  if (accountIds.length === 0) return [];
  const ids = [...accountIds];

  return db.tx(async (tx) => {
    const found = await tx.query<StatementAccount>(
      `select account_id, name, country, currency, payment_terms_days, billing_email, claims_email, collector
       from accounts where account_id = any($1::text[])`,
      [ids],
    );
    const opening = await tx.query<{ account_id: string; currency: string; balance: string }>(
      `with ${openingItems}
       select account_id, currency, sum(open_amount)::numeric(18, 2)::text as balance
       from items where open_amount <> 0 group by account_id, currency`,
      [openingDate, 'due_date', ids],
    );
    const open = await tx.query<StatementOpenItem & { account_id: string; currency: string; b: number }>(
      `with ${openItemsSql('any($4::text[])')}
       select x.account_id, x.kind, x.item_id, x.item_date, x.due_date, x.currency,
         x.amount::numeric(18, 2)::text as amount,
         x.open_amount::numeric(18, 2)::text as open_amount, ($1::date - x.age_date) as days_past_due,
         width_bucket($1::date - x.age_date, $3::int[]) as b
       from items x where x.open_amount <> 0
       order by x.account_id, x.currency, x.age_date, x.item_date, x.item_id`,
      [asOf, 'due_date', limits, ids],
    );
    const activity = await tx.query<
      Omit<ActivityLine, 'balance' | 'applied'> & {
        account_id: string;
        currency: string;
        applied: string | null;
      }
    >(
      `select x.account_id, x.date, x.kind, x.item_id, x.reference, x.due_date, x.currency,
         x.amount::numeric(18, 2)::text as amount, x.applied::numeric(18, 2)::text as applied
       from (
         select d.account_id, d.document_date as date, d.type as kind, d.document_id as item_id, d.reference,
           d.due_date, d.currency,
           -- a deduction item takes over what its invoice kept open (the balance does not change)
           case when d.type = 'credit_memo' then -d.amount when d.type = 'deduction' then 0 else d.amount end
             as amount,
           null::numeric as applied, 1 as ord
         from ar_documents d
         where d.account_id = any($1::text[]) and d.document_date between $2::date and $3::date
         union all
         select p.account_id, p.received_date, 'payment', p.payment_id, p.reference, null, p.currency, -p.amount,
           null, 2
         from ar_payments p
         where p.account_id = any($1::text[]) and p.received_date between $2::date and $3::date
         union all
         select e.account_id, e.applied_date, 'application', e.payment_id, e.document_id, null, d.currency, 0,
           sum(e.amount), 3
         from ar_application_entries e
         join ar_documents d on d.account_id = e.account_id and d.document_id = e.document_id
         where e.account_id = any($1::text[]) and e.applied_date between $2::date and $3::date
         group by e.account_id, e.applied_date, e.payment_id, e.document_id, d.currency
         having sum(e.amount) <> 0
       ) x
       order by x.account_id, x.date, x.ord, x.item_id, x.reference`,
      [ids, from, asOf],
    );
    const byAccount = <R extends { account_id: string }>(rows: readonly R[]) => {
      const m = new Map<string, Omit<R, 'account_id'>[]>();
      for (const { account_id, ...r } of rows) {
        let list = m.get(account_id);
        if (!list) {
          list = [];
          m.set(account_id, list);
        }
        list.push(r);
      }
      return m;
    };
    const openings = byAccount(opening.rows);
    const opens = byAccount(open.rows);
    const activities = byAccount(activity.rows);
    const accounts = new Map(found.rows.map((a) => [a.account_id, a]));
    const statements: AccountStatement[] = [];
    for (const id of ids) {
      const account = accounts.get(id);
      if (!account) continue;
      statements.push({
        account,
        from,
        as_of: asOf,
        opening_date: openingDate,
        buckets,
        statements: currencyStatements(
          account,
          openings.get(id) ?? [],
          opens.get(id) ?? [],
          activities.get(id) ?? [],
          buckets,
          currency,
        ),
      });
    }
    return statements;
  });
}

/** One account's statements per currency, made from its opening balances, open items and activity. */
function currencyStatements(
  account: StatementAccount,
  opening: readonly { currency: string; balance: string }[],
  open: readonly (StatementOpenItem & { currency: string; b: number })[],
  activity: readonly (Omit<ActivityLine, 'balance' | 'applied'> & {
    currency: string;
    applied: string | null;
  })[],
  buckets: ReturnType<typeof bucketsFor>,
  currency: string | undefined,
): CurrencyStatement[] {
  const currencies = new Set<string>([
    ...opening.map((r) => r.currency),
    ...open.map((r) => r.currency),
    ...activity.map((r) => r.currency),
  ]);
  if (currencies.size === 0) currencies.add(account.currency);
  const wanted = [...currencies]
    .filter((c) => !currency || c === currency)
    .sort((a, b) => (a === account.currency ? -1 : b === account.currency ? 1 : a.localeCompare(b)));
  if (currency && wanted.length === 0) wanted.push(currency);

  return wanted.map((cur): CurrencyStatement => {
    const openingBalance = new Money(opening.find((r) => r.currency === cur)?.balance ?? '0');
    let balance = openingBalance;
    let charges = new Money(0);
    let credits = new Money(0);
    const lines: ActivityLine[] = [];
    for (const { currency: c, ...r } of activity) {
      if (c !== cur) continue;
      const change = new Money(r.amount);
      balance = balance.plus(change);
      if (change.isPositive() && !change.isZero()) charges = charges.plus(change);
      else credits = credits.plus(change);
      lines.push({ ...r, balance: fixed2(balance) });
    }
    const items = open
      .filter((r) => r.currency === cur)
      .map(({ currency: _c, b, ...r }) => ({ ...r, bucket: buckets[b]!.key }));
    const aging: Record<string, string> = {};
    for (const bucket of buckets)
      aging[bucket.key] = fixed2(sum(items.filter((i) => i.bucket === bucket.key).map((i) => i.open_amount)));
    aging.total = fixed2(sum(items.map((i) => i.open_amount)));
    const netting = netPastDue(items);
    return {
      currency: cur,
      opening_balance: fixed2(openingBalance),
      charges: fixed2(charges),
      credits: fixed2(credits),
      closing_balance: fixed2(balance),
      activity: lines,
      open_items: items,
      aging,
      ...netting,
    };
  });
}

/**
 * Past due, the credits owed to the customer (open credit memos, unapplied payments) and the two netted: a
 * reminder or statement asks for the net, never for what the customer's own credits already cover.
 */
export function netPastDue(items: readonly { kind: string; open_amount: string; days_past_due: number }[]): {
  past_due: string;
  open_credits: string;
  net_past_due: string;
} {
  const pastDue = sum(
    items
      .filter((i) => i.days_past_due > 0 && new Money(i.open_amount).greaterThan(0))
      .map((i) => i.open_amount),
  );
  const credits = sum(items.filter((i) => new Money(i.open_amount).lessThan(0)).map((i) => i.open_amount));
  return {
    past_due: fixed2(pastDue),
    open_credits: fixed2(credits),
    net_past_due: fixed2(pastDue.plus(credits)),
  };
}

/** The open items on $1 of the accounts named in $3. */
const openingItems = openItemsSql('any($3::text[])');

/** A file name part made of safe characters only. */

export function statementFileName(s: AccountStatement, ext: 'pdf' | 'xlsx'): string {
  return `statement-${safeFileName(s.account.account_id)}-${s.as_of}.${ext}`;
}

export { bucketLabel };

/** The company issuing statements when CLEARHOUSE_COMPANY_NAME is set (platform's company identity). */
export const companyName = (): string | undefined => configuredCompanyName();

// ---------------------------------------------------------------------------------------------------------
// XLSX

const activityColumns: ExportColumn[] = [
  { key: 'account_id', header: 'account_id' },
  { key: 'account_name', header: 'account_name', label: 'Account name' },
  { key: 'currency', header: 'currency' },
  { key: 'date', header: 'date', type: 'date' },
  { key: 'kind', header: 'type' },
  { key: 'item_id', header: 'item_id', label: 'Item' },
  { key: 'reference', header: 'reference' },
  { key: 'due_date', header: 'due_date', type: 'date' },
  { key: 'amount', header: 'amount', type: 'amount', label: 'Change' },
  { key: 'applied', header: 'applied', type: 'amount', total: false },
  { key: 'balance', header: 'balance', type: 'amount', total: false },
];

const openItemColumns: ExportColumn[] = [
  { key: 'account_id', header: 'account_id' },
  { key: 'account_name', header: 'account_name', label: 'Account name' },
  { key: 'currency', header: 'currency' },
  { key: 'kind', header: 'type' },
  { key: 'item_id', header: 'item_id', label: 'Item' },
  { key: 'item_date', header: 'item_date', type: 'date', label: 'Date' },
  { key: 'due_date', header: 'due_date', type: 'date' },
  { key: 'days_past_due', header: 'days_past_due', type: 'int' },
  { key: 'bucket', header: 'bucket' },
  { key: 'amount', header: 'amount', type: 'amount' },
  { key: 'open_amount', header: 'open_amount', type: 'amount', label: 'Open' },
];

const balanceWords = { opening_balance: 'Opening balance', closing_balance: 'Closing balance' } as const;

/**
 * Sheets Activity (opening and closing balance rows around the period), Open items and Aging; types and
 * buckets in words.
 */
export function statementXlsx(s: AccountStatement): Promise<Buffer> {
  const head = { account_id: s.account.account_id, account_name: s.account.name };
  const activity = s.statements.flatMap((st) => [
    {
      ...head,
      currency: st.currency,
      date: s.opening_date,
      kind: balanceWords.opening_balance,
      balance: st.opening_balance,
    },
    ...st.activity.map((l) => ({ ...head, currency: st.currency, ...l, kind: kindLabels[l.kind] })),
    {
      ...head,
      currency: st.currency,
      date: s.as_of,
      kind: balanceWords.closing_balance,
      balance: st.closing_balance,
    },
  ]);
  const buckets = new Map(s.buckets.map((b) => [b.key, bucketLabel(b)]));
  const open = s.statements.flatMap((st) =>
    st.open_items.map((i) => ({
      ...head,
      currency: st.currency,
      ...i,
      kind: kindLabels[i.kind],
      bucket: buckets.get(i.bucket) ?? i.bucket,
    })),
  );
  const agingColumns: ExportColumn[] = [
    { key: 'account_id', header: 'account_id' },
    { key: 'account_name', header: 'account_name', label: 'Account name' },
    { key: 'currency', header: 'currency' },
    ...s.buckets.map((b) => ({ key: b.key, header: b.key, label: bucketLabel(b), type: 'amount' as const })),
    { key: 'total', header: 'total', type: 'amount' },
  ];
  return writeXlsx(
    [
      { name: 'Activity', columns: activityColumns, rows: activity, totals: false },
      { name: 'Open items', columns: openItemColumns, rows: open },
      {
        name: 'Aging',
        columns: agingColumns,
        totals: false,
        rows: s.statements.map((st) => ({ ...head, currency: st.currency, as_of: s.as_of, ...st.aging })),
      },
    ],
    {
      title: `Statement of account ${s.account.account_id} ${s.account.name}`,
      period: `${s.from} to ${s.as_of}`,
    },
  );
}
