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
import { Decimal } from 'decimal.js';
import { addDays, isBusinessDate, today } from '../../core/dates.ts';
import { invalid, notFound } from '../../core/errors.ts';
import { formatAmountText, Money } from '../../core/money.ts';
import type { Db } from '../../db/db.ts';
import { type ExportColumn, writeXlsx } from '../platform/export.ts';
import { configuredCompanyName } from '../platform/index.ts';
import {
  cellHeight,
  cellText,
  drawLetterhead,
  finishPdf,
  openPdf,
  pdfStyle,
  safeFileName,
} from '../platform/pdf.ts';
import {
  type AgingBucket,
  bucketLabel,
  bucketsFor,
  defaultBoundaries,
  openItemsSql,
  requireReceivablesReader,
  thresholds,
} from './aging.ts';

export interface StatementAccount {
  account_id: string;
  name: string;
  country: string;
  currency: string;
  payment_terms_days: number;
  billing_email: string | null;
  claims_email: string | null;
  collector: string | null;
}

export type ActivityKind =
  | 'invoice'
  | 'credit_memo'
  | 'debit_memo'
  | 'non_compliance_charge'
  | 'deduction'
  | 'payment'
  | 'application';

export interface ActivityLine {
  date: string;
  kind: ActivityKind;
  /** The document or payment (for an application: the payment or credit memo applied). */
  item_id: string;
  /** For an application: the document it was applied to; otherwise the item's reference. */
  reference: string | null;
  due_date: string | null;
  /** Signed change of the balance ('0.00' for applications); `applied` carries an application's amount. */
  amount: string;
  applied: string | null;
  balance: string;
}

export interface StatementOpenItem {
  kind: Exclude<ActivityKind, 'application'>;
  item_id: string;
  item_date: string;
  due_date: string | null;
  amount: string;
  open_amount: string;
  days_past_due: number;
  bucket: string;
}

export interface CurrencyStatement {
  currency: string;
  opening_balance: string;
  /** Sum of the positive changes (charges) and of the negative ones (credits, as a negative amount). */
  charges: string;
  credits: string;
  closing_balance: string;
  activity: ActivityLine[];
  open_items: StatementOpenItem[];
  /** Open amounts by bucket key, and `total` (equal to the closing balance). */
  aging: Record<string, string>;
  /** What is owed and past due on the as-of date: documents past due, their open amounts (positive). */
  past_due: string;
  /** What the company owes the customer on the as-of date: open credit memos and unapplied payments (≤ 0). */
  open_credits: string;
  /** Past due less the credits in the customer's favour: what the customer is asked to pay now (may be ≤ 0). */
  net_past_due: string;
}

