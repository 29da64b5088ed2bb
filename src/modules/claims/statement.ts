/**
 * Documents a partner can keep: the claim statement (PDF) and the reconciliation workbook (XLSX) of one claim.
 * Both read the claim through `getClaim`, so row security decides who may have them: another organisation's
 * claim does not exist. Amounts stay decimal strings; the only arithmetic (the unexplained variance) is done
 * with Decimal.
 */
import type { Decimal } from 'decimal.js';
import { formatAmountText, formatMoneyText, Money } from '../../core/money.ts';
import type { Db } from '../../db/db.ts';
import { programTypeLabels } from '../contracts/index.ts';
import { type ExportColumn, writeXlsx } from '../platform/export.ts';
import { drawLetterhead, finishPdf, openPdf, pdfStyle, safeFileName } from '../platform/pdf.ts';
import type { ClaimKey } from './claim-ref.ts';
import { type ClaimDetail, type ClaimLine, getClaim } from './queries.ts';
import { ruleTitle } from './rule-texts.ts';

export interface StatementFile {
  fileName: string;
  content: Buffer;
}

/** Each claim status in words, as documents print it. */
export const claimStatusLabels: Readonly<Record<string, string>> = {
  draft: 'Draft',
  submitted: 'Submitted',
  validated: 'Validated',
  in_review: 'In review',
  approved: 'Approved',
  partially_approved: 'Partially approved',
  rejected: 'Rejected',
  in_payment: 'In payment',
  paid: 'Paid',
  closed: 'Closed',
};

const lineStatusLabels: Record<string, string> = {
  approved: 'Approved',
  adjusted: 'Adjusted',
  review: 'In review',
  rejected: 'Rejected',
};

const paymentMethods: Record<string, string> = {
  credit_memo: 'credit memo',
  ach: 'ACH',
  check: 'check',
  wire: 'wire',
};

/** `contract_exception` → "contract exception": a reason code read as words. */
const reasonWords = (code: string) => code.replaceAll('_', ' ');

const typeWords = (type: string | null) =>
  type ? (programTypeLabels[type as keyof typeof programTypeLabels] ?? type.replaceAll('_', ' ')) : '—';

const effectLabels: Record<string, string> = {
  reject: 'rejects the line',
  adjust: 'adjusts the amount',
  review: 'needs review',
  report: 'for information',
};

export { formatAmountText, formatMoneyText } from '../../core/money.ts';

const instant = (v: string | null) => (v ? `${v.slice(0, 10)} ${v.slice(11, 16)} UTC` : '—');

function period(line: ClaimLine): string {
  if (!line.period_start && !line.period_end) return '';
  return `${line.period_start ?? '…'} – ${line.period_end ?? '…'}`;
}

/** Claimed minus approved that no rule code explains (an override, a manual decision). */
function unexplained(detail: ClaimDetail): Decimal | null {
  const { variance, by_rule_code } = detail.reconciliation;
  if (variance === null) return null;
  return by_rule_code.reduce((rest, r) => rest.minus(new Money(r.variance)), new Money(variance));
}

function ruleCodes(line: ClaimLine): string {
  return [...new Set(line.findings.map((f) => f.rule_code))].sort().join(';');
}

// ---------------------------------------------------------------------------------------------------------
// PDF

interface Column {
  key: string;
  header: string;
  width: number;
  align: 'left' | 'right';
}

const pdfColumns: Column[] = [
  { key: 'line', header: 'Line', width: 26, align: 'left' },
  { key: 'what', header: 'SKU / period', width: 92, align: 'left' },
  { key: 'qty_c', header: 'Qty\nclaimed', width: 36, align: 'right' },
  { key: 'qty_a', header: 'Qty\napproved', width: 40, align: 'right' },
  { key: 'unit_c', header: 'Unit\nclaimed', width: 50, align: 'right' },
  { key: 'unit_a', header: 'Unit\napproved', width: 50, align: 'right' },
  { key: 'claimed', header: 'Amount\nclaimed', width: 57, align: 'right' },
  { key: 'calculated', header: 'Amount\ncalculated', width: 57, align: 'right' },
  { key: 'approved', header: 'Amount\napproved', width: 57, align: 'right' },
  { key: 'status', header: 'Status', width: 50, align: 'left' },
];

