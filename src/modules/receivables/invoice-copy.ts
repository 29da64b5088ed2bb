/**
 * A copy of a document as issued (invoice, credit or debit memo, non-compliance charge), rendered from what
 * Clearhouse holds about it: the account and its billing contact, the document's dates, amount, tax,
 * reference and PO number, what was applied to it and what is open on a date. It says plainly that it is a
 * copy, not a new invoice. Sent from an item (invoice copy, reminder) and downloadable.
 */
import { daysBetween, isBusinessDate, today } from '../../core/dates.ts';
import { AppError, invalid, notFound } from '../../core/errors.ts';
import { formatAmountText, Money } from '../../core/money.ts';
import type { Db } from '../../db/db.ts';
import { drawLetterhead, finishPdf, openPdf, pdfStyle, safeFileName } from '../platform/pdf.ts';
import { requireReceivablesReader } from './aging.ts';
import { kindLabels } from './statement.ts';

export interface InvoiceCopy {
  as_of: string;
  account: {
    account_id: string;
    name: string;
    country: string;
    billing_email: string | null;
    payment_terms_days: number;
  };
  document: {
    document_id: string;
    type: 'invoice' | 'credit_memo' | 'debit_memo' | 'non_compliance_charge';
    document_date: string;
    due_date: string;
    currency: string;
    amount: string;
    tax_amount: string | null;
    reference: string | null;
    po_number: string | null;
  };
  /** Applications dated on or before the as-of date: payments and credit memos applied to it (or, for a
   * credit memo, the documents it was applied to). */
  applications: { date: string; counterpart: string; amount: string }[];
  applied: string;
  open_amount: string;
  days_past_due: number;
}

export async function invoiceCopy(
  db: Db,
  documentId: string,
  opts: { as_of?: string | undefined } = {},
): Promise<InvoiceCopy> {
  requireReceivablesReader(db);
  const asOf = opts.as_of ?? today();
  if (!isBusinessDate(asOf)) throw invalid('as_of', 'must be a date written YYYY-MM-DD');
  return db.tx(async (tx) => {
    const found = await tx.query<InvoiceCopy['document'] & InvoiceCopy['account']>(
      `select d.document_id, d.type, d.document_date, d.due_date, d.currency, d.amount::text, d.tax_amount::text,
         d.reference, d.po_number, a.account_id, a.name, a.country, a.billing_email, a.payment_terms_days
       from ar_documents d join accounts a on a.account_id = d.account_id where d.document_id = $1`,
      [documentId],
    );
    const row = found.rows[0];
    if (!row) {
      const payment = await tx.query('select 1 from ar_payments where payment_id = $1', [documentId]);
      if (payment.rows[0])
        throw new AppError('validation_failed', `${documentId} is a payment; only documents have a copy.`, {
          issues: [{ field: 'document_id', message: 'a payment, not a document' }],
        });
      throw notFound(`The document ${documentId}`);
    }
    const source = row.type === 'credit_memo';
    const apps = await tx.query<{ date: string; counterpart: string; amount: string }>(
      `select e.applied_date as date, ${source ? 'e.document_id' : 'e.payment_id'} as counterpart,
         sum(e.amount)::text as amount
       from ar_application_entries e
       where e.account_id = $1 and e.${source ? 'payment_id' : 'document_id'} = $2 and e.applied_date <= $3
       group by e.applied_date, counterpart having sum(e.amount) <> 0
       order by e.applied_date, counterpart`,
      [row.account_id, documentId, asOf],
    );
    const exists = row.document_date <= asOf;
    const applied = apps.rows.reduce((s, a) => s.plus(a.amount), new Money(0));
    const open = exists ? new Money(row.amount).minus(applied) : new Money(0);
    const age = source ? row.document_date : row.due_date;
    const days = daysBetween(age, asOf);
    return {
      as_of: asOf,
      account: {
        account_id: row.account_id,
        name: row.name,
        country: row.country,
        billing_email: row.billing_email,
        payment_terms_days: row.payment_terms_days,
      },
      document: {
        document_id: row.document_id,
        type: row.type,
        document_date: row.document_date,
        due_date: row.due_date,
        currency: row.currency,
        amount: row.amount,
        tax_amount: row.tax_amount,
        reference: row.reference,
        po_number: row.po_number,
      },
      applications: exists ? apps.rows : [],
      applied: applied.toFixed(2),
      open_amount: open.toFixed(2),
      days_past_due: days,
    };
  });
}

export function invoiceCopyFileName(copy: InvoiceCopy): string {
  return `copy-${safeFileName(copy.document.document_id)}.pdf`;
}

