/**
 * Rendering a payment advice (PDF and XLSX) from its data: what the rendering threads load (platform's
 * render-pool). It imports only what rendering needs — pdfkit, the lean XLSX writer, the rules in words —
 * so that a thread starts in a fraction of the time and memory the whole settlement and claims modules
 * would cost it. The advice is read in advice.ts.
 */
import { Decimal } from 'decimal.js';
import { formatAmountText, formatMoneyText } from '../../core/money.ts';
// The rules in words: a pure file of texts (claims' index would load the whole claims module into the thread).
import { ruleWithCode } from '../claims/rule-texts.ts';
import type { PdfOptions } from '../claims/statement.ts';
import { type ExportColumn, writeXlsx } from '../platform/export.ts';
import {
  cellHeight,
  cellText,
  drawFacts,
  drawLetterhead,
  finishPdf,
  openPdf,
  pdfStyle,
} from '../platform/pdf.ts';

export interface AdviceLine {
  claim_id: string;
  line_no: number;
  sku: string | null;
  claimed_amount: string;
  approved_amount: string;
  paid_amount: string;
  variance: string;
  rule_codes: string;
}

export interface AdviceClaim {
  claim_id: string;
  program_id: string | null;
  submitted_date: string | null;
  document_id: string | null;
  claimed_amount: string;
  approved_amount: string;
  paid_amount: string;
  /** What the partner's own deductions settled of the claim before this payment (paid by deduction). */
  deducted_amount: string;
  /** Those deductions' ids, `;`-separated. */
  deductions: string;
  variance: string;
  rule_codes: string;
  /** Due soon or past its SLA when it was paid: paid first. */
  sla_priority: boolean;
  /** created (its batch waits for release), paid or reversed */
  payment_status: string;
  lines: AdviceLine[];
}

export interface PaymentAdvice {
  batch_id: string;
  account_id: string;
  partner_name: string;
  method: string;
  currency: string;
  payment_date: string;
  /** paid, awaiting_release (the batch waits for an approver) or reversed (its batch was reversed) */
  status: 'paid' | 'awaiting_release' | 'reversed';
  claims: AdviceClaim[];
  totals: {
    claimed_amount: string;
    approved_amount: string;
    deducted_amount: string;
    paid_amount: string;
    variance: string;
  };
}

export interface AdviceFile {
  fileName: string;
  content: Buffer;
}

export const methodLabels: Record<string, string> = {
  credit_memo: 'Credit memo',
  ach: 'ACH',
  check: 'Check',
  wire: 'Wire transfer',
};

export const statusLabels: Record<PaymentAdvice['status'], string> = {
  paid: 'Paid',
  awaiting_release: 'Awaiting release',
  reversed: 'Reversed: this payment was taken back',
};

// ---------------------------------------------------------------------------------------------------------
// PDF

interface Column {
  key: 'claim' | 'line_no' | 'what' | 'claimed_amount' | 'approved_amount' | 'paid_amount' | 'variance';
  header: string;
  width: number;
  align: 'left' | 'right';
}

/** On A4; scaled to the paper's width. */
const pdfColumns: Column[] = [
  { key: 'claim', header: 'Claim', width: 104, align: 'left' },
  { key: 'line_no', header: 'Line', width: 28, align: 'right' },
  { key: 'what', header: 'Program / SKU', width: 95, align: 'left' },
  { key: 'claimed_amount', header: 'Claimed', width: 72, align: 'right' },
  { key: 'approved_amount', header: 'Approved', width: 72, align: 'right' },
  { key: 'paid_amount', header: 'Paid', width: 72, align: 'right' },
  { key: 'variance', header: 'Variance', width: 72, align: 'right' },
];

const { margin, footerSpace, pad, ink, muted, rule, band } = pdfStyle;

/** "credit memo CM-1" or "reference T-99": what the partner finds the payment under. */
function paymentDocument(method: string, documentId: string | null): string {
  if (!documentId) return '';
  return method === 'credit_memo' ? `Credit memo ${documentId}` : `Reference ${documentId}`;
}

/** Each rule code of a line in words, with the code a partner may quote. */
const ruleLines = (codes: string) => (codes ? codes.split(';').map(ruleWithCode) : []);

/**
 * Above this many lines in one advice, the PDF lists every claim but only the lines with a variance (what the
 * partner needs to read); the XLSX advice always carries every line. A run that pays a distributor's month
 * of sell-out would otherwise print thousands of pages of lines paid as claimed.
 */
export const adviceLinesInPdf = 2_000;

