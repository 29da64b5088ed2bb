/**
 * The payment advice of one partner in one payment batch (PDF and XLSX): partner and account, payment
 * method, batch and payment date, each claim and line with claimed, approved, paid and the variance with the
 * rule codes that explain it, and totals. Read through the caller's connection, so row security decides who
 * may have it: another organisation's advice does not exist. Amounts stay decimal strings; sums use Decimal.
 */
import { Decimal } from 'decimal.js';
import { AppError } from '../../core/errors.ts';
import type { Db } from '../../db/db.ts';
import { ruleWithCode } from '../claims/index.ts';
import { formatAmountText, formatMoneyText, type PdfOptions } from '../claims/statement.ts';
import { type ExportColumn, writeXlsx } from '../platform/export.ts';
import type { Renderer } from '../platform/index.ts';
import {
  cellHeight,
  cellText,
  drawLetterhead,
  finishPdf,
  openPdf,
  pdfStyle,
  safeFileName,
} from '../platform/pdf.ts';
import type { BatchFile } from './files.ts';

/** The module whose renderers the rendering threads load. */
const adviceRenderer = import.meta.url;

export const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

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

const methodLabels: Record<string, string> = {
  credit_memo: 'Credit memo',
  ach: 'ACH',
  check: 'Check',
  wire: 'Wire transfer',
};

const statusLabels: Record<PaymentAdvice['status'], string> = {
  paid: 'Paid',
  awaiting_release: 'Awaiting release',
  reversed: 'Reversed: this payment was taken back',
};

const sum = (values: readonly string[]) => values.reduce((s, v) => s.plus(v), new Decimal(0)).toFixed(2);

/** The advice of `accountId` in `batchId`; not_found when the caller sees no payment of it there. */
export async function getPaymentAdvice(db: Db, batchId: string, accountId: string): Promise<PaymentAdvice> {
  const [advice] = await getPaymentAdvices(db, batchId, [accountId]);
  if (!advice)
    throw new AppError('not_found', `There is no payment advice for ${accountId} in batch ${batchId}.`);
  return advice;
}

/**
 * The advices of several partners of `batchId` in two queries (a run reads its advices a slice of partners at
 * a time), in the order of `accountIds`; a partner the caller sees no payment of has none.
 */