export interface AccountStatement {
  account: StatementAccount;
  from: string;
  as_of: string;
  /** The day the opening balance is taken: the day before `from`. */
  opening_date: string;
  buckets: AgingBucket[];
  statements: CurrencyStatement[];
}

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

  return db.tx(async (tx) => {
    const found = await tx.query<StatementAccount>(
      `select account_id, name, country, currency, payment_terms_days, billing_email, claims_email, collector
       from accounts where account_id = $1`,
      [opts.account_id],
    );
    const account = found.rows[0];
    if (!account) throw notFound(`The account ${opts.account_id}`);

    const opening = await tx.query<{ currency: string; balance: string }>(
      `with ${openingItems}
       select currency, sum(open_amount)::numeric(18, 2)::text as balance
       from items where open_amount <> 0 group by currency`,
      [openingDate, 'due_date', account.account_id],
    );
    const open = await tx.query<StatementOpenItem & { currency: string; b: number }>(
      `with ${openItemsSql('$4')}
       select x.kind, x.item_id, x.item_date, x.due_date, x.currency, x.amount::numeric(18, 2)::text as amount,
         x.open_amount::numeric(18, 2)::text as open_amount, ($1::date - x.age_date) as days_past_due,
         width_bucket($1::date - x.age_date, $3::int[]) as b
       from items x where x.open_amount <> 0
       order by x.currency, x.age_date, x.item_date, x.item_id`,
      [asOf, 'due_date', limits, account.account_id],
    );
    const activity = await tx.query<
      Omit<ActivityLine, 'balance' | 'applied'> & { currency: string; applied: string | null }
    >(
      `select x.date, x.kind, x.item_id, x.reference, x.due_date, x.currency,
         x.amount::numeric(18, 2)::text as amount, x.applied::numeric(18, 2)::text as applied
       from (
         select d.document_date as date, d.type as kind, d.document_id as item_id, d.reference, d.due_date,
           d.currency,
           -- a deduction item takes over what its invoice kept open (the balance does not change)
           case when d.type = 'credit_memo' then -d.amount when d.type = 'deduction' then 0 else d.amount end
             as amount,
           null::numeric as applied, 1 as ord
         from ar_documents d
         where d.account_id = $1 and d.document_date between $2::date and $3::date
         union all
         select p.received_date, 'payment', p.payment_id, p.reference, null, p.currency, -p.amount, null, 2
         from ar_payments p
         where p.account_id = $1 and p.received_date between $2::date and $3::date
         union all
         select e.applied_date, 'application', e.payment_id, e.document_id, null, d.currency, 0, sum(e.amount), 3
         from ar_application_entries e
         join ar_documents d on d.account_id = e.account_id and d.document_id = e.document_id
         where e.account_id = $1 and e.applied_date between $2::date and $3::date
         group by e.applied_date, e.payment_id, e.document_id, d.currency
         having sum(e.amount) <> 0
       ) x
       order by x.date, x.ord, x.item_id, x.reference`,
      [account.account_id, from, asOf],
    );

    const currencies = new Set<string>([
      ...opening.rows.map((r) => r.currency),
      ...open.rows.map((r) => r.currency),
      ...activity.rows.map((r) => r.currency),
    ]);
    if (currencies.size === 0) currencies.add(account.currency);
    const wanted = [...currencies]
      .filter((c) => !currency || c === currency)
      .sort((a, b) => (a === account.currency ? -1 : b === account.currency ? 1 : a.localeCompare(b)));
    if (currency && wanted.length === 0) wanted.push(currency);

    const statements = wanted.map((cur): CurrencyStatement => {
      const openingBalance = new Money(opening.rows.find((r) => r.currency === cur)?.balance ?? '0');
      let balance = openingBalance;
      let charges = new Money(0);
      let credits = new Money(0);
      const lines: ActivityLine[] = [];
      for (const { currency: c, ...r } of activity.rows) {
        if (c !== cur) continue;
        const change = new Money(r.amount);
        balance = balance.plus(change);
        if (change.isPositive() && !change.isZero()) charges = charges.plus(change);
        else credits = credits.plus(change);
        lines.push({ ...r, balance: fixed2(balance) });
      }
      const items = open.rows
        .filter((r) => r.currency === cur)
        .map(({ currency: _c, b, ...r }) => ({ ...r, bucket: buckets[b]!.key }));
      const aging: Record<string, string> = {};
      for (const bucket of buckets)
        aging[bucket.key] = fixed2(
          sum(items.filter((i) => i.bucket === bucket.key).map((i) => i.open_amount)),
        );
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
    return { account, from, as_of: asOf, opening_date: openingDate, buckets, statements };
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

/** The open items of one account on $1 ($3 names the account). */
const openingItems = openItemsSql('$3');

/** A file name part made of safe characters only. */

export function statementFileName(s: AccountStatement, ext: 'pdf' | 'xlsx'): string {
  return `statement-${safeFileName(s.account.account_id)}-${s.as_of}.${ext}`;
}

export const kindLabels: Record<ActivityKind, string> = {
  invoice: 'Invoice',
  credit_memo: 'Credit memo',
  debit_memo: 'Debit memo',
  non_compliance_charge: 'Non-compliance charge',
  deduction: 'Deduction',
  payment: 'Payment',
  application: 'Application',
};

export { bucketLabel };

/** The company issuing statements when CLEARHOUSE_COMPANY_NAME is set (platform's company identity). */
export const companyName = (): string | undefined => configuredCompanyName();

// ---------------------------------------------------------------------------------------------------------
// PDF

interface Column {
  header: string;
  width: number;
  align: 'left' | 'right';
}

const { margin, footerSpace, pad, ink, muted, rule, band } = pdfStyle;

export interface PdfOptions {
  /** Compress content streams (default true); tests read the text of an uncompressed document. */
  compress?: boolean;
}

export function statementPdf(s: AccountStatement, opts: PdfOptions = {}): Promise<Buffer> {
  const a = s.account;
  const pdf = openPdf(
    {
      Title: `Statement of account ${a.account_id} as of ${s.as_of}`,
      Subject: `${a.name} (${a.account_id})`,
    },
    opts,
  );
  const { doc } = pdf;

  const left = margin;
  const width = doc.page.width - 2 * margin;
  const bottom = () => doc.page.height - margin - footerSpace;
  let y: number = margin;

  const header = (st: CurrencyStatement) => {
    y = drawLetterhead(pdf, {
      title: 'Statement of account',
      lines: [`As of ${s.as_of}`, s.statements.length > 1 ? `Amounts in ${st.currency}` : ''].filter(Boolean),
      payment: true,
    });
    const facts: [string, string][][] = [
      [
        ['Account', a.name],
        ['Account ID', a.account_id],
        ['Billing contact', a.billing_email ?? '—'],
        ['Claims contact', a.claims_email ?? '—'],
        ['Collector', a.collector ?? '—'],
      ],
      [
        ['Statement date', s.as_of],
        ['Period', `${s.from} – ${s.as_of}`],
        ['Currency', st.currency],
        ['Payment terms', `${a.payment_terms_days} days`],
        ['Country', a.country],
      ],
    ];
    const half = width / 2;
    let factsBottom = y;
    facts.forEach((group, g) => {
      let fy = y;
      for (const [label, value] of group) {
        doc.font('Helvetica').fontSize(8.5).fillColor(muted);
        cellText(doc, label, left + g * half, fy, { width: 78 });
        doc
          .font(label === 'Account' ? 'Helvetica-Bold' : 'Helvetica')
          .fontSize(9.5)
          .fillColor(ink);
        cellText(doc, value, left + g * half + 80, fy - 0.5, { width: half - 88 });
        fy = Math.max(doc.y, fy + 13) + 2;
      }
      factsBottom = Math.max(factsBottom, fy);
    });
    y = factsBottom + 8;
  };

  const heading = (text: string, note?: string) => {
    if (y + 60 > bottom()) {
      doc.addPage();
      y = margin;
    }
    doc.font('Helvetica-Bold').fontSize(11).fillColor(ink).text(text, left, y);
    if (note)
      doc
        .font('Helvetica')
        .fontSize(8.5)
        .fillColor(muted)
        .text(note, left, y + 2, { width, align: 'right' });
    y = doc.y + 4;
  };

  /** A table: a shaded header row repeated on each new page, rows ruled; `bold` rows are totals. */
  const table = (columns: Column[], rows: { cells: string[]; bold?: boolean; color?: string[] }[]) => {
    const scale = width / columns.reduce((t, c) => t + c.width, 0);
    const cols = columns.map((c) => ({ ...c, width: c.width * scale }));
    const headerHeight = 16;
    const drawHeader = () => {
      doc.rect(left, y, width, headerHeight).fill(band);
      let x = left;
      doc.font('Helvetica-Bold').fontSize(8).fillColor(ink);
      for (const col of cols) {
        cellText(doc, col.header, x + pad, y + 4.5, { width: col.width - 2 * pad, align: col.align });
        x += col.width;
      }
      y += headerHeight;
    };
    drawHeader();
    for (const row of rows) {
      doc.font(row.bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(8.5);
      const h =
        Math.max(...cols.map((col, i) => cellHeight(doc, row.cells[i] || ' ', col.width - 2 * pad))) +
        2 * pad +
        1;
      if (y + h > bottom()) {
        doc.addPage();
        y = margin;
        drawHeader();
      }
      let x = left;
      cols.forEach((col, i) => {
        doc
          .font(row.bold ? 'Helvetica-Bold' : 'Helvetica')
          .fontSize(8.5)
          .fillColor(row.color?.[i] ?? ink);
        cellText(doc, row.cells[i] ?? '', x + pad, y + pad + 1, {
          width: col.width - 2 * pad,
          align: col.align,
        });
        x += col.width;
      });
      y += h;
      doc
        .moveTo(left, y)
        .lineTo(left + width, y)
        .lineWidth(0.5)
        .strokeColor(rule)
        .stroke();
    }
  };

  s.statements.forEach((st, index) => {
    if (index > 0) doc.addPage();
    const amount = (v: string | null | undefined) => formatAmountText(v, st.currency);
    header(st);

    // Summary ------------------------------------------------------------------------------------------
    const summary: [string, string, boolean][] = [
      [`Opening balance on ${s.opening_date}`, st.opening_balance, false],
      ['Invoices and charges', st.charges, false],
      ['Payments and credits', st.credits, false],
      [`Closing balance on ${s.as_of}`, st.closing_balance, true],
      ['Past due', st.past_due, false],
      ['Credits in your favour', st.open_credits, false],
      ['Past due after your credits', st.net_past_due, true],
    ];
    const boxWidth = Math.round(width * 0.55);
    const boxLeft = left + width - boxWidth;
    doc.rect(boxLeft, y, boxWidth, summary.length * 15 + 10).fill(band);
    let sy = y + 6;
    for (const [label, value, strong] of summary) {
      doc
        .font(strong ? 'Helvetica-Bold' : 'Helvetica')
        .fontSize(9.5)
        .fillColor(ink);
      cellText(doc, label, boxLeft + 8, sy, { width: boxWidth * 0.6 });
      cellText(doc, `${amount(value)} ${st.currency}`, boxLeft + boxWidth * 0.5, sy, {
        width: boxWidth * 0.5 - 8,
        align: 'right',
      });
      sy += 15;
    }
    doc
      .font('Helvetica')
      .fontSize(8.5)
      .fillColor(muted)
      .text(
        `Amounts in ${st.currency}. Negative amounts are in your favour (credits and unapplied payments); what is past due is asked for after your credits.`,
        left,
        y + 4,
        { width: width - boxWidth - 16 },
      );
    y += summary.length * 15 + 24;

    // Activity -----------------------------------------------------------------------------------------
    heading('Activity', `${s.from} – ${s.as_of}`);
    const activityRows: { cells: string[]; bold?: boolean; color?: string[] }[] = [
      {
        cells: [s.opening_date, 'Opening balance', '', '', '', '', amount(st.opening_balance)],
        bold: true,
      },
    ];
    for (const l of st.activity) {
      const change = new Decimal(l.amount);
      activityRows.push({
        cells:
          l.kind === 'application'
            ? [
                l.date,
                `Applied ${amount(l.applied)} of ${l.item_id}`,
                `to ${l.reference ?? ''}`,
                '',
                '',
                '',
                amount(l.balance),
              ]
            : [
                l.date,
                `${kindLabels[l.kind]} ${l.item_id}`,
                l.reference ?? '',
                l.due_date ?? '',
                change.isPositive() && !change.isZero() ? amount(l.amount) : '',
                change.isNegative() ? amount(change.negated().toFixed()) : '',
                amount(l.balance),
              ],
        color: l.kind === 'application' ? [muted, muted, muted, ink, ink, ink, muted] : undefined,
      });
    }
    activityRows.push({
      cells: [
        s.as_of,
        'Closing balance',
        '',
        '',
        amount(st.charges),
        amount(negate(st.credits)),
        amount(st.closing_balance),
      ],
      bold: true,
    });
    table(
      [
        { header: 'Date', width: 62, align: 'left' },
        { header: 'Item', width: 130, align: 'left' },
        { header: 'Reference', width: 80, align: 'left' },
        { header: 'Due date', width: 60, align: 'left' },
        { header: 'Charges', width: 62, align: 'right' },
        { header: 'Credits', width: 62, align: 'right' },
        { header: 'Balance', width: 68, align: 'right' },
      ],
      activityRows,
    );
    y += 16;

    // Open items ---------------------------------------------------------------------------------------
    heading('Open items', `as of ${s.as_of}`);
    if (st.open_items.length === 0) {
      doc
        .font('Helvetica')
        .fontSize(9)
        .fillColor(muted)
        .text('Nothing is open.', left + pad, y + 4);
      y = doc.y + 8;
    } else {
      const bucketByKey = new Map(s.buckets.map((b) => [b.key, b]));
      table(
        [
          { header: 'Item', width: 118, align: 'left' },
          { header: 'Date', width: 58, align: 'left' },
          { header: 'Due date', width: 58, align: 'left' },
          { header: 'Days past due', width: 70, align: 'right' },
          { header: 'Bucket', width: 66, align: 'left' },
          { header: 'Amount', width: 72, align: 'right' },
          { header: 'Open', width: 72, align: 'right' },
        ],
        [
          ...st.open_items.map((i) => ({
            cells: [
              `${kindLabels[i.kind]} ${i.item_id}`,
              i.item_date,
              i.due_date ?? '',
              i.days_past_due > 0 ? String(i.days_past_due) : '',
              bucketLabel(bucketByKey.get(i.bucket)!),
              amount(i.amount),
              amount(i.open_amount),
            ],
            color: [ink, ink, ink, i.days_past_due > 0 ? '#b3261e' : ink, ink, ink, ink],
          })),
          { cells: ['Total open', '', '', '', '', '', amount(st.aging.total)], bold: true },
        ],
      );
      y += 16;
    }

    // Aging summary -------------------------------------------------------------------------------------
    heading('Aging', 'by days past due');
    table(
      [
        ...s.buckets.map((b) => ({ header: bucketLabel(b), width: 60, align: 'right' as const })),
        {
          header: 'Total',
          width: 70,
          align: 'right',
        },
      ],
      [{ cells: [...s.buckets.map((b) => amount(st.aging[b.key])), amount(st.aging.total)], bold: false }],
    );
    y += 12;
  });

  return finishPdf(pdf, `Statement of account ${a.account_id} · ${a.name} · as of ${s.as_of}`);
}

const negate = (v: string) => new Decimal(v).negated().toFixed(2);

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