export function renderAdvicePdf(advice: PaymentAdvice, opts: PdfOptions = {}): Promise<Buffer> {
  const cur = advice.currency;
  const allLines = advice.claims.reduce((n, c) => n + c.lines.length, 0);
  const varianceOnly = allLines > adviceLinesInPdf;
  const amount = (v: string) => formatAmountText(v, cur);
  const pdf = openPdf(
    { Title: `Payment advice ${advice.batch_id} ${advice.account_id}`, Subject: advice.partner_name },
    opts,
  );
  const { doc } = pdf;
  const left = margin;
  const width = doc.page.width - 2 * margin;
  const bottom = () => doc.page.height - margin - footerSpace;
  const scale = width / pdfColumns.reduce((t, c) => t + c.width, 0);
  const columns = pdfColumns.map((c) => ({ ...c, width: c.width * scale }));

  let y = drawLetterhead(pdf, {
    title: 'Payment advice',
    lines: [`Batch ${advice.batch_id}`, `Payment date ${advice.payment_date}`],
  });
  const facts: [string, string][][] = [
    [
      ['Partner', advice.partner_name],
      ['Account', advice.account_id],
      ['Payment method', methodLabels[advice.method] ?? advice.method],
      ['Status', statusLabels[advice.status]],
    ],
    [
      ['Batch', advice.batch_id],
      ['Payment date', advice.payment_date],
      ['Currency', cur],
      ['Claims paid', String(advice.claims.length)],
    ],
  ];
  y = drawFacts(doc, facts, { left, y, width, labelWidth: 80, bold: 'Partner' }) + 14;
  if (advice.claims.some((c) => c.sla_priority)) {
    doc
      .font('Helvetica')
      .fontSize(8.5)
      .fillColor(ink)
      .text('* SLA priority: paid first, the claim was due soon or past its SLA.', left, y - 6, { width });
    y = doc.y + 8;
  }

  const headerHeight = 16;
  const drawHeader = (top: number): number => {
    doc.rect(left, top, width, headerHeight).fill(band);
    let x = left;
    doc.font('Helvetica-Bold').fontSize(8).fillColor(ink);
    for (const col of columns) {
      cellText(doc, col.header, x + pad, top + 4.5, { width: col.width - 2 * pad, align: col.align });
      x += col.width;
    }
    return top + headerHeight;
  };
  /** Room for `h` more on this page, else a new page with the table's header. */
  const ensure = (h: number) => {
    if (y + h <= bottom()) return;
    doc.addPage();
    y = drawHeader(margin);
  };
  type Cells = Partial<Record<Column['key'], string>>;
  /**
   * One row; `under` is a second line in a cell, in regular type (the credit memo under the claim, the SKU
   * under the program); `notes` (the rules in words, the deductions) follow the row across the width.
   */
  const row = (cells: Cells, bold: boolean, notes: string[] = [], under: Cells = {}) => {
    const heights = columns.map((c) => {
      const w = c.width - 2 * pad;
      doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(8);
      const main = cellHeight(doc, cells[c.key] || ' ', w);
      doc.font('Helvetica').fontSize(7.5);
      return main + (under[c.key] ? cellHeight(doc, under[c.key]!, w) : 0);
    });
    const h = Math.max(...heights) + 2 * pad;
    const indent = left + columns[0]!.width + pad;
    const noteWidth = width - (indent - left) - pad;
    doc.font('Helvetica').fontSize(7.5);
    const noteHeights = notes.map((n) => doc.heightOfString(n, { width: noteWidth - 8 }) + 2);
    // A row is never parted from its first note.
    ensure(h + (noteHeights[0] ?? 0));
    let x = left;
    for (const col of columns) {
      const w = { width: col.width - 2 * pad, align: col.align };
      doc
        .font(bold ? 'Helvetica-Bold' : 'Helvetica')
        .fontSize(8)
        .fillColor(ink);
      cellText(doc, cells[col.key] ?? '', x + pad, y + pad, w);
      if (under[col.key]) {
        doc.font('Helvetica').fontSize(7.5).fillColor('#3c4043');
        cellText(doc, under[col.key]!, doc.x, doc.y, w);
      }
      x += col.width;
    }
    y += h;
    notes.forEach((note, i) => {
      ensure(noteHeights[i]!);
      doc.font('Helvetica').fontSize(7.5).fillColor(muted).text('•', indent, y);
      doc.fillColor('#3c4043').text(note, indent + 8, y, { width: noteWidth - 8 });
      y += noteHeights[i]!;
    });
    if (notes.length > 0) y += 2;
  };

  if (varianceOnly) {
    const shown = advice.claims.reduce(
      (n, c) => n + c.lines.filter((l) => !new Decimal(l.variance).isZero()).length,
      0,
    );
    doc
      .font('Helvetica')
      .fontSize(9)
      .fillColor(muted)
      .text(
        `${allLines.toLocaleString('en-US')} lines are paid: every claim is listed, with the ${shown.toLocaleString('en-US')} lines that have a variance. The XLSX advice has every line.`,
        left,
        y,
        { width },
      );
    y = doc.y + 8;
  }
  y = drawHeader(y);
  for (const c of advice.claims) {
    const only = c.lines.length === 1 ? c.lines[0] : undefined;
    const deductionNote = c.deductions
      ? [
          `Settled earlier by your deduction ${c.deductions.split(';').join(', ')}: ${amount(c.deducted_amount)}; paid now: ${amount(c.paid_amount)}.`,
        ]
      : [];
    // A claim of one line is one row: the claim's figures with its line's number, SKU and rules.
    row(
      {
        claim: c.sla_priority ? `* ${c.claim_id}` : c.claim_id,
        line_no: only ? String(only.line_no) : '',
        what: c.program_id ?? '',
        claimed_amount: amount(c.claimed_amount),
        approved_amount: amount(c.approved_amount),
        paid_amount: amount(c.paid_amount),
        variance: amount(c.variance),
      },
      true,
      [...(only ? ruleLines(only.rule_codes) : []), ...deductionNote],
      { claim: paymentDocument(advice.method, c.document_id), what: only?.sku ?? '' },
    );
    if (!only)
      for (const l of c.lines) {
        if (varianceOnly && new Decimal(l.variance).isZero()) continue;
        row(
          {
            line_no: String(l.line_no),
            what: l.sku ?? '',
            claimed_amount: amount(l.claimed_amount),
            approved_amount: amount(l.approved_amount),
            paid_amount: amount(l.paid_amount),
            variance: amount(l.variance),
          },
          false,
          ruleLines(l.rule_codes),
        );
      }
    doc
      .moveTo(left, y)
      .lineTo(left + width, y)
      .lineWidth(0.5)
      .strokeColor(rule)
      .stroke();
  }

  const totals: [string, string][] = [
    ['Claimed', advice.totals.claimed_amount],
    ['Approved', advice.totals.approved_amount],
    ...(new Decimal(advice.totals.deducted_amount).isZero()
      ? []
      : ([['Settled by your deductions', advice.totals.deducted_amount]] as [string, string][])),
    ['Variance (claimed – paid)', advice.totals.variance],
    ['Paid', advice.totals.paid_amount],
  ];
  y += 18;
  if (y + 30 + totals.length * 15 > bottom()) {
    doc.addPage();
    y = margin;
  }
  const boxWidth = Math.round(width * 0.5);
  const boxLeft = left + width - boxWidth;
  doc.font('Helvetica-Bold').fontSize(11).fillColor(ink).text('Totals', boxLeft, y);
  y = doc.y + 4;
  for (const [label, value] of totals) {
    const last = label === 'Paid';
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
      .fillColor(ink);
    cellText(doc, label, boxLeft, y, { width: boxWidth / 2 });
    cellText(doc, formatMoneyText(value, cur), boxLeft + boxWidth / 2, y, {
      width: boxWidth / 2,
      align: 'right',
    });
    y += 15;
  }

  return finishPdf(pdf, `Payment advice ${advice.batch_id} · ${advice.partner_name} (${advice.account_id})`);
}

