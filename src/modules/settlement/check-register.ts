/**
 * The check register of a check batch as a PDF, beside its CSV: one check per partner with the payee, its
 * account, the claims it pays and the amount, claims about to breach their SLA marked and listed first, and
 * the number of checks and their total. Amounts stay decimal strings; the total is summed with Decimal.
 */
import { Decimal } from 'decimal.js';
import { formatAmountText, formatMoneyText } from '../../core/money.ts';
import { drawLetterhead, finishPdf, openPdf, pdfStyle } from '../platform/pdf.ts';

export interface RegisterCheck {
  payee: string;
  account_id: string;
  amount: string;
  claim_references: string;
  claim_count: number;
  sla_priority: boolean;
}

export interface CheckRegister {
  batch_id: string;
  currency: string;
  payment_date: string;
  checks: readonly RegisterCheck[];
}

interface Column {
  header: string;
  width: number;
  align: 'left' | 'right';
  cell: (c: RegisterCheck, n: number) => string;
}

const { margin, footerSpace, pad, ink, muted, rule, band } = pdfStyle;

/** A check paying hundreds of claims keeps to a few lines; the CSV and the advice list them all. */
const shownReferences = 12;
function references(list: string): string {
  const ids = list.split(';');
  if (ids.length <= shownReferences) return ids.join(', ');
  return `${ids.slice(0, shownReferences).join(', ')} and ${ids.length - shownReferences} more (see the CSV)`;
}

export function renderCheckRegisterPdf(
  register: CheckRegister,
  opts: { compress?: boolean } = {},
): Promise<Buffer> {
  const cur = register.currency;
  const columns: Column[] = [
    { header: 'No.', width: 28, align: 'right', cell: (_c, n) => String(n) },
    { header: 'Payee', width: 140, align: 'left', cell: (c) => c.payee },
    { header: 'Account', width: 70, align: 'left', cell: (c) => c.account_id },
    {
      header: 'Claim references',
      width: 156,
      align: 'left',
      cell: (c) => references(c.claim_references),
    },
    { header: 'Claims', width: 38, align: 'right', cell: (c) => String(c.claim_count) },
    { header: 'Amount', width: 83, align: 'right', cell: (c) => formatAmountText(c.amount, cur) },
  ];
  const total = register.checks.reduce((s, c) => s.plus(c.amount), new Decimal(0)).toFixed(2);
  const urgent = register.checks.filter((c) => c.sla_priority).length;

  const pdf = openPdf({ Title: `Check register ${register.batch_id}`, Subject: 'Check register' }, opts);
  const { doc } = pdf;
  const left = margin;
  const width = doc.page.width - 2 * margin;
  const bottom = () => doc.page.height - margin - footerSpace;
  // The columns fill the paper's width (A4 or Letter).
  const scale = width / columns.reduce((t, c) => t + c.width, 0);
  for (const col of columns) col.width *= scale;

  let y = drawLetterhead(pdf, {
    title: 'Check register',
    lines: [`Batch ${register.batch_id}`, `Payment date ${register.payment_date}`],
  });
  const facts: [string, string][] = [
    ['Batch', register.batch_id],
    ['Payment date', register.payment_date],
    ['Currency', cur],
    ['Checks', String(register.checks.length)],
  ];
  const quarter = width / 4;
  facts.forEach(([label, value], i) => {
    doc
      .font('Helvetica')
      .fontSize(8.5)
      .fillColor(muted)
      .text(label, left + i * quarter, y, { width: quarter - 8 });
    doc
      .font('Helvetica-Bold')
      .fontSize(10)
      .fillColor(ink)
      .text(value, left + i * quarter, y + 11, { width: quarter - 8 });
  });
  y += 36;
  if (urgent > 0) {
    doc
      .font('Helvetica')
      .fontSize(8.5)
      .fillColor(ink)
      .text(
        `* SLA priority: ${urgent} check(s) pay claims due soon or past their SLA; they are listed first.`,
        left,
        y,
        { width },
      );
    y = doc.y + 8;
  }

  const headerHeight = 16;
  const drawHeader = (top: number): number => {
    doc.rect(left, top, width, headerHeight).fill(band);
    let x = left;
    doc.font('Helvetica-Bold').fontSize(8).fillColor(ink);
    for (const col of columns) {
      doc.text(col.header, x + pad, top + 4, { width: col.width - 2 * pad, align: col.align });
      x += col.width;
    }
    return top + headerHeight;
  };

  y = drawHeader(y);
  register.checks.forEach((check, i) => {
    const cells = columns.map((c) => c.cell(check, i + 1));
    if (check.sla_priority) cells[1] = `* ${cells[1]}`;
    doc.font(check.sla_priority ? 'Helvetica-Bold' : 'Helvetica').fontSize(8);
    const h =
      Math.max(...columns.map((c, n) => doc.heightOfString(cells[n] || ' ', { width: c.width - 2 * pad }))) +
      2 * pad;
    if (y + h > bottom()) {
      doc.addPage();
      y = drawHeader(margin);
      doc.font(check.sla_priority ? 'Helvetica-Bold' : 'Helvetica').fontSize(8);
    }
    let x = left;
    doc.fillColor(ink);
    columns.forEach((col, n) => {
      doc.text(cells[n] ?? '', x + pad, y + pad, { width: col.width - 2 * pad, align: col.align });
      x += col.width;
    });
    y += h;
    doc
      .moveTo(left, y)
      .lineTo(left + width, y)
      .lineWidth(0.5)
      .strokeColor(rule)
      .stroke();
  });

  y += 18;
  if (y + 60 > bottom()) {
    doc.addPage();
    y = margin;
  }
  const boxWidth = Math.round(width * 0.5);
  const boxLeft = left + width - boxWidth;
  doc.font('Helvetica-Bold').fontSize(11).fillColor(ink).text('Totals', boxLeft, y);
  y = doc.y + 4;
  const totals: [string, string][] = [
    ['Checks', String(register.checks.length)],
    ['Claims paid', String(register.checks.reduce((n, c) => n + c.claim_count, 0))],
    ['Total', formatMoneyText(total, cur)],
  ];
  for (const [label, value] of totals) {
    const last = label === 'Total';
    if (last) {
      doc
        .moveTo(boxLeft, y - 2)
        .lineTo(boxLeft + boxWidth, y - 2)
        .lineWidth(0.75)
        .strokeColor(ink)
        .stroke();
      y += 2;
    }
    doc
      .font(last ? 'Helvetica-Bold' : 'Helvetica')
      .fontSize(9.5)
      .fillColor(ink)
      .text(label, boxLeft, y, { width: boxWidth / 2 });
    doc.text(value, boxLeft + boxWidth / 2, y, { width: boxWidth / 2, align: 'right' });
    y += 15;
  }
  return finishPdf(pdf, `Check register ${register.batch_id} · ${register.payment_date}`);
}