export async function getPaymentAdvices(
  db: Db,
  batchId: string,
  accountIds: readonly string[],
): Promise<PaymentAdvice[]> {
  return db.tx(async (tx) => {
    const { rows: payments } = await tx.query<{
      account_id: string;
      claim_id: string;
      partner_name: string | null;
      method: string;
      currency: string;
      paid: string;
      payment_date: string;
      document_id: string | null;
      program_id: string | null;
      submitted_date: string | null;
      sla_priority: boolean;
      payment_status: string;
      deducted: string;
      deductions: string;
    }>(
      `select s.account_id, s.claim_id, s.sla_priority, s.status as payment_status, a.name as partner_name, s.method,
         s.currency, s.amount::text as paid,
         to_char(coalesce(s.paid_on, s.as_of), 'YYYY-MM-DD') as payment_date, s.document_id, c.program_id,
         to_char(c.submitted_date, 'YYYY-MM-DD') as submitted_date,
         coalesce((select sum(d.amount) from deduction_claims d where d.account_id = s.account_id
           and d.claim_id = s.claim_id and d.reversed_at is null), 0)::numeric(18, 2)::text as deducted,
         coalesce((select string_agg(d.deduction_id, ';' order by d.deduction_id) from deduction_claims d
           where d.account_id = s.account_id and d.claim_id = s.claim_id and d.reversed_at is null), '') as deductions
       from settlement_payments s
       join claims c on c.account_id = s.account_id and c.claim_id = s.claim_id
       left join accounts a on a.account_id = s.account_id
       where s.batch_id = $1 and s.account_id = any($2)
       order by s.account_id, s.sla_priority desc, s.claim_id`,
      [batchId, accountIds],
    );
    if (payments.length === 0) return [];
    const { rows: lines } = await tx.query<{
      account_id: string;
      claim_id: string;
      line_no: number;
      sku: string | null;
      claimed_amount: string;
      approved_amount: string;
      rule_codes: string;
    }>(
      `select l.account_id, l.claim_id, l.line_no, l.sku,
         coalesce(l.claimed_amount, 0)::numeric(18, 2)::text as claimed_amount,
         coalesce(l.approved_amount, 0)::numeric(18, 2)::text as approved_amount,
         coalesce((select string_agg(distinct f.rule_code, ';' order by f.rule_code) from claim_findings f
           where f.account_id = l.account_id and f.claim_id = l.claim_id and f.line_no = l.line_no
             and f.effect in ('reject', 'adjust') and f.resolution is distinct from 'overridden'), '')
           as rule_codes
       from claim_lines l
       join jsonb_to_recordset($1::jsonb) as p(account_id text, claim_id text)
         on l.account_id = p.account_id and l.claim_id = p.claim_id
       order by l.account_id, l.claim_id, l.line_no`,
      [JSON.stringify(payments.map((p) => ({ account_id: p.account_id, claim_id: p.claim_id })))],
    );
    const key = (accountId: string, claimId: string) => `${accountId}\u0000${claimId}`;
    const linesOf = Map.groupBy(
      lines.map(({ account_id, ...l }): AdviceLine & { account_id: string } => ({
        ...l,
        account_id,
        paid_amount: l.approved_amount,
        variance: new Decimal(l.claimed_amount).minus(l.approved_amount).toFixed(2),
      })),
      (l) => key(l.account_id, l.claim_id),
    );
    const paymentsOf = Map.groupBy(payments, (p) => p.account_id);
    const advices: PaymentAdvice[] = [];
    for (const accountId of accountIds) {
      const own = paymentsOf.get(accountId);
      if (!own) continue;
      paymentsOf.delete(accountId);
      const first = own[0]!;
      const claims: AdviceClaim[] = own.map((p) => {
        const claimLines: AdviceLine[] = (linesOf.get(key(accountId, p.claim_id)) ?? []).map(
          ({ account_id: _, ...l }) => l,
        );
        const claimed = sum(claimLines.map((l) => l.claimed_amount));
        return {
          claim_id: p.claim_id,
          program_id: p.program_id,
          submitted_date: p.submitted_date,
          document_id: p.document_id,
          claimed_amount: claimed,
          approved_amount: sum(claimLines.map((l) => l.approved_amount)),
          paid_amount: new Decimal(p.paid).toFixed(2),
          deducted_amount: p.deducted,
          deductions: p.deductions,
          variance: new Decimal(claimed).minus(p.paid).minus(p.deducted).toFixed(2),
          rule_codes: [...new Set(claimLines.flatMap((l) => (l.rule_codes ? l.rule_codes.split(';') : [])))]
            .sort()
            .join(';'),
          sla_priority: p.sla_priority,
          payment_status: p.payment_status,
          lines: claimLines,
        };
      });
      advices.push({
        batch_id: batchId,
        account_id: accountId,
        partner_name: first.partner_name ?? accountId,
        method: first.method,
        currency: first.currency,
        payment_date: first.payment_date,
        status: own.every((p) => p.payment_status === 'reversed')
          ? 'reversed'
          : own.some((p) => p.payment_status === 'created')
            ? 'awaiting_release'
            : 'paid',
        claims,
        totals: {
          claimed_amount: sum(claims.map((c) => c.claimed_amount)),
          approved_amount: sum(claims.map((c) => c.approved_amount)),
          deducted_amount: sum(claims.map((c) => c.deducted_amount)),
          paid_amount: sum(claims.map((c) => c.paid_amount)),
          variance: sum(claims.map((c) => c.variance)),
        },
      });
    }
    return advices;
  });
}