const { margin, footerSpace, pad, ink, muted, rule, band } = pdfStyle;

export interface PdfOptions {
  /** Compress content streams (default true); tests read the text of an uncompressed document. */
  compress?: boolean;
}

/** The claim statement as an A4 PDF: header, lines with their findings, totals and the variance by rule code. */
export async function claimStatementPdf(
  db: Db,
  claim: ClaimKey,
  opts: PdfOptions = {},
): Promise<StatementFile> {
  const detail = await getClaim(db, claim);
  const content = await renderStatement(detail, opts);
  return { fileName: `claim-${safeFileName(detail.claim.claim_id)}.pdf`, content };
}

export function renderStatement(detail: ClaimDetail, opts: PdfOptions = {}): Promise<Buffer> {
  const { claim: c, lines, reconciliation: r } = detail;
  const cur = c.currency;
  const amount = (v: string | null | undefined) => formatAmountText(v, cur);
  const pdf = openPdf(
    {
      Title: `Claim statement ${c.claim_id}`,
      Subject: `${c.program_name ?? c.program_id} — ${c.partner_name ?? c.account_id}`,
    },
    opts,
  );
  const { doc } = pdf;

  const left = margin;
  const width = doc.page.width - 2 * margin;
  const bottom = () => doc.page.height - margin - footerSpace;
  // The columns fill the paper's width (A4 or Letter).
  const scale = width / pdfColumns.reduce((t, col) => t + col.width, 0);
  const columns = pdfColumns.map((col) => ({ ...col, width: col.width * scale }));

  // Header -----------------------------------------------------------------------------------------------
  let y = drawLetterhead(pdf, {
    title: 'Claim statement',
    lines: [
      `Claim ${c.claim_id}, version ${c.version}`,
      `${c.program_name ?? c.program_id} (${c.program_id})`,
    ],
  });

  const facts: [string, string][][] = [
    [
      ['Partner', c.partner_name ?? c.account_id],
      ['Account', c.account_id],
      ['Claim', c.claim_id],
      ['Version', String(c.version)],
    ],
    [
      ['Status', claimStatusLabels[c.status] ?? c.status],
      ['Submitted', c.submitted_date],
      ['Validated', instant(c.validated_at)],
      [
        'Decided',
        c.decided_at ? `${instant(c.decided_at)}${c.decided_by ? ` by ${c.decided_by}` : ''}` : '—',
      ],
    ],
  ];
  const half = width / 2;
  let factsBottom = y;
  facts.forEach((group, g) => {
    let fy = y;
    for (const [label, value] of group) {
      doc
        .font('Helvetica')
        .fontSize(8.5)
        .fillColor(muted)
        .text(label, left + g * half, fy, { width: 62 });
      doc
        .font(label === 'Claim' ? 'Helvetica-Bold' : 'Helvetica')
        .fontSize(9.5)
        .fillColor(ink)
        .text(value, left + g * half + 64, fy - 0.5, { width: half - 72 });
      fy = Math.max(doc.y, fy + 13) + 2;
    }
    factsBottom = Math.max(factsBottom, fy);
  });
  y = factsBottom + 6;
  doc
    .font('Helvetica')
    .fontSize(8.5)
    .fillColor(muted)
    .text(`Amounts in ${cur}. Program type: ${typeWords(c.program_type)}.`, left, y, { width });
  y = doc.y + 14;

  // Lines table ------------------------------------------------------------------------------------------
  doc.font('Helvetica-Bold').fontSize(11).fillColor(ink).text('Lines', left, y);
  y = doc.y + 4;

  const headerHeight = 24;
  const drawTableHeader = (top: number): number => {
    doc.rect(left, top, width, headerHeight).fill(band);
    let x = left;
    doc.font('Helvetica-Bold').fontSize(7.5).fillColor(ink);
    for (const col of columns) {
      doc.text(col.header, x + pad, top + 3.5, {
        width: col.width - 2 * pad,
        align: col.align,
        lineGap: 0.5,
      });
      x += col.width;
    }
    return top + headerHeight;
  };
  const ensure = (needed: number) => {
    if (y + needed <= bottom()) return;
    doc.addPage();
    y = drawTableHeader(margin);
  };

  y = drawTableHeader(y);
  if (lines.length === 0) {
    doc
      .font('Helvetica')
      .fontSize(9)
      .fillColor(muted)
      .text('The claim has no lines.', left + pad, y + 6);
    y = doc.y + 6;
  }
  for (const line of lines) {
    const cells: Record<string, string> = {
      line: String(line.line_no),
      what: [line.sku ?? '', line.sku && line.sale_date ? `sold ${line.sale_date}` : '', period(line)]
        .filter(Boolean)
        .join('\n'),
      qty_c: line.qty === null ? '' : String(line.qty),
      qty_a: line.approved_qty === null ? '' : String(line.approved_qty),
      unit_c: amount(line.claimed_unit_amount),
      unit_a: amount(line.approved_unit_amount),
      claimed: amount(line.claimed_amount),
      calculated: amount(line.calculated_amount),
      approved: amount(line.approved_amount),
      status: line.status ? (lineStatusLabels[line.status] ?? line.status) : 'Pending',
    };
    doc.font('Helvetica').fontSize(8);
    const rowHeight =
      Math.max(
        ...columns.map((col) => doc.heightOfString(cells[col.key] || ' ', { width: col.width - 2 * pad })),
      ) +
      2 * pad +
      1;
    const firstFinding = line.findings[0];
    ensure(rowHeight + (firstFinding ? 12 : 0));
    let x = left;
    for (const col of columns) {
      const bold = col.key === 'approved' || col.key === 'line';
      doc
        .font(bold ? 'Helvetica-Bold' : 'Helvetica')
        .fontSize(8)
        .fillColor(col.key === 'status' && line.status === 'rejected' ? '#b3261e' : ink)
        .text(cells[col.key] ?? '', x + pad, y + pad + 1, { width: col.width - 2 * pad, align: col.align });
      x += col.width;
    }
    y += rowHeight;

    const indent = left + columns[0]!.width + pad;
    const findingWidth = width - (indent - left) - pad;
    for (const f of line.findings) {
      let text = `${ruleTitle(f.rule_code)} (${f.rule_code}, ${effectLabels[f.effect] ?? f.effect}): ${f.detail}`;
      if (f.resolution) {
        text += ` Resolved: ${f.resolution}${f.resolved_by ? ` by ${f.resolved_by}` : ''}`;
        text += f.resolution_reason ? ` (${reasonWords(f.resolution_reason)}).` : '.';
      }
      doc.font('Helvetica').fontSize(7.5);
      const h = doc.heightOfString(text, { width: findingWidth - 8 }) + 3;
      ensure(h);
      doc.fillColor(muted).text('•', indent, y);
      doc.fillColor('#3c4043').text(text, indent + 8, y, { width: findingWidth - 8 });
      y += h;
    }
    if (line.findings.length > 0) y += 3;
    doc
      .moveTo(left, y)
      .lineTo(left + width, y)
      .lineWidth(0.5)
      .strokeColor(rule)
      .stroke();
  }

  // Totals -----------------------------------------------------------------------------------------------
  const rest = unexplained(detail);
  const totals: [string, string | null][] = [
    ['Claimed', r.claimed_amount],
    ['Calculated', r.calculated_amount],
    ['Approved', r.approved_amount],
    ['Variance (claimed – approved)', r.variance],
  ];
  const byRule: [string, string, string][] = r.by_rule_code.map((v) => [
    `${ruleTitle(v.rule_code)} (${v.rule_code})`,
    `${v.lines} line${v.lines === 1 ? '' : 's'}`,
    v.variance,
  ]);
  if (rest && !rest.isZero()) byRule.push(['Not explained by a rule', '', rest.toFixed()]);
  const totalsHeight =
    30 + totals.length * 15 + (detail.payment ? 30 : 0) + (byRule.length > 0 ? 30 + byRule.length * 13 : 22);
  y += 18;
  if (y + totalsHeight > bottom()) {
    doc.addPage();
    y = margin;
  }
  const boxWidth = Math.round(width * 0.6);
  const boxLeft = left + width - boxWidth;
  doc.font('Helvetica-Bold').fontSize(11).fillColor(ink).text('Totals', boxLeft, y);
  y = doc.y + 4;
  totals.forEach(([label, value], i) => {
    const last = i === totals.length - 1;
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
      .font(last || label === 'Approved' ? 'Helvetica-Bold' : 'Helvetica')
      .fontSize(9.5)
      .fillColor(ink)
      .text(label, boxLeft, y, { width: boxWidth / 2 });
    doc.text(formatMoneyText(value, cur), boxLeft + boxWidth / 2, y, { width: boxWidth / 2, align: 'right' });
    y += 15;
  });
  if (detail.payment) {
    const p = detail.payment;
    const how = paymentMethods[p.method] ?? p.method;
    const label =
      p.status === 'paid' ? `Paid${p.paid_on ? ` on ${p.paid_on}` : ''} by ${how}` : `In payment by ${how}`;
    y += 4;
    doc
      .font('Helvetica')
      .fontSize(9.5)
      .fillColor(ink)
      .text(label, boxLeft, y, { width: boxWidth * 0.75 });
    doc.text(formatMoneyText(p.amount, cur), boxLeft + boxWidth / 2, y, {
      width: boxWidth / 2,
      align: 'right',
    });
    y += 14;
    if (p.document_id) {
      doc
        .fontSize(8)
        .fillColor(muted)
        .text(`${how === 'credit memo' ? 'Credit memo' : 'Reference'} ${p.document_id}`, boxLeft, y, {
          width: boxWidth,
        });
      y += 12;
    }
  }

  y += 10;
  doc.font('Helvetica-Bold').fontSize(11).fillColor(ink).text('Variance by rule', boxLeft, y);
  y = doc.y + 4;
  if (byRule.length === 0) {
    doc
      .font('Helvetica')
      .fontSize(9)
      .fillColor(muted)
      .text(
        r.variance === null
          ? 'Not decided yet: some lines wait for their result.'
          : 'No rule changed the claim.',
        boxLeft,
        y,
        { width: boxWidth },
      );
    y = doc.y;
  }
  for (const [code, count, value] of byRule) {
    doc.font('Helvetica').fontSize(9);
    const h = doc.heightOfString(code, { width: boxWidth * 0.6 }) + 3;
    if (y + h > bottom()) {
      doc.addPage();
      y = margin;
    }
    doc.fillColor(ink).text(code, boxLeft, y, { width: boxWidth * 0.6 });
    doc.fillColor(muted).text(count, boxLeft + boxWidth * 0.6, y, { width: boxWidth * 0.12, align: 'right' });
    doc.fillColor(ink).text(formatMoneyText(value, cur), boxLeft + boxWidth * 0.72, y, {
      width: boxWidth * 0.28,
      align: 'right',
    });
    y += h;
  }

  return finishPdf(
    pdf,
    `Claim statement ${c.claim_id} · version ${c.version} · ${c.partner_name ?? c.account_id}`,
  );
}