/**
 * Both files of an advice in one buffer (a run hands each advice to a rendering thread once): the PDF's
 * length (4 bytes), the PDF, the XLSX. splitAdviceBoth takes them apart without copying.
 */
export async function renderAdviceBoth(advice: PaymentAdvice): Promise<Buffer> {
  const pdf = await renderAdvicePdf(advice);
  const xlsx = await renderAdviceXlsx(advice);
  const head = Buffer.alloc(4);
  head.writeUInt32BE(pdf.length);
  return Buffer.concat([head, pdf, xlsx]);
}

export function splitAdviceBoth(joined: Buffer): { pdf: Buffer; xlsx: Buffer } {
  const n = joined.readUInt32BE(0);
  return { pdf: joined.subarray(4, 4 + n), xlsx: joined.subarray(4 + n) };
}

// ---------------------------------------------------------------------------------------------------------
// XLSX

const claimColumns: ExportColumn[] = [
  { key: 'batch_id', header: 'batch_id' },
  { key: 'account_id', header: 'account_id' },
  { key: 'partner_name', header: 'partner_name' },
  { key: 'method', header: 'payment_method' },
  { key: 'payment_date', header: 'payment_date', type: 'date' },
  { key: 'claim_id', header: 'claim_id' },
  { key: 'program_id', header: 'program_id' },
  { key: 'document_id', header: 'document_id', label: 'Credit memo or reference' },
  { key: 'currency', header: 'currency' },
  { key: 'claimed_amount', header: 'claimed_amount', type: 'amount' },
  { key: 'approved_amount', header: 'approved_amount', type: 'amount' },
  { key: 'paid_amount', header: 'paid_amount', type: 'amount' },
  { key: 'deducted_amount', header: 'settled_by_deduction', type: 'amount' },
  { key: 'deductions', header: 'deductions' },
  { key: 'variance', header: 'variance', type: 'amount' },
  { key: 'rule_codes', header: 'rule_codes' },
  { key: 'rules', header: 'rules', label: 'Rules in words', width: 60 },
  { key: 'sla_priority_text', header: 'sla_priority', label: 'SLA priority' },
  { key: 'payment_status', header: 'payment_status' },
];