export function invoiceCopyPdf(copy: InvoiceCopy, opts: { compress?: boolean } = {}): Promise<Buffer> {
  const { margin, ink, muted, rule, band, pad } = pdfStyle;
  const d = copy.document;
  const a = copy.account;
  const label = kindLabels[d.type];
  const money = (v: string | null) => (v === null ? '—' : `${formatAmountText(v, d.currency)} ${d.currency}`);
  const pdf = openPdf(
    {
      Title: `Copy of ${label.toLowerCase()} ${d.document_id}`,
      Subject: `${a.name} (${a.account_id})`,
    },
    opts,
  );
  const { doc } = pdf;
  const left = margin;
  const width = doc.page.width - 2 * margin;

  let y = drawLetterhead(pdf, {
    title: `${label} ${d.document_id}`,
    lines: ['COPY — not a new invoice', `Dated ${d.document_date}`],
    payment: d.type !== 'credit_memo',
  });

  const half = width / 2;
  const block = (x: number, title: string, lines: [string, string][]) => {
    let by = y;
    doc.font('Helvetica-Bold').fontSize(9).fillColor(muted).text(title.toUpperCase(), x, by);
    by += 14;
    for (const [k, v] of lines) {
      doc.font('Helvetica').fontSize(8.5).fillColor(muted).text(k, x, by, { width: 90 });
      doc
        .font(k === 'Account' ? 'Helvetica-Bold' : 'Helvetica')
        .fontSize(9.5)
        .fillColor(ink)
        .text(v, x + 92, by - 0.5, { width: half - 100 });
      by = Math.max(doc.y, by + 13) + 2;
    }
    return by;
  };
  const b1 = block(left, 'Billed to', [
    ['Account', a.name],
    ['Account ID', a.account_id],
    ['Country', a.country],
    ['Billing contact', a.billing_email ?? '—'],
  ]);
  const b2 = block(left + half, 'Document', [
    ['Type', label],
    ['Number', d.document_id],
    ['Date', d.document_date],
    ['Due date', d.due_date],
    ['Reference', d.reference ?? '—'],
    ['PO number', d.po_number ?? '—'],
  ]);
  y = Math.max(b1, b2) + 12;

  // Amounts ------------------------------------------------------------------------------------------------
  const amountRows: [string, string, boolean][] = [[`${label} amount`, money(d.amount), true]];
  if (d.tax_amount !== null) {
    const net = new Money(d.amount).minus(d.tax_amount).toFixed(2);
    amountRows.unshift(['Net', money(net), false], ['Tax', money(d.tax_amount), false]);
  }
  const boxWidth = Math.round(width * 0.5);
  const boxLeft = left + width - boxWidth;
  doc.rect(boxLeft, y, boxWidth, amountRows.length * 15 + 10).fill(band);
  let ay = y + 6;
  for (const [k, v, strong] of amountRows) {
    doc
      .font(strong ? 'Helvetica-Bold' : 'Helvetica')
      .fontSize(9.5)
      .fillColor(ink)
      .text(k, boxLeft + 8, ay, { width: boxWidth * 0.5 });
    doc.text(v, boxLeft + boxWidth * 0.4, ay, { width: boxWidth * 0.6 - 8, align: 'right' });
    ay += 15;
  }
  doc
    .font('Helvetica')
    .fontSize(8.5)
    .fillColor(muted)
    .text(
      `Payment terms ${a.payment_terms_days} days. Amounts in ${d.currency}.` +
        (d.type === 'credit_memo' ? ' A credit memo is in your favour.' : ''),
      left,
      y + 4,
      { width: width - boxWidth - 16 },
    );
  y += amountRows.length * 15 + 26;

  // Applications and what is open --------------------------------------------------------------------------
  doc
    .font('Helvetica-Bold')
    .fontSize(11)
    .fillColor(ink)
    .text(
      d.type === 'credit_memo'
        ? `Applied to documents as of ${copy.as_of}`
        : `Payments and credits applied as of ${copy.as_of}`,
      left,
      y,
    );
  y = doc.y + 4;
  const cols = [
    { header: 'Date', width: 0.22, align: 'left' as const },
    {
      header: d.type === 'credit_memo' ? 'Document' : 'Payment or credit memo',
      width: 0.48,
      align: 'left' as const,
    },
    { header: 'Amount', width: 0.3, align: 'right' as const },
  ];
  const bottom = () => doc.page.height - margin - pdfStyle.footerSpace;
  const headerCells = cols.map((c) => c.header);
  const row = (cells: string[], bold = false, fill?: string) => {
    const h = 16;
    if (y + h > bottom()) {
      // The table goes on over the page, its header first.
      doc.addPage();
      y = margin;
      if (cells !== headerCells) row(headerCells, true, band);
    }
    if (fill) doc.rect(left, y, width, h).fill(fill);
    let x = left;
    cells.forEach((c, i) => {
      const w = cols[i]!.width * width;
      doc
        .font(bold ? 'Helvetica-Bold' : 'Helvetica')
        .fontSize(8.5)
        .fillColor(ink)
        .text(c, x + pad, y + 4.5, { width: w - 2 * pad, align: cols[i]!.align });
      x += w;
    });
    y += h;
    doc
      .moveTo(left, y)
      .lineTo(left + width, y)
      .lineWidth(0.5)
      .strokeColor(rule)
      .stroke();
  };
  row(headerCells, true, band);
  if (copy.applications.length === 0) row(['', 'Nothing applied', ''], false);
  for (const app of copy.applications) row([app.date, app.counterpart, money(app.amount)]);
  row(['', 'Total applied', money(copy.applied)], true);
  row(
    [
      '',
      `Open on ${copy.as_of}${copy.days_past_due > 0 && d.type !== 'credit_memo' ? ` (${copy.days_past_due} days past due)` : ''}`,
      money(copy.open_amount),
    ],
    true,
  );
  y += 18;
  if (y + 30 > bottom()) {
    doc.addPage();
    y = margin;
  }
  doc
    .font('Helvetica')
    .fontSize(8.5)
    .fillColor(muted)
    .text(
      'This copy is made from our records of the document as issued. If anything on it does not match your ' +
        'records, please reply to the e-mail it came with.',
      left,
      y,
      { width },
    );
  return finishPdf(pdf, `Copy of ${label.toLowerCase()} ${d.document_id} · ${a.name}`);
}