// ---------------------------------------------------------------------------------------------------------
// XLSX

const lineColumns: ExportColumn[] = [
  { key: 'claim_id', header: 'claim_id' },
  { key: 'line_no', header: 'line_no', type: 'int' },
  { key: 'sku', header: 'sku' },
  { key: 'sale_date', header: 'sale_date', type: 'date' },
  { key: 'period_start', header: 'period_start', type: 'date' },
  { key: 'period_end', header: 'period_end', type: 'date' },
  { key: 'currency', header: 'currency' },
  { key: 'claimed_qty', header: 'claimed_qty', type: 'int' },
  { key: 'claimed_unit_amount', header: 'claimed_unit_amount', type: 'amount', total: false },
  { key: 'claimed_amount', header: 'claimed_amount', type: 'amount' },
  { key: 'calculated_amount', header: 'calculated_amount', type: 'amount' },
  { key: 'approved_qty', header: 'approved_qty', type: 'int' },
  { key: 'approved_unit_amount', header: 'approved_unit_amount', type: 'amount', total: false },
  { key: 'approved_amount', header: 'approved_amount', type: 'amount' },
  { key: 'variance', header: 'variance', type: 'amount' },
  { key: 'status', header: 'status' },
  { key: 'rule_codes', header: 'rule_codes' },
  { key: 'rules', header: 'rules', label: 'Rules in words', width: 60 },
];