export const adviceFileBase = (batchId: string, accountId: string) =>
  `${safeFileName(batchId)}-advice-${safeFileName(accountId)}`;

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
  const half = width / 2;
  let factsBottom = y;
  facts.forEach((group, g) => {
    let fy = y;
    for (const [label, value] of group) {
      doc.font('Helvetica').fontSize(8.5).fillColor(muted);
      cellText(doc, label, left + g * half, fy, { width: 80 });
      doc
        .font(label === 'Partner' ? 'Helvetica-Bold' : 'Helvetica')
        .fontSize(9.5)
        .fillColor(ink);
      cellText(doc, value, left + g * half + 82, fy - 0.5, { width: half - 90 });
      fy = Math.max(doc.y, fy + 13) + 2;
    }
    factsBottom = Math.max(factsBottom, fy);
  });
  y = factsBottom + 14;
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

export async function paymentAdvicePdf(
  db: Db,
  batchId: string,
  accountId: string,
  opts: PdfOptions = {},
): Promise<AdviceFile> {
  const advice = await getPaymentAdvice(db, batchId, accountId);
  return {
    fileName: `${adviceFileBase(batchId, accountId)}.pdf`,
    content: await renderAdvicePdf(advice, opts),
  };
}

export async function paymentAdviceXlsx(db: Db, batchId: string, accountId: string): Promise<AdviceFile> {
  const advice = await getPaymentAdvice(db, batchId, accountId);
  return { fileName: `${adviceFileBase(batchId, accountId)}.xlsx`, content: await renderAdviceXlsx(advice) };
}

/**
 * The advices of every partner paid in the batch, `<batch>-advice-<account>.pdf` and `.xlsx`, one partner at a
 * time (a batch may pay thousands of partners: the caller stores each as it comes, so they never all sit in
 * memory at once).
 */
/** Partners whose advices a run reads in one go. */
const advicesPerRead = 50;

export async function* renderAdviceFiles(
  db: Db,
  batchId: string,
  renderer?: Renderer,
): AsyncGenerator<BatchFile> {
  const { rows } = await db.query<{ account_id: string }>(
    'select distinct account_id from settlement_payments where batch_id = $1 order by account_id',
    [batchId],
  );
  const render = async (advice: PaymentAdvice): Promise<BatchFile[]> => {
    const base = adviceFileBase(batchId, advice.account_id);
    const [pdf, xlsx] = await Promise.all([
      renderer ? renderer.render(adviceRenderer, 'renderAdvicePdf', advice) : renderAdvicePdf(advice),
      renderer ? renderer.render(adviceRenderer, 'renderAdviceXlsx', advice) : renderAdviceXlsx(advice),
    ]);
    return [
      {
        fileName: `${base}.pdf`,
        kind: 'advice',
        mediaType: 'application/pdf',
        content: pdf,
        accountId: advice.account_id,
      },
      {
        fileName: `${base}.xlsx`,
        kind: 'advice',
        mediaType: xlsxType,
        content: xlsx,
        accountId: advice.account_id,
      },
    ];
  };
  // Up to the renderer's width of advices in flight: threads render them while the next partners' advices are
  // read (in the run's transaction, one query after another) and the finished files stored, in order.
  const width = renderer?.width ?? 1;
  const inFlight: Promise<BatchFile[]>[] = [];
  const accounts = rows.map((r) => r.account_id);
  for (let i = 0; i < accounts.length; i += advicesPerRead) {
    for (const advice of await getPaymentAdvices(db, batchId, accounts.slice(i, i + advicesPerRead))) {
      const files = render(advice);
      files.catch(() => undefined); // awaited in turn below; a failure is thrown there
      inFlight.push(files);
      if (inFlight.length >= width) yield* await inFlight.shift()!;
    }
  }
  while (inFlight.length > 0) yield* await inFlight.shift()!;
}