const lineColumns: ExportColumn[] = [
  { key: 'claim_id', header: 'claim_id' },
  { key: 'line_no', header: 'line_no', type: 'int' },
  { key: 'sku', header: 'sku' },
  { key: 'currency', header: 'currency' },
  { key: 'claimed_amount', header: 'claimed_amount', type: 'amount' },
  { key: 'approved_amount', header: 'approved_amount', type: 'amount' },
  { key: 'paid_amount', header: 'paid_amount', type: 'amount' },
  { key: 'variance', header: 'variance', type: 'amount' },
  { key: 'rule_codes', header: 'rule_codes' },
  { key: 'rules', header: 'rules', label: 'Rules in words', width: 60 },
];

const totalColumns: ExportColumn[] = [
  { key: 'measure', header: 'measure' },
  { key: 'amount', header: 'amount', type: 'amount' },
  { key: 'currency', header: 'currency' },
];

const totalWords: Record<keyof PaymentAdvice['totals'], string> = {
  claimed_amount: 'Claimed',
  approved_amount: 'Approved',
  deducted_amount: 'Settled by your deductions',
  paid_amount: 'Paid',
  variance: 'Variance (claimed – paid)',
};

const paymentStatusWords: Record<string, string> = {
  created: 'Awaiting release',
  paid: 'Paid',
  reversed: 'Reversed',
};

/** Rule codes `A;B` in words, `; `-separated. */
const rulesInWords = (codes: string) =>
  codes
    .split(';')
    .filter(Boolean)
    .map((c) => ruleWithCode(c))
    .join('; ');

/** The advice workbook: sheets Claims, Lines and Totals; methods, statuses and rules in words. */
export function renderAdviceXlsx(advice: PaymentAdvice): Promise<Buffer> {
  const head = {
    batch_id: advice.batch_id,
    account_id: advice.account_id,
    partner_name: advice.partner_name,
    method: methodLabels[advice.method] ?? advice.method,
    payment_date: advice.payment_date,
    currency: advice.currency,
  };
  return writeXlsx(
    [
      {
        name: 'Claims',
        columns: claimColumns,
        rows: advice.claims.map(({ lines: _lines, ...c }) => ({
          ...head,
          ...c,
          rules: rulesInWords(c.rule_codes),
          sla_priority_text: c.sla_priority ? 'yes' : '',
          payment_status: paymentStatusWords[c.payment_status] ?? c.payment_status,
        })),
      },
      {
        name: 'Lines',
        columns: lineColumns,
        rows: advice.claims.flatMap((c) =>
          c.lines.map((l) => ({ ...l, currency: advice.currency, rules: rulesInWords(l.rule_codes) })),
        ),
      },
      {
        name: 'Totals',
        columns: totalColumns,
        totals: false,
        rows: Object.entries(advice.totals).map(([measure, amount]) => ({
          measure: totalWords[measure as keyof PaymentAdvice['totals']] ?? measure,
          amount,
          currency: advice.currency,
        })),
      },
    ],
    {
      title: `Payment advice ${advice.batch_id} for ${advice.partner_name}`,
      period: `Payment date ${advice.payment_date} · ${statusLabels[advice.status]}`,
    },
  );
}