const findingSheetColumns: ExportColumn[] = [
  { key: 'claim_id', header: 'claim_id' },
  { key: 'line_no', header: 'line_no', type: 'int' },
  { key: 'rule_code', header: 'rule_code' },
  { key: 'rule', header: 'rule', label: 'Rule in words', width: 50 },
  { key: 'effect', header: 'effect' },
  { key: 'detail', header: 'detail', width: 60 },
  { key: 'x12_reject_reason', header: 'x12_reject_reason' },
  { key: 'resolution', header: 'resolution' },
  { key: 'adjusted_amount', header: 'adjusted_amount', type: 'amount', total: false },
  { key: 'resolution_reason', header: 'resolution_reason' },
  { key: 'resolved_by', header: 'resolved_by' },
];

const summaryColumns: ExportColumn[] = [
  { key: 'claim_id', header: 'claim_id' },
  { key: 'measure', header: 'measure' },
  { key: 'rule_code', header: 'rule_code' },
  { key: 'rule', header: 'rule', label: 'Rule in words', width: 50 },
  { key: 'lines', header: 'lines', type: 'int' },
  { key: 'amount', header: 'amount', type: 'amount' },
  { key: 'currency', header: 'currency' },
];

const measureWords: Record<string, string> = {
  claimed: 'Claimed',
  calculated: 'Calculated',
  approved: 'Approved',
  variance: 'Variance (claimed – approved)',
  paid: 'Paid',
  in_payment: 'In payment',
  variance_by_rule: 'Variance by rule',
  variance_not_explained: 'Variance not explained by a rule',
};

