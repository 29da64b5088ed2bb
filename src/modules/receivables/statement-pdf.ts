/**
 * Rendering a statement of account as a PDF from its data: what the rendering threads load (platform's
 * render-pool). It imports only what rendering needs, so that a thread starts without the receivables,
 * platform and database modules; the statement is read in statement.ts.
 */
import { Decimal } from 'decimal.js';
import { formatAmountText } from '../../core/money.ts';
import {
  cellHeight,
  cellText,
  drawFacts,
  drawLetterhead,
  finishPdf,
  openPdf,
  pdfStyle,
} from '../platform/pdf.ts';
import type { AgingBucket } from './aging.ts';
import { bucketLabel } from './bucket-words.ts';

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

export const kindLabels: Record<ActivityKind, string> = {
  invoice: 'Invoice',
  credit_memo: 'Credit memo',
  debit_memo: 'Debit memo',
  non_compliance_charge: 'Non-compliance charge',
  deduction: 'Deduction',
  payment: 'Payment',
  application: 'Application',
};

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
    y = drawFacts(doc, facts, { left, y, width, labelWidth: 78, bold: 'Account' }) + 8;
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