/** The reconciliation workbook: sheets Lines, Findings and Summary (totals and variance by rule code). */
export async function claimReconciliationXlsx(db: Db, claim: ClaimKey): Promise<StatementFile> {
  const detail = await getClaim(db, claim);
  const { claim: c, lines, reconciliation: r } = detail;
  const id = c.claim_id;
  const rest = unexplained(detail);
  const summary = [
    { measure: 'claimed', amount: r.claimed_amount, lines: lines.length },
    { measure: 'calculated', amount: r.calculated_amount },
    { measure: 'approved', amount: r.approved_amount },
    { measure: 'variance', amount: r.variance },
    ...(detail.payment
      ? [{ measure: detail.payment.status === 'paid' ? 'paid' : 'in_payment', amount: detail.payment.amount }]
      : []),
    ...r.by_rule_code.map((v) => ({
      measure: 'variance_by_rule',
      rule_code: v.rule_code,
      rule: ruleTitle(v.rule_code),
      lines: v.lines,
      amount: v.variance,
    })),
    ...(rest && !rest.isZero() ? [{ measure: 'variance_not_explained', amount: rest.toFixed() }] : []),
  ].map((row) => ({
    claim_id: id,
    currency: c.currency,
    ...row,
    measure: measureWords[row.measure] ?? row.measure,
  }));
  const content = await writeXlsx(
    [
      {
        name: 'Lines',
        columns: lineColumns,
        rows: lines.map((l) => ({
          claim_id: id,
          line_no: l.line_no,
          sku: l.sku,
          sale_date: l.sale_date,
          period_start: l.period_start,
          period_end: l.period_end,
          currency: c.currency,
          claimed_qty: l.qty,
          claimed_unit_amount: l.claimed_unit_amount,
          claimed_amount: l.claimed_amount,
          calculated_amount: l.calculated_amount,
          approved_qty: l.approved_qty,
          approved_unit_amount: l.approved_unit_amount,
          approved_amount: l.approved_amount,
          variance: l.variance,
          status: l.status ? (lineStatusLabels[l.status] ?? l.status) : 'Pending',
          rule_codes: ruleCodes(l),
          rules: ruleCodes(l).split(';').filter(Boolean).map(ruleTitle).join('; '),
        })),
      },
      {
        name: 'Findings',
        columns: findingSheetColumns,
        rows: lines.flatMap((l) =>
          l.findings.map((f) => ({
            claim_id: id,
            line_no: l.line_no,
            ...f,
            rule: ruleTitle(f.rule_code),
            effect: effectLabels[f.effect] ?? f.effect,
            resolution_reason: f.resolution_reason ? reasonWords(f.resolution_reason) : null,
          })),
        ),
      },
      { name: 'Summary', columns: summaryColumns, rows: summary, totals: false },
    ],
    {
      title: `Claim ${id} reconciliation`,
      period: `Version ${c.version} · ${c.partner_name ?? c.account_id} · ${c.program_name ?? c.program_id}`,
    },
  );
  return { fileName: `claim-${safeFileName(id)}.xlsx`, content };
}
